"""Entities across consecutive utterances of one speaker: a number spoken over two or three
turns ("幺三八" / "一二三四" / "五六七八") is found on the joined text and split back into
per-utterance pieces, so each utterance can be masked on its own."""

from __future__ import annotations

from collections.abc import Sequence

from hegui.engine.pii.detector import PiiDetector
from hegui.engine.pii.entity import PiiEntity

MAX_TURNS = 3


def scan_turns(
    detector: PiiDetector, turns: Sequence[tuple[str, str]], *, window: int = MAX_TURNS
) -> list[list[PiiEntity]]:
    """For (role, text) turns, the entities of each turn, with pieces of cross-turn ones."""
    found: list[list[PiiEntity]] = [detector.scan(text) for _, text in turns]
    for first in range(len(turns)):
        for last in range(first + 1, min(first + window, len(turns))):
            if turns[last][0] != turns[first][0]:
                break
            _add_crossing(detector, turns, first, last, found)
    return [sorted(set(entities), key=lambda e: (e.start, e.end)) for entities in found]


def _add_crossing(
    detector: PiiDetector,
    turns: Sequence[tuple[str, str]],
    first: int,
    last: int,
    found: list[list[PiiEntity]],
) -> None:
    texts = [text for _, text in turns[first : last + 1]]
    bounds = [0]
    for text in texts:
        bounds.append(bounds[-1] + len(text))
    for entity in detector.scan("".join(texts)):
        touched = [
            i for i in range(len(texts)) if entity.start < bounds[i + 1] and bounds[i] < entity.end
        ]
        if len(touched) < 2 or touched[0] != 0 or touched[-1] != len(texts) - 1:
            continue  # inside one turn, or already found by a shorter window
        for i in touched:
            start = max(entity.start, bounds[i]) - bounds[i]
            end = min(entity.end, bounds[i + 1]) - bounds[i]
            found[first + i].append(
                PiiEntity(entity.type, start, end, texts[i][start:end], entity.score)
            )
            _drop_overlapped(found, first + i, start, end)


def _drop_overlapped(found: list[list[PiiEntity]], index: int, start: int, end: int) -> None:
    """A cross-turn entity wins over a shorter one found inside a single turn."""
    found[index] = [
        e
        for e in found[index]
        if e.end <= start
        or end <= e.start
        or (e.start, e.end) == (start, end)
        or e.end - e.start > end - start
    ]
