"""Retraining with a user's own export: TWCS pairs feed the reply bank; labelled files the classifier."""

from __future__ import annotations

import json

from model.bank import BankEntry
from tests.conftest import small_config
from training.pipeline import run_training

EXPORT = """tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
1,cust_1,True,Mon Mar 02 10:00:00 +0000 2026,@RedAndina llevo desde ayer sin fibra en Chapinero y teletrabajo,2,
2,RedAndina,False,Mon Mar 02 10:12:00 +0000 2026,"@cust_1 Gracias por avisarnos. Revisamos tu zona ahora mismo: escríbenos por DM tu número de cliente y te decimos hoy cuándo vuelve el servicio. ^Caro",,1
3,cust_2,True,Mon Mar 02 11:00:00 +0000 2026,@RedAndina my bill shows a roaming charge but I never left the country,4,
4,RedAndina,False,Mon Mar 02 11:30:00 +0000 2026,"@cust_2 Thanks for flagging this. DM us your account number and we'll remove the roaming charge and send you the corrected bill today. - Sam",,3
"""


def test_a_twcs_export_adds_its_replies_to_the_bank(small_data, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    cfg = small_config(small_data, tmp_path / "bundle")
    cfg.pairs = [str(export)]
    result = run_training(cfg, progress=False)
    entries = [BankEntry.from_dict(json.loads(line)) for line in
               (result.bundle_dir / "replies.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = {e.id.removeprefix("pair-"): e for e in entries if e.id.startswith("pair-twcs-")}
    assert set(mine) == {"twcs-1", "twcs-3"}
    assert mine["twcs-1"].lang == "es" and mine["twcs-3"].lang == "en"
    assert "{handle}" in mine["twcs-1"].text and "{agent}" in mine["twcs-1"].text  # templatised
    assert mine["twcs-1"].urgency in ("critical", "high", "normal", "low")
    # The export has no labels: the classifier's training data is unchanged.
    assert sum(len(v) for v in result.splits.values()) == len([line for line in small_data.read_text().splitlines() if line])
