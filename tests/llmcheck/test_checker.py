"""llm rules against a real chat-completions server on 127.0.0.1: agreement, the answers
that are discarded, review routing, retries, timeouts, the cache and the token budget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hegui import Conversation, Utterance
from hegui.adapters.llm import HttpChatClient
from hegui.engine.pii import MaskPolicy
from hegui.inspector import EngineConfig, Inspector, build_inspector
from hegui.llmcheck import DirectoryCache, LlmChecker, LlmOptions
from hegui.llmcheck.prompt import Turn, messages
from tests.llmcheck.conftest import write_rules
from tests.llmcheck.server import ChatServer, Received, Reply, completion, error, no, yes

RULE = "mine.llm.certain_return"
CALL = Conversation(
    "call-1",
    (
        Utterance("customer", "这个理财到期能拿多少", 0.0, 2.0),
        Utterance("agent", "您就闭着眼买 到期肯定比存银行多", 2.5, 5.0),
        Utterance("customer", "那我考虑一下", 5.5, 6.5),
    ),
    channel="phone",
)


def options(server: ChatServer, **extra: object) -> LlmOptions:
    base: dict[str, object] = {"base_url": server.base_url, "model": "test-model", "backoff": 0.01}
    return LlmOptions(**(base | extra))  # type: ignore[arg-type]


def inspector(server: ChatServer, rules: Path, **extra: object) -> Inspector:
    mask = extra.pop("mask", None)
    # Without the semantic pack: its reading of the promise would make the llm finding a
    # duplicate (dropped), and these tests are about the llm rule's own verdicts.
    packs = ("general", "privacy", "service")
    config = EngineConfig(rules_dirs=(rules,), packs=packs, llm=options(server, **extra), mask=mask)
    return build_inspector(config)


def ours(found: list) -> list:  # type: ignore[type-arg]
    return [f for f in found if f.rule_id == RULE]


def test_agreeing_samples_are_the_confidence_and_four_of_five_is_asserted(
    server: ChatServer, rules_dir: Path
) -> None:
    server.script(yes(1), yes(1), no(), yes(1), yes(1, 2))
    examined = inspector(server, rules_dir, concurrency=1).examine(CALL)
    (finding,) = ours(examined.findings)
    assert examined.confidence[RULE] == pytest.approx(0.8)
    assert examined.review == []
    assert finding.utterance_index == 1 and finding.role == "agent"
    assert finding.evidence == CALL.utterances[1].text and finding.span is None
    assert finding.start == 2.5
    assert finding.message.startswith("坐席对收益作出确定性承诺（大模型 4/5 次认定")
    assert " / Agent made a certain promise about returns (LLM: 4 of 5 samples agree)" in (
        finding.message
    )
    assert len(server.received) == 5
    body = server.received[0].body
    assert body["model"] == "test-model" and body["temperature"] > 0
    assert body["response_format"] == {"type": "json_object"}
    assert "坐席是否对收益作出了确定性承诺" in server.received[0].conversation
    assert server.received[0].lines()[1] == (1, "坐席 agent: 您就闭着眼买 到期肯定比存银行多")


def test_below_the_threshold_goes_to_review_and_is_not_asserted(
    server: ChatServer, rules_dir: Path
) -> None:
    server.script(yes(1), no(), yes(1), no(), yes(1))
    inspect = inspector(server, rules_dir, concurrency=1)
    examined = inspect.examine(CALL)
    assert ours(examined.findings) == [] and RULE not in examined.confidence
    (review,) = examined.review
    assert review.needs_review and review.confidence == pytest.approx(0.6)
    record = review.to_dict()
    assert record["needs_review"] is True and record["confidence"] == 0.6
    assert record["rule_id"] == RULE and record["utterance_index"] == 1
    assert record["llm"] == {
        "model": "test-model",
        "agreeing": 3,
        "samples": 5,
        "reasons": ["承诺了收益"] * 3,
    }
    assert "待人工复核" in review.finding.message and "needs review" in review.finding.message
    assert ours(inspect.inspect(CALL)) == []  # cached: same verdict, still not asserted


def test_below_min_agreement_is_dropped(server: ChatServer, rules_dir: Path) -> None:
    server.script(yes(1), no(), no(), no(), no())
    examined = inspector(server, rules_dir, concurrency=1).examine(CALL)
    assert ours(examined.findings) == [] and examined.review == []


@pytest.mark.parametrize(
    "bad",
    [
        completion("这不是JSON"),
        completion('{"answer": "yes", "evidence": [1]'),  # cut off
        completion('{"answer": "yes", "evidence": []}'),  # cites nothing
        completion('{"answer": "yes"}'),
        completion('{"answer": "yes", "evidence": [7]}'),  # out of range
        completion('{"answer": "yes", "evidence": [1, -1]}'),
        completion('{"answer": "yes", "evidence": [0]}'),  # the customer: not the rule's role
        completion('{"answer": "maybe", "evidence": [1]}'),
        completion('["yes", [1]]'),
    ],
)
def test_discarded_answers_do_not_agree(server: ChatServer, rules_dir: Path, bad: Reply) -> None:
    # Four good "yes" would be asserted (0.8); with one discarded it is 3/5: review.
    server.script(yes(1), yes(1), bad, yes(1), bad)
    examined = inspector(server, rules_dir, concurrency=1).examine(CALL)
    assert ours(examined.findings) == []
    (review,) = examined.review
    assert review.agreeing == 3 and review.confidence == pytest.approx(0.6)


def test_fenced_json_and_a_mixed_citation_are_read(server: ChatServer, rules_dir: Path) -> None:
    fenced = completion('```json\n{"answer": "yes", "evidence": [0, 1], "reason": "x"}\n```')
    server.script(fenced, fenced, fenced, fenced, fenced)
    examined = inspector(server, rules_dir, concurrency=1).examine(CALL)
    (finding,) = ours(examined.findings)
    assert finding.utterance_index == 1  # the customer's line is dropped from the evidence


def test_429_and_500_are_retried_with_backoff(server: ChatServer) -> None:
    server.script(error(429, retry_after="0.2"), error(500), yes(1))
    slept: list[float] = []
    checker = LlmChecker(
        HttpChatClient(server.base_url),
        options(server, backoff=0.05, concurrency=1),
        sleep=slept.append,
    )
    rule = _rule(1)
    result = checker.check(CALL, [rule])
    assert slept == [0.2, 0.1]  # Retry-After honoured, then the doubling backoff
    assert result.notices == []
    assert checker.usage().calls == 5  # the two errors spent nothing
    assert len(server.received) == 7


def test_a_4xx_is_not_retried(server: ChatServer) -> None:
    server.script(error(400))
    checker = LlmChecker(
        HttpChatClient(server.base_url), options(server, concurrency=1), sleep=lambda s: None
    )
    result = checker.check(CALL, [_rule(1)])
    assert any("HTTP 400" in n for n in result.notices)
    assert len(server.received) == 5  # one try per sample; the rest answered "no"


def test_timeouts_are_a_notice_and_pause_llm_rules(server: ChatServer, rules_dir: Path) -> None:
    server.responder = lambda request: completion('{"answer": "no"}', delay=1.0)
    inspect = inspector(
        server, rules_dir, timeout=0.2, max_attempts=2, failures_before_pause=2, concurrency=5
    )
    first = inspect.examine(CALL)
    assert any("did not answer within 0.2 s" in n for n in first.notices), first.notices
    assert ours(first.findings) == [] and first.review == []
    assert [f.rule_id for f in first.findings]  # the engine's findings are still there
    second = inspect.examine(Conversation("call-2", CALL.utterances, channel="phone"))
    assert any("failed 2 checks in a row" in n for n in second.notices)
    asked = len(server.received)
    third = inspect.examine(Conversation("call-3", CALL.utterances, channel="phone"))
    assert third.notices == [] and len(server.received) == asked
    assert inspect.llm is not None and inspect.llm.skipped == 1


def test_the_cache_is_keyed_by_rule_version_content_and_model(
    server: ChatServer, tmp_path: Path
) -> None:
    server.responder = lambda request: yes(1)
    rules = write_rules(tmp_path / "v1")
    inspect = inspector(server, rules)
    assert ours(inspect.inspect(CALL))
    assert len(server.received) == 5
    assert ours(inspect.inspect(Conversation("same-text", CALL.utterances, channel="phone")))
    assert len(server.received) == 5  # same content: no call
    assert inspect.llm is not None and inspect.llm.usage().cache_hits == 1
    changed = Conversation("c", (*CALL.utterances, Utterance("agent", "好的")), channel="phone")
    inspect.inspect(changed)
    assert len(server.received) == 10
    # the same checker's cache, another rule version or another model: asked again
    cache = inspect.llm.cache
    v2 = write_rules(tmp_path / "v2", version=2)
    for rules_dir, model, calls in ((v2, "test-model", 15), (rules, "other-model", 20)):
        config = EngineConfig(rules_dirs=(rules_dir,), llm=options(server, model=model))
        again = build_inspector(config)
        assert again.llm is not None
        again.llm.cache = cache
        again.inspect(CALL)
        assert len(server.received) == calls


def test_a_cache_folder_is_kept_across_runs(server: ChatServer, tmp_path: Path) -> None:
    server.responder = lambda request: yes(1)
    rules = write_rules(tmp_path / "rules")
    folder = tmp_path / "cache"
    first = inspector(server, rules, cache_dir=folder)
    assert ours(first.inspect(CALL))
    second = inspector(server, rules, cache_dir=folder)
    examined = second.examine(CALL)
    assert len(server.received) == 5 and examined.confidence[RULE] == 1.0
    assert isinstance(second.llm and second.llm.cache, DirectoryCache)
    for path in folder.rglob("*.json"):  # an edited file is a miss, never a crash
        path.write_text("[[true, [99], 1, 2, 3]]", "utf-8")
    third = inspector(server, rules, cache_dir=folder)
    assert ours(third.inspect(CALL))
    assert len(server.received) == 10


def test_tokens_are_counted_from_usage_and_estimated_without_it(server: ChatServer) -> None:
    server.script(
        completion('{"answer": "no"}', prompt_tokens=120, completion_tokens=7),
        completion('{"answer": "no"}', prompt_tokens=None),
    )
    server.responder = lambda request: completion('{"answer":"no"}', 100, 5)
    checker = LlmChecker(HttpChatClient(server.base_url), options(server, concurrency=1))
    checker.check(CALL, [_rule(1)])
    usage = checker.usage()
    prompt_chars = sum(len(m["content"]) for m in server.received[1].body["messages"])
    assert usage.calls == 5 and usage.estimated_calls == 1
    assert usage.prompt_tokens == 120 + prompt_chars + 300
    assert usage.completion_tokens == 7 + len('{"answer": "no"}') + 15
    assert "tokens" in checker.summary() and "estimated" in checker.summary()


def test_the_token_budget_skips_llm_rules_with_one_notice(
    server: ChatServer, rules_dir: Path
) -> None:
    server.responder = lambda request: yes(1)
    # One check reserves 5 × (prompt characters + max_tokens): the budget holds one, and
    # not a second once the first has spent 5 × 120.
    shown = [Turn(u.role, u.text) for u in CALL.utterances]
    prompt = messages("坐席是否对收益作出了确定性承诺？", "", ["agent"], shown, "phone")
    need = 5 * (sum(len(m.content) for m in prompt) + 400)
    inspect = inspector(server, rules_dir, token_budget=need + 100, max_tokens=400)
    first = inspect.examine(CALL)
    assert ours(first.findings) and first.notices == []
    second = inspect.examine(Conversation("call-2", CALL.utterances[::-1], channel="phone"))
    assert ours(second.findings) == []
    (notice,) = second.notices
    assert "token budget spent" in notice and "rest of this run" in notice
    third = inspect.examine(Conversation("call-3", CALL.utterances[1:], channel="phone"))
    assert third.notices == [] and ours(third.findings) == []
    assert [f.rule_id for f in third.findings]  # keyword rules still run
    assert len(server.received) == 5
    assert inspect.llm is not None and inspect.llm.usage().total == 600
    assert inspect.llm.skipped == 2


def test_personal_information_is_not_sent_and_evidence_is_masked(
    server: ChatServer, rules_dir: Path
) -> None:
    server.responder = lambda request: yes(1)
    call = Conversation(
        "pii",
        (
            Utterance("customer", "我手机13812345678"),
            Utterance("agent", "好的13812345678 这个产品您就闭着眼买"),
        ),
        channel="phone",
    )
    inspect = inspector(server, rules_dir, mask=MaskPolicy.preset("partial"))
    (finding,) = ours(inspect.inspect(call))
    sent = json.dumps([r.body for r in server.received], ensure_ascii=False)
    assert "13812345678" not in sent and "【电话号码】" in sent
    assert finding.evidence == "好的138****5678 这个产品您就闭着眼买"


def test_without_an_endpoint_llm_rules_are_a_notice(rules_dir: Path) -> None:
    inspect = Inspector.build(rules_dirs=(rules_dir,))
    first = inspect.examine(CALL)
    assert ours(first.findings) == [] and first.review == []
    assert len(first.notices) == 1 and "no LLM endpoint" in first.notices[0]
    assert inspect.examine(CALL).notices == []  # said once


def test_a_long_conversation_is_skipped_with_a_notice(server: ChatServer, rules_dir: Path) -> None:
    long = Conversation("long", (Utterance("agent", "保" * 1500),) * 2, channel="phone")
    examined = inspector(server, rules_dir, max_prompt_chars=2000).examine(long)
    assert any("too long" in n for n in examined.notices)
    assert server.received == []


def test_the_engine_compiles_llm_rules_but_never_runs_them(rules_dir: Path) -> None:
    library = Inspector.build(rules_dirs=(rules_dir,)).library
    assert RULE in {rule.meta.id for rule, _ in library.external}
    assert RULE not in library.by_id


def test_concurrent_samples_and_threads_share_one_checker(
    server: ChatServer, rules_dir: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def by_content(request: Received) -> Reply:
        return yes(1) if "闭着眼" in request.conversation else no()

    server.responder = by_content
    inspect = inspector(server, rules_dir, concurrency=4)
    calls = [
        Conversation(
            f"c{i}", (Utterance("customer", "多少"), Utterance("agent", f"{text}{i}")), "phone"
        )
        for i, text in enumerate(["闭着眼买", "看您自己", "您闭着眼买就行", "请如实考虑"] * 3)
    ]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(inspect.inspect, calls))
    assert [bool(ours(r)) for r in results] == [True, False, True, False] * 3
    assert inspect.llm is not None
    assert inspect.llm.usage().calls == len(server.received) == 12 * 5


def _rule(version: int):  # type: ignore[no-untyped-def]
    from hegui.engine.kinds import LlmRule
    from hegui.engine.kinds.base import RuleMeta, Scope
    from hegui.engine.rules import schema as s

    spec = s.LlmSpec(question="坐席是否对收益作出了确定性承诺？")
    meta = RuleMeta(RULE, version, "compliance.guarantee_return", "high", "承诺收益", "mine")
    return LlmRule(meta, Scope(s.Scope(roles=["agent"])), spec)
