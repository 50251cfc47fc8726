"""A real console for browser tests: `hegui`'s app served by uvicorn on 127.0.0.1 over a
file SQLite platform with one user per role and inspected sample conversations, and Debian's
Chromium driven by Playwright (`bash scripts/chromium.sh` installs it and sets
HEGUI_TEST_CHROMIUM; without it these tests skip, saying why — under CI=true they fail).

Screenshots of every page go to `.work/screenshots/` (or HEGUI_SCREENSHOTS), kept as test
artefacts to look at.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hegui.api import create_app
from hegui.bootstrap import Platform, bootstrap
from hegui.settings import Settings
from tests.api.conftest import PASSWORD, SEED_USERS
from tests.api.live import serving
from tests.db_fixtures import TEST_SECRET, cheap_passwords
from tests.services.ingest_support import drain

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ENV = "HEGUI_TEST_CHROMIUM"
SHOTS = Path(os.environ.get("HEGUI_SCREENSHOTS", ROOT / ".work" / "screenshots"))
VIEWPORT = {"width": 1366, "height": 768}  # a laptop


@dataclass
class Console:
    url: str
    platform: Platform

    def credentials(self, role: str) -> tuple[str, str]:
        return SEED_USERS[role]["username"], PASSWORD


def chromium_path() -> str:
    path = os.environ.get(CHROMIUM_ENV, "")
    if not path:
        why = f"no browser: set {CHROMIUM_ENV} (run the tests through bash scripts/test)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {why}")
        pytest.skip(why)
    return path


def samples() -> list[dict[str, Any]]:
    lines = (ROOT / "examples" / "calls.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    with running_console(tmp_path_factory) as served:
        yield served


@contextmanager
def running_console(tmp_path_factory: pytest.TempPathFactory, **options: Any) -> Iterator[Console]:
    """The console served over a fresh platform (`options`: more settings), seeded."""
    data = tmp_path_factory.mktemp("console") / "data"
    settings = Settings(data_dir=data, database_url="", secret_key=TEST_SECRET, **options)
    platform = bootstrap(settings, passwords=cheap_passwords())
    try:
        with platform.db.transaction() as session:
            for spec in SEED_USERS.values():
                platform.users.create(session, {**spec, "password": PASSWORD}, actor="seed")
            items = samples()
            for item in items:  # the seeded agent A-17 of team east-1 owns the first calls
                if item["id"] in {items[0]["id"], items[1]["id"]}:
                    item["agent"] = {"id": "A-17", "team": "east-1"}
            platform.conversations.submit(session, items, actor="seed")
        drain(platform)
        with serving(create_app(platform)) as url:
            yield Console(url, platform)
    finally:
        platform.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        context.close()


def shot(page: Any, name: str, full_page: bool = True) -> None:
    """The whole page, or (full_page=False) what the viewport shows without scrolling."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)
