import json
import subprocess
import sys

from tests.conftest import ROOT


def atiende(*args, env_home=None):
    import os

    env = {**os.environ, "ATIENDE_HOME": str(env_home)} if env_home else None
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, env=env)


def test_suggest_prints_the_api_json(trained):
    _, bundle = trained
    out = atiende("suggest", "se cortó la luz en todo el barrio y hay un cable chispeando", "--bundle", str(bundle),
                  "--k", "2", "--handle", "@vecina", "--agent", "Lu")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert set(body) == {"urgency", "priority", "sla", "suggestions", "model_version", "context", "fallback"}
    assert 1 <= len(body["suggestions"]) <= 2
    assert all("@vecina" in s["text"] and all(s["tone"].values()) for s in body["suggestions"])
    assert body["urgency"]["label"] in body["urgency"]["probabilities"]
    assert body["sla"]["minutes"] in (15, 30, 60, 1440)


def test_suggest_refuses_empty_text_and_missing_bundle(tmp_path):
    out = atiende("suggest", "   ", "--bundle", str(tmp_path))
    assert out.returncode == 2 and "text is empty" in out.stderr
    out = atiende("suggest", "hola", "--bundle", str(tmp_path))
    assert out.returncode == 2 and "no manifest.json" in out.stderr


def test_evaluate_writes_a_report(trained, small_data, tmp_path):
    _, bundle = trained
    out = atiende("evaluate", "--bundle", str(bundle), "--data", str(small_data), "--report", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "| all | 120 |" in out.stdout
    assert (tmp_path / "report.md").is_file() and (tmp_path / "reliability.png").is_file()


def test_bank_rebuilds_without_retraining(trained, tmp_path):
    _, bundle = trained
    out = atiende("bank", "--bundle", str(bundle), "--out", str(tmp_path / "b"))
    assert out.returncode == 0, out.stderr
    assert "bank of" in out.stdout and (tmp_path / "b" / "replies.jsonl").is_file()
