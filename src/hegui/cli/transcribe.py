"""`hegui transcribe FILE...`: audio calls to conversation JSONL (the input of `hegui
inspect`): speech per channel by VAD, text by the chosen recogniser (docs/audio.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from hegui.cli.admin import err, fail
from hegui.cli.exits import ExitCode
from hegui.engine.vocabulary import INDUSTRIES, ROLES
from hegui.errors import Invalid


def transcribe_command(
    files: Annotated[list[Path], typer.Argument(help="WAV/MP3/M4A files (mono or stereo).")],
    asr: Annotated[
        str,
        typer.Option(
            "--asr", help="识别引擎 none | fake | funasr | faster-whisper (none: timing only)"
        ),
    ] = "none",
    model: Annotated[
        str | None,
        typer.Option("--model", help="本地模型目录 local model directory (fake: a script file)"),
    ] = None,
    channels: Annotated[
        str, typer.Option("--channels", help="立体声角色 roles of the left,right channels")
    ] = "agent,customer",
    mono: Annotated[
        str, typer.Option("--mono", help="单声道角色 role of a mono file, or 'alternate'")
    ] = "agent",
    analysis: Annotated[
        bool, typer.Option("--analysis", help="附音频分析 add silences/overlaps/peaks to metadata")
    ] = False,
    industry: Annotated[
        str | None, typer.Option("--industry", help=f"行业 one of {', '.join(INDUSTRIES)}")
    ] = None,
    output: Annotated[
        str, typer.Option("--out", "-o", help="输出文件 JSONL output file, - for stdout")
    ] = "-",
) -> None:
    """转写录音 Transcribe calls to conversation JSONL (pipe it into `hegui inspect -`).

    One conversation per file, id = the file's name without extension. A file that cannot be
    used (not audio, empty, truncated, too many channels) is reported with its name and
    skipped; the exit code is then 1."""
    # Imported here: decoding and the recognisers would slow every other command's start.
    from hegui.adapters.asr import make_transcriber, transcribe_audio
    from hegui.audio import AudioError

    roles = tuple(part.strip() for part in channels.split(","))
    if len(roles) != 2 or any(role not in ROLES for role in roles):
        fail(f"--channels: 声道角色无效 give two roles (left,right), each one of {ROLES}")
    if mono not in (*ROLES, "alternate"):
        fail(f"--mono: 单声道角色无效 one of {ROLES} or 'alternate'")
    if industry is not None and industry not in INDUSTRIES:
        fail(f"--industry: 未知行业 unknown industry {industry!r}; one of {INDUSTRIES}")
    try:
        transcriber = make_transcriber(asr, model, roles=roles, field="--model")
    except Invalid as exc:
        fail(str(exc))
    fields = {"industry": industry} if industry else None
    skipped = 0
    with _output(output) as out:
        for file, conversation_id in zip(files, _ids(files), strict=True):
            try:
                transcript = transcribe_audio(
                    file,
                    transcriber,
                    conversation_id=conversation_id,
                    roles=roles,
                    mono=mono,
                    with_analysis=analysis,
                    fields=fields,
                )
            except AudioError as exc:
                err.print(f"{exc.name}: {exc.reason}", markup=False)
                skipped += 1
                continue
            out.write(json.dumps(transcript.conversation, ensure_ascii=False) + "\n")
            out.flush()
    if skipped:
        raise typer.Exit(ExitCode.SKIPPED)


def _ids(files: list[Path]) -> list[str]:
    """Each file's stem; a repeated stem gets -2, -3, … (ids must be unique)."""
    seen: dict[str, int] = {}
    ids = []
    for file in files:
        stem = file.stem or file.name
        seen[stem] = seen.get(stem, 0) + 1
        ids.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return ids


class _output:
    def __init__(self, name: str) -> None:
        self.name = name
        self.stream: TextIO = sys.stdout

    def __enter__(self) -> TextIO:
        if self.name != "-":
            try:
                self.stream = open(self.name, "w", encoding="utf-8")
            except OSError as exc:
                fail(f"--out: 无法写入 cannot write {self.name}: {exc.strerror}")
        return self.stream

    def __exit__(self, *_: object) -> None:
        if self.stream is not sys.stdout:
            self.stream.close()
