"""Build the reply bank: past (message, agent reply) pairs of the training split plus curated
templates (data/templates/replies.jsonl), each with a retrieval key, every reply tone-checked.

A pair's key is its customer message (embedding and char n-gram TF-IDF); a template's key is
the centroid of the training messages it was written for (same language, industry, urgency and
one of its topics), so both kinds are found the same way. Replies that fail a tone check are
left out, and the reason is logged and written to ``bank_report.json``.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from data.schema import LabeledMessage
from model import tone
from model.bank import BankEntry, ReplyBank
from model.bundle import BankSpec

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "templates" / "replies.jsonl"
SIGNATURE = re.compile(r"\s*(?:\^\s?[\wÁÉÍÓÚáéíóúñÑ.]{1,20}|[-–—]\s?[A-ZÁÉÍÓÚÑ][\wáéíóúñ.]{0,19}(?: [A-ZÁÉÍÓÚÑ]\.?)?)\s*$")
# A past reply often names its customer ("Tony, sorry..." / "thanks for telling us, Julie."):
# that name must not reach the next customer, so it becomes the {handle} slot.
NOT_NAMES = frozenset("""hola hi hey hello uf uff vaya oh ay jaja jajaja ugh ouch sorry thanks gracias perdón perdon
buenas buenos ok okay vale listo claro genial great yes sí si no ufff wow qué que mil entendido understood
done hecho right oops oof tranqui de ya bueno well sure again so much team everyone all guys folks friends
equipo todos todas chicos chicas amigos amigas customer customers cliente clientes client member socio""".split())
_NAME_START = re.compile(r"^([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{1,14}),\s")
_CAP = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{1,14}"
# "Hi Kylie," / "¡Hola, Ana Clara!" / "Thanks Daniel, and sorry" / "Hello Mr. Iyer,"
_GREETING_NAME = re.compile(
    r"^(¡?(?:Hi|Hey|Hello|Hola|Buenas|Buenos días|Buen día|Qué tal|Thanks|Thank you|Gracias|Muchas gracias|Cheers|"
    r"Morning|Good morning|Good afternoon|Good evening|Dear|Querida|Querido))(,? )"
    rf"(?:(?:Mr|Mrs|Ms|Miss|Dr|Sr|Sra|Srta|Don|Doña)\.? )?({_CAP}(?: {_CAP})?)([,!:.])")
# "Thanks for getting in touch, Hannah, and sorry..." / "¡Ay, Laia, qué pesadez!": a name right after
# the opening thanks, apology or interjection (not any capitalised word: "Lima, Cusco, Arequipa")
_NAME_AFTER_OPENING = re.compile(
    r"^((?:\{handle\} )?¡?(?:(?:thanks?|thank you|gracias|muchas gracias|sorry|perdón|perdon|lo sentimos|ay|uf|oh)"
    rf"\b[^.!?,]{{0,50}}|[^.!?,]{{0,50}}\b(?:thanks?|thank you|gracias|sorry|perdón|perdon)\b[^.!?,]{{0,40}})), ({_CAP})([,!;:.])",
    re.IGNORECASE)
_NAME_END = re.compile(r",\s([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{1,14})([.!;:])")
PHRASE_KINDS = ("dm_invite", "pii_delete", "hours_notice")
LEXICAL_TERMS_PER_KEY = 300
DEFAULT_WEIGHTS = {"embedding": 0.5, "lexical": 0.5, "similarity": 1.0, "topic": 2.0, "urgency": 0.5, "template": 0.0,
                   "topic_diversity": 0.5}


@dataclass
class BuiltBank:
    bank: ReplyBank  # its spec's min_similarity is set by make_bank, from validation messages
    left_out: list[dict]


def templatize(reply: str, handle: str | None) -> str:
    """A past reply as a template: the customer's handle and the agent's signature become slots."""
    text = reply
    if handle:
        text = re.sub(re.escape(handle) + r"\b", "{handle}", text, flags=re.IGNORECASE)
    if SIGNATURE.search(text):
        text = SIGNATURE.sub(" ^{agent}", text)
    text = _GREETING_NAME.sub(lambda m: m.group(0) if m.group(3).split()[0].lower() in NOT_NAMES
                              else f"{m.group(1)}{m.group(2)}{{handle}}{m.group(4)}", text)
    m = _NAME_AFTER_OPENING.match(text)
    if m and m.group(2)[0].isupper() and m.group(2).lower() not in NOT_NAMES:
        slot = "" if m.group(1).startswith("{handle}") else ", {handle}"  # an opening handle: drop the name
        text = m.group(1) + slot + m.group(3) + text[m.end():]
    m = _NAME_START.match(text)
    if m and m.group(1).lower() not in NOT_NAMES:
        text = "{handle}, " + text[m.end():]
    text = _NAME_END.sub(lambda m: m.group(0) if m.group(1).lower() in NOT_NAMES else f", {{handle}}{m.group(2)}", text)
    return text.strip()


def load_templates(path: Path = TEMPLATES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def tone_problem(text: str, lang: str, channel: str, learned=None) -> str | None:
    """Why a bank reply fails the context-free checks (with the bundle's learned detectors,
    ``model.tone_model.LearnedTone``, when given), or None. Slots get sample values."""
    sample = text.replace("{handle}", "@cliente").replace("{agent}", "Ana").replace("{hours}", "mañana a las 08:00")
    report = tone.check_reply(sample, tone.ToneContext(lang=lang, channel=channel), learned)
    failed = [r for r in report.results.values() if not r.passed]
    return "; ".join(f"{r.check}: {r.reason}" for r in failed) or None


def _sparse_rows(m) -> list[tuple[np.ndarray, np.ndarray]]:
    m = m.tocsr()
    return [(m.indices[m.indptr[i]:m.indptr[i + 1]].astype(np.int64), m.data[m.indptr[i]:m.indptr[i + 1]])
            for i in range(m.shape[0])]


def _centroid(emb: np.ndarray, lex, rows: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    v = emb[rows].mean(0)
    v = v / max(float(np.linalg.norm(v)), 1e-9)
    dense = np.asarray(lex[rows].mean(0)).ravel()
    top = np.argsort(-dense)[:LEXICAL_TERMS_PER_KEY]
    top = top[dense[top] > 0]
    vals = dense[top] / max(float(np.linalg.norm(dense[top])), 1e-9)
    return v.astype(np.float32), (top.astype(np.int64), vals.astype(np.float32))


def build_bank(train: Sequence[LabeledMessage], emb: np.ndarray, lex, n_features: int,
               templates: list[dict] | None = None, learned=None) -> BuiltBank:
    """``emb`` and ``lex`` (sparse char TF-IDF) are the rows of ``train``, in order."""
    templates = load_templates() if templates is None else templates
    lex = lex.tocsr()
    entries: list[BankEntry] = []
    keys_emb: list[np.ndarray] = []
    keys_lex: list[tuple[np.ndarray, np.ndarray]] = []
    left_out: list[dict] = []
    lex_rows = _sparse_rows(lex)

    def flags(text: str, lang: str) -> dict:
        return {"invites_dm": tone.invites_private(text, lang), "asks_delete": tone.asks_to_delete(text, lang),
                "states_hours": tone.states_hours(text, lang)}

    for i, r in enumerate(train):
        if not r.reply:
            continue
        text = templatize(r.reply, r.author_handle)
        lang = r.lang or "es"
        problem = tone_problem(text, lang, r.channel or "twitter", learned)
        if problem:
            left_out.append({"id": f"pair-{r.id}", "reason": problem})
            continue
        entries.append(BankEntry(id=f"pair-{r.id}", text=text, lang=lang, industry=r.industry or "any",
                                 urgency=r.urgency, topics=(r.topic,) if r.topic else (), source="pair",
                                 source_id=r.id, **flags(text, lang)))
        keys_emb.append(emb[i])
        keys_lex.append(lex_rows[i])

    langs = np.array([r.lang for r in train])
    inds = np.array([r.industry for r in train])
    urgs = np.array([r.urgency for r in train])
    topics = np.array([r.topic for r in train])
    phrases: dict[str, dict[str, list[str]]] = {}
    for t in templates:
        if t["kind"] in PHRASE_KINDS:
            phrases.setdefault(t["lang"], {}).setdefault(t["kind"], []).append(t["text"])
            continue
        problem = tone_problem(t["text"], t["lang"], "twitter", learned)
        if problem:
            left_out.append({"id": t["id"], "reason": problem})
            continue
        base = langs == t["lang"]
        ind = base & (inds == t["industry"]) if t["industry"] != "any" else base
        tries = [ind & (urgs == t["urgency"]) & np.isin(topics, t["topics"]), ind & np.isin(topics, t["topics"]),
                 ind & (urgs == t["urgency"]), ind]
        rows = next((np.flatnonzero(m) for m in tries if m.any()), None)
        if rows is None:
            left_out.append({"id": t["id"], "reason": "no training message to anchor it (language/industry unseen)"})
            continue
        e, lx = _centroid(emb, lex, rows)
        entries.append(BankEntry(id=t["id"], text=t["text"], lang=t["lang"], industry=t["industry"],
                                 urgency=t["urgency"], topics=tuple(t["topics"]), source="template",
                                 **flags(t["text"], t["lang"])))
        keys_emb.append(e)
        keys_lex.append(lx)

    brands = {}
    for (brand, industry), _ in Counter((r.brand.lower().lstrip("@"), r.industry) for r in train
                                        if r.brand and r.industry).most_common():
        brands.setdefault(brand, industry)
    for item in left_out:
        log.warning("reply %s left out of the bank: %s", item["id"], item["reason"])
    spec = BankSpec(size=len(entries), min_similarity=0.0, weights=dict(DEFAULT_WEIGHTS), brands=brands,
                    phrases=phrases)
    return BuiltBank(ReplyBank.build(entries, np.vstack(keys_emb), keys_lex, n_features, spec), left_out)


def write_bank(built: BuiltBank, out: Path) -> None:
    bank = built.bank
    with open(out / "replies.jsonl", "w", encoding="utf-8") as fh:
        for e in bank.entries:
            fh.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
    with open(out / "replies.npy", "wb") as fh:
        np.save(fh, bank.embeddings, allow_pickle=False)
    bank.lexical.save(out / "replies_lexical.npz")
    counts = Counter((e.source, e.lang) for e in bank.entries)
    (out / "bank_report.json").write_text(json.dumps(
        {"size": len(bank.entries), "by_source_lang": {f"{s}/{lg}": n for (s, lg), n in sorted(counts.items())},
         "left_out": built.left_out}, indent=2, ensure_ascii=False), encoding="utf-8")


def make_bank(out: Path, train: Sequence[LabeledMessage], emb: np.ndarray, lex, n_features: int,
              validation: Sequence[LabeledMessage], val_emb: np.ndarray, val_lex: np.ndarray,
              templates: list[dict] | None = None, learned=None) -> tuple[BankSpec, dict]:
    """Build and write the bank into ``out``; its fallback threshold comes from validation messages."""
    built = build_bank(train, emb, lex, n_features, templates, learned)
    write_bank(built, out)
    bank, spec = built.bank, built.bank.spec
    best = []
    for r, e, q in zip(validation, val_emb, val_lex, strict=True):
        sims = [float(bank.similarity(e, q, lo, hi).max()) for lo, hi in bank.spans(r.lang or "es", None) if hi > lo]
        best.append(max(sims, default=0.0))
    # Below what 95% of real validation messages reach, the bank has nothing close: fall back.
    spec.min_similarity = round(float(np.percentile(best, 5)), 4)
    return spec, {"size": spec.size, "left_out": len(built.left_out), "min_similarity": spec.min_similarity}


def rebuild_bank(bundle_dir: Path, out: Path, templates_path: Path = TEMPLATES) -> Path:
    """A copy of ``bundle_dir`` with its bank rebuilt (new templates or corpus replies), no retraining:
    keys are computed with the bundle's own int8 encoder and n-gram vocabulary."""
    import datetime as dt
    import shutil

    from scipy import sparse

    from data.corpus import load_corpus
    from model.bundle import verify_bundle
    from model.features import NgramTfidf
    from model.encoder import OnnxEncoder
    from model.text import normalize_for_model
    from model.tone_model import LearnedTone
    from training.bundle_writer import write_bundle

    old = verify_bundle(bundle_dir)
    enc = old.encoder
    encoder = OnnxEncoder(Path(bundle_dir) / enc.files["int8"], Path(bundle_dir) / enc.tokenizer, enc.max_length)
    records, split = load_corpus()
    train = [r for r in records if split[r.id] == "train"]
    val = [r for r in records if split[r.id] == "validation"]
    vocab = NgramTfidf.from_dict(json.loads((Path(bundle_dir) / "char_tfidf.json").read_text(encoding="utf-8")))

    def keys(recs):
        texts = [normalize_for_model(r.text) for r in recs]
        return encoder.encode(texts), vocab.transform(texts)

    (tr_emb, tr_lex), (va_emb, va_lex) = keys(train), keys(val)
    bank_files = {"replies.jsonl", "replies.npy", "replies_lexical.npz", "bank_report.json"}

    def fill(tmp: Path):
        for rel in old.files:
            if rel not in bank_files:
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(bundle_dir) / rel, tmp / rel)
        learned = LearnedTone.load(bundle_dir, old.tone) if old.tone else None
        spec, metrics = make_bank(tmp, train, tr_emb, sparse.csr_matrix(tr_lex), vocab.dim, val, va_emb, va_lex,
                                  load_templates(templates_path), learned)
        return old.model_copy(update={"bank": spec, "created_at": dt.datetime.now(dt.timezone.utc),
                                      "metrics": {**old.metrics, "bank": metrics}})

    return write_bundle(out, fill)
