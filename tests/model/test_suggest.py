"""Reply suggestions end to end on the small trained bundle (real ONNX models and bank)."""

import datetime as dt
import re

import numpy as np
import pytest

from model import tone
from model.bank import Lexical
from model.compose import (ReplyContext, fill, hours_phrase, insert_before_signature, same_register_first,
                           speaks_usted, without_one_sentence)
from model.bank import word_trigrams
from model.suggest import SuggestInput, Suggester, _jaccard

MADRID_NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
MADRID_NIGHT = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(scope="module")
def sug(trained):
    return Suggester(trained[1])


def test_result_has_the_design_contract(sug):
    out = sug.suggest(SuggestInput("llevo dos días sin internet y trabajo desde casa", handle="@marta", k=2,
                                   created_at=MADRID_NOON))
    assert set(out) >= {"urgency", "priority", "sla", "suggestions", "model_version"}
    assert out["urgency"]["label"] in out["urgency"]["probabilities"]
    assert 1 <= len(out["suggestions"]) <= 2
    for s in out["suggestions"]:
        assert set(s) >= {"id", "text", "score", "tone"}
        assert set(s["tone"]) == set(tone.CHECKS) and all(s["tone"].values())
        assert "{" not in s["text"] and "@marta" in s["text"]


@pytest.mark.parametrize("text,lang", [
    ("me cobraron dos veces la factura de este mes, ¿me lo devolvéis?", "es"),
    ("you charged me twice on this month's bill, can I get a refund?", "en"),
])
def test_replies_come_in_the_message_language(sug, text, lang):
    out = sug.suggest(SuggestInput(text, k=3, created_at=MADRID_NOON))
    by_id = {e.id: e for e in sug.bank.entries}
    assert out["suggestions"] and all(by_id[s["id"]].lang == lang for s in out["suggestions"])


def test_exposed_personal_data_moves_to_private_and_asks_to_delete(sug):
    out = sug.suggest(SuggestInput("no me llega el reembolso, mi tarjeta es 4111 1111 1111 1111 y mi email ana.r@gmail.com",
                                   lang="es", handle="@ana", k=3, created_at=MADRID_NOON))
    assert out["context"]["pii"] and out["context"]["private_channel"]
    for s in out["suggestions"]:
        assert tone.invites_private(s["text"], "es") and tone.asks_to_delete(s["text"], "es")


@pytest.mark.parametrize("text,lang", [
    ("Me suspendieron la cuenta y siempre pago. Mi cédula 52.871.440 y el correo paola.r@yahoo.com, "
     "vivo en Calle Ribera de Curtidores 14, 3ºB. RESPONDAN YA", "es"),
    ("you locked my account and I always pay!! card 4111 1111 1111 1111, I live at 418 Birch Ln, Apt 3. "
     "answer me NOW", "en"),
])
def test_personal_data_at_night_on_a_tweet_still_gets_a_compliant_reply(sug, text, lang):
    """Two added sentences (delete the post, when we are back) leave little room in 280
    characters: when no retrieved reply fits, the shortest templates still give one."""
    out = sug.suggest(SuggestInput(text, lang=lang, handle="@cliente", channel="twitter", k=3,
                                   created_at=MADRID_NIGHT))
    assert out["context"]["pii"] and out["context"]["outside_hours"]
    assert out["suggestions"], "an agent must always get a reply to start from"
    for s in out["suggestions"]:
        assert len(s["text"]) <= 280 and all(s["tone"].values())
        assert tone.asks_to_delete(s["text"], lang) and tone.states_hours(s["text"], lang)


def test_context_sentences_follow_the_replys_register():
    options = ["Por favor, borra esta publicación con tus datos y pásanoslos por DM.",
               "Por su seguridad, borre esta publicación, que muestra sus datos, y envíenoslos por DM."]
    usted = "Le agradecemos el aviso. Envíenos un mensaje privado con la fecha y el importe. ^Lu"
    tu = "Gracias por avisar. Mándanos un DM con la fecha y el importe. ^Lu"
    assert same_register_first(usted, options, "es") == options[::-1]
    assert same_register_first(tu, options, "es") == options
    assert same_register_first(usted, options, "en") == options
    assert speaks_usted(usted) and not speaks_usted(tu)


