"""Running `hegui inspect`: raw lines in, one `Outcome` per line out, in input order.

With `--jobs N` the parent only splits lines and writes; workers parse, inspect and encode.
Chunks of raw lines go out, encoded findings come back; at most `AHEAD` chunks per worker
are in flight, so memory stays flat whatever the input size.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from hegui.cli.exits import describe
from hegui.cli.inspect_io import Inputs, OutputFormat
from hegui.cli.inspect_table import Row, row
from hegui.cli.quality import BatchExtras
from hegui.cli.workers import Worker, WorkerCrashed
from hegui.engine.model import Finding
from hegui.formats.errors import FormatError
from hegui.formats.jsonl import finding_json, parse_line
from hegui.formats.lines import MAX_LINE, LineReader
from hegui.inspector import Examination, Inspector

CHUNK_LINES = 128
CHUNK_BYTES = 1 << 20
AHEAD = 3


class InspectorFactory(Protocol):
    def inspector(self) -> Inspector: ...


@dataclass(frozen=True, slots=True)
class Chunk:
    source: str
    lines: tuple[tuple[int, bytes | None], ...]
    size: int
    """Bytes of input these lines took (progress)."""
    drain: bool = False
    """The input has nothing more for now (a live pipe): finish what is in flight first."""


@dataclass(frozen=True, slots=True)
class Outcome:
    line: int
    conversation_id: str | None = None
    utterances: int = 0
    severities: dict[str, int] = field(default_factory=dict)
    payload: bytes | tuple[Row, ...] = b""
    problem: str | None = None
    """Why the line was skipped (malformed input)."""
    crash: str | None = None
    """An unexpected error while inspecting it: a bug to report."""
    reviews: int = 0
    """llm findings written for human review (not counted as findings)."""
    notices: tuple[str, ...] = ()
    """What llm rules could not do on it (budget spent, endpoint down)."""


def process_chunk(
    inspector: Inspector, fmt: OutputFormat, chunk: Chunk, extras: BatchExtras | None = None
) -> list[Outcome]:
    return [process_line(inspector, fmt, number, data, extras) for number, data in chunk.lines]


def process_line(
    inspector: Inspector,
    fmt: OutputFormat,
    number: int,
    data: bytes | None,
    extras: BatchExtras | None = None,
) -> Outcome:
    if data is None:
        return Outcome(number, problem=f"行过长 line longer than {MAX_LINE >> 20} MiB")
    cid = None
    try:
        conversation = parse_line(data)
        if conversation is None:
            return Outcome(number)
        cid = conversation.id
        examined = inspector.examine(conversation)
        findings = examined.findings
        payload = encode(fmt, findings, examined)
        if extras is not None and isinstance(payload, bytes):
            payload += extras.lines(conversation, findings)
    except FormatError as exc:
        return Outcome(number, problem=str(exc))
    except Exception as exc:  # an engine bug costs this conversation, not the run
        return Outcome(number, cid, crash=describe(exc))
    severities: dict[str, int] = {}
    for finding in findings:
        severities[finding.severity] = severities.get(finding.severity, 0) + 1
    return Outcome(
        number,
        cid,
        len(conversation.utterances),
        severities,
        payload,
        reviews=len(examined.review),
        notices=tuple(examined.notices),
    )


def encode(
    fmt: OutputFormat, findings: list[Finding], examined: Examination | None = None
) -> bytes | tuple[Row, ...]:
    """Findings, then llm findings for review (marked `"needs_review": true`)."""
    llm = {id(j.finding): j for j in examined.llm} if examined else {}
    review = examined.review if examined else []
    if fmt is OutputFormat.table:
        rows = [row(f) for f in findings]
        return tuple(rows + [row(j.finding)._replace(severity="review") for j in review])
    texts = [_json(llm[id(f)].to_dict()) if id(f) in llm else finding_json(f) for f in findings]
    texts += [_json(j.to_dict()) for j in review]
    if fmt is OutputFormat.json:
        return ",\n".join(texts).encode("utf-8")
    return "".join(text + "\n" for text in texts).encode("utf-8")


def _json(record: dict[str, object]) -> str:
    text = json.dumps(record, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: written as a JSON escape
        return json.dumps(record)
    return text


def read_chunks(
    inputs: Inputs, lines_per_chunk: int, unreadable: Callable[[str, OSError], None]
) -> Iterator[Chunk]:
    for name in inputs.names:
        try:
            with inputs.open(name) as stream:
                yield from _chunks(name, LineReader(stream), lines_per_chunk)
        except OSError as exc:
            unreadable(name, exc)


def _chunks(source: str, reader: LineReader, most: int) -> Iterator[Chunk]:
    lines: list[tuple[int, bytes | None]] = []
    size = 0
    for raw in reader:
        lines.append((raw.number, raw.data))
        size += raw.size
        waiting = not reader.line_ready()
        if waiting or len(lines) >= most or size >= CHUNK_BYTES:
            yield Chunk(source, tuple(lines), size, drain=waiting)
            lines, size = [], 0
    if lines:
        yield Chunk(source, tuple(lines), size)


Emit = Callable[[Chunk, list[Outcome]], None]


@dataclass(frozen=True)
class InspectJob:
    """A worker's job: inspect a numbered chunk, answer with its outcomes."""

    factory: InspectorFactory
    fmt: OutputFormat
    extras: BatchExtras | None = None  # metrics and score lines (--metrics, --scorecard)

    def inspector(self) -> Inspector:
        return self.factory.inspector()

    def handle(self, inspector: Inspector, task: tuple[int, Chunk]) -> tuple[int, list[Outcome]]:
        seq, chunk = task
        return seq, process_chunk(inspector, self.fmt, chunk, self.extras)


