"""model.fast_union: the dispatched union matches exactly where its alternatives do."""

import json
import re
from pathlib import Path

import pytest

from model import tone
from model.fast_union import first_chars, top_level_alternatives, union_by_first_char

ROOT = Path(__file__).resolve().parents[2]


def test_top_level_alternatives_ignore_bars_in_groups_classes_and_escapes():
    assert top_level_alternatives(r"a(?:b|c)|[|x]d|e\|f|g") == ["a(?:b|c)", "[|x]d", r"e\|f", "g"]


@pytest.mark.parametrize("alternative, expected", [
    ("hola", {"h"}),
    ("(?:como|segun) dice", {"c", "s"}),
    (r"(?<!si\s)(?:es|era) solo", {"e"}),              # look-behinds are zero width
    (r"(?:muy )?grave", {"m", "g"}),                    # an optional first group lets the next item start
    ("[abc]x", {"a", "b", "c"}),
    (r"\w+'s fault", None),                             # any word character: no dispatch
    ("(?:x)?", None),                                   # can match the empty string
    ("(?i:hola)", None),                                # case-insensitive: no dispatch
])
def test_first_chars(alternative, expected):
    got = first_chars(alternative)
    assert (None if got is None else set(got)) == expected


def test_union_agrees_with_its_alternatives_on_tricky_strings():
    alts = ["hola", r"(?:muy )?grave", r"\w+'s fault", "(?<!no )solo", "[xy]z"]
    union = union_by_first_char(alts, r"(?<![\w@])(?:", r")(?!\w)")
    each = [re.compile(rf"(?<![\w@])(?:{a})(?!\w)") for a in alts]
    for text in ["hola", "es muy grave", "grave", "bob's fault", "no solo", "solo", "yz", "xz", "@hola", "holas", ""]:
        assert bool(union.search(text)) == any(p.search(text) for p in each), text


def _corpus_texts() -> list[str]:
    from data.corpus import load_corpus

    records, _ = load_corpus()
    texts = [t for r in records for t in (r.reply, r.bad_reply) if t]
    for path in (ROOT / "data" / "corpus" / "tone_set.jsonl", ROOT / "data" / "corpus" / "tone_train.jsonl",
                 ROOT / "data" / "templates" / "replies.jsonl"):
        texts += [json.loads(line)["text" if "templates" in str(path) else "reply"]
                  for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def test_the_defensive_union_finds_exactly_what_the_seven_phrase_sets_find():
    texts = [tone.fold(t) for t in _corpus_texts()]
    by_sets = [any(p.search(f) for _, p in tone._DEFENSIVE.values()) for f in texts]
    by_union = [tone._ANY_DEFENSIVE.search(f) is not None for f in texts]
    assert len(texts) > 8000 and sum(by_sets) > 600  # both outcomes are well represented
    assert by_union == by_sets


def test_the_cached_verdict_ignores_the_handle_but_the_reason_quotes_the_real_reply():
    ctx = tone.ToneContext(lang="es")
    template = "{h} gracias por avisar. Es solo un retraso de 20 minutos, nada grave. Sale a las 19:10."
    for handle in ("@ana_lopez", "@Kike.Ruiz"):
        r = tone.check("non_defensive", template.format(h=handle), ctx)
        assert not r.passed and "«Es solo un retraso»" in r.reason
    clean = "{h} gracias por avisar. Sale a las 19:10 y te damos un vale en la puerta 12."
    assert all(tone.check("non_defensive", clean.format(h=h), ctx).passed for h in ("@ana_lopez", "@Kike.Ruiz"))
