"""The reply bank as built by training."""

import json
import subprocess
import sys

from model import tone
from model.bundle import verify_bundle
from tests.conftest import ROOT
from training.replies import load_templates, templatize


def test_templatize_removes_the_customer_and_the_agent():
    assert templatize("Tony, sorry about this; DM us your order number. ^Pau", "@tony") == \
        "{handle}, sorry about this; DM us your order number. ^{agent}"
    assert templatize("Gracias por avisar, @nuria_vlc. Lo revisamos hoy. - Marta", "@nuria_vlc") == \
        "Gracias por avisar, {handle}. Lo revisamos hoy. ^{agent}"
    assert templatize("Hi Kylie, thanks for chasing this.", None) == "Hi {handle}, thanks for chasing this."
    assert templatize("Uf, qué lío: te escribimos por DM hoy.", None) == "Uf, qué lío: te escribimos por DM hoy."
    # a past customer's name never reaches the next one, however the greeting is written
    assert templatize("¡Hola, Ana Clara! Gracias por escribirnos.", None) == "¡Hola, {handle}! Gracias por escribirnos."
    assert templatize("Thanks Daniel, and sorry the refund's late.", None) == "Thanks {handle}, and sorry the refund's late."
    assert templatize("Hello Mr. Iyer, thank you for asking.", None) == "Hello {handle}, thank you for asking."
    assert templatize("Thank you, Deepa, and sorry for the wait.", None) == "Thank you, {handle}, and sorry for the wait."
    assert templatize("Thanks Again, we fixed it.", None) == "Thanks Again, we fixed it."  # NOT_NAMES: not a name
    assert templatize("Thanks for getting in touch, Hannah, and sorry.", None) == \
        "Thanks for getting in touch, {handle}, and sorry."
    assert templatize("@tom_b Thanks for asking, Tom, no worries!", "@tom_b") == "{handle} Thanks for asking, no worries!"
    assert templatize("¡Ay, Laia, qué pesadez! Borra la caché.", None) == "¡Ay, {handle}, qué pesadez! Borra la caché."
    assert templatize("Thanks for flying to Lima, Cusco is next.", None) == "Thanks for flying to Lima, Cusco is next."


def test_every_bank_reply_passes_the_tone_checks_or_is_reported(trained):
    _, bundle = trained
    m = verify_bundle(bundle)
    entries = [json.loads(line) for line in (bundle / "replies.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(entries) == m.bank.size > 100
    for e in entries:
        sample = e["text"].replace("{handle}", "@cliente").replace("{agent}", "Ana")
        # channel-free here: a Facebook reply may be longer than a tweet (suggest checks the real channel)
        assert tone.check_reply(sample, tone.ToneContext(lang=e["lang"], channel="facebook")).passed, e["id"]
    report = json.loads((bundle / "bank_report.json").read_text(encoding="utf-8"))
    assert all(item["reason"] for item in report["left_out"])
    kept = {e["id"] for e in entries}
    templates = [t for t in load_templates() if t["kind"] == "reply"]
    left = {i["id"] for i in report["left_out"]}
    assert {t["id"] for t in templates} <= kept | left  # every template is in the bank or explained
    assert {"es", "en"} <= set(m.bank.phrases) and all(m.bank.phrases[lg]["dm_invite"] for lg in ("es", "en"))


def test_templates_file_passes_its_checker():
    out = subprocess.run([sys.executable, "data/templates/check_templates.py"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
