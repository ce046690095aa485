"""Cue words of an upset customer, and what the suggester does with them."""

import pytest

from model.upset import upset_cues


@pytest.mark.parametrize("text", [
    "Okay I used my fucking phone for 2 minutes and it drains 8 percent",
    "this update sux I hate it fix it",
    "You've paralysed my phone with your update grrrrrrr",
    "the notification under the keyboard opens instead 😡😡😡",
    "tercer día sin luz, son unos inútiles, una vergüenza",
    "me tienen harta con la factura, es una estafa",
    "HOW does the tracker show the driver in my street for 25 minutes??",
    "¿DÓNDE está mi pedido? 3 SEMANAS esperando",
])
def test_upset_posts_have_cues(text):
    assert upset_cues(text)


@pytest.mark.parametrize("text", [
    "thanks so much, the technician was lovely",
    "¿a qué hora abren mañana la oficina de Palermo?",
    "mi hija viaja sola en el vuelo de las 9, ¿quién la acompaña?",
    "can I change my plan to the cheaper one?",
    "Brilliant thanks 😊",
    "WHAT'S UP team, the DNI and the ATM card arrived by SMS notice, all good",  # capitals, no shouting
    "el PIN del DNI llegó por SMS, gracias",
])
def test_calm_posts_have_none(text):
    assert upset_cues(text) == []


def test_an_upset_customer_never_gets_a_breezy_reply(trained):
    from model.suggest import SuggestInput, Suggester

    sug = Suggester(trained[1], cache_size=0)
    by_id = {e.id: e for e in sug.bank.entries}
    for text in ("lol the new app is a joke, useless rubbish 😡", "jajaja qué app de mierda, una burla 🤬"):
        out = sug.suggest(SuggestInput(text, k=3))
        assert out["context"]["angry"] and out["context"]["private_channel"]
        assert out["suggestions"]
        for s in out["suggestions"]:
            assert by_id[s["id"]].urgency != "low", s["text"]
