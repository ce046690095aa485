"""`atiende train` end to end: load data, embed, pick a classifier, export and write the bundle."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import random
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from data.corpus import load_corpus
from data.loaders import load_records
from data.schema import LabeledMessage
from data.split import assign_splits
from data.taxonomy import URGENCY_LABELS
from evaluation.metrics import summarize
from model.decision import decide, threshold_for_recall
from model.bundle import (AuxHeadSpec, BankSpec, EncoderSpec, HeadSpec, Manifest, ToneDetectorSpec, ToneModelSpec,
                          read_manifest)
from model.encoder import OnnxEncoder
from model.suggest import Suggester
from model.tone_model import LearnedTone
from model.text import guess_lang, normalize_for_model
from training import urgency as U
from training.augment import augment
from training.bundle_writer import seal, write_bundle
from training.rank_weights import tune_rank_weights
from training.config import TrainConfig
from training.tone_model import LEARNABLE


log = logging.getLogger(__name__)


@dataclass
class TrainResult:
    bundle_dir: Path
    manifest: Manifest
    candidates: list[U.CandidateResult]
    metrics: dict
    baseline_metrics: dict
    splits: dict[str, list[LabeledMessage]] = field(repr=False, default_factory=dict)


def fingerprint(records: list[LabeledMessage]) -> str:
    h = hashlib.sha256()
    for r in sorted(records, key=lambda r: r.id):
        h.update(f"{r.id}\t{r.text}\t{r.urgency}\n".encode())
    return h.hexdigest()


def load_training_data(cfg: TrainConfig, extra: list[LabeledMessage] | None = None) -> dict[str, list[LabeledMessage]]:
    """The shipped corpus (with its fixed split) plus user files (split here, seeded)."""
    records: list[LabeledMessage] = []
    split_of: dict[str, str] = {}
    if cfg.use_shipped_corpus:
        records, split_of = load_corpus()
    user: list[LabeledMessage] = list(extra or [])
    for path in cfg.data:
        recs, _ = load_records(path, LabeledMessage)
        user.extend(recs)
    if user:
        seen = {r.id for r in records}
        clash = [r.id for r in user if r.id in seen]
        if clash:
            raise ValueError(f"{len(clash)} ids of your data are also corpus ids (e.g. {clash[:3]}); prefix them")
        user = [r if r.lang else r.model_copy(update={"lang": guess_lang(r.text)}) for r in user]
        split_of.update(assign_splits(user, cfg.seed))
        records.extend(user)
    out: dict[str, list[LabeledMessage]] = {"train": [], "validation": [], "test": []}
    for r in records:
        out[split_of[r.id]].append(r)
    for name, recs in out.items():
        missing = set(URGENCY_LABELS) - {r.urgency for r in recs}
        if missing:
            raise ValueError(f"the {name} split has no {sorted(missing)} messages; every label needs examples")
    return out


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="training", unit="step", disable=not enabled)


def run_training(cfg: TrainConfig, progress: bool = True, extra: list[LabeledMessage] | None = None) -> TrainResult:
    """Train, evaluate on the test split, export and write the bundle; return what happened."""
    from training.encoder_torch import load_sentence_encoder
    from training.export import export_encoder, export_head, export_linear, export_tfidf

    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    labels = list(URGENCY_LABELS)
    splits = load_training_data(cfg, extra)
    train_aug = splits["train"] + augment(splits["train"], cfg.augment_copies, cfg.seed)
    n_train = len(train_aug)
    train_aug = train_aug * len(cfg.head_train_variants)  # one row per (text, encoder variant)
    n_steps = 3 + len(cfg.candidates) * len(cfg.c_grid) + 4
    bar = _progress(n_steps, progress)

    def step(msg: str) -> None:
        bar.set_postfix_str(msg)
        bar.update(1)

    st = load_sentence_encoder(cfg.encoder, cfg.max_length)
    dim = int(getattr(st, "get_embedding_dimension", st.get_sentence_embedding_dimension)())
    root = cfg.resolved_bundle_dir().parent
    texts = {k: [normalize_for_model(r.text) for r in v] for k, v in
             {"train": train_aug, "validation": splits["validation"], "test": splits["test"]}.items()}
    y = {"train": [r.urgency for r in train_aug], "validation": [r.urgency for r in splits["validation"]],
         "test": [r.urgency for r in splits["test"]]}

    def export_and_embed(model, name: str) -> tuple[Path, dict[str, str], dict]:
        staging = root / f".staging-{name}-{os.getpid()}"
        files = export_encoder(model, staging, cfg.max_length)
        encs = {v: OnnxEncoder(staging / files[v], staging / "tokenizer" / "tokenizer.json", cfg.max_length)
                for v in {"int8", *cfg.head_train_variants}}
        # Held-out rows are embedded with the variant the bundle serves; training rows once per
        # variant in head_train_variants, so the head does not hinge on quantisation noise.
        emb = {k: encs["int8"].encode(v) for k, v in texts.items() if k != "train"}
        emb["train"] = np.vstack([encs[v].encode(texts["train"][:n_train]) for v in cfg.head_train_variants])
        return staging, files, emb

    tuned = cfg.finetune_steps > 0 and _finetune(st, splits["train"], texts["train"][:len(splits["train"])], cfg)
    step("encoder fine-tuned on topics" if tuned else "no fine-tuning")
    staging, files, emb_of = export_and_embed(st, "encoder")
    del st
    step("encoder exported and embedded")

    vecs = {"char": U.fit_tfidf(texts["train"][:n_train], cfg.char_ngram_range, cfg.char_min_df, cfg.char_max_features),
            "word": U.fit_tfidf(texts["train"][:n_train], cfg.word_ngram_range, cfg.word_min_df,
                                          cfg.word_max_features, analyzer="word")}
    ngrams = {k: {name: vec.transform(v) for name, vec in vecs.items()} for k, v in texts.items()}

    kinds = list(cfg.candidates)
    xs = {k: {kind: U.features(kind, emb_of[k], ngrams[k], cfg.embedding_weight) for kind in kinds} for k in texts}
    step("features")

    results = U.select(kinds, cfg.c_grid, xs["train"], y["train"], xs["validation"], y["validation"],
                       labels, cfg.seed, on_step=lambda: step("candidates"))
    win = U.best(results)

    def tune_thresholds(kind: str, C: float) -> dict[str, float]:
        """A `critical` threshold reaching the target recall on out-of-fold predictions over
        train+validation, so it is set on probabilities like the final model's."""
        if not cfg.critical_recall_target:
            return {}
        from sklearn.model_selection import GroupKFold, cross_val_predict

        x = _vstack(xs["train"][kind], xs["validation"][kind])
        yy = y["train"] + y["validation"]
        groups = [r.group_key for r in train_aug + splits["validation"]]
        clf = U.make_classifier(C, cfg.calibration, cfg.seed)
        oof = cross_val_predict(clf, x, yy, groups=groups, cv=GroupKFold(n_splits=5), method="predict_proba")
        is_crit = np.array([t == "critical" for t in yy])
        p_crit = oof[:, sorted(labels).index("critical")]
        return {"critical": round(threshold_for_recall(p_crit, is_crit, cfg.critical_recall_target), 6)}

    def fit_eval(kind: str, C: float, thresholds: dict[str, float]):
        xtr = _vstack(xs["train"][kind], xs["validation"][kind])
        clf = U.make_classifier(C, cfg.calibration, cfg.seed).fit(xtr, y["train"] + y["validation"])
        if list(clf.classes_) != sorted(labels):
            raise ValueError(f"classifier classes {list(clf.classes_)} != {sorted(labels)}")
        probs = _reorder(clf.predict_proba(xs["test"][kind]), list(clf.classes_), labels)
        return clf, summarize(y["test"], probs, labels, [r.lang or "?" for r in splits["test"]], thresholds)

    thresholds = tune_thresholds(win.kind, win.C)
    clf, metrics = fit_eval(win.kind, win.C, thresholds)
    if thresholds:
        metrics["argmax"] = fit_eval(win.kind, win.C, {})[1]
    char_only = [r for r in results if r.kind == "char"]
    baseline = fit_eval("char", U.best(char_only).C, {})[1] if char_only else {}
    step("final fit")

    x_fit = _vstack(xs["train"][win.kind], xs["validation"][win.kind])
    rows_fit = train_aug + splits["validation"]

    def fit_aux_heads(tmp: Path, n_features: int) -> tuple[dict[str, AuxHeadSpec], dict, tuple[np.ndarray, list]]:
        """The topic and anger heads, their test metrics, and the held-out topic probabilities of
        the validation messages with their classes."""
        from training import aux_heads as A

        topic = A.fit_topic(x_fit, [r.industry for r in rows_fit], [r.topic for r in rows_fit], cfg.seed)
        # The same head on the training split alone: its validation probabilities are held out,
        # which is what choosing the re-ranking weights needs (see training/rank_weights.py).
        heldout = A.fit_topic(xs["train"][win.kind], [r.industry for r in train_aug], [r.topic for r in train_aug],
                              cfg.seed)
        anger = A.fit_anger(x_fit, [r.sentiment for r in rows_fit], cfg.seed)
        export_head(topic, n_features, tmp / "topic.onnx")
        export_head(anger, n_features, tmp / "anger.onnx")
        export_linear(topic, tmp / "topic.linear.npz")
        export_linear(anger, tmp / "anger.linear.npz")
        xt, test = xs["test"][win.kind], splits["test"]
        return ({"topic": AuxHeadSpec(file="topic.onnx", labels=list(topic.classes_), linear="topic.linear.npz"),
                 "anger": AuxHeadSpec(file="anger.onnx", labels=list(anger.classes_), threshold=A.ANGER_THRESHOLD,
                                      linear="anger.linear.npz")},
                {"topic": A.topic_metrics(topic, xt, [r.industry for r in test], [r.topic for r in test]),
                 "anger": A.anger_metrics(anger, xt, [r.sentiment for r in test], A.ANGER_THRESHOLD)},
                (heldout.predict_proba(xs["validation"][win.kind]), list(heldout.classes_)))

    def fit_tone(tmp: Path) -> tuple[ToneModelSpec | None, dict]:
        """Learned tone detectors where they beat the rules on validation (training/tone_model.py)."""
        from data.corpus import TONE_TRAIN_FILE
        from evaluation.tone_eval import labelled_replies, tone_set_rows
        from training.tone_model import fit_tone_detectors

        train_rows = labelled_replies(splits["train"])
        if cfg.use_shipped_corpus and TONE_TRAIN_FILE.is_file():
            train_rows += tone_set_rows(TONE_TRAIN_FILE)
        kept, report = fit_tone_detectors(train_rows, labelled_replies(splits["validation"]),
                                          [vecs["char"], vecs["word"]], cfg.seed)
        for check, (det, _, _) in kept.items():
            export_linear(det, tmp / f"tone_{check}.linear.npz")
        spec = ToneModelSpec(tfidf=["char_tfidf.json", "word_tfidf.json"], detectors={
            c: ToneDetectorSpec(file=f"tone_{c}.linear.npz", threshold=t, mode=m) for c, (_, t, m) in kept.items()})
        return (spec if kept else None), report

    def make_bank(tmp: Path, learned) -> tuple[BankSpec, dict]:
        from training.replies import make_bank as build

        n = len(splits["train"])  # the first rows of train_aug are the originals
        recs, emb, lex = splits["train"], emb_of["train"][:n], ngrams["train"]["char"][:n]
        if cfg.pairs:
            extra_recs, extra_emb, extra_lex = exported_pairs(tmp)
            recs, emb, lex = recs + extra_recs, np.vstack([emb, extra_emb]), _vstack(lex, extra_lex)
        return build(tmp, recs, emb, lex, len(vecs["char"].vocabulary_), splits["validation"],
                     emb_of["validation"], ngrams["validation"]["char"].toarray(), learned=learned)

    def exported_pairs(tmp: Path) -> tuple[list[LabeledMessage], np.ndarray, object]:
        """The user's past (message, reply) pairs as bank rows, labelled by the head just fitted
        (urgency decides which messages a reply may answer; the export has no labels)."""
        from data.twcs import load_twcs

        pairs = [p for path in cfg.pairs for p in load_twcs(path, skip_invalid=True)[0]]
        ptexts = [normalize_for_model(p.text) for p in pairs]
        enc = OnnxEncoder(tmp / files["int8"], tmp / "tokenizer" / "tokenizer.json", cfg.max_length)
        p_emb = enc.encode(ptexts)
        p_ngr = {name: vec.transform(ptexts) for name, vec in vecs.items()}
        probs = _reorder(clf.predict_proba(U.features(win.kind, p_emb, p_ngr,
                                                      cfg.embedding_weight)), list(clf.classes_), labels)
        urg = [labels[i] for i in decide(probs, labels, thresholds)]
        recs = [LabeledMessage(id=f"twcs-{p.id}", text=p.text, lang=p.lang or guess_lang(p.text), urgency=u,
                               reply=p.reply, brand=p.brand, author_handle=p.author_handle)
                for p, u in zip(pairs, urg, strict=True)]
        return recs, p_emb, p_ngr["char"]

    def fill(tmp: Path) -> Manifest:
        for name in [*files.values()]:
            (staging / name).replace(tmp / name)
        (staging / "tokenizer").replace(tmp / "tokenizer")
        parts = U.blocks(win.kind)
        use_emb = "embed" in parts
        tfidf_files = [f"{p}_tfidf.json" for p in parts if p != "embed"]
        # The reply bank's lexical keys and the tone detectors use the char (and word) vocabularies
        # whether or not the head does.
        for name in {p for p in parts if p != "embed"} | {"char", "word"}:
            export_tfidf(vecs[name], tmp / f"{name}_tfidf.json")
        n_features = (dim if use_emb else 0) + sum(len(vecs[p].vocabulary_) for p in parts if p != "embed")
        export_head(clf, n_features, tmp / "urgency.onnx")
        aux_specs, aux_metrics, heldout_topic = fit_aux_heads(tmp, n_features)
        if cfg.tone_detectors:
            tone_spec, tone_report = fit_tone(tmp)
        else:
            tone_spec, tone_report = None, {c: {"kept": False, "why": "tone_detectors = false"} for c in LEARNABLE}
        step("tone detectors")
        bank_spec, bank_metrics = make_bank(tmp, LearnedTone.load(tmp, tone_spec) if tone_spec else None)
        data_fp = fingerprint([r for v in splits.values() for r in v])
        manifest = Manifest(
            model_version=dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S") + "-" + data_fp[:8],
            created_at=dt.datetime.now(dt.timezone.utc), labels=list(clf.classes_),
            encoder=EncoderSpec(name=cfg.encoder + (" (fine-tuned)" if tuned else ""), dim=dim,
                                max_length=cfg.max_length, files=files),
            head=HeadSpec(kind=win.kind, use_embedding=use_emb, tfidf=tfidf_files,
                          embedding_weight=cfg.embedding_weight, input_dim=n_features),
            sla=cfg.sla, thresholds=thresholds, data_fingerprint=data_fp, data_counts=counts(splits),
            metrics={"test": metrics, "baseline_char_test": baseline,
                     "candidates": [r.__dict__ for r in results], "selected": win.__dict__,
                     "aux_test": aux_metrics, "bank": bank_metrics, "tone_detectors": tone_report},
            aux_heads=aux_specs, bank=bank_spec, tone=tone_spec,
            extra={"config": cfg.to_dict()})
        seal(tmp, manifest)  # loadable as it stands, so the real Suggester can rank validation messages
        manifest.bank.weights, manifest.metrics["bank"]["rank_weights"] = tune_rank_weights(
            Suggester(tmp, cache_size=0), splits["validation"], *heldout_topic)
        step("re-ranking weights")
        return manifest

    try:
        bundle = write_bundle(cfg.resolved_bundle_dir(), fill)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    step("bundle written")
    bar.close()
    return TrainResult(bundle, read_manifest(bundle), results, metrics, baseline, splits)


