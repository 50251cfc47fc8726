"""What `hegui inspect` says on stderr — skipped lines, errors, progress, the summary — and
the exit code it ends with (docs/cli.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text

from hegui.cli.exits import ExitCode
from hegui.cli.inspect_io import Inputs, Output
from hegui.cli.inspect_run import Chunk, Outcome
from hegui.formats.jsonl import IdSet, duplicate_message

PROGRESS_FROM = 256 << 10
"""Inputs smaller than this (≈ 200 conversations) finish before a bar is worth drawing."""

SEVERITIES = ("high", "medium", "low")


class FailOn(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"

    def levels(self) -> tuple[str, ...]:
        """This severity and those above it."""
        return SEVERITIES[: SEVERITIES.index(self.value) + 1]


@dataclass
class Tally:
    conversations: int = 0
    utterances: int = 0
    severities: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    crashed: int = 0
    unreadable: int = 0
    reviews: int = 0

    def exit_code(self, fail_on: FailOn | None) -> int:
        """A bug beats a bad input file beats --fail-on beats skipped lines: the more
        serious condition wins; stderr lists them all."""
        if self.crashed:
            return ExitCode.INTERNAL
        if self.unreadable:
            return ExitCode.USAGE
        if fail_on and any(self.severities[s] for s in fail_on.levels()):
            return ExitCode.FAIL_ON
        if self.skipped:
            return ExitCode.SKIPPED
        return ExitCode.OK

    def summary(self) -> str:
        s = self.severities
        return (
            f"质检完成 inspected {self.conversations} conversations, {self.utterances} "
            f"utterances: {s.total()} findings (high {s['high']}, medium {s['medium']}, "
            f"low {s['low']}); skipped {self.skipped} lines"
            + (f"; {self.reviews} llm findings to review" if self.reviews else "")
            + (f"; {self.crashed} internal errors" if self.crashed else "")
        )


class Reporter:
    """Takes outcomes in input order: writes findings, reports the rest, counts."""

    def __init__(self, err: Console, output: Output) -> None:
        self.err = err
        self.output = output
        self.tally = Tally()
        self._ids = IdSet()
        self.progress: ByteProgress | None = None

    def emit(self, chunk: Chunk, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self._one(chunk.source, outcome)
        if self.progress is not None:
            self.progress.advance(chunk.size, self.tally.conversations)

    def _one(self, source: str, outcome: Outcome) -> None:
        where = f"{source}:{outcome.line}: "
        if outcome.problem is not None:
            self.skip(where + outcome.problem)
        elif outcome.crash is not None:
            self.tally.crashed += 1
            self.say(
                Text.assemble(
                    ("内部错误 internal error ", "bold red"),
                    f"{where}{outcome.conversation_id!r:.80}: {outcome.crash} — "
                    "请报告 please report",
                )
            )
        elif outcome.conversation_id is None:
            return  # a blank line
        elif not self._ids.add(outcome.conversation_id):
            self.skip(where + duplicate_message(outcome.conversation_id))
        else:
            self.output.add(outcome.payload)
            self.tally.conversations += 1
            self.tally.utterances += outcome.utterances
            self.tally.severities.update(outcome.severities)
            self.tally.reviews += outcome.reviews
        for notice in outcome.notices:
            self.say(Text.assemble(("注意 notice ", "yellow"), notice))

    def skip(self, message: str) -> None:
        self.tally.skipped += 1
        self.say(Text.assemble(("跳过 skipped ", "yellow"), message))

    def unreadable(self, name: str, exc: OSError) -> None:
        self.tally.unreadable += 1
        self.say(Text(f"无法读取 cannot read {name}: {exc.strerror or exc}", style="red"))

    def say(self, text: Text) -> None:
        # Text, never markup: a role or id like "[/x]" must be printed, not parsed
        self.err.print(text, highlight=False, soft_wrap=True)


class ByteProgress:
    """Progress by bytes read: needs no count of the conversations ahead."""

    def __init__(self, progress: Progress, total: int) -> None:
        self._progress = progress
        self._task: TaskID = progress.add_task("inspect", total=total, conversations=0)

    def advance(self, size: int, conversations: int) -> None:
        self._progress.update(self._task, advance=size, conversations=conversations)


@contextmanager
def progress_bar(inputs: Inputs, err: Console) -> Iterator[ByteProgress | None]:
    """For regular files on a terminal; none for pipes, logs or small inputs."""
    total = inputs.regular_bytes()
    if not err.is_terminal or total is None or total < PROGRESS_FROM:
        yield None
        return
    with Progress(
        TextColumn("质检 inspecting"),
        BarColumn(),
        DownloadColumn(binary_units=True),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[conversations]} conversations"),
        console=err,
        transient=True,
    ) as progress:
        yield ByteProgress(progress, total)
