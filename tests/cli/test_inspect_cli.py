from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hegui.cli.exits import ExitCode
from hegui.cli.main import app, run
from hegui.inspector import Inspector

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "calls.jsonl"
runner = CliRunner()


def test_inspect_sample_writes_findings(tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    result = runner.invoke(app, ["inspect", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    findings = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    rules = {(f["conversation_id"], f["rule_id"]) for f in findings}
    assert any(cid == "call-20261101-0001" and "promise" in rule for cid, rule in rules)
    for f in findings:
        if f["span"] is not None:
            assert f["evidence"][f["span"][0] : f["span"][1]] == f["matched"]
    clean = [f for f in findings if f["conversation_id"] == "call-20261101-0002"]
    assert all(f["severity"] != "high" for f in clean), clean


def test_malformed_lines_are_reported_and_the_rest_inspected(tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    good = SAMPLE.read_text("utf-8").splitlines()[0]
    calls.write_text(
        good + "\n{oops\n" + json.dumps({"id": "x", "utterances": "no"}) + "\n", "utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "hegui", "inspect", str(calls)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert f"{calls}:2:" in proc.stderr and f"{calls}:3: utterances" in proc.stderr
    assert proc.stdout.count("\n") >= 1


def test_stdin_formats_and_jobs(tmp_path: Path) -> None:
    text = SAMPLE.read_text("utf-8")
    one = runner.invoke(app, ["inspect", "-", "--format", "json"], input=text)
    assert one.exit_code == 0
    as_json = json.loads(one.stdout)
    out = tmp_path / "f.jsonl"
    two = runner.invoke(app, ["inspect", str(SAMPLE), "--jobs", "2", "--out", str(out)])
    assert two.exit_code == 0
    assert [json.loads(x) for x in out.read_text("utf-8").splitlines()] == as_json
    table = runner.invoke(app, ["inspect", str(SAMPLE), "--format", "table"])
    assert table.exit_code == 0 and "call-20261101-0001" in table.stdout


def test_packs_and_custom_rules(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "pack: mine\nrules:\n  - id: mine.x.y\n    category: compliance.exaggeration\n    message: 夸大\n"
        "    when: {keywords: [宇宙第一]}\n    examples: {match: [宇宙第一, 宇宙第一哦, 是宇宙第一], no_match: [a, b, c]}\n",
        "utf-8",
    )
    calls = tmp_path / "c.jsonl"
    calls.write_text(
        json.dumps(
            {"id": "c", "utterances": [{"role": "agent", "text": "我们宇宙第一 保本的"}]},
            ensure_ascii=False,
        ),
        "utf-8",
    )
    only_mine = runner.invoke(app, ["inspect", str(calls), "--packs", "", "--rules", str(tmp_path)])
    assert [json.loads(x)["rule_id"] for x in only_mine.stdout.splitlines()] == ["mine.x.y"]
    bad = runner.invoke(app, ["inspect", str(calls), "--packs", "nope"])
    assert bad.exit_code == 2 and "no such pack" in bad.output


def hegui(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "hegui", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def conversation(cid: str, text: str = "这个产品保本的", **extra: object) -> bytes:
    obj = {"id": cid, "utterances": [{"role": "agent", "text": text}], **extra}
    return json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"


HOSTILE = [
    b'{"id": "s", "utterances": [{"role": "agent", "text": "hi \\ud83d"}]}\n',
    b"[" * 10_000 + b"]" * 10_000 + b"\n",
    b'{"id": "n", "utterances": [], "x": ' + b"1" * 5000 + b"}\n",
    b'{"id": "i", "utterances": [{"role": "agent", "text": "x", "start": 1e400}]}\n',
    b'{"id": "j", "utterances": [{"role": "agent", "text": "x", "end": NaN}]}\n',
    b'{"id": "u", "utterances": [{"role": "agent", "text": "\xff\xfe"}]}\n',
    b'{"id": "m", "utterances": [{"role": "[/x][bold]", "text": "x"}]}\n',
]


def test_every_hostile_line_is_reported_skipped_and_the_run_goes_on(tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_bytes(conversation("first") + b"".join(HOSTILE) + conversation("last"))
    for args in ([str(calls)], ["-"]):
        proc = hegui("inspect", *args, stdin=calls.read_bytes())
        name = args[0]
        assert proc.returncode == 1, proc.stderr.decode()
        err = proc.stderr.decode()
        assert "Traceback" not in err
        for number, says in enumerate(
            [
                "utterances[0].text: 含孤立代理项",
                "嵌套过深",
                "整数位数过多",
                "utterances[0].start: 应为有限数",
                "NaN",
                "不是有效的 UTF-8",
                "未知角色 unknown role '[/x][bold]'",
            ],
            start=2,
        ):
            assert f"{name}:{number}: " in err and says in err, (number, err)
        ids = {json.loads(x)["conversation_id"] for x in proc.stdout.decode().splitlines()}
        assert ids == {"first", "last"}


def test_bom_crlf_and_unicode_separators_inside_strings(tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_bytes(
        b"\xef\xbb\xbf"
        + conversation("a", "您好\u2028这个产品保本的\x85谢谢").rstrip(b"\n")
        + b"\r\n"
        + conversation("b")
    )
    proc = hegui("inspect", str(calls))
    assert proc.returncode == 0, proc.stderr.decode()
    findings = [json.loads(x) for x in proc.stdout.decode("utf-8").split("\n") if x]
    assert {f["conversation_id"] for f in findings} == {"a", "b"}
    baoben = next(f for f in findings if f["conversation_id"] == "a" and f["span"])
    assert baoben["evidence"][baoben["span"][0] : baoben["span"][1]] == baoben["matched"]


def test_duplicate_ids_are_skipped_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(conversation("x"))
    (tmp_path / "b.jsonl").write_bytes(conversation("y") + conversation("x"))
    result = runner.invoke(app, ["inspect", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'b.jsonl'}:2: id: 重复的会话编号 duplicate id 'x'" in result.stderr


@pytest.mark.parametrize(
    "where", ["missing-dir", "directory", "under-a-file", "read-only", "input"]
)
def test_unwritable_out_fails_before_any_input_is_read(tmp_path: Path, where: str) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_bytes(conversation("a"))
    (tmp_path / "ro").mkdir(mode=0o500)
    out = {
        "missing-dir": tmp_path / "nope" / "f.jsonl",
        "directory": tmp_path,
        "under-a-file": calls / "f.jsonl",
        "read-only": tmp_path / "ro" / "f.jsonl",
        "input": calls,
    }[where]
    if where == "read-only" and os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    # stdin stays open and empty: a run that started reading would wait for it
    proc = subprocess.Popen(
        [sys.executable, "-m", "hegui", "inspect", "-", str(calls), "--out", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 2
    assert "无法写入 cannot write --out" in err.decode() or "is also an input" in err.decode()
    assert "Traceback" not in err.decode()
    assert calls.read_bytes() == conversation("a")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["nope.jsonl"], "无法读取 cannot read nope.jsonl"),
        (["."], "是目录 is a directory"),
        (["-", "-"], "only once"),
        ([str(SAMPLE), "--backend", "nope"], "--backend"),
        ([str(SAMPLE), "--mask", "nope"], "未知脱敏方式"),
        ([str(SAMPLE), "--packs", "nope"], "no such pack"),
        ([str(SAMPLE), "--jobs", "0"], "--jobs"),
        ([str(SAMPLE), "--fail-on", "severe"], "--fail-on"),
        ([str(SAMPLE), "--format", "xml"], "--format"),
    ],
)
def test_user_mistakes_exit_2_without_a_traceback(
    args: list[str], says: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    proc = hegui("inspect", *args, "--out", str(out))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and says in err and "Traceback" not in err, err
    assert not out.exists()


@pytest.mark.parametrize("kind", ["syntax", "schema"])
def test_a_bad_rule_file_exits_2_naming_it(tmp_path: Path, kind: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: [\n" if kind == "syntax" else "pack: x\nrules:\n  - id: 1\n", "utf-8")
    proc = hegui("inspect", str(SAMPLE), "--rules", str(bad))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "bad.yaml" in err and "Traceback" not in err, err
    leak = tmp_path / "leak.yaml"
    leak.write_text("- a list\n", "utf-8")
    proc = hegui("inspect", str(SAMPLE), "--leak-policy", str(leak))
    assert proc.returncode == 2 and "泄露策略无效" in proc.stderr.decode()


def test_internal_error_is_exit_3_with_a_request_to_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fault injection: no input makes the shipped engine fail, so one is made to.
    def broken(self: Inspector, conversation: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(Inspector, "examine", broken)  # what `hegui inspect` calls
    calls = tmp_path / "calls.jsonl"
    calls.write_bytes(conversation("a") + b"{bad\n")
    result = runner.invoke(app, ["inspect", str(calls)])
    assert result.exit_code == 3
    assert "内部错误 internal error" in result.stderr and "please report" in result.stderr
    assert "RuntimeError: boom" in result.stderr and "Traceback" not in result.stderr
    assert f"{calls}:2:" in result.stderr, "the run went on"
    monkeypatch.setenv("HEGUI_DEBUG", "1")
    debug = runner.invoke(app, ["inspect", str(calls)])
    assert debug.exit_code == 3 and "Traceback" in debug.stderr


def test_unexpected_exception_anywhere_is_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(names: list[str]) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr("hegui.cli.inspect.Inputs.check", broken)
    monkeypatch.setattr(sys, "argv", ["hegui", "inspect", str(SAMPLE)])
    with pytest.raises(SystemExit) as exited:
        run()
    err = capsys.readouterr().err
    assert exited.value.code == 3
    assert "RuntimeError: kaput" in err and "please report" in err and "Traceback" not in err


def test_fail_on_severity_exits_4_even_with_skipped_lines(tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    calls.write_bytes(conversation("a") + b"{bad\n")
    assert runner.invoke(app, ["inspect", str(calls), "--fail-on", "high"]).exit_code == 4
    clean = tmp_path / "clean.jsonl"
    clean.write_bytes(conversation("b", "您好，请问有什么可以帮您？再见"))
    at_or_above = {"high": {"high"}, "medium": {"high", "medium"}, "low": {"high", "medium", "low"}}
    for level, severities in at_or_above.items():
        result = runner.invoke(app, ["inspect", str(clean), "--fail-on", level])
        found = {json.loads(x)["severity"] for x in result.stdout.splitlines()}
        assert result.exit_code == (4 if found & severities else 0), (level, found)
    assert runner.invoke(app, ["inspect", str(SAMPLE), "--fail-on", "low"]).exit_code == 4


def test_help_documents_the_exit_codes() -> None:
    text = runner.invoke(app, ["inspect", "--help"], env={"COLUMNS": "200"}).stdout
    for code in ("0 clean", "1 malformed", "2 usage", "3 internal", "4 --fail-on", "130/143"):
        assert code in " ".join(text.split()), code


def test_version_comes_from_package_metadata() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"hegui {metadata.version('hegui')}\n"


def test_jobs_give_the_serial_output_and_errors_in_input_order(tmp_path: Path) -> None:
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    body = b"".join(
        line.replace(b'"id": "', f'"id": "{i}-'.encode(), 1) if i % 7 else b"{bad\n"
        for i, line in enumerate(lines * 60)
    )
    calls = tmp_path / "calls.jsonl"
    calls.write_bytes(body)
    serial = hegui("inspect", str(calls))
    parallel = hegui("inspect", str(calls), "--jobs", "2")
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout and serial.stdout.count(b"\n") > 400
    assert serial.stderr == parallel.stderr


def test_json_array_is_valid_empty_or_not(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert json.loads(runner.invoke(app, ["inspect", str(empty), "--format", "json"]).stdout) == []
    got = json.loads(runner.invoke(app, ["inspect", str(SAMPLE), "--format", "json"]).stdout)
    jsonl = runner.invoke(app, ["inspect", str(SAMPLE)]).stdout
    assert got == [json.loads(x) for x in jsonl.splitlines()]


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    big.write_bytes(b"".join(conversation(f"c{i}") for i in range(3000)))
    proc = subprocess.run(
        f"{sys.executable} -m hegui inspect {big} | head -c 10",
        shell=True,
        capture_output=True,
        check=False,
        timeout=300,
        executable="/bin/bash",
    )
    assert (
        len(proc.stdout) == 10 and b"Traceback" not in proc.stderr and b"Error" not in proc.stderr
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_a_clear_error() -> None:
    proc = hegui("inspect", str(SAMPLE), "--out", "/dev/full")
    assert proc.returncode == 2 and "写入失败 cannot write the output" in proc.stderr.decode()


def test_docs_list_every_exit_code() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    table = doc.split("## Exit codes", 1)[1].split("##", 1)[0]
    documented = {
        int(n)
        for line in table.splitlines()
        if line.startswith("| ")
        for n in re.findall(r"\b\d+\b", line.split("|")[1])
    }
    assert documented == {int(code) for code in ExitCode}


def test_closed_stdin_is_a_usage_error() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m hegui inspect - <&-",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 2 and "stdin is closed" in proc.stderr.decode()
