"""bench/check_rows.py finds lost, duplicated and mislabelled rows in a scored backlog."""

import importlib.util
import json
from pathlib import Path

spec = importlib.util.spec_from_file_location("check_rows", Path(__file__).resolve().parents[2] / "bench" / "check_rows.py")
check_rows = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_rows)


def write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_a_clean_output_passes_and_each_fault_is_counted(tmp_path):
    src = write(tmp_path / "in.jsonl", [{"id": "a", "text": "x"}, "not json", {"id": "c", "text": "y"}])
    good = [{"row": 1, "id": "a", "priority": 0.9, "error": None}, {"row": 2, "id": 2, "priority": None, "error": "bad"},
            {"row": 3, "id": "c", "priority": 0.2, "error": None}]
    res = check_rows.check(src, write(tmp_path / "ok.jsonl", good), sorted_by_priority=True)
    assert res == {"input_rows": 3, "output_rows": 3, "duplicated": 0, "out_of_range": 0, "wrong_id": 0, "errors": 1,
                   "priority_inversions": 0, "missing": 0}
    bad = [good[0], good[0], {"row": 3, "id": "zz", "priority": 0.95, "error": None}]
    res = check_rows.check(src, write(tmp_path / "bad.jsonl", bad), sorted_by_priority=True)
    assert (res["duplicated"], res["missing"], res["wrong_id"], res["priority_inversions"]) == (1, 1, 1, 1)
    assert check_rows.main([src, str(tmp_path / "bad.jsonl")]) == 1
