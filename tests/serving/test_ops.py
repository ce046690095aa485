"""Operations on a real server: API key, CORS, start-up without a model, hot reload under load, SIGHUP."""

from __future__ import annotations

import json
import shutil
import signal
import threading
import time

import httpx

from tests.serving.conftest import API_KEY, live_server, wait_until

SUGGEST = {"text": "no puedo pagar con la tarjeta en la app desde ayer", "k": 1}


def test_api_key_is_required_on_v1_but_not_on_health(keyed_server):
    url = keyed_server.url
    assert httpx.post(url + "/v1/suggest", json=SUGGEST).status_code == 401
    r = httpx.post(url + "/v1/suggest", json=SUGGEST, headers={"X-API-Key": "wrong"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    assert httpx.post(url + "/v1/suggest", json=SUGGEST, headers={"X-API-Key": API_KEY}).status_code == 200
    assert httpx.post(url + "/v1/suggest", json=SUGGEST,
                      headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200
    assert httpx.post(url + "/v1/admin/reload").status_code == 401
    assert httpx.get(url + "/v1/model").status_code == 401
    assert httpx.get(url + "/healthz").status_code == 200 and httpx.get(url + "/readyz").status_code == 200


def test_cors_allows_only_the_configured_origin(keyed_server):
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key,content-type"}
    ok = httpx.options(keyed_server.url + "/v1/suggest", headers={"Origin": "http://inbox.example", **pre})
    assert ok.headers.get("access-control-allow-origin") == "http://inbox.example"
    bad = httpx.options(keyed_server.url + "/v1/suggest", headers={"Origin": "http://evil.example", **pre})
    assert "access-control-allow-origin" not in bad.headers


def test_not_ready_until_a_model_loads_then_reload_brings_it_in(bundle_copy, tmp_path):
    target = tmp_path / "later"
    with live_server(tmp_path, target, ready=False) as srv:
        r = httpx.get(srv.url + "/readyz")
        assert r.status_code == 503 and "no manifest.json" in r.json()["error"]["message"]
        assert httpx.post(srv.url + "/v1/suggest", json=SUGGEST).status_code == 503
        # Tone checks need no model and keep working.
        assert httpx.post(srv.url + "/v1/tone/check", json={"text": "Gracias, lo miramos hoy."}).status_code == 200
        # Without an API key a reload may not name its source...
        assert httpx.post(srv.url + "/v1/admin/reload", json={"source": str(bundle_copy)}).status_code == 403
        shutil.copytree(bundle_copy, target)  # ...but re-reads the configured one.
        r = httpx.post(srv.url + "/v1/admin/reload")
        assert r.status_code == 200 and r.json()["previous_version"] is None
        assert httpx.get(srv.url + "/readyz").status_code == 200


def _variant(src, dst, version: str, corrupt: bool = False):
    shutil.copytree(src, dst)
    m = json.loads((dst / "manifest.json").read_text())
    m["model_version"] = version
    (dst / "manifest.json").write_text(json.dumps(m))
    if corrupt:
        enc = dst / m["encoder"]["files"][m["encoder"]["default_variant"]]
        enc.write_bytes(enc.read_bytes()[: enc.stat().st_size // 2])
    return dst


def test_hot_reload_under_load_never_fails_a_request(bundle_copy, tmp_path):
    v2 = _variant(bundle_copy, tmp_path / "v2", "v2-hot")
    broken = _variant(bundle_copy, tmp_path / "broken", "v3-broken", corrupt=True)
    auth = {"X-API-Key": API_KEY}
    with live_server(tmp_path, bundle_copy, ATIENDE_API_KEY=API_KEY) as srv:
        v1 = httpx.get(srv.url + "/readyz").json()["model_version"]
        statuses, versions, stop = [], [], threading.Event()

        def hammer(i: int):
            with httpx.Client(base_url=srv.url, headers=auth, timeout=30) as c:
                n = 0
                while not stop.is_set():
                    r = c.post("/v1/suggest", json={**SUGGEST, "text": f"{SUGGEST['text']} ({i}-{n})"})
                    statuses.append(r.status_code)
                    if r.status_code == 200:
                        versions.append(r.json()["model_version"])
                    n += 1

        threads = [threading.Thread(target=hammer, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        r = httpx.post(srv.url + "/v1/admin/reload", json={"source": str(v2)}, headers=auth, timeout=60)
        assert r.status_code == 200 and r.json() == {"ok": True, "model_version": "v2-hot", "previous_version": v1}
        time.sleep(0.5)
        r = httpx.post(srv.url + "/v1/admin/reload", json={"source": str(broken)}, headers=auth, timeout=60)
        assert r.status_code == 409
        assert "encoder" in r.json()["error"]["message"] and "still serving v2-hot" in r.json()["error"]["message"]
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join()
        assert len(statuses) > 20 and set(statuses) == {200}
        assert versions[0] == v1 and versions[-1] == "v2-hot" and "v3-broken" not in versions
        assert httpx.get(srv.url + "/readyz").json()["model_version"] == "v2-hot"
        metrics = httpx.get(srv.url + "/metrics").text
        assert 'atiende_reloads_total{outcome="failed"} 1.0' in metrics


def test_sighup_reloads_the_configured_bundle(bundle_copy, tmp_path):
    served = _variant(bundle_copy, tmp_path / "served", "before-hup")
    with live_server(tmp_path, served) as srv:
        m = json.loads((served / "manifest.json").read_text())
        m["model_version"] = "after-hup"
        (served / "manifest.json").write_text(json.dumps(m))
        srv.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while httpx.get(srv.url + "/readyz").json()["model_version"] != "after-hup":
            assert time.monotonic() < deadline, "SIGHUP did not reload"
            time.sleep(0.2)
        wait_until(srv.url, "/readyz", 200)