def test_without_one_sentence_keeps_the_greeting_and_the_signature():
    reply = "Gracias, @ana. Lo sentimos mucho. Ya lo hemos escalado al equipo técnico. Te escribimos hoy. ^Lu"
    cuts = without_one_sentence(reply)
    assert cuts == ["Gracias, @ana. Ya lo hemos escalado al equipo técnico. Te escribimos hoy. ^Lu",
                    "Gracias, @ana. Lo sentimos mucho. Ya lo hemos escalado al equipo técnico. ^Lu",
                    "Gracias, @ana. Lo sentimos mucho. Te escribimos hoy. ^Lu"]
    assert without_one_sentence("Thanks, @bo! We're on it. ^Lu") == ["Thanks, @bo! ^Lu"]
    assert without_one_sentence("Thanks, @bo, we're on it. ^Lu") == []
    # unsigned (no agent given): the last sentence may go too, so the bound on the template holds
    assert without_one_sentence("Gracias, @ana. Lo vemos hoy. Te escribimos.") == \
        ["Gracias, @ana. Te escribimos.", "Gracias, @ana. Lo vemos hoy."]
    assert without_one_sentence("Gracias, @ana. Lo vemos hoy. ^{agent}") == ["Gracias, @ana. ^{agent}"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_long_reply_that_overflows_a_tweet_is_shortened_not_dropped(sug, lang):
    """Asking to delete the post and saying when we are back take ~150 of a tweet's 280
    characters: a long past reply loses an inner sentence rather than the whole suggestion."""
    ctx = ReplyContext(lang=lang, channel="twitter", handle="@cliente", agent="Ana", needs_private=True, pii=True,
                       outside_hours=True, back_at=MADRID_NIGHT + dt.timedelta(hours=9), now=MADRID_NIGHT)
    long_ones = [e for e in sug.bank.entries if e.lang == lang and e.source == "pair"
                 and len(without_one_sentence(fill(e.text, ctx))) >= 2 and len(fill(e.text, ctx)) > 200
                 and not tone.asks_to_delete(e.text, lang) and not tone.states_hours(e.text, lang)]
    assert long_ones, "the small bank has long multi-sentence replies"
    shortened = 0
    for e in long_ones[:20]:
        body = fill(e.text, ctx)
        needs = sug._needs(body, ctx)
        assert needs == ["pii_delete", "hours_notice"]
        assert sug._with_context(body, ctx, needs, sug._phrases(needs, ctx, "x", {}), 280) is None  # cannot fit
        for text in sug._compose(e, ctx, "x", {}):
            assert len(text) <= 280 and text.startswith(re.split(r"(?<=[.!?…])\s+", body)[0])
            assert tone.asks_to_delete(text, lang) and tone.states_hours(text, lang)
            shortened += 1
    assert shortened > 0


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_length_bound_never_rules_out_a_reply_that_fits(sug, lang):
    """_can_fit skips, without composing, replies too long for a tweet with the sentences the
    context adds: a lower bound, so every reply it rules out must indeed fail to compose."""
    for handle, agent in (("@cliente", "Ana"), (None, None)):
        ctx = ReplyContext(lang=lang, channel="twitter", handle=handle, agent=agent, needs_private=True, pii=True,
                           outside_hours=True, back_at=MADRID_NIGHT + dt.timedelta(hours=9), now=MADRID_NIGHT)
        idx = np.array([i for i, e in enumerate(sug.bank.entries) if e.lang == lang], dtype=np.int64)
        phrases: dict = {}
        fits = sug._can_fit(idx, ctx, "x", phrases)
        assert 0 < fits.sum() < len(idx)
        for i in idx[~fits]:
            assert next(sug._compose(sug.bank.entries[i], ctx, "x", phrases), None) is None, sug.bank.entries[i].id


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_last_resort_gives_short_compliant_templates(sug, lang):
    ctx = ReplyContext(lang=lang, channel="twitter", handle="@cliente", agent="Ana", needs_private=True, pii=True,
                       outside_hours=True, back_at=MADRID_NIGHT + dt.timedelta(hours=9), now=MADRID_NIGHT)
    text = "mi correo es cliente@example.com y no puedo entrar a la cuenta"
    picked = sug._last_resort(lang, None, "critical", True, ctx, SuggestInput(text, lang=lang, k=2), [])
    assert len(picked) == 2
    for s in picked:
        assert s["id"].startswith(f"tpl-{lang}-any-") and len(s["text"]) <= 280 and all(s["tone"].values())


def test_outside_hours_says_when_the_team_is_back(sug):
    out = sug.suggest(SuggestInput("hola, ¿cómo cambio mi tarifa a una con más datos?", lang="es", k=3,
                                   created_at=MADRID_NIGHT))
    assert out["context"]["outside_hours"]
    assert all(tone.states_hours(s["text"], "es") for s in out["suggestions"])
    inside = sug.suggest(SuggestInput("hola, ¿cómo cambio mi tarifa a una con más datos?", lang="es", k=3,
                                      created_at=MADRID_NOON))
    assert not inside["context"]["outside_hours"]
    assert not any("a partir de las" in s["text"] for s in inside["suggestions"])


def test_unrelated_text_falls_back_to_a_template_and_says_so(sug):
    out = sug.suggest(SuggestInput("the mitochondria is the powerhouse of the cell", k=2, created_at=MADRID_NOON))
    assert out["fallback"] and out["note"]
    by_id = {e.id: e for e in sug.bank.entries}
    assert out["suggestions"] and all(by_id[s["id"]].source == "template" for s in out["suggestions"])


def test_a_fallback_draws_on_every_template_of_the_brands_industry(sug):
    """Nothing retrieved fits, so the templates compete on topic and urgency fit alone: any of the
    industry's templates may win, not only those that happened to be retrieved by similarity."""
    brand, industry = next(iter(sug.bank.spec.brands.items()))
    out = sug.suggest(SuggestInput("the mitochondria is the powerhouse of the cell", k=3, created_at=MADRID_NOON,
                                   brand=brand))
    assert out["fallback"]
    by_id = {e.id: e for e in sug.bank.entries}
    picked = [by_id[s["id"]] for s in out["suggestions"]]
    assert picked and all(e.source == "template" and e.industry in (industry, "any") for e in picked)
    assert [s["score"] for s in out["suggestions"]] == sorted((s["score"] for s in out["suggestions"]), reverse=True)
    assert all(0.0 <= s["similarity"] < sug.bank.spec.min_similarity for s in out["suggestions"])


def test_suggestions_are_diverse_and_ordered(sug):
    out = sug.suggest(SuggestInput("my parcel never arrived and the tracking hasn't moved in a week", k=5,
                                   created_at=MADRID_NOON))
    texts = [s["text"] for s in out["suggestions"]]
    grams = [word_trigrams(t) for t in texts]
    assert all(_jaccard(a, b) < 0.5 for i, a in enumerate(grams) for b in grams[i + 1:])
    assert len(texts) >= 2 and len(set(texts)) == len(texts)


def test_a_known_brand_narrows_the_bank_to_its_industry(sug):
    brand, industry = next(iter(sug.bank.spec.brands.items()))
    out = sug.suggest(SuggestInput("no funciona nada desde ayer, ¿qué pasa?", brand="@" + brand, k=3,
                                   created_at=MADRID_NOON))
    by_id = {e.id: e for e in sug.bank.entries}
    assert out["context"]["industry"] == industry
    assert all(by_id[s["id"]].industry in (industry, "any") for s in out["suggestions"])


def test_a_post_addressed_to_a_known_brand_is_answered_for_its_industry(sug):
    brands = sug.bank.spec.brands
    brand, industry = next(iter(brands.items()))
    other = next(b for b, ind in brands.items() if ind != industry)
    out = sug.suggest(SuggestInput(f"@{brand.upper()} no funciona nada desde ayer, ¿qué pasa?", k=3,
                                   created_at=MADRID_NOON))
    by_id = {e.id: e for e in sug.bank.entries}
    assert out["context"]["industry"] == industry
    assert all(by_id[s["id"]].industry in (industry, "any") for s in out["suggestions"])
    # two brands of different industries: no guess; an explicit brand wins over the mention
    assert sug._industry(SuggestInput(f"@{brand} y @{other}, ninguno me contesta")) is None
    assert sug._industry(SuggestInput(f"@{brand} hola", brand="@" + other)) == brands[other]
    assert sug._industry(SuggestInput("@nadie_conocido hola")) is None
    # an e-mail address at the brand's name is not a mention of it
    assert sug._industry(SuggestInput(f"escribí a ana@{brand} y nada")) is None


def test_a_critical_message_never_gets_a_low_urgency_reply(sug):
    out = sug.suggest(SuggestInput("huele muchísimo a gas en el portal y hay niños, ¿a quién llamo?", k=5,
                                   created_at=MADRID_NOON))
    by_id = {e.id: e for e in sug.bank.entries}
    if out["urgency"]["label"] in ("critical", "high"):
        assert all(by_id[s["id"]].urgency != "low" for s in out["suggestions"])
    assert out["context"]["private_channel"] == (out["urgency"]["label"] in ("critical", "high")
                                                 or out["context"]["angry"] or out["context"]["pii"])


def test_fill_and_hours_phrase():
    ctx = ReplyContext(lang="es", handle=None, agent=None)
    assert fill("{handle} ¡gracias por escribir! Lo vemos hoy. ^{agent}", ctx) == "¡Gracias por escribir! Lo vemos hoy."
    # a handle in mid-sentence leaves no stray comma behind
    assert fill("Thanks for sharing, {handle}! We fix it today.", ctx) == "Thanks for sharing! We fix it today."
    assert fill("Awful timing, {handle}, and thanks. DM us.", ctx) == "Awful timing, and thanks. DM us."
    assert fill("{handle}, {handle}. Gracias, lo vemos hoy.", ctx) == "Gracias, lo vemos hoy."
    ctx = ReplyContext(lang="en", handle="jo", agent="Lu")
    assert fill("{handle} thanks! - {agent}", ctx) == "@jo thanks! - Lu"
    assert insert_before_signature("@jo thanks! We fix it today ^Lu", "DM us.", ctx) == "@jo thanks! We fix it today. DM us. ^Lu"
    now = dt.datetime(2026, 3, 6, 23, 0)  # a Friday
    assert hours_phrase(dt.datetime(2026, 3, 7, 9, 0), now, "es") == "mañana a partir de las 09:00"
    assert hours_phrase(dt.datetime(2026, 3, 9, 8, 0), now, "en") == "on Monday from 08:00"


def test_lexical_index_matches_dense_cosine():
    rng = np.random.default_rng(0)
    dense = rng.random((30, 50)) * (rng.random((30, 50)) < 0.2)
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-9)
    rows = [(np.flatnonzero(r), r[np.flatnonzero(r)]) for r in dense]
    lex = Lexical.from_dense_rows(rows, 50)
    q = dense[3]
    np.testing.assert_allclose(lex.scores(q, 0, 30, terms=10**6), dense @ q, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(lex.scores(q, 10, 20, terms=10**6), (dense @ q)[10:20], rtol=1e-5, atol=1e-6)
    back = lex.to_rows(30)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(back, rows))


