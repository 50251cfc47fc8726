"""How llm rules reach their model: endpoint, sampling, retries, budget, cache."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class LlmOptions(BaseModel):
    """`base_url` + `model` (+ `api_key`) name the endpoint; the rest bounds what a run may
    cost and how long it may wait. From `HEGUI_LLM_*` settings or `hegui inspect --llm-*`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str = Field(min_length=1)
    model: str = Field(min_length=1)
    api_key: SecretStr | None = None
    timeout: float = Field(
        default=60.0, gt=0, description="seconds for one call, connect to last byte"
    )
    max_attempts: int = Field(default=3, ge=1, le=10, description="tries of one call (retries + 1)")
    backoff: float = Field(
        default=1.0, ge=0, description="seconds before the first retry, doubling"
    )
    max_backoff: float = Field(default=30.0, ge=0)
    token_budget: int = Field(default=200_000, ge=1, description="tokens one run may spend")
    max_tokens: int = Field(default=400, ge=16, le=8192, description="completion tokens per answer")
    temperature: float = Field(default=0.7, gt=0, le=2, description="> 0: the samples must differ")
    json_mode: bool = Field(
        default=True, description='send response_format {"type": "json_object"}'
    )
    redact: bool = Field(
        default=True, description="replace personal information by tags before sending"
    )
    max_prompt_chars: int = Field(
        default=24_000, ge=1000, description="longer conversations are skipped"
    )
    concurrency: int = Field(default=4, ge=1, le=32, description="samples asked at once")
    cache_dir: Path | None = Field(
        default=None, description="keep answers across runs (else in memory)"
    )
    failures_before_pause: int = Field(
        default=3, ge=1, description="checks failing in a row before llm rules stop for the run"
    )

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"须以 http:// 或 https:// 开头 must start with http(s)://: {value!r}")
        return value

    @property
    def key(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key is not None else None
