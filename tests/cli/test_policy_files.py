"""Policy files are read with the rule packs' limits; a closed stdout is no crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)
HEGUI = [sys.executable, "-m", "hegui"]


def test_an_alias_bomb_leak_policy_is_refused_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "leaks.yaml"
    bomb.write_text(BOMB, "utf-8")
    calls = tmp_path / "calls.jsonl"
    calls.write_text('{"id": "c", "utterances": []}\n', "utf-8")
    done = subprocess.run(
        [*HEGUI, "inspect", str(calls), "--leak-policy", str(bomb)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "leak policy" in done.stderr


def test_an_alias_bomb_mask_policy_is_refused_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "mask.yaml"
    bomb.write_text(BOMB, "utf-8")
    done = subprocess.run(
        [*HEGUI, "mask", "--policy", str(bomb), "-"],
        input="我的电话13812345678\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "alias bomb" in done.stderr
    assert "Traceback" not in done.stderr


def test_rules_list_with_stdout_closed_does_not_crash() -> None:
    done = subprocess.run(
        [*HEGUI, "rules", "list", "--pack", "general"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in done.stderr
    closed = subprocess.run(
        f"{sys.executable} -m hegui --version >&-",
        shell=True,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    assert "isatty" not in closed.stderr
