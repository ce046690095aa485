"""Learned tone detectors: fitted on the corpus's labelled replies, kept only where they beat
the rules on validation, exported, and reloaded without scikit-learn with the same scores."""

from __future__ import annotations

import numpy as np
import pytest

from data.corpus import load_corpus
from evaluation.tone_eval import evaluate_rows, labelled_replies
from model.bundle import ToneDetectorSpec, ToneModelSpec
from model.features import NgramTfidf
from model.linear import SparseLinear
from model.text import normalize_for_model
from model.tone import ToneContext, check_reply
from model.tone_model import LearnedTone
from training import urgency as U
from training.export import export_linear, export_tfidf
from training.tone_model import features, fit_tone_detectors, source_balanced_weights

INDUSTRIES = ("bank", "ecommerce", "telecom")


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """Detectors fitted on three industries' labelled replies, exported to a folder."""
    recs, splits = load_corpus()
    recs = [r for r in recs if r.industry in INDUSTRIES]
    train = labelled_replies(recs, splits, ("train",))
    validation = labelled_replies(recs, splits, ("validation",))
    texts = [normalize_for_model(r["text"]) for r in train]
    vecs = [U.fit_tfidf(texts, (2, 5), 2, 40000), U.fit_tfidf(texts, (1, 2), 2, 40000, analyzer="word")]
    kept, report = fit_tone_detectors(train, validation, vecs, seed=13)
    out = tmp_path_factory.mktemp("tone")
    export_tfidf(vecs[0], out / "char_tfidf.json")
    export_tfidf(vecs[1], out / "word_tfidf.json")
    for check, (clf, _, _) in kept.items():
        export_linear(clf, out / f"tone_{check}.linear.npz")
    spec = ToneModelSpec(tfidf=["char_tfidf.json", "word_tfidf.json"], detectors={
        c: ToneDetectorSpec(file=f"tone_{c}.linear.npz", threshold=t, mode=m) for c, (_, t, m) in kept.items()})
    return kept, report, vecs, LearnedTone.load(out, spec), labelled_replies(recs, splits, ("test",))


def test_a_detector_is_kept_only_when_it_beats_the_rules_on_validation(fitted):
    kept, report, *_ = fitted
    assert "offers_solution" in kept  # the rules miss about half of the new writers' step-less replies
    for check, r in report.items():
        if not r["kept"]:
            continue
        best = max(row["f1"] for row in r["grid"] if row["mode"] == r["mode"] and row["threshold"] == r["threshold"])
        assert best > r["rules"]["f1"], check
        assert best == max(row["f1"] for row in r["grid"])


def test_too_few_violations_keeps_the_rules():
    recs, splits = load_corpus()
    rows = labelled_replies([r for r in recs if r.industry == "bank"][:60], splits, ("train",))
    vecs = [U.fit_tfidf([normalize_for_model(r["text"]) for r in rows], (2, 4), 1, 5000)]
    kept, report = fit_tone_detectors(rows, rows, vecs, seed=0)
    assert kept == {}
    assert all(not r["kept"] for r in report.values())


def test_exported_detectors_score_like_scikit_learn(fitted):
    kept, _, vecs, learned, test = fitted
    texts = [r["text"] for r in test[:40]]
    x = features(vecs, [{"text": t} for t in texts])
    for check, (clf, _, _) in kept.items():
        expected = clf.predict_proba(x)[:, 1]
        got = np.array([learned.scores(t)[check] for t in texts])
        np.testing.assert_allclose(got, expected, atol=2e-5)


def test_sparse_row_equals_the_dense_transform(fitted):
    *_, learned, test = fitted
    tfidf: NgramTfidf = learned.tfidf[0]
    text = normalize_for_model(test[0]["text"])
    idx, w = tfidf.sparse(text)
    dense = tfidf.transform([text])[0]
    assert set(np.flatnonzero(dense)) == set(idx.tolist())
    np.testing.assert_allclose(dense[idx], w, atol=1e-6)


def test_learned_detectors_raise_recall_on_held_out_replies(fitted):
    *_, learned, test = fitted
    rules = evaluate_rows([dict(r) for r in test])["checks"]
    both = evaluate_rows([dict(r) for r in test], learned)["checks"]
    kept = list(learned.detectors)
    assert sum(both[c]["tp"] for c in kept) > sum(rules[c]["tp"] for c in kept)
    for c in kept:  # no check loses more than a few true detections to the detector
        assert both[c]["recall"] >= rules[c]["recall"] - 0.1


def _constant(learned: LearnedTone, p: float, mode: str) -> LearnedTone:
    """A detector of offers_solution that always scores ``p`` (zero weights, logit intercept)."""
    width = sum(t.dim for t in learned.tfidf)
    lin = SparseLinear(np.zeros((width, 1), np.float32), np.array([np.log(p / (1 - p))], np.float32), "logistic")
    return LearnedTone(learned.tfidf, {"offers_solution": (lin, 0.5, mode)})


