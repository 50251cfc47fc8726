"""`hegui transcribe`: audio files to conversation JSONL that `hegui inspect` reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from hegui.cli.main import app
from tests.audio.conftest import call
from tests.audio.synth import Truth

__all__ = ["call"]
runner = CliRunner()
SCRIPT = {
    "agent": ["您好，工号1023，很高兴为您服务。", "这个产品保本的，您放心。", "好的，再见。"],
    "customer": ["这个基金保本吗？", "那我买一点"],
}


def _script(tmp_path: Path) -> Path:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(SCRIPT, ensure_ascii=False), "utf-8")
    return path


def test_fake_transcription_pipes_into_inspect(
    call: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    out = tmp_path / "calls.jsonl"
    args = ["transcribe", str(call[0]), "--asr", "fake", "--model", str(_script(tmp_path))]
    result = runner.invoke(
        app, [*args, "--analysis", "--industry", "securities", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    (line,) = out.read_text("utf-8").splitlines()
    obj = json.loads(line)
    assert obj["id"] == "call" and obj["industry"] == "securities"
    assert [u["role"] for u in obj["utterances"]] == [
        "agent",
        "customer",
        "agent",
        "customer",
        "agent",
    ]
    assert obj["utterances"][2]["text"] == SCRIPT["agent"][1]
    assert obj["metadata"]["audio"]["overlaps"][0]["by"] == "customer"
    inspected = runner.invoke(app, ["inspect", str(out)])
    findings = [json.loads(x) for x in inspected.stdout.splitlines() if x.startswith("{")]
    assert any(
        f["category"] == "compliance.guarantee_return" and f["utterance_index"] == 2
        for f in findings
    ), findings


def test_a_real_pipe_without_text(call: tuple[Path, list[Truth]]) -> None:
    hegui = [sys.executable, "-m", "hegui"]
    transcribed = subprocess.run(
        [*hegui, "transcribe", str(call[0])], capture_output=True, check=True
    )
    inspected = subprocess.run(
        [*hegui, "inspect", "-"], input=transcribed.stdout, capture_output=True, check=False
    )
    assert inspected.returncode == 0, inspected.stderr.decode()
    assert b"Traceback" not in inspected.stderr


def test_bad_files_are_named_and_skipped(call: tuple[Path, list[Truth]], tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp3"
    text.write_text("not audio at all\n" * 100, "utf-8")
    result = runner.invoke(
        app, ["transcribe", str(empty), str(call[0]), str(text), str(tmp_path / "gone.m4a")]
    )
    assert result.exit_code == 1
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["call"]
    for name in ("empty.wav", "notes.mp3", "gone.m4a"):
        assert name in result.stderr
    assert "Traceback" not in result.output


def test_repeated_names_get_distinct_ids(call: tuple[Path, list[Truth]]) -> None:
    result = runner.invoke(app, ["transcribe", str(call[0]), str(call[0])])
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["call", "call-2"]


def test_usage_errors(call: tuple[Path, list[Truth]], tmp_path: Path) -> None:
    for args, message in (
        (["--asr", "funasr"], "local model directory is required"),
        (["--asr", "faster-whisper", "--model", str(tmp_path / "none")], "not a directory"),
        (["--asr", "siri"], "unknown ASR"),
        (["--industry", "farming"], "unknown industry"),
        (["--channels", "agent,robot"], "--channels"),
        (["--mono", "robot"], "--mono"),
    ):
        result = runner.invoke(app, ["transcribe", str(call[0]), *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr
