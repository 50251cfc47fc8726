"""Settings from the environment, and the token key persisted in the data directory."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from hegui.errors import Invalid
from hegui.settings import Settings, prepare_data_dir, token_secret


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("HEGUI_"):
            monkeypatch.delenv(name)


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env()
    assert settings.data_dir == Path("hegui-data")
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'hegui-data' / 'hegui.db'}"
    assert settings.is_sqlite and settings.token_lifetime == timedelta(hours=12)
    assert not (tmp_path / "hegui-data").exists()  # reading settings creates nothing
    prepare_data_dir(settings)
    assert (tmp_path / "hegui-data").is_dir()


def test_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HEGUI_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("HEGUI_DATABASE_URL", "postgresql://u:p@db.example/hegui")
    monkeypatch.setenv("HEGUI_TOKEN_LIFETIME", "3600")
    monkeypatch.setenv("HEGUI_APPEAL_WINDOW", "P14D")
    settings = Settings.from_env()
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db.example/hegui"
    assert not settings.is_sqlite
    assert settings.token_lifetime == timedelta(hours=1)
    assert settings.appeal_window == timedelta(days=14)
    assert settings.data_dir == tmp_path / "d"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEGUI_DATABASE_URL", "mysql://x/y"),
        ("HEGUI_DATABASE_URL", "sqlite://"),
        ("HEGUI_DATABASE_URL", "sqlite:///:memory:"),
        ("HEGUI_TOKEN_LIFETIME", "0"),
        ("HEGUI_TOKEN_LIFETIME", "soon"),
        ("HEGUI_PORT", "70000"),
    ],
)
def test_bad_values_name_their_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(Invalid) as caught:
        Settings.from_env()
    assert caught.value.field == name


def test_secret_is_generated_once_private_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    key = token_secret(settings)
    path = tmp_path / "data" / "secret_key"
    assert len(key) >= 32 and path.stat().st_mode & 0o777 == 0o600
    assert token_secret(Settings(data_dir=tmp_path / "data")) == key
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]


def test_processes_starting_together_agree_on_one_secret(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    keys: list[str] = []
    threads = [
        threading.Thread(target=lambda: keys.append(token_secret(settings))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1


def test_configured_secret_wins_and_must_be_long(tmp_path: Path) -> None:
    assert token_secret(Settings(data_dir=tmp_path, secret_key="s" * 32)) == "s" * 32
    assert not (tmp_path / "secret_key").exists()
    with pytest.raises(Invalid, match="too short") as caught:
        token_secret(Settings(data_dir=tmp_path, secret_key="short"))
    assert caught.value.field == "HEGUI_SECRET_KEY"


def test_secret_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    token_secret(Settings(data_dir=tmp_path))
    (tmp_path / "secret_key").chmod(0o644)
    with pytest.raises(Invalid, match="chmod 600"):
        token_secret(Settings(data_dir=tmp_path))


def test_empty_secret_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    path.write_text("\n")
    path.chmod(0o600)
    with pytest.raises(Invalid, match="no usable key"):
        token_secret(Settings(data_dir=tmp_path))


def test_data_dir_that_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(Invalid, match="cannot create") as caught:
        prepare_data_dir(Settings(data_dir=tmp_path / "file" / "data"))
    assert caught.value.field == "HEGUI_DATA_DIR"
