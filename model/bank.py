"""The reply bank at inference: entries, their retrieval keys, and exact search.

Each entry's key is what a query is compared with: for a past (message, reply) pair, the
customer's message; for a curated template, the centroid of the training messages it was
written for. Two similarities are blended: cosine of sentence embeddings, and cosine of
character n-gram TF-IDF (the default encoder is English-only, so Spanish leans on n-grams).

Entries are stored sorted by (lang, industry), so restricting a search to one language and
industry is a slice, not a copy. Search is exact (a matrix-vector product): bench_suggest.py
measured it within the latency bar up to 200k replies, so no approximate index is needed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model.bundle import BankSpec, BundleError
from model.compose import without_one_sentence
from model.pii import documents_named

URGENCIES = ("critical", "high", "normal", "low")
_WORDS = re.compile(r"\w+")


def word_trigrams(text: str) -> frozenset[str]:
    words = _WORDS.findall(text.lower())
    return frozenset(" ".join(words[i:i + 3]) for i in range(max(len(words) - 2, 1)))


@dataclass(frozen=True)
class BankEntry:
    id: str
    text: str
    lang: str
    industry: str
    urgency: str | None
    topics: tuple[str, ...]
    source: str  # "pair" or "template"
    invites_dm: bool = False
    asks_delete: bool = False
    states_hours: bool = False
    source_id: str | None = None

    @classmethod
    def from_dict(cls, d: dict) -> BankEntry:
        return cls(**{**d, "topics": tuple(d.get("topics") or ())})

    def to_dict(self) -> dict:
        return {**self.__dict__, "topics": list(self.topics)}


@dataclass
class Lexical:
    """Char n-gram TF-IDF keys stored by feature (CSC): a query touches only its own n-grams."""

    indptr: np.ndarray  # (n_features + 1,)
    rows: np.ndarray  # entry index of each stored value
    vals: np.ndarray

    def scores(self, q: np.ndarray, lo: int, hi: int, terms: int) -> np.ndarray:
        """Cosine of the dense query ``q`` (its ``terms`` heaviest n-grams) with entries lo:hi."""
        nz = np.flatnonzero(q)
        if nz.size > terms:
            nz = nz[np.argpartition(q[nz], -terms)[-terms:]]
        if nz.size == 0 or hi <= lo:
            return np.zeros(max(hi - lo, 0), dtype=np.float32)
        starts, ends = self.indptr[nz], self.indptr[nz + 1]
        rows = np.concatenate([self.rows[a:b] for a, b in zip(starts, ends, strict=True)])
        vals = np.concatenate([self.vals[a:b] * q[f] for f, a, b in zip(nz, starts, ends, strict=True)])
        keep = (rows >= lo) & (rows < hi)
        return np.bincount(rows[keep] - lo, weights=vals[keep], minlength=hi - lo).astype(np.float32)

    def save(self, path: Path) -> None:
        with open(path, "wb") as fh:
            np.savez(fh, indptr=self.indptr, rows=self.rows, vals=self.vals)

    @classmethod
    def load(cls, path: Path) -> Lexical:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["indptr"], z["rows"], z["vals"])

    def to_rows(self, n_entries: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per-entry (feature indices, values): the inverse of ``from_dense_rows``."""
        feats = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))
        order = np.argsort(self.rows, kind="stable")
        bounds = np.searchsorted(self.rows[order], np.arange(n_entries + 1))
        return [(feats[order[a:b]], self.vals[order[a:b]]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    @classmethod
    def from_dense_rows(cls, rows: list[tuple[np.ndarray, np.ndarray]], n_features: int) -> Lexical:
        """From per-entry (feature indices, values)."""
        feats = np.concatenate([f for f, _ in rows]) if rows else np.zeros(0, np.int64)
        vals = np.concatenate([v for _, v in rows]).astype(np.float32) if rows else np.zeros(0, np.float32)
        ents = np.concatenate([np.full(len(f), i, dtype=np.int32) for i, (f, _) in enumerate(rows)]) if rows \
            else np.zeros(0, np.int32)
        order = np.argsort(feats, kind="stable")
        indptr = np.zeros(n_features + 1, dtype=np.int64)
        np.add.at(indptr, feats + 1, 1)
        return cls(np.cumsum(indptr), ents[order], vals[order])


_SLOT = re.compile(r"\{(?:handle|agent|hours)\}")


@dataclass
class ReplyBank:
    entries: list[BankEntry]
    embeddings: np.ndarray  # (n, dim) float32, unit rows
    lexical: Lexical
    spec: BankSpec
    groups: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        keys = [(e.lang, e.industry) for e in self.entries]
        if keys != sorted(keys):
            raise BundleError("reply bank entries must be sorted by (lang, industry)")
        self.groups = {}
        for i, k in enumerate(keys):
            lo, _ = self.groups.get(k, (i, i))
            self.groups[k] = (lo, i + 1)
        # Per-entry attributes as arrays, so re-ranking hundreds of candidates is vectorised.
        self.urgency_index = np.array([URGENCIES.index(e.urgency) if e.urgency else -1 for e in self.entries],
                                      dtype=np.int8)
        self.is_template = np.array([e.source == "template" for e in self.entries], dtype=bool)
        self.states_hours = np.array([e.states_hours for e in self.entries], dtype=bool)
        self.asks_delete = np.array([e.asks_delete for e in self.entries], dtype=bool)
        self.topic_keys = sorted({f"{e.industry}::{t}" for e in self.entries for t in e.topics})
        slot = {k: i for i, k in enumerate(self.topic_keys)}
        width = max((len(e.topics) for e in self.entries), default=0)
        # Padded with len(topic_keys): a slot holding 0 in the query's topic vector.
        self.topic_index = np.full((len(self.entries), max(width, 1)), len(self.topic_keys), dtype=np.int32)
        for i, e in enumerate(self.entries):
            for j, t in enumerate(e.topics):
                self.topic_index[i, j] = slot[f"{e.industry}::{t}"]
        self._grams: dict[int, frozenset[str]] = {}
        self._docs: dict[int, frozenset[str]] = {}
        self._shortest: dict[int, int] = {}
        self._by_id = {e.id: i for i, e in enumerate(self.entries)}

    def entry(self, entry_id: str) -> BankEntry | None:
        i = self._by_id.get(entry_id)
        return None if i is None else self.entries[i]

    def documents(self, i: int) -> frozenset[str]:
        """Identity documents entry ``i`` names (memoised)."""
        docs = self._docs.get(i)
        if docs is None:
            docs = self._docs[i] = documents_named(self.entries[i].text)
        return docs

    def shortest(self, i: int) -> int:
        """A lower bound on the length of any text composing entry ``i`` can send (memoised): the
        entry less its longest cuttable sentence, with 3 characters of slack per placeholder (an
        empty slot takes its comma or caret with it)."""
        n = self._shortest.get(i)
        if n is None:
            text = self.entries[i].text
            bare = _SLOT.sub("", text)
            n = min([len(bare), *map(len, without_one_sentence(bare))]) - 3 * len(_SLOT.findall(text))
            self._shortest[i] = n
        return n

    def trigrams(self, i: int) -> frozenset[str]:
        """Word trigrams of entry ``i``'s text (memoised): what diversity is judged on."""
        grams = self._grams.get(i)
        if grams is None:
            grams = self._grams[i] = word_trigrams(self.entries[i].text)
        return grams

    def topic_fit(self, topic_probs: dict[str, float], idx: np.ndarray) -> np.ndarray:
        """Summed probability the topic head gives entries ``idx``' own topics, capped at 1."""
        q = np.array([topic_probs.get(k, 0.0) for k in self.topic_keys] + [0.0], dtype=np.float32)
        return np.minimum(q[self.topic_index[idx]].sum(axis=1), 1.0)

    @classmethod
    def build(cls, entries: list[BankEntry], embeddings: np.ndarray, lexical_rows: list[tuple[np.ndarray, np.ndarray]],
              n_features: int, spec: BankSpec) -> ReplyBank:
        """A bank from entries in any order (with their keys), sorted into (lang, industry) slices."""
        order = sorted(range(len(entries)), key=lambda i: (entries[i].lang, entries[i].industry, i))
        return cls([entries[i] for i in order], np.asarray(embeddings, dtype=np.float32)[order],
                   Lexical.from_dense_rows([lexical_rows[i] for i in order], n_features), spec)

    @classmethod
    def load(cls, bundle_dir: Path, spec: BankSpec, dim: int) -> ReplyBank:
        entries = [BankEntry.from_dict(json.loads(line)) for line in
                   (bundle_dir / spec.entries).read_text(encoding="utf-8").splitlines() if line.strip()]
        emb = np.load(bundle_dir / spec.embeddings, allow_pickle=False)
        if emb.shape != (len(entries), dim):
            raise BundleError(f"{bundle_dir}: {spec.embeddings} has shape {emb.shape}, expected ({len(entries)}, {dim})")
        return cls(entries, emb.astype(np.float32, copy=False), Lexical.load(bundle_dir / spec.lexical), spec)

    def spans(self, lang: str, industry: str | None) -> list[tuple[int, int]]:
        """Index ranges of the entries a query in ``lang`` about ``industry`` (None: any) may get."""
        return [span for (lg, ind), span in self.groups.items()
                if lg == lang and (industry is None or ind in (industry, "any"))]

    def similarity(self, q_emb: np.ndarray, q_lex: np.ndarray, lo: int, hi: int,
                   lexical: np.ndarray | None = None) -> np.ndarray:
        """Blended similarity with entries lo:hi; ``lexical`` is a precomputed ``lexical_all`` to slice."""
        lex = lexical[lo:hi] if lexical is not None else self.lexical.scores(q_lex, lo, hi, self.spec.lexical_terms)
        return self._blend(self.embeddings[lo:hi] @ q_emb, lex)

    def similarity_of(self, q_emb: np.ndarray, q_lex: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Blended similarity with the entries ``idx`` (anywhere in the bank)."""
        return self._blend(self.embeddings[idx] @ q_emb, self.lexical_all(q_lex)[idx])

    def _blend(self, dense: np.ndarray, lex: np.ndarray) -> np.ndarray:
        w = self.spec.weights
        return (w.get("embedding", 0.5) * dense + w.get("lexical", 0.5) * lex).astype(np.float32)

    def lexical_all(self, q_lex: np.ndarray) -> np.ndarray:
        """Lexical scores against every entry at once: one pass over the query's postings."""
        return self.lexical.scores(q_lex, 0, len(self.entries), self.spec.lexical_terms)
