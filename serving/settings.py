"""Server settings, from ``ATIENDE_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from model.bundle import state_dir

# Ceilings written into the OpenAPI schema; the settings below may only lower them.
TEXT_CEILING = 10_000
BATCH_CEILING = 1_000
K_CEILING = 10


class Settings(BaseSettings):
    """Everything `atiende serve` can be told; each field is also ``ATIENDE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="ATIENDE_", extra="ignore")

    bundle: Path | None = Field(default=None, description="bundle folder; default $ATIENDE_HOME/bundles/current")
    model_uri: str | None = Field(default=None, description="MLflow model URI instead of a folder, "
                                  "e.g. models:/atiende@champion")
    follow_seconds: float = Field(default=0.0, ge=0, description="with a models:/NAME@ALIAS URI, check the alias "
                                  "this often and hot-reload when it moves (0: never)")
    variant: str | None = Field(default=None, description="encoder variant (int8, fp32); default: the bundle's")
    api_key: SecretStr | None = Field(default=None, description="when set, every /v1 call needs it "
                                      "(X-API-Key header or Bearer token)")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed by CORS; empty: none")
    max_body_bytes: int = Field(default=1_000_000, gt=0, description="larger request bodies get 413")
    max_text_chars: int = Field(default=5_000, gt=0, le=TEXT_CEILING)
    max_batch: int = Field(default=500, gt=0, le=BATCH_CEILING, description="messages per /v1/prioritize call")
    inference_workers: int = Field(default=2, gt=0, description="threads running models off the event loop")
    threads: int | None = Field(default=1, description="onnxruntime intra-op threads per session")
    cache_size: int = Field(default=4096, ge=0, description="recent embeddings kept (LRU)")
    feedback_db: Path | None = Field(default=None, description="SQLite file; default $ATIENDE_HOME/feedback.sqlite")
    log_level: str = "INFO"

    def bundle_source(self) -> str:
        return self.model_uri or str(self.bundle or state_dir() / "bundles" / "current")

    def feedback_path(self) -> Path:
        return self.feedback_db or state_dir() / "feedback.sqlite"
