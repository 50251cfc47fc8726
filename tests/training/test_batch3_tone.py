"""Batch 3's tone data (training/semantic/batch3/tone) is well formed and matches its sources."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hegui.engine.textmodel import INTENT_ROLES

FOLDER = Path(__file__).resolve().parents[2] / "training" / "semantic" / "batch3" / "tone"
INTENTS = (
    "service.rude",
    "service.impatient",
    "service.customer_negative",
    "service.complaint_escalation",
)


def test_rows_are_valid_and_positives_have_the_intents_role() -> None:
    for intent in INTENTS:
        lines = (FOLDER / f"{intent}.jsonl").read_text("utf-8").splitlines()
        texts = set()
        for number, line in enumerate(lines, 1):
            row = json.loads(line)
            where = f"{intent}.jsonl:{number}"
            assert set(row) == {"text", "role", "label", "style"}, where
            assert row["label"] in (0, 1) and row["style"] in ("asr", "chat"), where
            assert row["role"] in ("agent", "customer", "bot"), where
            if row["label"] == 1:
                assert row["role"] in INTENT_ROLES[intent], where
            assert row["text"] not in texts, f"{where}: repeated"
            texts.add(row["text"])
        labels = [json.loads(line)["label"] for line in lines]
        assert labels.count(1) >= 50 and labels.count(0) >= 30, intent


def test_jsonl_files_are_built_from_the_sources() -> None:
    done = subprocess.run(
        [sys.executable, str(FOLDER / "build.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
