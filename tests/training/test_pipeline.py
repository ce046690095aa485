import json

import pytest

from tests.conftest import small_config
from training.config import TrainConfig
from training.pipeline import run_training


def test_bundle_layout_and_manifest(trained):
    result, bundle = trained
    m = json.loads((bundle / "manifest.json").read_text())
    for f in ("encoder.onnx", "encoder.int8.onnx", "tokenizer/tokenizer.json", "urgency.onnx"):
        assert f in m["files"] and len(m["files"][f]) == 64
    assert sorted(m["labels"]) == ["critical", "high", "low", "normal"]
    assert m["sla"]["minutes"]["critical"] == 15
    assert m["metrics"]["test"]["n"] == len(result.splits["test"])
    assert not list(bundle.parent.glob(".small.tmp-*"))  # the temp folder was renamed, not left behind


def test_same_data_and_config_give_the_same_metrics(trained, small_data, tmp_path):
    first, _ = trained
    again = run_training(small_config(small_data, tmp_path / "again"), progress=False)
    assert again.metrics["macro_f1"] == pytest.approx(first.metrics["macro_f1"], abs=1e-9)
    assert again.manifest.data_fingerprint == first.manifest.data_fingerprint
    assert [c.val_macro_f1 for c in again.candidates] == pytest.approx([c.val_macro_f1 for c in first.candidates])


def test_splits_never_share_a_group(trained):
    result, _ = trained
    groups = {name: {r.group_key for r in recs} for name, recs in result.splits.items()}
    assert not groups["train"] & groups["test"] and not groups["validation"] & groups["test"]


def test_config_errors_name_the_value(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("c_grid = [0.0, 1.0]\n")
    with pytest.raises(ValueError, match="c_grid needs positive values"):
        TrainConfig.from_toml(bad)
    with pytest.raises(ValueError, match="does not exist"):
        TrainConfig.from_toml(tmp_path / "nope.toml")


def test_user_data_is_merged_with_the_corpus_and_split(tmp_path):
    from training.pipeline import load_training_data

    rows = [{"id": f"mine-{i}", "text": f"mensaje de prueba número {i} sobre mi factura", "urgency": lab}
            for i, lab in enumerate(["critical", "high", "normal", "low"] * 10)]
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    cfg = TrainConfig(data=[str(path)])
    splits = load_training_data(cfg)
    mine = {r.id: name for name, recs in splits.items() for r in recs if r.id.startswith("mine-")}
    assert len(mine) == 40 and set(mine.values()) == {"train", "validation", "test"}
    assert all(r.lang == "es" for recs in splits.values() for r in recs if r.id.startswith("mine-"))
    clash = tmp_path / "clash.jsonl"
    clash.write_text(json.dumps({"id": "tel-0001", "text": "hola", "urgency": "low"}), encoding="utf-8")
    with pytest.raises(ValueError, match="also corpus ids"):
        load_training_data(TrainConfig(data=[str(clash)]))


def test_export_rebuilds_the_encoders_of_an_existing_bundle(trained, tmp_path):
    from model.bundle import verify_bundle
    from model.predictor import Predictor, TriageInput
    from training.reexport import reexport_bundle

    _, bundle = trained
    out = tmp_path / "exported"
    m = reexport_bundle(bundle, out, variant="fp32")
    assert m.encoder.default_variant == "fp32" and m.extra["export"]["how"] == "exported from torch"
    assert verify_bundle(out).files.keys() == verify_bundle(bundle).files.keys()
    texts = [TriageInput("me han robado la tarjeta y veo cargos que no hice"), TriageInput("thanks, all sorted!")]
    a = [t.label for t in Predictor(bundle, variant="fp32").triage(texts)]
    b = [t.label for t in Predictor(out).triage(texts)]
    assert a == b
    m2 = reexport_bundle(out, tmp_path / "requantized", from_torch=False)
    assert m2.extra["export"]["how"] == "requantized"


def test_fine_tuning_on_topics_changes_the_shipped_encoder(trained, small_data, tmp_path):
    from model.encoder import OnnxEncoder
    from model.suggest import SuggestInput, Suggester

    _, base = trained
    cfg = small_config(small_data, tmp_path / "tuned").model_copy(update={"finetune_steps": 3, "finetune_batch_size": 8})
    result = run_training(cfg, progress=False)
    assert result.manifest.encoder.name.endswith("(fine-tuned)")
    assert not json.loads((base / "manifest.json").read_text())["encoder"]["name"].endswith("(fine-tuned)")

    def embed(bundle):
        return OnnxEncoder(bundle / "encoder.onnx", bundle / "tokenizer" / "tokenizer.json").encode(["me cobraron dos veces"])

    cos = float((embed(base) @ embed(result.bundle_dir).T)[0, 0])
    assert 0.5 < cos < 0.9999  # moved, not wrecked
    out = Suggester(result.bundle_dir, cache_size=0).suggest(SuggestInput("me cobraron dos veces la factura", k=2))
    assert out["suggestions"]


def test_data_without_topics_is_not_fine_tuned(caplog):
    from data.schema import LabeledMessage
    from training.pipeline import _finetune

    recs = [LabeledMessage(id=f"u{i}", text=f"mensaje {i}", urgency="normal") for i in range(6)]
    cfg = TrainConfig(finetune_steps=5)
    assert _finetune(object(), recs, [r.text for r in recs], cfg) is False  # never touches the model
    assert "not fine-tuned" in caplog.text
