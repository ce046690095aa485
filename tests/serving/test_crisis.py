"""Crisis detection on generated streams (steady traffic, spikes), the monitor, the CLI and GET /v1/crisis."""

from __future__ import annotations

import datetime as dt
import json
import random

import httpx
import pytest
import typer
from typer.testing import CliRunner

from cli.crisis import crisis
from serving.crisis import CrisisConfig, CrisisMonitor, CrisisSettings, Event, analyse, detect
from tests.serving.conftest import API_KEY

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)
HOUR = dt.timedelta(hours=1)
KEYS = [("telecom::outage", "fibranorte"), ("bank::fraud", "bancoaltiplano"), ("airline::baggage", "aeroplata"),
        ("ecommerce::delivery_delay", None)]
SPIKE_KEY = KEYS[0]


def steady(seed: int, hours: float, negatives_per_hour: float = 2.0, others_per_hour: float = 30.0,
           keys=KEYS, start=T0) -> list[Event]:
    """Poisson-like traffic: each minute, each key gets a critical/high post with probability rate/60,
    plus normal and low posts on random keys."""
    rng = random.Random(seed)
    out = []
    for minute in range(int(hours * 60)):
        at = start + dt.timedelta(minutes=minute)
        for topic, brand in keys:
            if rng.random() < negatives_per_hour / 60:
                out.append(Event(at + dt.timedelta(seconds=rng.randrange(60)), rng.choice(["critical", "high"]),
                                 f"steady {topic} {minute}", topic, brand, topic.split("::")[0]))
        if rng.random() < others_per_hour / 60:
            topic, brand = rng.choice(keys)
            out.append(Event(at, rng.choice(["normal", "low"]), "question", topic, brand))
    return out


def spike(start: dt.datetime, n: int = 25, minutes: int = 20, key=SPIKE_KEY, seed: int = 1) -> list[Event]:
    rng = random.Random(seed)
    return [Event(start + dt.timedelta(seconds=rng.randrange(minutes * 60)), rng.choice(["critical", "critical", "high"]),
                  f"sin internet en todo el barrio ({i}), @fibranorte ¿qué pasa?", *key, "telecom", id=f"spike-{i}")
            for i in range(n)]


# -- the detector ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
def test_steady_traffic_raises_no_alert(seed):
    events = steady(seed, hours=8)
    assert sum(e.label in ("critical", "high") for e in events) > 40
    assert detect(events, CrisisConfig()) == []


def test_a_spike_alerts_within_one_window_with_topic_counts_time_and_examples():
    start = T0 + 6 * HOUR
    events = steady(3, hours=8) + spike(start)
    (alert,) = detect(events, CrisisConfig(), now=start + dt.timedelta(minutes=20))
    assert (alert.topic, alert.brand, alert.industry) == (*SPIKE_KEY, "telecom")
    assert start <= alert.raised_at <= start + HOUR
    assert alert.raised_at - start < dt.timedelta(minutes=15)  # well within the window: minutes, not an hour
    first_spike = min(e.at for e in spike(start))
    assert first_spike - dt.timedelta(minutes=5) <= alert.first_seen <= alert.raised_at  # the spike's start
    out = alert.to_dict()
    assert out["active"] is True
    assert out["counts"]["window"] >= out["counts"]["threshold"] >= 10
    assert out["counts"]["peak"] >= 25 and out["counts"]["baseline"] < 4
    assert set(out["counts"]["by_label"]) <= {"critical", "high"}
    assert len(out["examples"]) == 3 and all("fibranorte" in x["text"] for x in out["examples"])
    assert [x["label"] for x in out["examples"]] == ["critical"] * 3  # the worst first
    # Three quiet hours later the alert is history.
    (later,) = detect(events, CrisisConfig(), now=start + 4 * HOUR)
    assert later.active is False and later.raised_at == alert.raised_at


