"""`hegui sentiment`: one JSON object per input line, streamed; bad input named."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from hegui.cli.sentiment import MAX_LINE, stream
from hegui.models.sentiment import sentiment_model

KEYS = ["polarity", "negative", "emotion", "anger"]


def run(data: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "hegui", "sentiment"],
        input=data,
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_contract_one_object_per_line() -> None:
    done = run("气死我了 你们什么破服务\n\n谢谢你 太好了\r\n请问怎么改密码".encode())
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(lines) == 4
    for obj in lines:
        assert list(obj) == KEYS
        assert obj["polarity"] in ("negative", "neutral", "positive")
        assert 0.0 <= obj["negative"] <= 1.0 and 0.0 <= obj["anger"] <= 1.0
    assert lines[0]["polarity"] == "negative"
    assert lines[1] == {"polarity": "neutral", "negative": 0.0, "emotion": "neutral", "anger": 0.0}
    assert lines[2]["polarity"] == "positive"


def test_invalid_utf8_names_the_line_without_traceback() -> None:
    done = run(b"\xe4\xbd\xa0\xe5\xa5\xbd\n\xff\xfe\n\xe5\xa5\xbd\n")
    assert done.returncode == 2
    assert len(done.stdout.decode().splitlines()) == 1  # the line before it was answered
    err = done.stderr.decode()
    assert "line 2" in err and "UTF-8" in err and "Traceback" not in err


def test_streams_each_answer_before_the_next_line_is_read() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "hegui", "sentiment"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        for text in ("你好", "气死我了"):
            proc.stdin.write(text.encode() + b"\n")
            proc.stdin.flush()
            assert list(json.loads(proc.stdout.readline())) == KEYS  # no EOF needed
        proc.stdin.close()
        proc.wait(timeout=60)
    assert proc.returncode == 0


def test_overlong_line_is_refused() -> None:
    out = io.BytesIO()
    code = stream(sentiment_model().read, io.BytesIO(b"a\n" + b"x" * (MAX_LINE + 5)), out)
    assert code == 2 and len(out.getvalue().splitlines()) == 1