def test_replies_never_name_an_identity_document_the_customer_did_not_post(sug):
    from model.pii import documents_in, documents_named

    for text in ("me hackearon la cuenta y publiqué mi correo ana.perez@gmail.com, ayuda",
                 "someone took over my account, my email is dan.r@outlook.com"):
        out = sug.suggest(SuggestInput(text, k=5, created_at=MADRID_NOON))
        assert out["context"]["pii"] is True and out["suggestions"]
        for s in out["suggestions"]:
            assert documents_named(s["text"]) <= documents_in(text), s["text"]


def test_topic_diversity_offers_the_next_likely_reading(sug):
    """With a large diversity weight each further suggestion covers a topic the ones before it do
    not; without it, the top replies may all answer the same reading of the message."""
    req = SuggestInput("the app charged me twice and now I can't log in to check my order", k=3,
                       created_at=MADRID_NOON)
    weights = sug.bank.spec.weights
    saved = weights.get("topic_diversity", 0.0)

    def picks(penalty: float) -> list[set[str]]:
        weights["topic_diversity"] = penalty
        out = sug.suggest(req)["suggestions"]
        return [{f"{e.industry}::{t}" for t in e.topics} for e in (sug.bank.entry(s["id"]) for s in out)]

    try:
        plain, diverse = picks(0.0), picks(100.0)
    finally:
        weights["topic_diversity"] = saved
    assert len(diverse) == 3
    for j in range(1, len(diverse)):  # each pick brings a topic not covered before it
        assert not set().union(*diverse[:j]).issuperset(diverse[j])
    assert len(set().union(*diverse)) >= len(set().union(*plain))
