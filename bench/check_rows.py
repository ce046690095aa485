"""Check a scored backlog against its input: every input row exactly once, with its own id.

Streams both files (JSONL in, JSONL out as written by `atiende score`); memory is one byte
per row plus the input ids. Prints the counts and exits 1 on a lost, duplicated or
mislabelled row, or on a broken priority order (``--sorted``).

Usage: python bench/check_rows.py INPUT.jsonl OUTPUT.jsonl [--sorted]
"""

from __future__ import annotations

import json
import sys


def check(src: str, out: str, sorted_by_priority: bool = False) -> dict:
    ids_in: list[str | None] = [None]  # row numbers start at 1
    with open(src, "rb") as fh:
        for line in fh:
            try:
                value = json.loads(line).get("id")
            except (ValueError, AttributeError):  # the bad rows the bench writes on purpose
                value = None
            ids_in.append(None if value is None else str(value))
    n = len(ids_in) - 1
    seen = bytearray(n + 1)
    res = {"input_rows": n, "output_rows": 0, "duplicated": 0, "out_of_range": 0, "wrong_id": 0, "errors": 0,
           "priority_inversions": 0}
    prev = None
    with open(out, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            res["output_rows"] += 1
            k = int(r["row"])
            if not 1 <= k <= n:
                res["out_of_range"] += 1
                continue
            res["duplicated"] += seen[k]
            seen[k] = 1
            res["wrong_id"] += ids_in[k] is not None and str(r["id"]) != ids_in[k]
            res["errors"] += r.get("error") is not None
            p = r.get("priority")
            if sorted_by_priority and p is not None:
                res["priority_inversions"] += prev is not None and p > prev + 1e-9
                prev = p
    res["missing"] = n - sum(seen[1:])
    return res


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    res = check(args[0], args[1], "--sorted" in argv)
    print(json.dumps(res))
    bad = res["duplicated"] + res["missing"] + res["out_of_range"] + res["wrong_id"] + res["priority_inversions"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
