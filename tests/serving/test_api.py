"""Every endpoint of a real uvicorn server: contract, limits, errors, logs, metrics, feedback."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from data.loaders import load_records
from model.tone import CHECKS

EMAIL, PHONE = "ana.lopez.88@gmail.com", "+34 612 345 678"


def post(server, path, body=None, **kw):
    return httpx.post(server.url + path, json=body, timeout=30, **kw)


def test_health_ready_and_model(server, bundle_copy):
    assert httpx.get(server.url + "/healthz").json()["status"] == "ok"
    ready = httpx.get(server.url + "/readyz").json()
    manifest = json.loads((bundle_copy / "manifest.json").read_text())
    assert ready == {"status": "ready", "model_version": manifest["model_version"], "detail": None}
    info = httpx.get(server.url + "/v1/model").json()
    assert info["labels"] == manifest["labels"] and info["serving"]["path"] == str(bundle_copy)
    assert info["serving"]["variant"] == manifest["encoder"]["default_variant"]


@pytest.mark.parametrize("text,lang", [
    ("llevo dos días sin internet y trabajo desde casa, ¿alguien me va a dar una solución?", "es"),
    ("my card was charged twice for the same order, I want my money back", "en"),
])
def test_suggest_follows_the_contract(server, text, lang):
    r = post(server, "/v1/suggest", {"text": text, "author": {"handle": "@marta", "followers": 120}, "k": 2,
                                     "created_at": "2026-03-04T12:00:00+01:00"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["urgency"]["label"] in out["urgency"]["probabilities"]
    assert abs(sum(out["urgency"]["probabilities"].values()) - 1) < 1e-3
    assert 0 <= out["priority"] <= 1 and out["sla"]["minutes"] > 0
    assert out["context"]["lang"] == lang
    assert 1 <= len(out["suggestions"]) <= 2
    for s in out["suggestions"]:
        assert set(s["tone"]) == set(CHECKS) and all(s["tone"].values())
        assert "@marta" in s["text"]
    assert r.headers["x-request-id"]


def test_prioritize_keeps_input_order_and_orders_the_queue(server):
    msgs = [{"id": "a", "text": "gracias por el servicio de ayer, todo perfecto"},
            {"id": "b", "text": "me han robado la cuenta y están comprando con mi tarjeta, bloqueadla ya"},
            {"id": "c", "text": "what time does the Oxford Street store open on Sunday?"}]
    out = post(server, "/v1/prioritize", {"messages": msgs}).json()
    assert [r["id"] for r in out["results"]] == ["a", "b", "c"]
    assert [r["index"] for r in out["results"]] == [0, 1, 2]
    prios = [r["priority"] for r in out["results"]]
    assert out["order"] == sorted(range(3), key=lambda i: -prios[i])
    assert out["order"][0] == 1 and out["results"][1]["urgency"]["label"] in ("critical", "high")


def test_tone_check_gives_reasons(server):
    out = post(server, "/v1/tone/check", {"text": "Como indican nuestras condiciones, no hacemos devoluciones.",
                                          "lang": "es", "context": {"needs_private": True}}).json()
    assert out["passed"] is False
    assert out["checks"]["non_defensive"]["passed"] is False
    assert "condiciones" in out["checks"]["non_defensive"]["reason"]
    assert out["checks"]["private_channel"] == {**out["checks"]["private_channel"], "passed": False,
                                                "applicable": True}
    good = post(server, "/v1/tone/check", {"text": "Gracias por avisarnos, Marta. Ya lo estamos revisando y te "
                                                   "escribimos hoy antes de las 18:00 con la solución."}).json()
    assert good["passed"] is True


@pytest.mark.parametrize("body,status,code", [
    ({"text": ""}, 422, "invalid_request"),
    ({"text": "   \n "}, 422, "invalid_request"),
    ({"text": "x" * 2001}, 422, "text_too_long"),
    ({"text": "hola", "k": 0}, 422, "invalid_request"),
    ({"text": "hola", "k": 11}, 422, "invalid_request"),
    ({"text": "hola", "k": "3"}, 422, "invalid_request"),
    ({"text": "hola", "created_at": 0}, 422, "invalid_request"),
    ({"text": "hola", "created_at": "ayer"}, 422, "invalid_request"),
    ({"text": "hola", "lang": "fr"}, 422, "invalid_request"),
    ({"text": "hola", "surprise": 1}, 422, "invalid_request"),
    ({"texto": "hola"}, 422, "invalid_request"),
    (["hola"], 422, "invalid_request"),
])
def test_bad_suggest_input_gets_a_clear_422(server, body, status, code):
    r = post(server, "/v1/suggest", body)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and err["message"]


def test_malformed_json_wrong_encoding_and_oversized_bodies(server):
    url = server.url + "/v1/suggest"
    headers = {"content-type": "application/json"}
    r = httpx.post(url, content=b'{"text": "hola"', headers=headers)
    assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_json")
    r = httpx.post(url, content='{"text": "canción"}'.encode("latin-1"), headers=headers)
    assert (r.status_code, r.json()["error"]["code"]) == (422, "bad_encoding")
    assert "UTF-8" in r.json()["error"]["message"]
    r = httpx.post(url, content=json.dumps({"text": "a" * 70_000}).encode(), headers=headers)
    assert (r.status_code, r.json()["error"]["code"]) == (413, "body_too_large")

    def chunks():  # no Content-Length: the limit must hold on the bytes actually received
        yield b'{"text": "'
        for _ in range(20):
            yield b"b" * 5000
        yield b'"}'
    r = httpx.post(url, content=chunks(), headers=headers)
    assert r.status_code == 413
    r = post(server, "/v1/prioritize", {"messages": [{"text": f"mensaje {i}"} for i in range(41)]})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "batch_too_large")
    assert post(server, "/v1/prioritize", {"messages": []}).status_code == 422
    # A lone surrogate is a valid JSON escape but not a character: refused, not a 500.
    r = httpx.post(url, content=b'{"text": "hola \\ud83d no llega"}', headers=headers)
    assert r.status_code == 422 and "unicode" in r.json()["error"]["message"]
    assert httpx.get(server.url + "/readyz").status_code == 200


def test_feedback_is_stored_and_exported_as_training_data(server, tmp_path):
    sug = post(server, "/v1/suggest", {"text": "no me ha llegado el pedido y ya pasaron 10 días"}).json()
    sid = sug["suggestions"][0]["id"]
    base = {"suggestion_id": sid, "message": {"text": "no me ha llegado el pedido y ya pasaron 10 días",
                                              "lang": "es", "brand": "tiendaya"},
            "model_version": sug["model_version"]}
    assert post(server, "/v1/feedback", {**base, "outcome": "accepted"}).status_code == 201
    r = post(server, "/v1/feedback", {**base, "outcome": "edited", "urgency": "high",
                                      "final_text": "Hola, gracias por avisar. Te escribo por MD ahora mismo."})
    assert r.status_code == 201
    assert post(server, "/v1/feedback", {**base, "outcome": "rejected"}).status_code == 201
    r = post(server, "/v1/feedback", {**base, "outcome": "edited"})
    assert r.status_code == 422 and "final_text" in r.json()["error"]["message"]
    out = tmp_path / "feedback.jsonl"
    done = subprocess.run([sys.executable, "-m", "cli.main", "feedback", "export", "--db", str(server.feedback_db),
                           "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    records, report = load_records(out)
    assert report.loaded == 3
    by_outcome = {json.loads(line)["feedback"]["outcome"]: json.loads(line) for line in out.read_text().splitlines()}
    assert by_outcome["edited"]["urgency"] == "high" and by_outcome["edited"]["urgency_source"] == "agent"
    assert by_outcome["edited"]["reply"].startswith("Hola, gracias por avisar")
    assert by_outcome["accepted"]["urgency"] == sug["urgency"]["label"]
    assert by_outcome["accepted"]["urgency_source"] == "model" and by_outcome["accepted"]["reply"]
    assert by_outcome["rejected"]["reply"] is None


def test_logs_are_json_with_request_ids_and_no_personal_data(server):
    r = post(server, "/v1/suggest", {"text": f"me escribís al {EMAIL} o al {PHONE}? no puedo entrar"},
             headers={"X-Request-ID": "req-pii-1"})
    assert r.status_code == 200 and r.headers["x-request-id"] == "req-pii-1"
    assert r.json()["context"]["pii"] is True
    raw = server.log.read_text(encoding="utf-8")
    assert EMAIL not in raw and "612 345 678" not in raw
    line = next(rec for rec in server.logs() if rec.get("request_id") == "req-pii-1")
    assert line["status"] == 200 and line["path"] == "/v1/suggest" and "[EMAIL]" in line["text"]


def test_metrics_count_requests_urgency_and_model(server, bundle_copy):
    version = json.loads((bundle_copy / "manifest.json").read_text())["model_version"]
    before = _metric(server, 'atiende_requests_total{endpoint="/v1/suggest",method="POST",status="200"}')
    for _ in range(3):
        post(server, "/v1/suggest", {"text": "no funciona la app desde esta mañana"})
    text = httpx.get(server.url + "/metrics").text
    assert _metric(server, 'atiende_requests_total{endpoint="/v1/suggest",method="POST",status="200"}') == before + 3
    assert f'atiende_model_info{{model_version="{version}"}} 1.0' in text
    assert "atiende_request_latency_seconds_bucket" in text and "atiende_urgency_total{label=" in text


def _metric(server, name: str) -> float:
    for line in httpx.get(server.url + "/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0