def test_busy_topic_needs_factor_times_its_baseline():
    cfg = CrisisConfig(prior=10)  # a prior at its usual level: the first hour is no special case
    base = steady(5, hours=8, negatives_per_hour=8, keys=[SPIKE_KEY])
    assert detect(base, cfg) == []
    bump = spike(T0 + 6 * HOUR, n=10, minutes=60)  # 8 -> 18 an hour: more than usual, not 3x
    assert detect(base + bump, cfg) == []
    (alert,) = detect(base + spike(T0 + 6 * HOUR, n=40, minutes=30), cfg)
    assert alert.baseline > 5 and alert.count > 3 * alert.baseline


def test_min_count_floor_and_cold_start_prior():
    quiet = steady(2, hours=4, negatives_per_hour=0, keys=[SPIKE_KEY])
    small = spike(T0 + 3 * HOUR, n=6, minutes=10)
    assert detect(quiet + small, CrisisConfig()) == []  # 6 against a baseline of 0: under the floor of 10
    assert len(detect(quiet + small, CrisisConfig(min_count=5))) == 1
    # At the very start there is no history: the baseline is the prior (3), the threshold 3 x 3 + 1.
    assert detect(spike(T0, n=9, minutes=10), CrisisConfig(min_count=5)) == []
    assert len(detect(spike(T0, n=12, minutes=10), CrisisConfig(min_count=5))) == 1


def test_a_crisis_flaring_again_within_a_window_is_one_alert():
    events = spike(T0 + 3 * HOUR, n=15, minutes=10) + spike(T0 + 3 * HOUR + dt.timedelta(minutes=50), n=15,
                                                              minutes=10, seed=2)
    (alert,) = detect(steady(4, hours=5, negatives_per_hour=0, keys=[SPIKE_KEY]) + events, CrisisConfig())
    assert len(alert.events) == 30
    apart = spike(T0 + 3 * HOUR, n=15, minutes=10) + spike(T0 + 6 * HOUR, n=15, minutes=10, seed=2)
    assert len(detect(steady(4, hours=7, negatives_per_hour=0, keys=[SPIKE_KEY]) + apart, CrisisConfig())) == 2


def test_examples_mask_personal_data():
    leak = [Event(T0 + dt.timedelta(minutes=i), "critical", f"me han cobrado dos veces, mi correo es ana.{i}@gmail.com",
                  *SPIKE_KEY) for i in range(12)]
    (alert,) = detect(leak, CrisisConfig())
    assert all("@gmail.com" not in x["text"] and "[EMAIL]" in x["text"] for x in alert.to_dict()["examples"])


def test_config_errors_name_the_setting(monkeypatch):
    with pytest.raises(ValueError, match="factor"):
        CrisisConfig(factor=1.0)
    with pytest.raises(ValueError, match=r"unknown urgency labels \['urgent'\]"):
        CrisisConfig(labels=("critical", "urgent"))
    monkeypatch.setenv("ATIENDE_CRISIS_WINDOW_MINUTES", "30")
    monkeypatch.setenv("ATIENDE_CRISIS_LABELS", '["critical"]')
    cfg = CrisisSettings().config()
    assert cfg.window_minutes == 30 and cfg.labels == ("critical",) and cfg.factor == 3.0


# -- the monitor ----------------------------------------------------------------------------------------
def feed(monitor: CrisisMonitor, events: list[Event]) -> dt.datetime | None:
    """Observe ``events`` in time order as if they arrived live; when the first active alert shows."""
    first_alert = None
    for e in sorted(events, key=lambda e: e.at):
        monitor.observe(e.text, e.label, topic=e.topic, industry=e.industry, brand=e.brand, created_at=e.at,
                        message_id=e.id, now=e.at)
        if first_alert is None and e.label in ("critical", "high") and monitor.report(now=e.at)["active"]:
            first_alert = e.at
    return first_alert


def test_monitor_alerts_on_a_live_spike_and_not_on_steady_traffic():
    calm = CrisisMonitor()
    assert feed(calm, steady(7, hours=6)) is None
    report = calm.report(now=T0 + 6 * HOUR)
    assert report["alerts"] == [] and report["warming_up"] is False and report["observed"] > 150
    live = CrisisMonitor()
    start = T0 + 5 * HOUR
    raised = feed(live, steady(7, hours=6) + spike(start))
    assert raised is not None and start <= raised <= start + HOUR
    (alert,) = live.report(now=start + dt.timedelta(minutes=30))["alerts"]
    assert alert["topic"] == "telecom::outage" and alert["brand"] == "fibranorte" and alert["active"]
    assert len(alert["examples"]) == 3


