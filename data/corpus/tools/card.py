"""Print the count tables of the data card (data/corpus/README.md) from the corpus as it is.

Usage: python -m data.corpus.tools.card
"""

from __future__ import annotations

import statistics
from collections import Counter

from data.corpus import load_corpus
from data.taxonomy import URGENCY_LABELS


def table(recs, row_of, col_of, cols) -> str:
    rows: dict[str, Counter] = {}
    for r in recs:
        rows.setdefault(row_of(r), Counter())[col_of(r)] += 1
    out = ["| | " + " | ".join(cols) + " | total |", "|---|" + "---|" * (len(cols) + 1)]
    for k in sorted(rows):
        out.append(f"| {k} | " + " | ".join(str(rows[k][c]) for c in cols) + f" | {sum(rows[k].values())} |")
    return "\n".join(out)


def main() -> None:
    recs, splits = load_corpus()
    labels = list(URGENCY_LABELS)
    print(f"{len(recs)} records; replies {sum(r.reply is not None for r in recs)}; "
          f"bad replies {sum(r.bad_reply is not None for r in recs)}\n")
    print(table(recs, lambda r: r.industry, lambda r: r.urgency, labels), "\n")
    print(table(recs, lambda r: r.lang, lambda r: r.urgency, labels), "\n")
    print(table(recs, lambda r: splits[r.id], lambda r: r.urgency, labels), "\n")
    print(table(recs, lambda r: splits[r.id], lambda r: r.lang, ["es", "en"]), "\n")
    for field in ("region", "channel", "sentiment", "hard_case", "bad_reply_breaks"):
        c = Counter(getattr(r, field) for r in recs if getattr(r, field) is not None)
        print(f"{field}: " + ", ".join(f"{k} {v}" for k, v in c.most_common()))
    lengths = [len(r.text) for r in recs]
    print(f"pii {sum(r.pii for r in recs)}; outside_hours {sum(r.outside_hours for r in recs)}; "
          f"length {min(lengths)}-{max(lengths)}, median {statistics.median(lengths)}")


if __name__ == "__main__":
    main()
