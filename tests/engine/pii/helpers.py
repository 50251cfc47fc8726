"""Shared helpers for the PII tests."""

from __future__ import annotations

from hegui.engine.pii import PiiDetector

DETECTOR = PiiDetector()


def found(text: str) -> list[tuple[str, str]]:
    """(type, text) of every entity, checking that offsets slice the original text."""
    entities = DETECTOR.scan(text)
    for e in entities:
        assert text[e.start : e.end] == e.text
        assert 0.0 < e.score <= 1.0
    return [(e.type, e.text) for e in entities]


def found_type(text: str, kind: str) -> list[str]:
    return [t for k, t in found(text) if k == kind]
