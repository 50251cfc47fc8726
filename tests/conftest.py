from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from hegui.engine.library import PackedRule, RuleLibrary
from hegui.engine.model import Conversation, Finding, Utterance
from hegui.packs import load_pack_text, taxonomy

BuildLibrary = Callable[..., RuleLibrary]


@pytest.fixture(params=["hyperscan", "portable"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "hyperscan":
        pytest.importorskip("hyperscan")
    return str(request.param)


def library_from_yaml(rules_yaml: str, backend: str = "auto") -> RuleLibrary:
    text = "pack: t\nindustries: [securities]\nrules:\n" + textwrap.indent(
        textwrap.dedent(rules_yaml), "  "
    )
    spec = load_pack_text(text, "<test>")
    return RuleLibrary([PackedRule("t", r) for r in spec.rules], taxonomy(), backend=backend)


def conv(*utterances: tuple, channel: str = "phone", **kw: object) -> Conversation:
    """conv(("agent", "text"), ("customer", "text", 1.0, 2.0), ...)"""
    utts = tuple(Utterance(*u) for u in utterances)
    return Conversation("c1", utts, channel, kw.pop("industry", "securities"), dict(kw))  # type: ignore[arg-type]


def fired(findings: list[Finding]) -> list[tuple[str, int | None, str | None]]:
    return [(f.rule_id, f.utterance_index, f.matched) for f in findings]


EXAMPLES = "match: [a, b, c]\n    no_match: [d, e, f]"


# Database fixtures (SQLite and PostgreSQL); see tests/db_fixtures.py.
from tests.db_fixtures import (  # noqa: E402, F401
    clock,
    db_backend,
    fresh_db,
    fresh_platform,
    platform,
    session,
    shared_db,
)
