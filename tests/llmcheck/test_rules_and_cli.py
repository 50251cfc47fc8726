"""The llm kind in packs (its shape, validated like any rule) and on the command line:
`hegui inspect --llm-url … --llm-model …`, `hegui rules test` with and without a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hegui.cli.main import app
from hegui.packs import PackError, load_pack_text
from tests.llmcheck.server import ChatServer, Received, Reply, no, yes

runner = CliRunner()
RULE = "mine.llm.certain_return"

PACK = """
pack: mine
rules:
  - id: mine.llm.x
    category: compliance.guarantee_return
    message: m
    {extra}
    llm: {llm}
    examples: {{match: [a, b, c], no_match: [d, e, f]}}
"""


@pytest.mark.parametrize(
    ("llm", "extra", "says"),
    [
        ("{question: ''}", "", "question"),
        ("{question: 问, threshold: 0.5, min_agreement: 0.6}", "", "min_agreement"),
        ("{question: 问, samples: 0}", "", "samples"),
        ("{question: 问, samples: 50}", "", "samples"),
        ("{question: 问, threshold: 1.5}", "", "threshold"),
        ("{question: 问, model: gpt}", "", "model"),
        ("{question: 问}", "scope: {first: 2}", "whole conversation"),
        ("{question: 问}", "when: {keywords: [保本]}", "exactly one"),
    ],
)
def test_a_bad_llm_rule_is_refused_naming_the_field(llm: str, extra: str, says: str) -> None:
    with pytest.raises(PackError) as caught:
        load_pack_text(PACK.format(llm=llm, extra=extra), "mine.yaml")
    assert says in str(caught.value) and "mine.yaml:" in str(caught.value)


def test_defaults() -> None:
    spec = load_pack_text(PACK.format(llm="{question: 问}", extra=""), "x").rules[0]
    assert spec.kind == "llm" and spec.llm is not None
    assert (spec.llm.samples, spec.llm.threshold, spec.llm.min_agreement) == (5, 0.8, 0.4)


CALLS = [
    {
        "id": "call-yes",
        "channel": "phone",
        "utterances": [
            {"role": "customer", "text": "这个理财到期能拿多少"},
            {"role": "agent", "text": "您就闭着眼买 到期比存银行多"},
        ],
    },
    {
        "id": "call-maybe",
        "channel": "phone",
        "utterances": [
            {"role": "customer", "text": "会亏吗"},
            {"role": "agent", "text": "这只基金这么多年一直很稳"},
        ],
    },
    {
        "id": "call-no",
        "channel": "phone",
        "utterances": [{"role": "agent", "text": "基金有风险 过往业绩不代表未来表现"}],
    },
]


def judge(request: Received) -> Reply:
    """yes on 闭着眼; on 一直很稳 three "yes" in five (a coin that is not fair)."""
    text = request.conversation
    if "闭着眼" in text:
        return yes(1)
    if "一直很稳" in text:
        judge.turn = getattr(judge, "turn", 0) + 1  # type: ignore[attr-defined]
        return yes(1) if judge.turn % 5 in (1, 2, 3) else no()  # type: ignore[attr-defined]
    return no()


# The keyword packs only: the semantic pack's reading of a promise would make the llm
# finding a duplicate (dropped); these tests are about the llm rule's own verdicts.
KEYWORD_PACKS = ["--packs", "general,privacy,service"]


def write_calls(path: Path) -> Path:
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CALLS), "utf-8")
    return path


def test_inspect_with_an_endpoint_writes_asserted_and_review_lines(
    server: ChatServer, rules_dir: Path, tmp_path: Path
) -> None:
    server.responder = judge
    calls = write_calls(tmp_path / "calls.jsonl")
    out = tmp_path / "findings.jsonl"
    args = ["inspect", str(calls), "--rules", str(rules_dir), "--out", str(out), *KEYWORD_PACKS]
    args += ["--llm-url", server.base_url, "--llm-model", "test-model", "--jobs", "2"]
    result = runner.invoke(app, [*args, "--fail-on", "high"], env={"HEGUI_LLM_API_KEY": "sk-t"})
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    ours = [f for f in lines if f["rule_id"] == RULE]
    assert [(f["conversation_id"], f.get("needs_review", False)) for f in ours] == [
        ("call-yes", False),
        ("call-maybe", True),
    ]
    asserted, review = ours
    assert asserted["confidence"] == 1.0 and asserted["llm"]["agreeing"] == 5
    assert review["confidence"] == 0.6 and review["utterance_index"] == 1
    assert result.exit_code == 4  # the asserted finding is high; review items never count
    assert "1 llm findings to review" in result.stderr
    assert "tokens 1500 prompt + 300 completion = 1800 of budget 200000" in result.stderr
    assert "one process" in result.stderr  # --jobs 2: one budget, one process
    assert server.received[0].headers["Authorization"] == "Bearer sk-t"


def test_review_items_alone_do_not_trip_fail_on(
    server: ChatServer, rules_dir: Path, tmp_path: Path
) -> None:
    server.responder = judge
    calls = tmp_path / "calls.jsonl"
    calls.write_text(json.dumps(CALLS[1], ensure_ascii=False) + "\n", "utf-8")
    args = ["inspect", str(calls), "--rules", str(rules_dir), "--fail-on", "high", *KEYWORD_PACKS]
    args += ["--llm-url", server.base_url, "--llm-model", "m", "--format", "table"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "review" in result.stdout and RULE in result.stdout


def test_inspect_goes_on_when_the_endpoint_is_down_or_the_budget_spent(
    rules_dir: Path, tmp_path: Path
) -> None:
    calls = write_calls(tmp_path / "calls.jsonl")
    with ChatServer() as down:
        url = down.base_url
    args = ["inspect", str(calls), "--rules", str(rules_dir), "--llm-model", "m"]
    result = runner.invoke(app, [*args, "--llm-url", url, "--llm-timeout", "2"])
    assert result.exit_code == 0, result.output
    assert "cannot reach the LLM endpoint" in result.stderr
    assert "llm rules are skipped for the rest of this run" in result.stderr
    assert "Traceback" not in result.output
    with ChatServer(judge) as up:
        budget = runner.invoke(app, [*args, "--llm-url", up.base_url, "--llm-budget", "10"])
    assert budget.exit_code == 0
    assert budget.stderr.count("token budget spent") == 1
    assert RULE not in budget.stdout


def test_inspect_without_an_endpoint_says_llm_rules_did_not_run(
    rules_dir: Path, tmp_path: Path
) -> None:
    calls = write_calls(tmp_path / "calls.jsonl")
    result = runner.invoke(app, ["inspect", str(calls), "--rules", str(rules_dir)])
    assert result.exit_code == 0
    assert result.stderr.count("no LLM endpoint configured") == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--llm-url", "http://127.0.0.1:9/v1"], "--llm-model"),
        (["--llm-model", "m"], "--llm-url"),
        (["--llm-url", "ftp://x", "--llm-model", "m"], "http"),
    ],
)
def test_incomplete_llm_options_are_a_usage_error(
    rules_dir: Path, tmp_path: Path, args: list[str], says: str
) -> None:
    calls = write_calls(tmp_path / "calls.jsonl")
    result = runner.invoke(app, ["inspect", str(calls), *args], env={"HEGUI_LLM_BASE_URL": ""})
    assert result.exit_code == 2 and says in result.stderr


def test_rules_test_skips_llm_examples_without_an_endpoint(rules_dir: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "--rules", str(rules_dir)])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stdout and "needs an LLM endpoint" in result.stdout


def test_rules_test_runs_llm_examples_with_an_endpoint(rules_dir: Path) -> None:
    def good(request: Received) -> Reply:
        text = request.conversation
        hit = any(w in text for w in ("肯定赚", "跑不掉", "没亏过"))
        return yes(0) if hit else no()

    with ChatServer(good) as server:
        args = ["rules", "test", "--rules", str(rules_dir), "--llm-url", server.base_url]
        result = runner.invoke(app, [*args, "--llm-model", "m"])
        assert result.exit_code == 0, result.output
        assert "3/3" in result.stdout and "skipped" not in result.stdout
        assert len(server.received) == 6 * 5
    with ChatServer(lambda request: yes(0)) as always:
        args = ["rules", "test", "--rules", str(rules_dir), "--llm-url", always.base_url]
        result = runner.invoke(app, [*args, "--llm-model", "m"])
        assert result.exit_code == 1
        assert "should not match" in result.stdout


def test_the_shipped_llm_pack_is_off_and_its_examples_need_an_endpoint() -> None:
    listed = runner.invoke(app, ["rules", "list", "--pack", "llm"])
    assert listed.exit_code == 0 and "2 rules in 1 packs (2 off)" in listed.stdout
    tested = runner.invoke(app, ["rules", "test", "--pack", "llm"])
    assert tested.exit_code == 0 and "2 条大模型规则未测试" in tested.stdout
    explained = runner.invoke(app, ["rules", "explain", "llm.promise.certain_return", "保本"])
    assert explained.exit_code == 2 and "llm rule" in explained.stderr


def test_a_switched_on_copy_of_a_shipped_llm_rule_is_accepted(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "src" / "hegui" / "packs" / "llm.yaml"
    text = shipped.read_text("utf-8").replace("pack: llm", "pack: ours")
    text = text.replace("enabled: false", "enabled: true")
    (tmp_path / "ours.yaml").write_text(text, "utf-8")
    result = runner.invoke(app, ["rules", "lint", "--rules", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_the_platform_reads_its_endpoint_from_the_environment(tmp_path: Path) -> None:
    from hegui.bootstrap import llm_options
    from hegui.errors import Invalid
    from hegui.settings import Settings

    assert llm_options(Settings(data_dir=tmp_path)) is None
    settings = Settings(
        data_dir=tmp_path,
        llm_base_url="http://127.0.0.1:8000/v1",
        llm_model="qwen2.5-7b-instruct",
        llm_api_key="sk-x",
        llm_token_budget=5000,
    )
    options = llm_options(settings)
    assert options is not None and options.key == "sk-x" and options.token_budget == 5000
    with pytest.raises(Invalid, match="HEGUI_LLM"):
        Settings.from_env(data_dir=tmp_path, llm_model="m")
    with pytest.raises(Invalid, match="HEGUI_LLM_BASE_URL"):
        llm_options(Settings(data_dir=tmp_path, llm_base_url="ftp://x", llm_model="m"))