def _finetune(st, train: list[LabeledMessage], texts: list[str], cfg: TrainConfig) -> bool:
    """Fine-tune ``st`` on the topics of the training messages that have one; False (and a
    warning) when they do not name at least two topics with two messages each."""
    from training.aux_heads import topic_label
    from training.finetune import finetune

    rows = [i for i, r in enumerate(train) if r.topic]
    try:
        finetune(st, [texts[i] for i in rows], [topic_label(train[i].industry, train[i].topic) for i in rows],
                 cfg.finetune_steps, batch_size=cfg.finetune_batch_size, lr=cfg.finetune_lr, seed=cfg.seed)
    except ValueError as e:
        log.warning("encoder not fine-tuned: %s", e)
        return False
    return True


def counts(splits: dict[str, list[LabeledMessage]]) -> dict:
    return {name: {"n": len(recs), "urgency": dict(Counter(r.urgency for r in recs)),
                   "lang": dict(Counter(r.lang or "?" for r in recs))} for name, recs in splits.items()}


def _vstack(a, b):
    from scipy import sparse

    return sparse.vstack([a, b]).tocsr() if sparse.issparse(a) else np.vstack([a, b])


def _reorder(probs: np.ndarray, classes: list[str], labels: list[str]) -> np.ndarray:
    return probs[:, [classes.index(lab) for lab in labels]]