def test_monitor_counts_a_message_once_and_forgets_old_ones():
    m = CrisisMonitor(CrisisConfig(window_minutes=10, baseline_windows=2))
    now = T0
    assert m.observe("robo de cuenta", "critical", message_id="a", now=now)
    assert not m.observe("robo de cuenta", "critical", message_id="a", now=now)  # prioritized, then opened
    assert m.observe("robo de cuenta", "critical", message_id="b", now=now)
    assert m.observe("anon", "high", now=now) and m.observe("anon", "high", now=now)  # no id, no time: counted
    assert not m.observe("gracias", "low", message_id="c", now=now)
    assert m.report(now=now)["negatives"] == 4 and m.observed == 6
    ahead = m.observe("x", "critical", message_id="d", created_at=now + HOUR, now=now)
    assert ahead and max(e.at for _, _, e in m._events) == now  # a clock ahead of ours is clamped
    assert m.report(now=now + dt.timedelta(minutes=31))["negatives"] == 0  # past 3 windows of 10 minutes


def test_monitor_keeps_at_most_max_events():
    m = CrisisMonitor(CrisisConfig(max_events=10))
    for i in range(25):
        m.observe(f"msg {i}", "critical", message_id=str(i), now=T0)
    assert m.report(now=T0)["negatives"] == 10
    assert m.observe("msg 0", "critical", message_id="0", now=T0)  # forgotten, so new again


# -- the model side: analyse and the CLI ----------------------------------------------------------------
BANK = "bancocafetal"  # a bank brand the small test bundle knows: topics narrow to bank::*
CALM = ["gracias por el servicio de ayer, todo perfecto", "what time does the Oxford Street store open on Sunday?",
        "¿A qué hora abre la tienda de Gran Vía el domingo?", "love the new app design!"]
TEXTS = [("me han robado la cuenta y están comprando con mi tarjeta, bloqueadla ya", BANK),
         ("my flight was cancelled and I'm stuck at the gate with two kids", None),
         ("sin internet en todo el barrio desde esta mañana", "fibranorte"),
         ("thanks for the quick fix yesterday, all good now!", None)]


def test_analyse_agrees_with_suggest(trained):
    from model.suggest import SuggestInput, Suggester

    sug = Suggester(trained[1], cache_size=0)
    found = analyse(sug, [t for t, _ in TEXTS], [b for _, b in TEXTS], batch_size=3)
    for (text, brand), a in zip(TEXTS, found, strict=True):
        out = sug.suggest(SuggestInput(text, brand=brand, k=1))
        assert (a.label, a.topic, a.industry, a.angry) == (out["urgency"]["label"], out["context"]["topic"],
                                                           out["context"]["industry"], out["context"]["angry"])
    given = analyse(sug, [t for t, _ in TEXTS], [b for _, b in TEXTS], labels=["low"] * 4)
    assert [a.label for a in given] == ["low"] * 4 and [a.topic for a in given] == [a.topic for a in found]
    with pytest.raises(ValueError, match="4 texts but 1 brands"):
        analyse(sug, [t for t, _ in TEXTS], [None])


def write_backlog(path, rows) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def run_cli(*args: str):
    app = typer.Typer()
    app.command()(crisis)
    return CliRunner().invoke(app, list(args))


