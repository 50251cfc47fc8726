"""Mask the evidence of findings the way stored text is masked, moving spans with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hegui.engine.model import Finding
from hegui.engine.pii.detector import PiiDetector
from hegui.engine.pii.entity import PiiEntity
from hegui.engine.pii.masking import Masked, MaskPolicy, mask
from hegui.engine.pii.turns import TurnScan


def mask_findings(
    turns: Sequence[tuple[str, str]],
    findings: Sequence[Finding],
    detector: PiiDetector,
    policy: MaskPolicy,
    scans: TurnScan | Sequence[Sequence[PiiEntity] | None] | None = None,
) -> list[Finding]:
    """`turns` are the conversation's (role, text) so far; numbers spoken across turns are
    masked in every turn they touch, as `hegui mask` does.

    `scans`: what the caller already knows, so nothing is scanned twice: a `TurnScan` of
    these turns (a live session keeps one and appends each turn), or per turn the entities
    `detector.scan` found in it (None where not scanned). Only the turns the findings point
    at, and their neighbours for cross-turn entities, are scanned at all."""
    table = scans if isinstance(scans, TurnScan) else TurnScan(detector, turns, scans=scans)
    if len(table) < len(turns):
        raise ValueError(f"扫描结果少于话轮 scans cover {len(table)} of {len(turns)} turns")
    masked: dict[int, Masked] = {}

    def masked_turn(index: int) -> Masked:
        if index not in masked:
            masked[index] = mask(turns[index][1], table.entities(index), policy)
        return masked[index]

    out = []
    for finding in findings:
        index = finding.utterance_index
        if index is None or index >= len(turns):
            out.append(finding)
            continue
        text = masked_turn(index)
        span = text.map_span(*finding.span) if finding.span is not None else None
        related = tuple(
            (i, *masked_turn(i).map_span(s, e)) for i, s, e in finding.related if i < len(turns)
        )
        out.append(
            replace(
                finding,
                evidence=text.text,
                span=span,
                matched=text.text[span[0] : span[1]] if span is not None else None,
                related=related,
            )
        )
    return out
