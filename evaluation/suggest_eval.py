"""Held-out evaluation of reply suggestions, against two baselines run on the same bank.

Relevance comes from the corpus labels: a suggestion is relevant when it was written for a
message of the query's industry and topic (a template lists the topics it fits). Tone
compliance re-checks each suggestion in the query's *labelled* context (very angry or personal
data -> private channel; outside hours -> service hours), not the context the system detected.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from data.schema import LabeledMessage
from evaluation.tone_eval import context_of
from model import tone
from model.bank import BankEntry, ReplyBank
from model.suggest import SuggestInput, Suggester
from model.text import normalize_for_model

AGENT = "Ana"


def relevant(e: BankEntry, q: LabeledMessage) -> bool:
    return e.industry == q.industry and q.topic in e.topics




def rankable(r: LabeledMessage) -> bool:
    """Whether relevance can be judged for ``r``: labelled with an industry and a topic, in es or en."""
    return bool(r.industry and r.topic and r.lang in ("es", "en"))


def ranking_metrics(ranked: list[list[BankEntry]], queries: Sequence[LabeledMessage]) -> dict:
    rel = [[relevant(e, q) for e in r] for r, q in zip(ranked, queries, strict=True)]
    rr = [next((1.0 / (i + 1) for i, x in enumerate(r) if x), 0.0) for r in rel]
    return {"precision_at_1": float(np.mean([bool(r[:1]) and r[0] for r in rel])),
            "hit_at_3": float(np.mean([any(r[:3]) for r in rel])), "mrr": float(np.mean(rr)),
            "lang_match": float(np.mean([all(e.lang == q.lang for e in r[:3]) for r, q in zip(ranked, queries, strict=True)]))}


def suggest_request(q: LabeledMessage, k: int, with_brand: bool) -> SuggestInput:
    """The request a helpdesk would send for labelled message ``q``."""
    return SuggestInput(q.text, channel=q.channel or "twitter", handle=q.author_handle,
                        followers=q.author_followers, created_at=q.created_at, k=k,
                        brand=q.brand if with_brand else None, agent=AGENT)


def evaluate_suggester(sug: Suggester, queries: Sequence[LabeledMessage], k: int = 10, seed: int = 0,
                       exact_pairs: Sequence[LabeledMessage] = ()) -> dict:
    """Metrics of the suggester (brand known and open bank) and of the baselines."""
    by_id = {e.id: e for e in sug.bank.entries}
    out: dict = {"n": len(queries)}
    for name, with_brand in (("atiende", True), ("atiende_open_bank", False)):
        ranked, compliant1, compliant3, fallbacks, empty = [], [], [], 0, 0
        for q in queries:
            res = sug.suggest(suggest_request(q, k, with_brand), outside_hours=q.outside_hours)
            fallbacks += res["fallback"]
            ents = [by_id[s["id"]] for s in res["suggestions"]]
            empty += not ents
            ranked.append(ents)
            ok = [tone.check_reply(s["text"], context_of(q), sug.tone_model).passed for s in res["suggestions"]]
            compliant1.append(all(ok[:1]) and bool(ok))
            compliant3.append(all(ok[:3]) and bool(ok))
        out[name] = {**ranking_metrics(ranked, queries), "tone_top1": float(np.mean(compliant1)),
                     "tone_top3": float(np.mean(compliant3)), "fallback_share": fallbacks / len(queries),
                     "no_suggestion": empty}
    out["random_same_lang"] = ranking_metrics(_random_baseline(sug.bank, queries, seed), queries)
    tfidf = _tfidf_baseline(sug, queries, industry_known=True)
    out["tfidf"] = {**ranking_metrics(tfidf, queries), "tone_top3": _tone_of(tfidf, queries, sug.tone_model)}
    out["tfidf_open_bank"] = ranking_metrics(_tfidf_baseline(sug, queries, industry_known=False), queries)
    if exact_pairs:
        out["exact_reply_recall"] = exact_reply_recall(sug, exact_pairs)
    return out


def _tone_of(ranked: list[list[BankEntry]], queries: Sequence[LabeledMessage], learned=None) -> float:
    """Share of queries whose top 3 raw bank replies (slots filled) pass the labelled context's checks."""
    def filled(e: BankEntry, q: LabeledMessage) -> str:
        return e.text.replace("{handle}", q.author_handle or "").replace("{agent}", AGENT)
    return float(np.mean([all(tone.check_reply(filled(e, q), context_of(q), learned).passed for e in r[:3])
                          for r, q in zip(ranked, queries, strict=True)]))