def test_cli_finds_the_spike_in_a_backlog(trained, tmp_path):
    from model.suggest import Suggester

    sug = Suggester(trained[1], cache_size=0)
    bad = "me han robado la cuenta y están comprando con mi tarjeta, bloqueadla ya"
    assert analyse(sug, [bad])[0].label in ("critical", "high")
    calm = [{"id": f"c{i}", "text": t, "brand": "aeroplata" if i % 2 else BANK,
             "created_at": (T0 + dt.timedelta(minutes=7 * i)).isoformat()} for i, t in enumerate(CALM * 12)]
    start = T0 + 6 * HOUR
    burst = [{"id": f"s{i}", "text": bad, "brand": "@BancoCafetal", "author_handle": f"@user{i}",
              "created_at": (start + dt.timedelta(minutes=i)).isoformat()} for i in range(14)]
    write_backlog(tmp_path / "calm.jsonl", calm)
    write_backlog(tmp_path / "spike.jsonl", calm + burst + [{"id": "x", "text": "sin hora"}])

    quiet = run_cli("--input", str(tmp_path / "calm.jsonl"), "--bundle", str(trained[1]))
    assert quiet.exit_code == 0, quiet.output
    assert json.loads(quiet.stdout)["alerts"] == []
    res = run_cli("--input", str(tmp_path / "spike.jsonl"), "--bundle", str(trained[1]), "--examples", "2")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["messages"] == len(calm) + len(burst) + 1 and out["without_time"] == 1
    (alert,) = out["alerts"]
    assert alert["brand"] == BANK and alert["topic"].startswith("bank::") and alert["industry"] == "bank"
    assert start.isoformat() <= alert["raised_at"] <= (start + HOUR).isoformat()
    assert alert["counts"]["messages"] >= 10 and len(alert["examples"]) == 2


def test_cli_errors_say_what_to_fix(trained, tmp_path):
    write_backlog(tmp_path / "untimed.jsonl", [{"id": "1", "text": "hola"}])
    res = run_cli("--input", str(tmp_path / "untimed.jsonl"), "--bundle", str(trained[1]))
    assert res.exit_code == 2 and "has a created_at" in res.output
    res = run_cli("--input", str(tmp_path / "untimed.jsonl"), "--factor", "0.5")
    assert res.exit_code == 2 and "--factor: Input should be greater than 1 (got 0.5)" in res.output
    res = run_cli("--input", str(tmp_path / "missing.jsonl"))
    assert res.exit_code == 2 and "no file at" in res.output


# -- the HTTP side ----------------------------------------------------------------------------------------
def test_crisis_endpoint_sees_what_the_api_triaged(inbox_server):
    url = inbox_server.url
    bad = "me han robado la cuenta y están comprando con mi tarjeta, bloqueadla ya"
    msgs = [{"id": f"p{i}", "text": bad, "brand": BANK} for i in range(12)]
    msgs.append({"id": "ok", "text": CALM[0]})
    r = httpx.post(url + "/v1/prioritize", json={"messages": msgs}, timeout=30)
    assert r.status_code == 200, r.text
    report = httpx.get(url + "/v1/crisis").json()
    assert report["observed"] == 13 and report["negatives"] == 12 and report["active"] == report["total"] == 1
    (alert,) = report["alerts"]
    assert alert["brand"] == BANK and alert["topic"].startswith("bank::")
    assert alert["counts"]["window"] >= 10 and len(alert["examples"]) == 3
    # Opening one of them for suggestions does not count it twice.
    assert httpx.post(url + "/v1/suggest", json={**msgs[0], "k": 1}, timeout=30).status_code == 200
    assert httpx.get(url + "/v1/crisis").json()["negatives"] == 12
    bad_limit = httpx.get(url + "/v1/crisis", params={"limit": 0})
    assert bad_limit.status_code == 422 and bad_limit.json()["error"]["code"] == "invalid_request"


def test_page_is_open_and_crisis_needs_the_key(keyed_inbox_server):
    url = keyed_inbox_server.url
    page = httpx.get(url + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    js, css = httpx.get(url + "/static/inbox.js"), httpx.get(url + "/static/inbox.css")
    assert js.headers["content-type"].startswith("text/javascript") and css.headers["content-type"].startswith("text/css")
    assert 'src="/static/inbox.js"' in page.text
    assert all("://" not in body for body in (page.text, js.text, css.text))  # nothing fetched from elsewhere
    assert httpx.get(url + "/static/..%2Fcrisis.py").status_code == 404
    denied = httpx.get(url + "/v1/crisis")
    assert denied.status_code == 401 and denied.json()["error"]["code"] == "unauthorized"
    assert httpx.get(url + "/v1/crisis", headers={"X-API-Key": "wrong"}).status_code == 401
    assert httpx.get(url + "/v1/crisis", headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200
    assert "/v1/crisis" in httpx.get(url + "/openapi.json").json()["paths"]
