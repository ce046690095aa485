"""Reply suggestions: triage the message, retrieve from the bank, re-rank, compose, tone-check.

Score of a bank entry = similarity (embedding + char n-gram cosine with the entry's key)
+ topic fit (probability the topic head gives the entry's industry/topic) + urgency fit
(a critical message never gets a breezy low-urgency reply). Only replies that pass every
tone check in the message's context are returned; when the best similarity is too low the
bank has nothing that fits, and the best template for the predicted urgency and topic is
offered instead, saying so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np

from model import tone
from model.tone import CHANNEL_LIMITS
from model.tone_model import LearnedTone
from model.bank import BankEntry, ReplyBank
from model.bundle import BundleError
from model.compose import ReplyContext, fill, insert_before_signature, pick, same_register_first, without_one_sentence
from model.encoder import make_session
from model.features import NgramTfidf
from model.linear import SparseLinear
from model.pii import PiiMatch, documents_in, find_pii
from model.predictor import Predictor, Triage, TriageInput
from model.text import guess_lang, handles, normalize_for_model
from model.upset import upset_cues

URGENCY_ORDER = {"critical": 0, "high": 1, "normal": 2, "low": 3}
# How well a reply written for urgency u (columns) fits a message of urgency l (rows).
FIT = np.array([[1.0, 0.7, 0.2, 0.0],
                [0.7, 1.0, 0.5, 0.0],
                [0.2, 0.5, 1.0, 0.3],
                [0.0, 0.0, 0.3, 1.0]], dtype=np.float32)
PRIVATE_LIMIT = 2000
CANDIDATES = 100  # per (language, industry) slice, re-ranked in Python


@dataclass
class SuggestInput:
    text: str
    lang: str | None = None
    channel: str = "twitter"
    handle: str | None = None
    followers: int | None = None
    created_at: dt.datetime | None = None
    k: int = 3
    brand: str | None = None
    industry: str | None = None
    agent: str | None = None


class Analysis(NamedTuple):
    """What the models say about one message: everything retrieval and re-ranking need."""

    emb: np.ndarray  # sentence embedding
    lex: np.ndarray  # char n-gram TF-IDF query vector
    probs: np.ndarray  # urgency probabilities, in the bundle's label order
    aux: dict[str, np.ndarray]  # auxiliary heads' probabilities (topic, anger)


class AuxHead:
    """A classifier on the urgency head's features (topic, anger): onnxruntime on the ONNX file,
    or, when the bundle has its weights (``linear``), the same model on each row's non-zero features."""

    def __init__(self, path: Path, labels: list[str], input_dim: int, threads: int | None,
                 linear: Path | None = None):
        self.labels = labels
        self.sparse = SparseLinear.load(linear) if linear is not None else None
        if self.sparse is not None:
            got = self.sparse.n_features
        else:
            self.session = make_session(path, threads)
            inp = self.session.get_inputs()[0]
            got, self.input_name = inp.shape[-1], inp.name
            outs = [o.name for o in self.session.get_outputs()]
            self.output = next((n for n in outs if "prob" in n), outs[-1])
        if isinstance(got, int) and got != input_dim:
            raise BundleError(f"{(linear or path).name} takes {got} features, the urgency features have {input_dim}")

    def predict_proba(self, x: np.ndarray, support: list[np.ndarray] | None = None) -> np.ndarray:
        if self.sparse is not None:
            return self.sparse.predict_proba(x, support)
        return np.asarray(self.session.run([self.output], {self.input_name: x})[0], dtype=np.float32)


