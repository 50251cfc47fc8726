"""Configuration of the platform (`HEGUI_*` environment variables) and its on-disk secret.

Constructed by an entrypoint (`hegui serve`, a CLI command, a worker) and handed to
`hegui.bootstrap`; nothing here runs at import.
"""

from __future__ import annotations

import os
import secrets
import stat
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hegui.errors import Invalid

SECRET_FILE = "secret_key"
# How cases of a severity are announced: at once, in a daily or weekly digest, or not at all.
NotifyMode = Literal["immediate", "daily", "weekly", "none"]
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HEGUI_", frozen=True)

    data_dir: Path = Field(Path("hegui-data"), description="数据目录 data directory (created)")
    database_url: str | None = Field(
        None, description="postgresql+psycopg://… ; default: SQLite file in data_dir"
    )
    secret_key: SecretStr | None = Field(
        None, description="token signing key; default: generated into data_dir/secret_key"
    )
    token_lifetime: timedelta = Field(timedelta(hours=12), gt=timedelta(0))
    appeal_window: timedelta = Field(timedelta(days=7), gt=timedelta(0))
    db_busy_timeout: float = Field(30.0, gt=0, description="seconds SQLite waits for a lock")
    mask_policy: str = Field(
        "partial", description="tag | partial | full | hash | fpe, or a YAML/JSON policy file"
    )
    mask_salt: SecretStr | None = Field(None, description="key of the hash and fpe policies")
    raw_text_key: SecretStr | None = Field(
        None, description="base64 AES-256 key: keep raw text encrypted (unset: not kept)"
    )
    job_lease: timedelta = Field(timedelta(seconds=60), gt=timedelta(0))
    max_request_bytes: int = Field(
        20 * 1024 * 1024, gt=0, description="largest request body hegui serve accepts (413)"
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # The ledger (docs/ledger.md): time to handle a case and how to notify, by severity;
    # calibration sampling; training assignments.
    due_high: timedelta = Field(timedelta(hours=1), gt=timedelta(0))
    due_medium: timedelta = Field(timedelta(hours=24), gt=timedelta(0))
    due_low: timedelta = Field(timedelta(days=7), gt=timedelta(0))
    notify_high: NotifyMode = "immediate"
    notify_medium: NotifyMode = "daily"
    notify_low: NotifyMode = "weekly"
    calibration_share: float = Field(
        0.02, ge=0, le=1, description="share of conversations without findings sent to review"
    )
    # Which model scores `semantic:` rule conditions: the shipped n-gram model, or a
    # sentence-embedding model from a local folder (docs/engine.md, "Semantic model").
    semantic_backend: Literal["ngram", "embedding"] = "ngram"
    embedding_model: Path | None = Field(None, description="local sentence-transformers folder")
    # The sentiment model's findings beside the rules (model.sentiment.*), off by default.
    sentiment: bool = False
    # The conversation verdict model (hegui.engine.textmodel.verdicts) on the missing-duty
    # categories, on by default with the industry's packs; HEGUI_VERDICTS=0 turns it off.
    verdicts: bool = True
    training_threshold: int = Field(3, ge=1, le=10_000)
    training_period: Literal["week", "month"] = "month"
    scorecards: Path | None = Field(
        None, description="folder of the institution's scorecard YAML files (docs/scorecards.md)"
    )
    # llm rules (docs/rules.md, "llm"): an OpenAI-compatible endpoint; unset, they do not run.
    llm_base_url: str | None = Field(None, description="e.g. http://localhost:8000/v1")
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(60.0, gt=0, description="seconds per call")
    llm_token_budget: int = Field(200_000, ge=1, description="tokens per worker inspector")
    llm_cache_dir: Path | None = Field(None, description="keep answers here across restarts")
    # POST /api/v1/audio (docs/audio.md): the recogniser and its local model directory.
    asr: Literal["none", "fake", "funasr", "faster-whisper"] = Field(
        "none", description="speech recogniser; none: timing only, text left empty"
    )
    asr_model: Path | None = Field(
        None, description="local model directory of the recogniser (fake: a script file)"
    )
    # The recordings POST /api/v1/audio keeps, played back on the case page.
    keep_audio: bool = Field(True, description="keep uploaded recordings (false: discard)")
    audio_dir: Path | None = Field(
        None, description="folder of kept recordings; default: data_dir/audio (created)"
    )

    @field_validator(
        "token_lifetime",
        "appeal_window",
        "job_lease",
        "due_high",
        "due_medium",
        "due_low",
        mode="before",
    )
    @classmethod
    def _seconds(cls, value: object) -> object:
        # Environment values are strings; "3600" means seconds, as the docs say.
        if isinstance(value, str) and value.strip().replace(".", "", 1).isdigit():
            return float(value)
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str | None) -> str | None:
        if url is None or url.strip() == "":
            return None
        url = url.strip()
        for plain in ("postgres://", "postgresql://"):
            if url.startswith(plain):
                # psycopg 3 is the driver we ship; SQLAlchemy's default would be psycopg2.
                return "postgresql+psycopg://" + url[len(plain) :]
        if url.startswith("postgresql+psycopg://"):
            return url
        if url.startswith("sqlite://"):
            if url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url:
                raise ValueError("不支持内存数据库 in-memory SQLite would lose every change")
            return url
        raise ValueError(
            "仅支持 sqlite:// 与 postgresql+psycopg:// only SQLite and PostgreSQL are supported"
        )

    @model_validator(mode="after")
    def _llm_pair(self) -> Settings:
        if bool(self.llm_base_url) != bool(self.llm_model):
            raise ValueError("HEGUI_LLM_BASE_URL 与 HEGUI_LLM_MODEL 须同时设置 set both or neither")
        return self

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Read the environment; a bad value raises `Invalid` naming its variable."""
        try:
            return cls(**overrides)  # type: ignore[arg-type]
        except ValidationError as exc:
            first = exc.errors()[0]
            name = "HEGUI_" + str(first["loc"][0]).upper() if first["loc"] else "HEGUI_*"
            raise Invalid(name, f"设置无效 invalid setting: {first['msg']}") from exc

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'hegui.db').resolve()}"

    @property
    def audio_path(self) -> Path:
        """Where recordings are kept: `audio_dir`, else `data_dir/audio`."""
        return self.audio_dir if self.audio_dir is not None else self.data_dir / "audio"

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")


def prepare_data_dir(settings: Settings) -> Path:
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Invalid(
            "HEGUI_DATA_DIR", f"无法创建数据目录 cannot create {settings.data_dir}: {exc}"
        ) from exc
    return settings.data_dir


def token_secret(settings: Settings) -> str:
    """The configured key, else the one persisted in the data directory (created once)."""
    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value()
        if len(key) < MIN_SECRET_LENGTH:
            raise Invalid(
                "HEGUI_SECRET_KEY",
                f"密钥太短 too short: at least {MIN_SECRET_LENGTH} characters",
            )
        return key
    path = prepare_data_dir(settings) / SECRET_FILE
    if not path.exists():
        _create_secret_file(path)
    return _read_secret_file(path)


def _create_secret_file(path: Path) -> None:
    # Written aside and linked into place: two processes starting at once agree on one key,
    # and no reader ever sees a half-written file.
    tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def _read_secret_file(path: Path) -> str:
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise Invalid(
            "HEGUI_SECRET_KEY",
            f"密钥文件权限过宽 {path} is readable by others: chmod 600 {path}",
        )
    key = path.read_text("ascii").strip()
    if len(key) < MIN_SECRET_LENGTH:
        raise Invalid("HEGUI_SECRET_KEY", f"密钥文件损坏 {path} holds no usable key")
    return key
