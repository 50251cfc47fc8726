"""Everything a user can call or write is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from hegui.cli.main import app
from hegui.engine.rules.schema import CONDITION_KEYS, RULE_KINDS, Scope

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")
RULES_DOC = (ROOT / "docs" / "rules.md").read_text("utf-8")


def commands(group: typer.Typer, prefix: str = "hegui") -> list[str]:
    out = [f"{prefix} {c.name or c.callback.__name__}" for c in group.registered_commands]  # type: ignore[union-attr]
    for sub in group.registered_groups:
        out.extend(commands(sub.typer_instance, f"{prefix} {sub.name}"))  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("command", [c for c in commands(app) if not c.endswith("version")])
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    assert command in README


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_every_rule_kind_is_documented(kind: str) -> None:
    assert f"`{kind}" in RULES_DOC


@pytest.mark.parametrize("key", list(CONDITION_KEYS))
def test_every_condition_is_documented(key: str) -> None:
    assert re.search(rf"`{key}:", RULES_DOC)


@pytest.mark.parametrize("field", list(Scope.model_fields))
def test_every_scope_field_is_documented(field: str) -> None:
    assert f"{field}:" in RULES_DOC


def test_readme_commands_exist() -> None:
    for script in ("scripts/run", "scripts/test", ".ci/run"):
        assert (ROOT / script).exists()
        assert f"bash {script}" in README or script == ".ci/run"
    assert "RESULTS_TABLE" not in README and "FP_TABLE" not in README


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code = re.search(r"```python\n(from hegui import Inspector.*?)```", README, re.S)
    assert code is not None
    exec(compile(code.group(1), "README.md", "exec"), {})
    assert "securities.promise.baoben" in capsys.readouterr().out