def _random_baseline(bank: ReplyBank, queries: Sequence[LabeledMessage], seed: int) -> list[list[BankEntry]]:
    rng = random.Random(seed)
    by_lang: dict[str, list[BankEntry]] = {}
    for e in bank.entries:
        by_lang.setdefault(e.lang, []).append(e)
    return [rng.sample(by_lang[q.lang], 3) for q in queries]


def _tfidf_baseline(sug: Suggester, queries: Sequence[LabeledMessage], industry_known: bool) -> list[list[BankEntry]]:
    """Nearest past messages by char n-gram TF-IDF cosine alone, same language: the classic FAQ search."""
    bank = sug.bank
    out = []
    for q in queries:
        vec = sug.lexical.transform([normalize_for_model(q.text)])[0]
        best: list[tuple[float, int]] = []
        for lo, hi in bank.spans(q.lang, q.industry if industry_known else None):
            s = bank.lexical.scores(vec, lo, hi, terms=10**6)
            best += [(float(s[j]), lo + j) for j in np.argsort(-s)[:3]]
        out.append([bank.entries[i] for _, i in sorted(best, reverse=True)[:3]])
    return out


def exact_reply_recall(sug: Suggester, pairs: Sequence[LabeledMessage], ks: Sequence[int] = (1, 3)) -> dict:
    """Put the held-out pairs' own replies into the bank: how often is a message's actual reply
    suggested? (A bank that holds past answers to this very message.)"""
    from training.replies import templatize

    bank = sug.bank
    rows = bank.lexical.to_rows(len(bank.entries))
    entries, emb = list(bank.entries), [bank.embeddings]
    texts = [normalize_for_model(q.text) for q in pairs]
    emb.append(sug.predictor.model.encoder.encode(texts))
    lex = sug.lexical.transform(texts)
    for q, v in zip(pairs, lex, strict=True):
        nz = np.flatnonzero(v)
        rows.append((nz, v[nz]))
        entries.append(BankEntry(id=f"pair-{q.id}", text=templatize(q.reply, q.author_handle), lang=q.lang,
                                 industry=q.industry, urgency=q.urgency, topics=(q.topic,), source="pair",
                                 source_id=q.id))
    extended = ReplyBank.build(entries, np.vstack(emb), rows, sug.lexical.dim, bank.spec)
    original, sug.bank = sug.bank, extended
    try:
        hits = {k: [] for k in ks}
        for q in pairs:
            res = sug.suggest(suggest_request(q, max(ks), True), outside_hours=q.outside_hours)
            ids = [s["id"] for s in res["suggestions"]]
            for k in ks:
                hits[k].append(f"pair-{q.id}" in ids[:k])
    finally:
        sug.bank = original
    return {f"recall_at_{k}": float(np.mean(v)) for k, v in hits.items()} | {"n": len(pairs)}


def suggest_table(m: dict) -> str:
    rows = [("Atiende (brand known)", m["atiende"]), ("Atiende (open bank)", m["atiende_open_bank"]),
            ("TF-IDF retrieval (brand known)", m["tfidf"]), ("TF-IDF retrieval (open bank)", m["tfidf_open_bank"]),
            ("random reply, same language", m["random_same_lang"])]
    lines = ["| system | precision@1 | hit@3 | MRR | language match | tone top-1 | tone top-3 |",
             "|---|---|---|---|---|---|---|"]
    for name, r in rows:
        t1 = f"{r['tone_top1']:.3f}" if "tone_top1" in r else "-"
        t3 = f"{r['tone_top3']:.3f}" if "tone_top3" in r else "-"
        lines.append(f"| {name} | {r['precision_at_1']:.3f} | {r['hit_at_3']:.3f} | {r['mrr']:.3f} | "
                     f"{r['lang_match']:.3f} | {t1} | {t3} |")
    if "exact_reply_recall" in m:
        e = m["exact_reply_recall"]
        lines.append(f"\nexact-reply recall (held-out replies added to the bank, n={e['n']}): "
                     + ", ".join(f"@{k.split('_')[-1]} {v:.3f}" for k, v in e.items() if k != "n"))
    return "\n".join(lines)
