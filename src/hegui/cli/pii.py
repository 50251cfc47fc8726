"""`hegui pii scan` and `hegui mask`: the PII detector and masking policies on the command line."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
import yaml

from hegui.engine.pii import PII_TYPES, MaskPolicy, PiiDetector, TurnScan, mask_text
from hegui.packs import safe_yaml

pii_app = typer.Typer(help="个人信息识别 Personal-information detection.", no_args_is_help=True)

PRESETS = ("tag", "full", "partial", "hash", "fpe")


@pii_app.command("scan")
def scan_command(
    types: Annotated[
        str | None, typer.Option(help="Comma-separated PII types to report (default: all).")
    ] = None,
) -> None:
    """识别文本中的个人信息 Read plain-text lines on stdin; write one JSON object per line:
    {"entities": [{"type", "start", "end", "text", "score"}]}, offsets in characters of that line.
    """
    detector = PiiDetector(_parse_types(types))
    _utf8_stdio()
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        entities = [e.to_dict() for e in detector.scan(text)]
        out.write(json.dumps({"entities": entities}, ensure_ascii=False) + "\n")
    out.flush()


def mask_command(
    file: Annotated[str, typer.Argument(help="Conversation JSONL file, or - for stdin.")],
    policy: Annotated[
        str,
        typer.Option(help=f"A preset ({', '.join(PRESETS)}) or a YAML/JSON policy file."),
    ] = "tag",
    salt: Annotated[
        str | None,
        typer.Option(help="Salt/key for the hash and fpe operators.", envvar="HEGUI_MASK_SALT"),
    ] = None,
) -> None:
    """对话脱敏 Mask personal information in conversations (JSONL in, JSONL out).

    Unknown fields are kept; a malformed line is reported with its number and skipped."""
    try:
        mask_policy = load_mask_policy(policy, salt or "")
    except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:
        typer.echo(f"错误 error: 脱敏策略无效 bad mask policy {policy!r}: {exc}", err=True)
        raise typer.Exit(2) from exc
    detector = PiiDetector()
    _utf8_stdio()
    skipped = 0
    with _open(file) as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = _mask_record(json.loads(line), detector, mask_policy)
            except (json.JSONDecodeError, ValueError) as exc:
                typer.echo(f"line {number}: skipped: {exc}", err=True)
                skipped += 1
                continue
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if skipped:
        raise typer.Exit(1)


def load_mask_policy(spec: str, salt: str) -> MaskPolicy:
    """A preset name, or a YAML/JSON file holding {"default", "types", "salt"}."""
    if spec in PRESETS:
        return MaskPolicy.preset(spec, salt=salt)
    data = safe_yaml.load_file(Path(spec))
    if not isinstance(data, Mapping):
        raise ValueError("策略文件必须是映射 a policy file holds a mapping")
    return MaskPolicy.from_mapping(data, salt=salt)


def _mask_record(record: Any, detector: PiiDetector, policy: MaskPolicy) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise ValueError("a conversation is a JSON object")
    utterances = record.get("utterances")
    if not isinstance(utterances, list):
        raise ValueError("'utterances' must be a list")
    turns: list[tuple[str, str]] = []
    for i, utterance in enumerate(utterances):
        if not isinstance(utterance, dict) or not isinstance(utterance.get("text"), str):
            raise ValueError(f"utterance {i} has no text")
        turns.append((str(utterance.get("role", "")), utterance["text"]))
    scan = TurnScan(detector, turns)
    masked = [
        {**u, "text": mask_text(text, found, policy)} if (found := scan.entities(i)) else u
        for i, (u, (_, text)) in enumerate(zip(utterances, turns, strict=True))
    ]
    return {**record, "utterances": masked}


def _utf8_stdio() -> None:
    """JSON lines are UTF-8 whatever the locale says (CI often runs with LANG=C)."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")


def _parse_types(types: str | None) -> list[str] | None:
    if types is None:
        return None
    wanted = [t.strip() for t in types.split(",") if t.strip()]
    unknown = sorted(set(wanted) - set(PII_TYPES))
    if unknown:
        raise typer.BadParameter(f"unknown types {unknown}; known: {', '.join(PII_TYPES)}")
    return wanted


@contextmanager
def _open(name: str) -> Iterator[TextIO]:
    """`-` is stdin; anything else a UTF-8 file (one that cannot be read exits with code 2)."""
    if name == "-":
        yield sys.stdin
        return
    path = Path(name)
    if not path.is_file():
        typer.echo(f"error: cannot read {name}: no such file", err=True)
        raise typer.Exit(2)
    with path.open(encoding="utf-8") as stream:
        yield stream
