import gzip
import json

import pytest

from data.loaders import DataError, load_records
from data.schema import LabeledMessage, Message

ROWS = [{"id": "a1", "text": "se cayó la fibra en todo el barrio", "urgency": "critical", "lang": "es"},
        {"id": "a2", "text": "thanks for the quick fix!", "urgency": "low", "lang": "en"}]


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_jsonl_csv_parquet_and_gzip_give_the_same_records(tmp_path):
    import pandas as pd

    j = write_jsonl(tmp_path / "m.jsonl", ROWS)
    pd.DataFrame(ROWS).to_csv(tmp_path / "m.csv", index=False)
    pd.DataFrame(ROWS).to_parquet(tmp_path / "m.parquet")
    with gzip.open(tmp_path / "m.jsonl.gz", "wb") as fh:
        fh.write(j.read_bytes())
    loaded = [load_records(tmp_path / n)[0] for n in ("m.jsonl", "m.csv", "m.parquet", "m.jsonl.gz")]
    for recs in loaded:
        assert [(r.id, r.text, r.urgency) for r in recs] == [(r["id"], r["text"], r["urgency"]) for r in ROWS]


def test_hf_dataset_object_and_saved_folder(tmp_path):
    import datasets

    ds = datasets.Dataset.from_list(ROWS)
    recs, _ = load_records(ds)
    assert [r.id for r in recs] == ["a1", "a2"]
    ds.save_to_disk(str(tmp_path / "ds"))
    recs, report = load_records(tmp_path / "ds")
    assert report.loaded == 2 and recs[1].urgency == "low"


@pytest.mark.parametrize("row, field, message", [
    ({"id": "x", "text": "   ", "urgency": "low"}, "text", "text is empty"),
    ({"id": "x", "text": "a" * 10_001, "urgency": "low"}, "text", "10001 characters; the limit is 10000"),
    ({"id": "x", "text": "hola", "urgency": "urgentísimo"}, "urgency", "critical"),
    ({"id": "x", "urgency": "low"}, "text", "missing; found columns"),
])
def test_bad_row_names_file_row_and_field(tmp_path, row, field, message):
    path = write_jsonl(tmp_path / "bad.jsonl", [ROWS[0], row])
    with pytest.raises(DataError, match=message) as err:
        load_records(path)
    assert err.value.row == 2 and err.value.field == field and "bad.jsonl" in str(err.value)


def test_non_utf8_bytes_in_csv_and_jsonl(tmp_path):
    csv_path = tmp_path / "latin1.csv"
    csv_path.write_bytes("id,text,urgency\nb1,ok,low\nb2,".encode() + "facturación".encode("latin-1") + b",high\n")
    with pytest.raises(DataError, match="not valid UTF-8") as err:
        load_records(csv_path)
    assert err.value.row == 3 and err.value.field == "text"
    jl = tmp_path / "latin1.jsonl"
    jl.write_bytes(json.dumps(ROWS[0]).encode() + b"\n" + '{"id": "b2", "text": "añadir", "urgency": "low"}'.encode("latin-1") + b"\n")
    with pytest.raises(DataError, match="not valid UTF-8") as err:
        load_records(jl)
    assert err.value.row == 2


def test_missing_column_in_csv_suggests_a_mapping(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("message,label\nhola,low\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"missing; found columns \['id', 'label', 'message'\]"):
        load_records(path)
    recs, _ = load_records(path, column_mapping={"message": "text", "label": "urgency"})
    assert recs[0].text == "hola" and recs[0].urgency == "low"


def test_duplicate_ids_and_skip_invalid_counts(tmp_path):
    rows = [*ROWS, {"id": "a1", "text": "again", "urgency": "low"}, {"id": "a3", "text": "", "urgency": "low"}]
    path = write_jsonl(tmp_path / "d.jsonl", rows)
    with pytest.raises(DataError, match="duplicate id 'a1' \\(first seen at row 1\\)"):
        load_records(path)
    recs, report = load_records(path, skip_invalid=True)
    assert [r.id for r in recs] == ["a1", "a2"]
    assert (report.rows, report.loaded, len(report.skipped)) == (4, 2, 2)
    assert [e.row for e in report.skipped] == [3, 4]


def test_unparseable_json_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 2: not valid JSON"):
        load_records(path)


def test_unlabelled_messages_get_row_ids(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("text\nhola\nbuenas\n", encoding="utf-8")
    recs, _ = load_records(path, Message)
    assert [r.id for r in recs] == ["row-2", "row-3"]


def test_every_row_invalid_is_an_error_even_when_skipping(tmp_path):
    path = write_jsonl(tmp_path / "e.jsonl", [{"id": "1", "text": "", "urgency": "low"}])
    with pytest.raises(DataError, match="every one of 1 rows is invalid"):
        load_records(path, LabeledMessage, skip_invalid=True)
