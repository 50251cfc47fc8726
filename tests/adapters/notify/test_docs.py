"""docs/notify.md documents every kind and option, and its example runs."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from hegui.adapters.notify import NOTIFIER_KINDS

DOC = (Path(__file__).resolve().parents[3] / "docs" / "notify.md").read_text("utf-8")


@pytest.mark.parametrize("kind", list(NOTIFIER_KINDS))
def test_every_kind_and_option_is_documented(kind: str) -> None:
    assert f"| `{kind}` |" in DOC
    options = NOTIFIER_KINDS[kind].model_fields["options"].annotation
    for option in options.model_fields:  # type: ignore[union-attr]
        assert f"`{option}`" in DOC, option


def test_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code = re.search(r"```python\n(from hegui.adapters.notify import.*?)```", DOC, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "docs/notify.md", "exec"), namespace)
    namespace["ding"].close()  # type: ignore[attr-defined]
    assert capsys.readouterr().out.split() == ["sent", "skipped"]


def test_receiver_snippet_verifies_a_real_signature() -> None:
    from hegui.adapters.notify.webhook import signature

    code = re.search(r"```python\n(import hashlib, hmac, time.*?)```", DOC, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "docs/notify.md", "exec"), namespace)
    verify = namespace["verify"]
    stamp, body = str(int(time.time())), b'{"event":"case.created"}'
    headers = {"X-Hegui-Timestamp": stamp, "X-Hegui-Signature": signature("k", stamp, body)}
    assert verify("k", headers, body) is True  # type: ignore[operator]
    assert verify("k", headers, body + b" ") is False  # type: ignore[operator]
