"""Give new corpus records a split; records that already have one keep it.

Usage: python -m data.corpus.tools.assign
"""

from __future__ import annotations

import json

from data.corpus import SPLITS_FILE, load_corpus
from data.split import assign_splits


def main() -> None:
    records, _ = load_corpus(with_splits=False)
    old = json.loads(SPLITS_FILE.read_text(encoding="utf-8")) if SPLITS_FILE.is_file() else {}
    fresh = [r for r in records if r.id not in old]
    new = assign_splits(fresh) if fresh else {}
    merged = {r.id: old.get(r.id) or new[r.id] for r in records}
    SPLITS_FILE.write_text(json.dumps(merged, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(records)} records, {len(fresh)} newly assigned")


if __name__ == "__main__":
    main()
