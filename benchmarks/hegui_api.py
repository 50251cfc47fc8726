"""Every call the benchmarks make into hegui, in one place.

Only public entry points: the `hegui` CLI (as a subprocess and as the Typer app in
process), `Inspector`, `RuleLibrary`, `hegui.packs` and `hegui.formats.jsonl`. When the
engine's internals move, this is the file to adapt; the rest of benchmarks/ sees plain
data (paths, dicts, counts and seconds).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hegui import Conversation
from hegui.catalog import LibraryCache
from hegui.cli.main import app
from hegui.engine.library import PackedRule, RuleLibrary
from hegui.engine.session import Session, inspect
from hegui.formats.jsonl import LineError, finding_json, read_conversations
from hegui.inspector import EngineConfig, build_inspector
from hegui.lexicon import default_lexicon
from hegui.models import semantic_model
from hegui.packs import available_packs, load_pack_text, packs_for_industry, shipped_path, taxonomy


def cli_command() -> list[str]:
    """The installed `hegui` entry point beside this interpreter (else `python -m hegui`)."""
    script = Path(sys.executable).parent / "hegui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "hegui"]


def cli_inprocess(args: Sequence[str]) -> int:
    """`hegui ARGS` through the same Typer app the console script runs; stderr discarded."""
    with contextlib.redirect_stderr(io.StringIO()):
        code = app(list(args), standalone_mode=False)
    return int(code or 0)


def parse(lines: list[str]) -> list[Conversation]:
    out = []
    for item in read_conversations(lines, "<corpus>"):
        if isinstance(item, LineError):
            raise ValueError(f"语料有误 bad corpus line: {item}")
        out.append(item)
    return out


def utterance_count(conversations: Sequence[Conversation]) -> int:
    return sum(len(c.utterances) for c in conversations)


def industry_of(conversation: Conversation) -> str:
    return conversation.industry or "general"


class Shipped:
    """The shipped packs as `hegui inspect` uses them: one Inspector, packs per industry."""

    def __init__(self, backend: str) -> None:
        self.config = EngineConfig(backend=backend)  # type: ignore[arg-type]
        self.inspector = build_inspector(self.config)

    def build(self, conversations: Sequence[Conversation]) -> None:
        """Load and compile the one library of every shipped pack, cold (a fresh cache)."""
        self.inspector = build_inspector(self.config, cache=LibraryCache())

    def backend(self, conversation: Conversation) -> str:
        return str(self.inspector.library.backend)

    def inspect(self, conversations: Sequence[Conversation]) -> list[Any]:
        return [f for c in conversations for f in self.inspector.inspect(c)]

    def feed_one_by_one(self, conversation: Conversation) -> Any:
        """A live session and the utterances to feed it (`session.feed(u)`, then close)."""
        return self.inspector.session(conversation), conversation.utterances


def serialise(findings: Sequence[Any]) -> list[str]:
    return [finding_json(f) for f in findings]


def shipped_pack_files(industry: str) -> list[Path]:
    return [shipped_path(name) for name in packs_for_industry(industry)]


def all_shipped_pack_files() -> list[Path]:
    return [shipped_path(name) for name in available_packs()]


def parse_pack(pack: dict[str, Any]) -> list[PackedRule]:
    """A pack given as data (JSON is YAML), validated as `hegui` validates a rules file."""
    spec = load_pack_text(json.dumps(pack, ensure_ascii=False), "<generated>")
    return [PackedRule(spec.pack, rule) for rule in spec.rules]


def compile_rules(rules: list[PackedRule], backend: str) -> RuleLibrary:
    return RuleLibrary(
        rules, taxonomy(), backend=backend, lexicon=default_lexicon(), semantic=semantic_model()
    )


def library_facts(library: RuleLibrary) -> dict[str, Any]:
    literals = getattr(library, "literals", None)
    return {
        "backend": str(library.backend),
        "literals": None if literals is None else len(literals),
    }


def library_inspect(library: RuleLibrary, conversations: Sequence[Conversation]) -> int:
    return sum(len(inspect(library, c)) for c in conversations)


def library_session(library: RuleLibrary, conversation: Conversation) -> Any:
    return Session(library, conversation), conversation.utterances
