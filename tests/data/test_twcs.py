import pytest

from data.loaders import DataError
from data.twcs import load_twcs, load_twcs_messages, parse_twcs_time
from tests.conftest import SHARED

EXPORT = """tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
10,cust_a,True,Mon Mar 02 10:00:00 +0000 2026,@FibraSur sin señal desde anoche en Palermo,11,
11,FibraSur,False,Mon Mar 02 10:20:00 +0000 2026,"@cust_a Gracias por avisar, ¿nos pasás por DM tu número de cliente? ^Lu",,10
12,FibraSur,False,Mon Mar 02 10:25:00 +0000 2026,@cust_a (segunda respuesta),,10
13,cust_b,True,Mon Mar 02 11:00:00 +0000 2026,nobody answered me,,
"""


def test_pairs_keep_the_first_answer(tmp_path):
    path = tmp_path / "twcs.csv"
    path.write_text(EXPORT, encoding="utf-8")
    pairs, report = load_twcs(path)
    assert [(p.id, p.brand) for p in pairs] == [("10", "FibraSur")]
    assert pairs[0].reply.endswith("^Lu") and pairs[0].created_at.hour == 10
    msgs, _ = load_twcs_messages(path)
    assert [m.id for m in msgs] == ["10", "13"]
    assert report.rows == 4


def test_bad_inbound_value_is_reported(tmp_path):
    path = tmp_path / "twcs.csv"
    path.write_text(EXPORT.replace("13,cust_b,True", "13,cust_b,maybe"), encoding="utf-8")
    with pytest.raises(DataError, match="row 5, field 'inbound'"):
        load_twcs(path)
    pairs, report = load_twcs(path, skip_invalid=True)
    assert len(pairs) == 1 and len(report.skipped) == 1


def test_time_format():
    assert parse_twcs_time("Wed Oct 11 06:55:44 +0000 2017").isoformat() == "2017-10-11T06:55:44+00:00"


@pytest.mark.skipif(not (SHARED / "real-samples" / "twcs_sample.csv").is_file(), reason="no shared real sample here")
def test_real_export_sample_loads():
    path = SHARED / "real-samples" / "twcs_sample.csv"
    pairs, report = load_twcs(path)
    msgs, _ = load_twcs_messages(path)
    assert report.rows > 50 and not report.skipped
    assert 0 < len(pairs) <= len(msgs) < report.rows
    assert all(p.reply.strip() and p.text.strip() for p in pairs)