STEPLESS = "Gracias por escribirnos, Marta. Lamentamos mucho lo ocurrido y esperamos que pronto se normalice. ^Lu"
WITH_STEP = "Gracias, Marta. Ya pedimos el reembolso: lo verás en tu tarjeta en 5 días hábiles. ^Lu"


@pytest.mark.parametrize("mode", ["model", "either"])
def test_modes_decide_as_documented(fitted, mode):
    *_, learned, _ = fitted
    ctx = ToneContext(lang="es", channel="twitter")
    assert not check_reply(STEPLESS, ctx).results["offers_solution"].passed  # the rules' verdicts
    assert check_reply(WITH_STEP, ctx).results["offers_solution"].passed
    fires, silent = _constant(learned, 0.9, mode), _constant(learned, 0.1, mode)
    flagged = check_reply(WITH_STEP, ctx, fires).results["offers_solution"]
    assert not flagged.passed and "detector" in flagged.reason and "0.90" in flagged.reason
    # A rule failure stays a failure, with the rule's own reason, when both say so.
    assert check_reply(STEPLESS, ctx, fires).results["offers_solution"] == check_reply(STEPLESS, ctx).results["offers_solution"]
    # Below the threshold, "model" overrules the rule; "either" keeps it.
    assert check_reply(STEPLESS, ctx, silent).results["offers_solution"].passed is (mode == "model")
    # Checks without a detector keep the rules' results.
    assert check_reply(STEPLESS, ctx, fires).results["thanks"] == check_reply(STEPLESS, ctx).results["thanks"]


def test_a_detector_of_the_wrong_width_is_refused(fitted):
    *_, learned, _ = fitted
    lin, t, m = next(iter(learned.detectors.values()))
    with pytest.raises(ValueError, match="features"):
        LearnedTone(learned.tfidf[:1], {"offers_solution": (lin, t, m)})


def test_training_reports_the_detectors_and_the_bundle_loads_them(trained):
    from model.bundle import verify_bundle
    from model.suggest import Suggester

    result, bundle = trained
    report = result.manifest.metrics["tone_detectors"]
    assert set(report) == {"thanks", "non_defensive", "offers_solution", "human"}
    manifest = verify_bundle(bundle)  # every detector file, if any, is hashed
    kept = {c for c, r in report.items() if r["kept"]}
    assert kept == set(manifest.tone.detectors if manifest.tone else ())
    assert (Suggester(bundle, cache_size=0).tone_model is None) == (not kept)


def test_the_same_reply_for_another_customer_is_scored_once(fitted):
    *_, learned, _ = fitted
    before = learned._scores.cache_info()
    a = learned.scores("@marta_g thanks! We've refunded the charge, you'll see it in 3-5 days. ^Ana")
    b = learned.scores("@tom_b99 thanks! We've refunded the charge, you'll see it in 3-5 days. ^Ana")
    after = learned._scores.cache_info()
    assert a == b and after.misses - before.misses == 1 and after.hits - before.hits == 1


def test_classes_are_balanced_within_each_source():
    # corpus: 2 violations in 10; a tone-training file: 6 in 8
    rows = [{"source": "corpus"}] * 10 + [{"source": "tone_train"}] * 8
    y = np.array([1, 1] + [0] * 8 + [1] * 6 + [0, 0], dtype=bool)
    w = source_balanced_weights(rows, y)
    for src in (slice(0, 10), slice(10, 18)):
        ws, ys = w[src], y[src]
        assert ws[ys].sum() == pytest.approx(ws[~ys].sum())  # within a source, neither class outweighs
    assert w[:10].sum() == pytest.approx(10) and w[10:].sum() == pytest.approx(8)  # each source keeps its size
    # one source: scikit-learn's "balanced" class weights, n / (2 * class count)
    one = source_balanced_weights([{}] * 10, y[:10])
    assert one[0] == pytest.approx(10 / 4) and one[5] == pytest.approx(10 / 16)


def test_a_team_can_train_without_the_learned_detectors(small_data, tmp_path):
    from model.suggest import Suggester
    from tests.conftest import small_config
    from training.pipeline import run_training

    cfg = small_config(small_data, tmp_path / "rules-only").model_copy(update={"tone_detectors": False})
    result = run_training(cfg, progress=False)
    report = result.manifest.metrics["tone_detectors"]
    assert result.manifest.tone is None and not any(r["kept"] for r in report.values())
    assert not list((tmp_path / "rules-only").glob("tone_*.linear.npz"))
    assert Suggester(tmp_path / "rules-only", cache_size=0).tone_model is None