class Suggester:
    """A bundle loaded for triage and reply suggestions (onnxruntime, tokenizers, numpy)."""

    def __init__(self, bundle_dir: str | Path, variant: str | None = None, threads: int | None = None,
                 cache_size: int = 4096):
        self.predictor = Predictor(bundle_dir, variant, threads, cache_size)
        root, m = self.predictor.bundle_dir, self.predictor.manifest
        if m.bank is None:
            raise BundleError(f"{root}: this bundle has no reply bank; retrain it with `atiende train`")
        head = self.predictor.model.head
        self.bank = ReplyBank.load(root, m.bank, m.encoder.dim)
        self.aux = {name: AuxHead(root / spec.file, spec.labels, m.head.input_dim, threads,
                                  root / spec.linear if spec.linear else None)
                    for name, spec in m.aux_heads.items()}
        self.lexical_index = next((i for i, f in enumerate(m.head.tfidf) if f == m.bank.lexical_vocab), None)
        self.lexical = head.tfidf[self.lexical_index] if self.lexical_index is not None else \
            NgramTfidf.from_dict(json.loads((root / m.bank.lexical_vocab).read_text(encoding="utf-8")))
        self.phrases = m.bank.phrases
        self.manifest = m
        loaded = dict(zip(m.head.tfidf, head.tfidf, strict=True))
        # The bundle's learned tone detectors (None: the rules alone), also used by POST /v1/tone/check.
        self.tone_model = LearnedTone.load(root, m.tone, loaded) if m.tone else None

    @property
    def model_version(self) -> str:
        return self.manifest.model_version

    # -- the pieces -------------------------------------------------------------------------
    def analyse(self, text: str) -> Analysis:
        """Embedding, lexical query vector, urgency probabilities and auxiliary head outputs."""
        norm = normalize_for_model(text)
        model = self.predictor.model
        emb = model.encoder.encode([norm])
        support: list[np.ndarray] = []
        blocks = model.head.blocks([norm], emb, support)
        x = np.hstack(blocks) if len(blocks) > 1 else blocks[0]
        probs = model.head.predict_features(x)[0]
        lex = blocks[int(model.head.use_embedding) + self.lexical_index][0] if self.lexical_index is not None \
            else self.lexical.transform([norm])[0]
        aux = {name: h.predict_proba(x, support)[0] for name, h in self.aux.items()}
        return Analysis(emb[0], lex, probs, aux)

    def _context(self, req: SuggestInput, lang: str, tri: Triage, aux: dict, now: dt.datetime,
                 outside_hours: bool | None, found: list[PiiMatch]) -> tuple[ReplyContext, dict]:
        angry = False
        if "anger" in aux:
            spec = self.manifest.aux_heads["anger"]
            angry = bool(aux["anger"][spec.labels.index("very_negative")] >= (spec.threshold or 0.5))
        angry = angry or bool(upset_cues(req.text))  # swearing or 😡: the head was not trained on real tweets
        pii = bool(found)
        hours = self.predictor.sla.hours
        created = req.created_at or now
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.timezone.utc)
        if outside_hours is None:
            outside_hours = not hours.is_open(created)
        zone = ZoneInfo(hours.timezone)
        local = created.astimezone(zone)
        if hours.is_open(created):  # told it is outside hours: the team is back at the next day's opening
            back = hours.next_opening(dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), zone))
        else:
            back = hours.next_opening(created)
        # The anger head misses a third of very angry posts; critical and high posts are worth
        # taking to a private channel anyway (account details), and an invitation never hurts.
        needs_private = pii or angry or tri.label in ("critical", "high")
        ctx = ReplyContext(lang=lang, channel=req.channel, handle=req.handle, agent=req.agent,
                           needs_private=needs_private, pii=pii, outside_hours=outside_hours,
                           back_at=back, now=local)
        return ctx, {"lang": lang, "angry": angry, "pii": pii, "outside_hours": outside_hours,
                     "private_channel": needs_private}

    def _industry(self, req: SuggestInput) -> str | None:
        """The industry whose replies may answer: given, or the brand's, or else that of the known
        brands the post is addressed to (an "@MovilSur ..." tweet is for MovilSur), when they agree."""
        brands = self.bank.spec.brands
        if req.industry:
            return req.industry
        if req.brand:
            return brands.get(req.brand.lower().lstrip("@"))
        named = {brands[h] for h in handles(req.text.lower()) if h in brands}
        return named.pop() if len(named) == 1 else None

    def _allowed(self, idx: np.ndarray, label: str, ctx: ReplyContext, angry: bool = False) -> np.ndarray:
        """Which entries ``idx`` may answer a message of urgency ``label`` in this context."""
        b = self.bank
        urg = b.urgency_index[idx].astype(np.int16)
        lab = URGENCY_ORDER[label]
        low = URGENCY_ORDER["low"]
        ok = np.ones(len(idx), dtype=bool)
        if label in ("critical", "high") or angry:
            ok &= urg != low  # a critical message or an angry customer never gets a breezy "thanks for the love!"
        elif label == "low":
            ok &= (urg < 0) | (urg - lab > -2)
        if not ctx.outside_hours:
            ok &= ~b.states_hours[idx]  # "we're back tomorrow at 8" would be false in open hours
        if not ctx.pii:
            ok &= ~b.asks_delete[idx]
        return ok

    def _compose(self, e: BankEntry, ctx: ReplyContext, seed: str, phrases: dict[str, list[str]]) -> Iterator[str]:
        """Sendable texts of ``e`` in this context that fit the channel, best first: the whole
        reply with its context sentences, else (a tweet that must also ask to delete the post and
        say when we are back has ~150 characters of its own) the reply less one sentence (never
        the greeting nor the signature). ``phrases`` memoises the filled context sentences for one
        request."""
        limit = CHANNEL_LIMITS.get(ctx.channel, PRIVATE_LIMIT)
        body = fill(e.text, ctx)
        needs = self._needs(body, ctx)
        text = self._with_context(body, ctx, needs, self._phrases(needs, ctx, seed, phrases), limit)
        if text is not None:
            yield text
            return
        # Leaving a sentence out never adds one the context requires, so the body's own needs
        # bound every shorter version's length: most are skipped without a look.
        floor = _least_added(phrases, needs)
        for shorter in without_one_sentence(body):
            if len(shorter) + floor > limit:
                continue
            more = self._needs(shorter, ctx)
            text = self._with_context(shorter, ctx, more, self._phrases(more, ctx, seed, phrases), limit)
            if text is not None:
                yield text

    @staticmethod
    def _needs(text: str, ctx: ReplyContext) -> list[str]:
        """The context sentences ``text`` lacks: delete-the-post (or else a DM invitation), when we are back."""
        needs = []
        if ctx.pii and not tone.asks_to_delete(text, ctx.lang):
            needs.append("pii_delete")
        elif ctx.needs_private and not tone.invites_private(text, ctx.lang):
            needs.append("dm_invite")
        if ctx.outside_hours and not tone.states_hours(text, ctx.lang):
            needs.append("hours_notice")
        return needs

    def _phrases(self, kinds: list[str], ctx: ReplyContext, seed: str, phrases: dict[str, list[str]]) -> dict:
        """``phrases`` with the filled context sentences of ``kinds`` added (once per request)."""
        for kind in kinds:
            if kind not in phrases:
                phrases[kind] = [fill(p, ctx) for p in pick(self.phrases.get(ctx.lang, {}).get(kind, []), seed)]
        return phrases

    @staticmethod
    def _with_context(text: str, ctx: ReplyContext, needs: list[str], phrases: dict[str, list[str]],
                      limit: int) -> str | None:
        """``text`` with the context sentences ``needs`` names, or None when they cannot all fit in ``limit``."""
        for n, kind in enumerate(needs):
            # leave room for the shortest of each sentence still to come
            room = limit - _least_added(phrases, needs[n + 1:])
            fitting = [o for o in same_register_first(text, phrases[kind], ctx.lang)
                       if len(insert_before_signature(text, o, ctx)) <= room]
            if not fitting:
                return None
            text = insert_before_signature(text, fitting[0], ctx)
        return text if len(text) <= limit else None

    def _candidates(self, emb: np.ndarray, lex: np.ndarray, lang: str,
                    industry: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Bank indices of the CANDIDATES most similar entries of each allowed slice, and their similarity."""
        spans = self.bank.spans(lang, industry)
        lex_all = self.bank.lexical_all(lex) if len(spans) > 1 else None
        found, found_sims = [], []
        for lo, hi in spans:
            sims = self.bank.similarity(emb, lex, lo, hi, lex_all)
            top = np.argpartition(-sims, CANDIDATES)[:CANDIDATES] if len(sims) > CANDIDATES else np.arange(len(sims))
            found.append(top + lo)
            found_sims.append(sims[top])
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(found), np.concatenate(found_sims)

    def _pick(self, idx: np.ndarray, sims: np.ndarray, scores: np.ndarray, ctx: ReplyContext,
              req: SuggestInput, found: list[PiiMatch]) -> list[dict]:
        """Greedily, the best-scored ``req.k`` entries that are not near-copies of one already
        taken, fit the channel once composed, and pass every tone check. With a ``topic_diversity``
        weight, an entry whose topics are all covered by the suggestions already taken loses that
        much score: when the topic is uncertain the agent sees replies for the next likely reading
        of the message rather than three versions of the first."""
        tone_ctx = tone.ToneContext(lang=ctx.lang, channel=ctx.channel, needs_private=ctx.needs_private,
                                    pii=ctx.pii, outside_hours=ctx.outside_hours)
        phrases: dict[str, list[str]] = {}
        shown = documents_in(req.text, found)
        penalty = self.bank.spec.weights.get("topic_diversity", 0.0)
        entries = self.bank.entries
        pad = len(self.bank.topic_keys)  # topic_index's padding slot: counts as covered
        slots = self.bank.topic_index[idx]
        has_topic = (slots != pad).any(axis=1)
        covered = np.zeros(pad + 1, dtype=bool)
        covered[pad] = True
        effective = scores.astype(np.float64)  # idx comes in score order: argmax takes the first of ties
        alive = self._can_fit(idx, ctx, req.text, phrases)
        suggestions, seen = [], []
        while alive.any() and len(suggestions) < req.k:
            at = int(np.argmax(np.where(alive, effective, -np.inf)))
            alive[at] = False
            i = int(idx[at])
            grams = self.bank.trigrams(i)  # judged before composing: near-copies cost nothing
            if any(_jaccard(grams, g) >= 0.5 for g in seen) or not self.bank.documents(i) <= shown:
                continue
            e = entries[i]
            for text in self._compose(e, ctx, req.text, phrases):
                report = tone.check_reply(text, tone_ctx, self.tone_model)
                if report.passed:
                    break
            else:
                continue
            seen.append(grams)
            suggestions.append({"id": e.id, "text": text, "score": round(float(effective[at]), 4),
                                "similarity": round(float(sims[at]), 4), "source": e.source,
                                "tone": report.as_flags()})
            if penalty:
                covered[slots[at]] = True
                effective = scores - penalty * (covered[slots].all(axis=1) & has_topic)
        return suggestions

    def _can_fit(self, idx: np.ndarray, ctx: ReplyContext, seed: str, phrases: dict[str, list[str]]) -> np.ndarray:
        """Which entries ``idx`` could fit the channel with the sentences the context adds: a
        tweet that must ask to delete the post and say when we are back rules out most long
        replies, and this bound skips them without composing."""
        kinds = [k for k, on in (("pii_delete", ctx.pii), ("hours_notice", ctx.outside_hours)) if on]
        if not kinds or not len(idx):
            return np.ones(len(idx), dtype=bool)
        limit = CHANNEL_LIMITS.get(ctx.channel, PRIVATE_LIMIT)
        self._phrases(kinds, ctx, seed, phrases)
        add = np.zeros(len(idx))
        b = self.bank
        for kind, has in (("pii_delete", b.asks_delete), ("hours_notice", b.states_hours)):
            if kind in kinds:
                add += _least_added(phrases, [kind]) * ~has[idx]
        return np.array([b.shortest(int(i)) for i in idx]) + add <= limit

    def _templates(self, lang: str, industry: str | None) -> np.ndarray:
        """The templates in ``lang`` for ``industry`` and the generic ones (only those when None)."""
        b = self.bank
        keep_ind = {industry, "any"} if industry else {"any"}
        return np.array([i for i in np.flatnonzero(b.is_template)
                         if b.entries[i].lang == lang and b.entries[i].industry in keep_ind], dtype=np.int64)

    def _last_resort(self, lang: str, industry: str | None, label: str, angry: bool, ctx: ReplyContext,
                     req: SuggestInput, found: list[PiiMatch]) -> list[dict]:
        """The shortest fitting templates, when nothing retrieved could be composed within the
        channel's limit (personal data and closed hours on a tweet need two added sentences):
        an agent always gets a sendable, compliant reply to start from."""
        b = self.bank
        idx = self._templates(lang, industry)
        if not len(idx):
            return []
        idx = idx[self._allowed(idx, label, ctx, angry)]
        idx = idx[np.argsort([len(b.entries[i].text) for i in idx], kind="stable")][:CANDIDATES]
        zeros = np.zeros(len(idx), dtype=np.float32)
        return self._pick(idx, zeros, zeros - np.arange(len(idx), dtype=np.float32) * 1e-3, ctx, req, found)

    # -- the whole thing --------------------------------------------------------------------
    def suggest(self, req: SuggestInput, now: dt.datetime | None = None, outside_hours: bool | None = None) -> dict:
        """What POST /v1/suggest returns for one message."""
        now = now or dt.datetime.now(dt.timezone.utc)
        return self.respond(req, self.analyse(req.text), now, outside_hours)

    def suggest_batch(self, reqs: Sequence[SuggestInput], now: dt.datetime | None = None,
                      outside_hours: bool | None = None, batch_size: int = 32, max_tokens: int = 2048,
                      feature_batch: int = 64) -> list[dict]:
        """``suggest`` for many messages, in input order: the encoder on length-sorted batches of at
        most ``batch_size`` texts and ``max_tokens`` padded tokens (long posts in smaller batches, so
        onnxruntime's memory stays bounded), the heads on ``feature_batch`` rows at a time (their
        n-gram features are dense: 64 rows of an 80k-feature input are 20 MB), then retrieval and
        composition row by row as ``suggest`` does. Same results as ``suggest`` up to the int8
        encoder's sensitivity to batch composition (cosine >= 0.97)."""
        if min(batch_size, max_tokens, feature_batch) < 1:
            raise ValueError(f"batch_size, max_tokens and feature_batch must be at least 1, "
                             f"got {batch_size}, {max_tokens}, {feature_batch}")
        now = now or dt.datetime.now(dt.timezone.utc)
        model = self.predictor.model
        norms = [normalize_for_model(r.text) for r in reqs]
        embs = self._encode_bounded(norms, batch_size, max_tokens)
        out: list[dict] = []
        for lo in range(0, len(reqs), feature_batch):
            hi = min(lo + feature_batch, len(reqs))
            support: list[np.ndarray] = []
            blocks = model.head.blocks(norms[lo:hi], embs[lo:hi], support)
            x = np.hstack(blocks) if len(blocks) > 1 else blocks[0]
            probs = model.head.predict_features(x)
            lexs = blocks[int(model.head.use_embedding) + self.lexical_index] if self.lexical_index is not None \
                else self.lexical.transform(norms[lo:hi])
            aux = {name: h.predict_proba(x, support) for name, h in self.aux.items()}
            del x, blocks
            for j in range(hi - lo):
                out.append(self.respond(reqs[lo + j], Analysis(embs[lo + j], lexs[j], probs[j],
                                                               {name: a[j] for name, a in aux.items()}),
                                        now, outside_hours))
        return out

    def _encode_bounded(self, texts: list[str], batch_size: int, max_tokens: int) -> np.ndarray:
        """Embeddings of ``texts`` in input order, encoded in batches of similar length whose padded
        size (rows x longest) stays within ``max_tokens``."""
        encoder = self.predictor.model.encoder
        out = np.empty((len(texts), encoder.dim), dtype=np.float32)
        if not texts:
            return out
        lengths = [len(e.ids) for e in encoder.tokenize(texts)]
        batch: list[int] = []
        for i in sorted(range(len(texts)), key=lengths.__getitem__):
            if batch and (len(batch) >= batch_size or (len(batch) + 1) * lengths[i] > max_tokens):
                out[batch] = encoder.encode([texts[j] for j in batch], len(batch))
                batch = []
            batch.append(i)
        out[batch] = encoder.encode([texts[j] for j in batch], len(batch))
        return out

    def respond(self, req: SuggestInput, analysis: Analysis, now: dt.datetime, outside_hours: bool | None) -> dict:
        """Triage, retrieval, re-ranking and composition for one analysed message."""
        emb, lex, probs, aux = analysis
        lang = req.lang or guess_lang(req.text)
        (tri,) = self.predictor.triage_from_probs([TriageInput(req.text, req.created_at, req.followers, req.channel)],
                                                  probs[None, :], now)
        found = find_pii(req.text)  # once: the context and the identity-document filter both need it
        ctx, context = self._context(req, lang, tri, aux, now, outside_hours, found)
        industry = self._industry(req)
        topic_p = dict(zip(self.manifest.aux_heads["topic"].labels, aux["topic"], strict=True)) if "topic" in aux else {}
        best = max((t for t in topic_p if industry is None or t.startswith(industry + "::")),
                   key=topic_p.get, default=None)  # "industry::topic"
        context["topic"] = best
        context["industry"] = industry or (best.split("::")[0] if best else None)
        p_urg = np.array([tri.probabilities[lab] for lab in URGENCY_ORDER], dtype=np.float32)
        w = self.bank.spec.weights

        b = self.bank

        def fit(idx: np.ndarray) -> np.ndarray:  # topic and urgency fit (and the template bonus)
            urg = b.urgency_index[idx]
            urg_fit = np.where(urg >= 0, (p_urg @ FIT)[np.maximum(urg, 0)], 0.5)
            return (w.get("topic", 1.0) * b.topic_fit(topic_p, idx) + w.get("urgency", 0.5) * urg_fit
                    + w.get("template", 0.0) * b.is_template[idx])

        idx, sims = self._candidates(emb, lex, lang, industry)
        keep = self._allowed(idx, tri.label, ctx, context["angry"])
        idx, sims = idx[keep], sims[keep]
        fallback = float(sims.max(initial=0.0)) < b.spec.min_similarity
        if fallback:
            # Nothing retrieved fits, so similarity says little: every template for the known industry
            # (else the generic ones) competes on urgency and topic fit, and the topic-diversity rule
            # spreads the suggestions over the likeliest topics.
            idx = self._templates(lang, industry)
            idx = idx[self._allowed(idx, tri.label, ctx, context["angry"])]
            sims, scores = b.similarity_of(emb, lex, idx), fit(idx)
        else:
            scores = w.get("similarity", 1.0) * sims + fit(idx)
        order = np.lexsort((-idx, -sims, -scores))[:CANDIDATES]
        suggestions = self._pick(idx[order], sims[order], scores[order], ctx, req, found)
        if not suggestions:
            suggestions = self._last_resort(lang, industry, tri.label, context["angry"], ctx, req, found)
        out = {**tri.to_dict(), "suggestions": suggestions, "model_version": self.model_version,
               "context": context, "fallback": fallback}
        if fallback:
            out["note"] = ("nada del banco se parece a este mensaje: plantilla para la urgencia y el tema previstos"
                           if lang == "es" else
                           "nothing in the bank fits this message: best template for the predicted urgency and topic")
        return out


def _least_added(phrases: dict[str, list[str]], kinds: Sequence[str]) -> int:
    """The fewest characters the context sentences ``kinds`` can add (each with its space)."""
    return sum(min(map(len, phrases[k]), default=0) + 1 for k in kinds)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(len(a | b), 1)