def run_serial(
    inspector: Inspector,
    fmt: OutputFormat,
    chunks: Iterator[Chunk],
    emit: Emit,
    extras: BatchExtras | None = None,
) -> None:
    for chunk in chunks:
        emit(chunk, process_chunk(inspector, fmt, chunk, extras))


def run_parallel(
    workers: list[Worker], chunks: Iterator[Chunk], emit: Emit, ahead: int = AHEAD
) -> None:
    _Dispatch(workers, emit, ahead * len(workers)).run(chunks)


class _Dispatch:
    """Chunks numbered as read, each sent to an idle worker; outcomes released in input
    order; at most `limit` chunks between reading and release."""

    def __init__(self, workers: list[Worker], emit: Emit, limit: int) -> None:
        self.idle = list(workers)
        self.busy: dict[Worker, tuple[int, Chunk]] = {}
        self.done: dict[int, tuple[Chunk, list[Outcome]]] = {}
        self.sent = self.released = 0
        self.emit = emit
        self.limit = limit
        self.exhausted = False
        self.draining = False

    def run(self, chunks: Iterator[Chunk]) -> None:
        while not (self.exhausted and self.released == self.sent):
            self._send(chunks)
            self._receive()
            while self.released in self.done:
                self.emit(*self.done.pop(self.released))
                self.released += 1

    def _send(self, chunks: Iterator[Chunk]) -> None:
        # A live pipe with nothing more waiting: answer what was sent before blocking on it.
        self.draining = self.draining and bool(self.busy)
        while (
            not self.exhausted
            and self.idle
            and not self.draining
            and self.sent - self.released < self.limit
        ):
            chunk = next(chunks, None)
            if chunk is None:
                self.exhausted = True
                return
            worker = self.idle.pop()
            worker.send((self.sent, chunk))
            self.busy[worker] = (self.sent, chunk)
            self.sent += 1
            self.draining = chunk.drain

    def _receive(self) -> None:
        if self.busy:
            for worker, (seq, outcomes) in _collect(self.busy):
                self.done[seq] = (self.busy.pop(worker)[1], outcomes)
                self.idle.append(worker)


def _collect(
    busy: dict[Worker, tuple[int, Chunk]],
) -> list[tuple[Worker, tuple[int, list[Outcome]]]]:
    """Wait until some busy worker answers; one that died instead is a crash."""
    handles: list[object] = [w.connection for w in busy] + [w.process.sentinel for w in busy]
    ready = set(multiprocessing.connection.wait(handles))  # type: ignore[arg-type]
    got = []
    for worker in busy:
        if worker.connection in ready:
            got.append((worker, worker.receive()))
        elif worker.process.sentinel in ready:
            raise WorkerCrashed(worker.process.exitcode)
    return got
