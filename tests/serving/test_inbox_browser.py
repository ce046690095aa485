"""The inbox page in Debian's Chromium (Playwright, headless) against a real uvicorn.

Needs ``/usr/bin/chromium`` (``apt-get install -y chromium``) and the ``playwright`` package; no
browser is ever downloaded. Skipped, saying why, when either is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.serving.conftest import API_KEY

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: "
                                                             ".venv/bin/pip install -c constraints.txt playwright")
if not CHROMIUM.is_file():
    pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium", allow_module_level=True)
expect = sync_api.expect

ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
CRITICAL = "me han robado la cuenta y están comprando con mi tarjeta, bloqueadla ya"
CALM = ["gracias por el servicio de ayer, todo perfecto", "what time does the Oxford Street store open on Sunday?",
        "love the new app design!"]
BANK = "bancocafetal"  # a bank brand the small test bundle knows
DEFENSIVE = " Como indican nuestras condiciones, no hacemos devoluciones."


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


def new_page(browser, url: str, locale: str = "es-ES"):
    ctx = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=true]")
    return ctx, page, errors


def test_inbox_from_paste_to_feedback_and_crisis_banner(browser, inbox_server, tmp_path):
    url = inbox_server.url
    ctx, page, errors = new_page(browser, url)
    try:
        # Spanish from the browser's language.
        expect(page.locator("#triage")).to_have_text("Priorizar")
        expect(page.locator("#crisis-banner")).to_be_hidden()

        # Paste messages (es and en, one critical): ordered by priority, with badges and SLA countdowns.
        page.fill("#paste", "\n".join([CALM[0], CRITICAL, CALM[1], CALM[2]]))
        page.click("#triage")
        rows = page.locator("#queue tbody tr")
        expect(rows).to_have_count(4)
        prios = [float(p) for p in rows.evaluate_all("rs => rs.map(r => r.dataset.priority)")]
        assert prios == sorted(prios, reverse=True)
        first = rows.first
        assert CRITICAL in first.inner_text() and first.get_attribute("data-label") in ("critical", "high")
        expect(first.locator(".badge")).to_have_text(re.compile("^(Crítica|Alta)$"))
        assert rows.locator(".badge").count() == 4
        sla = first.locator(".sla")
        before = sla.inner_text()
        assert re.fullmatch(r"\d\d:\d\d|\d+ h \d\d min", before), before
        expect(sla).not_to_have_text(before, timeout=3000)  # it counts down

        # A JSONL backlog, with one broken line.
        backlog = tmp_path / "backlog.jsonl"
        backlog.write_text(json.dumps({"id": "b1", "text": "Sin luz en toda la calle desde las 8", "lang": "es",
                                       "author_handle": "@vecina", "created_at": "2026-11-24T08:05:00+01:00"},
                                      ensure_ascii=False) + "\nnot json\n", encoding="utf-8")
        page.set_input_files("#file", str(backlog))
        expect(rows).to_have_count(5)
        expect(page.locator("#load-status")).to_contain_text("1 líneas omitidas")
        expect(page.locator('#queue tbody tr[data-id="b1"]')).to_contain_text("@vecina")

        # Open the critical one: suggestions with their tone flags, the first one in the editor.
        page.locator("#queue tbody tr", has_text=CRITICAL).click()
        suggestions = page.locator("#suggestions > li")
        expect(suggestions.first).to_be_visible()
        assert suggestions.first.locator(".flags li").count() == 7
        assert suggestions.first.locator(".flags li.pass").count() == 7
        tone = page.locator('#tone li[data-check="non_defensive"]')
        expect(tone).to_have_attribute("data-passed", "true")
        suggestion_text = page.input_value("#editor")
        assert suggestion_text == suggestions.first.locator("p").inner_text()

        # Edit it: the tone check follows the typing and non_defensive flips to failing.
        page.locator("#editor").press("End")
        page.locator("#editor").press_sequentially(DEFENSIVE, delay=5)
        expect(tone).to_have_attribute("data-passed", "false")
        expect(tone).to_contain_text("condiciones")
        final_text = page.input_value("#editor")
        assert final_text == suggestion_text + DEFENSIVE

        # Copy: the clipboard may be off limits headless; the page must say which happened.
        page.click("#copy")
        status = page.locator("#copy-status")
        expect(status).to_have_text(re.compile("Copiado al portapapeles|No se pudo copiar"))
        if status.get_attribute("data-ok") == "true":
            assert page.evaluate("navigator.clipboard.readText()") == final_text

        # Feedback: edited, stored by the server.
        page.click('[data-outcome="edited"]')
        expect(page.locator("#feedback-status")).to_have_text(re.compile(r"Guardado \(#\d+\)"))
        metrics = httpx.get(url + "/metrics").text
        assert 'atiende_feedback_total{outcome="edited"} 1.0' in metrics
        with sqlite3.connect(inbox_server.feedback_db) as db:
            ((outcome, final, message, sid),) = db.execute(
                "SELECT outcome, final_text, message, suggestion_id FROM feedback").fetchall()
        assert outcome == "edited" and final == final_text and json.loads(message)["text"] == CRITICAL and sid

        # English: every label switches.
        page.click('[data-lang="en"]')
        expect(page.locator("#triage")).to_have_text("Prioritize")
        expect(tone.locator("strong")).to_have_text("✗ Non-defensive")
        expect(page.locator('[data-outcome="edited"]')).to_have_text("Edited")
        expect(page.locator("#feedback-status")).to_have_text(re.compile(r"Saved \(#\d+\)"))  # status lines too

        # A spike about one brand: the crisis banner shows it.
        page.fill("#brand", BANK)
        page.fill("#paste", "\n".join([CRITICAL] * 12))
        page.click("#triage")
        expect(rows).to_have_count(17)
        alert = page.locator("#crisis-banner .alert.active")
        expect(alert).to_be_visible()
        expect(alert).to_have_attribute("data-brand", BANK)
        expect(alert).to_contain_text("Possible crisis")
        expect(alert).to_contain_text("@" + BANK)
        assert alert.get_attribute("data-topic").startswith("bank::")
        assert int(alert.get_attribute("data-count")) >= 10

        shot = tmp_path / "inbox.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 30_000
        if os.environ.get("ATIENDE_SCREENSHOTS"):  # CI may keep it as an artifact
            Path(os.environ["ATIENDE_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(os.environ["ATIENDE_SCREENSHOTS"]) / "inbox.png")
        assert errors == []
    finally:
        ctx.close()


def test_page_asks_for_the_api_key_and_keeps_it_in_the_tab(browser, keyed_inbox_server):
    ctx, page, errors = new_page(browser, keyed_inbox_server.url, locale="en-GB")
    try:
        expect(page.locator("#triage")).to_have_text("Prioritize")
        dialog = page.locator("#key-dialog")
        expect(dialog).to_be_visible()  # the crisis poll got a 401
        page.fill("#key-input", "wrong")
        page.press("#key-input", "Enter")
        expect(dialog).to_be_hidden()
        page.fill("#paste", CRITICAL)
        page.click("#triage")
        expect(dialog).to_be_visible()  # the wrong key got a 401 in turn
        page.fill("#key-input", API_KEY)
        page.press("#key-input", "Enter")
        expect(page.locator("#queue tbody tr")).to_have_count(1)
        assert page.evaluate("sessionStorage.getItem('atiende.apiKey')") == API_KEY
        assert [e for e in errors if "page error" in e] == []
    finally:
        ctx.close()
