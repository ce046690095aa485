import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from evaluation.metrics import confusion, expected_calibration_error, macro_f1, per_class, summarize
from evaluation.report import write_report

LABELS = ["critical", "high", "normal", "low"]


def random_case(seed=0, n=300):
    rng = np.random.default_rng(seed)
    y = rng.choice(LABELS, n).tolist()
    p = rng.dirichlet(np.ones(4), n)
    return y, p, [LABELS[i] for i in p.argmax(1)]


def test_against_scikit_learn():
    y, _, pred = random_case()
    assert macro_f1(y, pred, LABELS) == pytest.approx(f1_score(y, pred, labels=LABELS, average="macro"))
    np.testing.assert_array_equal(confusion(y, pred, LABELS), confusion_matrix(y, pred, labels=LABELS))
    prec, rec, _, _ = precision_recall_fscore_support(y, pred, labels=LABELS, zero_division=0)
    ours = per_class(y, pred, LABELS)
    assert [ours[k]["precision"] for k in LABELS] == pytest.approx(prec.tolist())
    assert [ours[k]["recall"] for k in LABELS] == pytest.approx(rec.tolist())


def test_ece_of_perfect_and_overconfident_models():
    y_idx = np.array([0, 1, 2, 3] * 25)
    perfect = np.eye(4)[y_idx]
    assert expected_calibration_error(perfect, y_idx) == pytest.approx(0.0)
    wrong = np.eye(4)[(y_idx + 1) % 4]
    assert expected_calibration_error(wrong, y_idx) == pytest.approx(1.0)


def test_report_files(tmp_path):
    y, p, _ = random_case(1, 80)
    m = summarize(y, p, LABELS, ["es", "en"] * 40)
    assert set(m["per_lang"]) == {"es", "en"}
    path = write_report(m, p, np.array([LABELS.index(t) for t in y]), tmp_path)
    text = path.read_text()
    assert "| all | 80 |" in text and "reliability.png" in text
    assert (tmp_path / "confusion_matrix.png").stat().st_size > 1000
