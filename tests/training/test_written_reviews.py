"""The reviews written for the sentiment experiments (training/sentiment/written/) are
well-formed and share nothing with the held-out review rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hegui.engine.normalise import normalise_many

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from import_written_reviews import SHINGLE, shingles  # noqa: E402  (scripts/)

WRITTEN = sorted((ROOT / "training" / "sentiment" / "written").glob("*.jsonl"))


def items() -> list[dict[str, object]]:
    return [json.loads(x) for p in WRITTEN for x in p.read_text("utf-8").splitlines() if x.strip()]


def test_written_reviews_are_labelled_and_distinct() -> None:
    rows = items()
    assert len(rows) > 2000
    assert {r["label"] for r in rows} == {0, 1}
    assert {r["domain"] for r in rows} == {"hotel", "waimai"}
    texts = [n.text for n in normalise_many([str(r["text"]) for r in rows])]
    assert len(set(texts)) == len(texts)


def shared_data() -> Path:
    for folder in ROOT.parents:
        candidate = folder / "shared" / "data" / "sentiment"
        if candidate.is_dir():
            return candidate.parent
    pytest.skip("shared/data is not beside this checkout (the review rows live there)")


def test_no_written_review_overlaps_a_held_out_review_row() -> None:
    data = shared_data()
    pytest.importorskip("sklearn", reason="the held-out split lives in scripts/train_sentiment.py")
    import train_sentiment as ts

    held = [r.text for r in ts.load(data) if r.held and r.source.startswith("reviews:")]
    assert len(held) > 2000
    held_shingles = set().union(*(shingles(n.text) for n in normalise_many(held)))
    written = normalise_many([str(r["text"]) for r in items()])
    overlapping = [n.text for n in written if not shingles(n.text).isdisjoint(held_shingles)]
    assert not overlapping, (SHINGLE, overlapping[:3])
