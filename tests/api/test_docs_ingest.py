"""docs/api.md's submission example runs against a real server with its worker."""

from __future__ import annotations

import re

import httpx
import pytest

from hegui.api import create_app
from hegui.bootstrap import Platform
from hegui.runtime import Runtime
from tests.api.live import serving
from tests.api.test_docs import API_DOC


def test_the_submission_example_runs(
    fresh_platform: Platform, capsys: pytest.CaptureFixture[str]
) -> None:
    code = re.search(r"```python\n(import time\n.*?)```", API_DOC, re.S)
    assert code is not None
    with fresh_platform.db.transaction() as session:
        spec = {"username": "alice", "password": "change-me-1", "role": "admin"}
        fresh_platform.users.create(session, spec, actor="seed")
    runtime = Runtime(fresh_platform, workers=1, schedule=[], poll=0.05)
    with serving(create_app(fresh_platform)) as url, runtime:
        source = code.group(1).replace('"http://127.0.0.1:8000"', repr(url))
        exec(compile(source, "docs/api.md", "exec"), {"httpx": httpx})
    assert capsys.readouterr().out.splitlines() == ["['call-1'] []", "[[8, 10]]", "True"]
