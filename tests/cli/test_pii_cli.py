"""`hegui pii scan` and `hegui mask`: the CLI contracts external evaluations rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hegui.cli.pii import mask_command, pii_app

app = typer.Typer()
app.add_typer(pii_app, name="pii")
app.command("mask")(mask_command)
runner = CliRunner()
ID = "110105199003071239"


def test_scan_writes_one_object_per_input_line() -> None:
    stdin = f"我的手机号是13812345678\n没有\n身份证{ID}，卡号6222 0212 3456 7890 128\n"
    result = runner.invoke(app, ["pii", "scan"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0] == {
        "entities": [{"type": "phone", "start": 6, "end": 17, "text": "13812345678", "score": 0.97}]
    }
    assert lines[1] == {"entities": []}
    assert [(e["type"], e["text"]) for e in lines[2]["entities"]] == [
        ("id_number", ID),
        ("bank_card", "6222 0212 3456 7890 128"),
    ]
    for entity in lines[2]["entities"]:
        assert set(entity) == {"type", "start", "end", "text", "score"}
        line = stdin.splitlines()[2]
        assert line[entity["start"] : entity["end"]] == entity["text"]


def test_scan_reports_no_masked_forms() -> None:
    result = runner.invoke(app, ["pii", "scan"], input="手机138****5678，尾号1234\n")
    assert json.loads(result.stdout) == {"entities": []}


def test_scan_types_option() -> None:
    result = runner.invoke(
        app, ["pii", "scan", "--types", "id_number"], input=f"13812345678 {ID}\n"
    )
    assert [e["type"] for e in json.loads(result.stdout)["entities"]] == ["id_number"]
    bad = runner.invoke(app, ["pii", "scan", "--types", "shoe_size"], input="x\n")
    assert bad.exit_code != 0


def conversation(cid: str, *turns: tuple[str, str]) -> str:
    utterances = [{"role": role, "text": text, "x-custom": 1} for role, text in turns]
    return json.dumps(
        {"id": cid, "channel": "phone", "extra": {"k": [1]}, "utterances": utterances},
        ensure_ascii=False,
    )


@pytest.fixture
def conversations(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(
            [
                conversation(
                    "c1",
                    ("customer", "我的号码是幺三八"),
                    ("customer", "一二三四"),
                    ("customer", "五六七八"),
                ),
                "{not json",
                conversation("c2", ("agent", f"您的身份证号是{ID}对吧"), ("customer", "对")),
                '{"id": "c3", "utterances": "nope"}',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path


def test_mask_masks_text_keeps_fields_and_reports_bad_lines(conversations: Path) -> None:
    result = runner.invoke(app, ["mask", str(conversations)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["id"] for c in out] == ["c1", "c2"]
    assert [u["text"] for u in out[0]["utterances"]] == [
        "我的号码是【电话号码】",
        "【电话号码】",
        "【电话号码】",
    ]
    assert out[1]["utterances"][0]["text"] == "您的身份证号是【身份证号】对吧"
    assert out[1]["utterances"][1]["text"] == "对"
    assert out[0]["extra"] == {"k": [1]} and out[0]["utterances"][0]["x-custom"] == 1
    assert "line 2" in result.stderr and "line 4" in result.stderr


def test_mask_reads_stdin_and_exits_zero_when_all_lines_parse() -> None:
    line = conversation("c1", ("agent", "手机13812345678"))
    result = runner.invoke(app, ["mask", "--policy", "partial", "-"], input=line + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["utterances"][0]["text"] == "手机138****5678"


def test_mask_policy_file_and_salt(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("default: full\ntypes:\n  phone: hash\n", encoding="utf-8")
    line = conversation("c1", ("agent", f"手机13812345678，身份证{ID}"))
    result = runner.invoke(app, ["mask", "--policy", str(policy), "--salt", "s", "-"], input=line)
    assert result.exit_code == 0, result.output
    text = json.loads(result.stdout)["utterances"][0]["text"]
    assert text.startswith("手机【电话号码#") and text.endswith("身份证" + "*" * 18)


def test_mask_rejects_a_bad_policy_and_a_missing_file(tmp_path: Path) -> None:
    assert runner.invoke(app, ["mask", "--policy", "hash", "-"], input="").exit_code == 2
    assert runner.invoke(app, ["mask", str(tmp_path / "missing.jsonl")]).exit_code == 2


def test_mask_never_changes_the_next_turn_of_a_name(tmp_path: Path) -> None:
    # A name ending one turn used to take the first char of the speaker's next turn.
    line = conversation("c1", ("customer", "我叫王明"), ("customer", "银行卡丢了"))
    result = runner.invoke(app, ["mask", "--policy", "partial", "-"], input=line + "\n")
    assert result.exit_code == 0, result.output
    texts = [u["text"] for u in json.loads(result.stdout)["utterances"]]
    assert texts == ["我叫王*", "银行卡丢了"]


def test_mask_names_the_bad_field_of_a_policy_file(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("types:\n  phone: {op: partial, first: -1}\n", encoding="utf-8")
    result = runner.invoke(app, ["mask", "--policy", str(policy), "-"], input="")
    assert result.exit_code == 2
    assert "types.phone.partial.first" in result.stderr and "Traceback" not in result.output
