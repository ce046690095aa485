"""Evaluation reports: report.md plus confusion-matrix and reliability-diagram PNGs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evaluation.metrics import reliability


def metrics_table(m: dict) -> str:
    """A Markdown table: overall and per-language macro-F1, critical recall, ECE."""
    rows = ["| slice | n | macro-F1 | critical recall | ECE |", "|---|---|---|---|---|",
            f"| all | {m['n']} | {m['macro_f1']:.3f} | {m['per_class']['critical']['recall']:.3f} | {m['ece']:.3f} |"]
    for lang, v in m.get("per_lang", {}).items():
        rows.append(f"| {lang} | {v['n']} | {v['macro_f1']:.3f} | {v['critical_recall']:.3f} | {v['ece']:.3f} |")
    return "\n".join(rows)


def write_report(m: dict, probs: np.ndarray, y_true_idx: np.ndarray, out_dir: Path, title: str = "Urgency evaluation") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    labels = m["labels"]
    cm = np.array(m["confusion"])
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", color="black")
    fig.tight_layout()
    fig.savefig(out_dir / "confusion_matrix.png", dpi=110)
    plt.close(fig)

    rel = reliability(probs, y_true_idx)
    fig, ax = plt.subplots(figsize=(4.5, 4))
    xs = [r["confidence"] for r in rel if r["count"]]
    ys = [r["accuracy"] for r in rel if r["count"]]
    ax.plot([0, 1], [0, 1], "--", color="grey")
    ax.plot(xs, ys, "o-")
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.set_title(f"ECE = {m['ece']:.3f}")
    fig.tight_layout()
    fig.savefig(out_dir / "reliability.png", dpi=110)
    plt.close(fig)

    per = "\n".join(f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |"
                    for k, v in m["per_class"].items())
    cm_rows = "\n".join(f"| {labels[i]} | " + " | ".join(str(c) for c in row) + " |" for i, row in enumerate(cm))
    text = f"""# {title}

{metrics_table(m)}

## Per class

| label | precision | recall | F1 | support |
|---|---|---|---|---|
{per}

## Confusion matrix (rows: true, columns: predicted)

| | {' | '.join(labels)} |
|---|{'---|' * len(labels)}
{cm_rows}

![confusion matrix](confusion_matrix.png)
![reliability diagram](reliability.png)
"""
    path = out_dir / "report.md"
    path.write_text(text, encoding="utf-8")
    return path
