"""An audio file to a conversation: analyse it (pass 1), then hand each stretch of speech of
each channel to the transcriber (pass 2, decoding again block by block: memory stays flat).

Roles come from channels (stereo: `roles`, left then right) or, for mono, from `mono`: one
role for every utterance, or `alternate` (agent and customer in turn).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hegui.adapters.asr.protocol import Recognised, Transcriber
from hegui.audio import (
    RATE,
    AnalysisConfig,
    AudioAnalysis,
    Decoded,
    Turn,
    analyse,
    conversation,
    turns,
)
from hegui.audio.analysis import STEREO_ROLES
from hegui.audio.decode import Source

MAX_PIECE = 30.0
"""Longest stretch handed to the transcriber at once (Whisper's window)."""


@dataclass(frozen=True)
class Transcript:
    conversation: dict[str, Any]
    analysis: AudioAnalysis


def transcribe_audio(
    source: Source,
    transcriber: Transcriber | None,
    *,
    conversation_id: str,
    roles: Sequence[str] = STEREO_ROLES,
    mono: str = "agent",
    with_analysis: bool = False,
    config: AnalysisConfig | None = None,
    name: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Transcript:
    """The conversation (contract format) of one file; `AudioError` names a bad file."""
    analysis = analyse(source, roles=roles, mono=mono, config=config, name=name)
    pair = (roles[0], roles[1]) if len(roles) == 2 else STEREO_ROLES
    skeleton = turns(analysis, pair)
    if transcriber is not None and skeleton:
        _rewind(source)
        skeleton = list(_recognise(source, analysis.source, skeleton, transcriber))
    obj = conversation(
        conversation_id,
        skeleton,
        analysis=analysis if with_analysis else None,
        fields=fields,
    )
    return Transcript(obj, analysis)


def _rewind(source: Source) -> None:
    seek = getattr(source, "seek", None)
    if seek is not None:
        seek(0)


def _pieces(skeleton: Sequence[Turn]) -> list[Turn]:
    """Turns cut to at most `MAX_PIECE` seconds each, in order of start."""
    out: list[Turn] = []
    for turn in skeleton:
        start = turn.start
        while turn.end - start > MAX_PIECE:
            out.append(Turn(turn.channel, turn.role, start, start + MAX_PIECE))
            start += MAX_PIECE
        out.append(Turn(turn.channel, turn.role, start, turn.end))
    return out


def _recognise(
    source: Source, name: str, skeleton: Sequence[Turn], transcriber: Transcriber
) -> Iterator[Turn]:
    for piece, samples in _piece_audio(source, name, _pieces(skeleton)):
        heard = transcriber.transcribe(samples, channel=piece.channel)
        yield from _turns_of(piece, heard)


def _turns_of(piece: Turn, heard: Sequence[Recognised]) -> list[Turn]:
    """The piece's recognised sentences as turns; no text: the piece itself, text empty
    (its timing still counts)."""
    found = [
        Turn(
            piece.channel,
            piece.role,
            min(piece.end, piece.start + max(0.0, r.start)),
            min(piece.end, piece.start + max(r.start, r.end)),
            r.text,
        )
        for r in heard
        if r.text.strip()
    ]
    return found or [piece]


def _piece_audio(
    source: Source, name: str, pieces: Sequence[Turn]
) -> Iterator[tuple[Turn, np.ndarray]]:
    """Each piece's samples (float32, 16 kHz) as decoding reaches its end."""
    channels = sorted({p.channel for p in pieces})
    queues = {c: deque(p for p in pieces if p.channel == c) for c in channels}
    parts: dict[int, list[np.ndarray]] = {c: [] for c in channels}
    position = 0
    for block in Decoded(source, name):
        size = block.shape[1]
        ready: list[tuple[Turn, np.ndarray]] = []
        for channel in channels:
            queue = queues[channel]
            while queue:
                piece = queue[0]
                first, last = round(piece.start * RATE), round(piece.end * RATE)
                if first >= position + size:
                    break
                lo, hi = max(first, position) - position, min(last, position + size) - position
                if hi > lo:
                    parts[channel].append(block[channel, lo:hi])
                if last > position + size:
                    break
                queue.popleft()
                ready.append((piece, _floats(parts[channel])))
                parts[channel] = []
        position += size
        ready.sort(key=lambda item: (item[0].start, item[0].channel))
        yield from ready
    # A piece reaching past the last sample (rounding): what there was of it.
    for channel in channels:
        for piece in queues[channel]:
            yield piece, _floats(parts[channel])
            parts[channel] = []


def _floats(parts: list[np.ndarray]) -> np.ndarray:
    audio = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
    return audio.astype(np.float32) / np.float32(32768.0)
