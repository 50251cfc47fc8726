"""The engine's composition root: one library per pack content, routes per industry,
users' packs and their industries, thread safety, flat live sessions, one clock."""

from __future__ import annotations

import json
import textwrap
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hegui import Inspector
from hegui.catalog import LibraryCache
from hegui.engine.kinds import KINDS
from hegui.engine.model import Conversation, Utterance
from hegui.engine.pii import MaskPolicy, PiiDetector, PiiEntity
from hegui.engine.vocabulary import RULE_KINDS
from hegui.formats.jsonl import read_conversations
from hegui.inspector import EngineConfig, build_inspector
from hegui.lexicon import default_lexicon
from hegui.packs import PackError
from tests.conftest import conv, fired

EVAL = Path(__file__).parent.parent / "benchmarks" / "eval"


def corpus() -> list[Conversation]:
    out = []
    for path in sorted(EVAL.glob("*.jsonl")):
        lines = path.read_text("utf-8").splitlines()
        out += [c for c in read_conversations(lines, path.name) if isinstance(c, Conversation)]
    return out


def user_pack(tmp_path: Path, body: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), "utf-8")
    return path


MY_RULE = """\
    pack: mine
    industries: [banking]
    rules:
      - id: mine.promise.haoshi
        category: compliance.guarantee_return
        message: 承诺好事 / promised a good thing
        when: {keywords: [包您发财]}
        examples: {match: [a, b, c], no_match: [d, e, f]}
"""


def test_every_rule_kind_is_registered() -> None:
    assert set(KINDS) == set(RULE_KINDS)


def test_same_pack_content_compiles_once(tmp_path: Path) -> None:
    cache = LibraryCache()
    a = user_pack(tmp_path, MY_RULE, "a.yaml")
    b = user_pack(tmp_path, MY_RULE, "b.yaml")  # same content, another name
    first = build_inspector(EngineConfig(rules_dirs=(a,)), cache=cache)
    second = build_inspector(EngineConfig(rules_dirs=(b,)), cache=cache)
    assert first.library is second.library
    a.write_text(MY_RULE.replace("包您发财", "包您赚钱"), "utf-8")
    third = build_inspector(EngineConfig(rules_dirs=(a,)), cache=cache)
    assert third.library is not first.library


def test_user_pack_industries_are_respected(tmp_path: Path) -> None:
    inspector = Inspector.build(rules_dirs=[user_pack(tmp_path, MY_RULE)])
    said = ("agent", "这个产品包您发财")
    banking = [f.rule_id for f in inspector.inspect(conv(said, industry="banking"))]
    securities = [f.rule_id for f in inspector.inspect(conv(said, industry="securities"))]
    assert "mine.promise.haoshi" in banking
    assert "mine.promise.haoshi" not in securities
    no_industries = MY_RULE.replace("    industries: [banking]\n", "")
    everywhere = Inspector.build(rules_dirs=[user_pack(tmp_path, no_industries, "all.yaml")])
    assert "mine.promise.haoshi" in [
        f.rule_id for f in everywhere.inspect(conv(said, industry="securities"))
    ]


def test_industry_packs_route_per_conversation() -> None:
    inspector = Inspector.build()
    said = ("agent", "这个理财和存款一样 保本保息")
    banking = {f.rule_id.split(".")[0] for f in inspector.inspect(conv(said, industry="banking"))}
    lending = {f.rule_id.split(".")[0] for f in inspector.inspect(conv(said, industry="lending"))}
    assert "banking" in banking
    assert "banking" not in lending


def test_a_user_rule_colliding_with_a_shipped_id_fails_before_inspecting(tmp_path: Path) -> None:
    clash = MY_RULE.replace("mine.promise.haoshi", "securities.promise.baoben")
    with pytest.raises(PackError, match=r"mine\.yaml:\d+ securities\.promise\.baoben"):
        Inspector.build(rules_dirs=[user_pack(tmp_path, clash)])


def test_unknown_industry_or_backend_is_a_clear_error() -> None:
    with pytest.raises(PackError, match="unknown industry"):
        build_inspector(EngineConfig.model_construct(industry="retail"))
    with pytest.raises(ValueError, match="backend"):
        EngineConfig(backend="fast")


def test_lexicon_is_loaded_before_the_first_sound_alike() -> None:
    Inspector.build(industry="securities")
    assert default_lexicon()("保本") > 0


def test_one_inspector_from_eight_threads_equals_serial() -> None:
    inspector = Inspector.build()
    conversations = corpus() * 4
    serial = [[f.to_dict() for f in inspector.inspect(c)] for c in conversations]
    assert sum(map(len, serial)) > 100
    with ThreadPoolExecutor(8) as pool:
        threaded = list(
            pool.map(lambda c: [f.to_dict() for f in inspector.inspect(c)], conversations)
        )
    assert threaded == serial


def test_live_sessions_from_threads_equal_batch() -> None:
    inspector = Inspector.build()
    conversations = corpus()[:120]

    def live(c: Conversation) -> list[str]:
        session = inspector.session(c)
        found = [f for u in c.utterances for f in session.feed(u)] + session.close()
        return sorted(json.dumps(f.to_dict(), ensure_ascii=False) for f in found)

    batch = [
        sorted(json.dumps(f.to_dict(), ensure_ascii=False) for f in inspector.inspect(c))
        for c in conversations
    ]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(live, conversations)) == batch


def test_live_feed_stays_flat_over_a_long_conversation() -> None:
    """A feed must not redo past turns: the last 1,000 of 10,000 feeds cost about what
    the first 1,000 did (a generous bound: rebuilding history made it 50 times slower)."""
    inspector = Inspector.build(industry="banking")
    session = inspector.session(Conversation("long", (), "chat", "banking"))
    lines = ["您好 请问有什么可以帮您", "我想查一下我的账户", "好的 请稍等", "谢谢"]

    def feed(n: int, offset: int) -> float:
        began = time.thread_time()
        for i in range(n):
            role = "agent" if (offset + i) % 2 == 0 else "customer"
            session.feed(Utterance(role, lines[(offset + i) % 4]))
        return time.thread_time() - began

    first = feed(1000, 0)
    feed(8000, 1000)
    last = feed(1000, 9000)
    assert last < first * 5 + 0.05


WAIT_RULE = """\
    pack: waits
    rules:
      - id: waits.reply.slow
        category: service.long_silence
        message: 回复太慢 / slow reply
        scope: {roles: [agent]}
        response_time: {max_seconds: 10}
        examples: {match: [a, b, c], no_match: [d, e, f]}
"""


def test_timing_never_compares_the_two_clocks(tmp_path: Path) -> None:
    """An utterance that has only `at` in a conversation timed by `start` is untimed."""
    inspector = Inspector.build(packs=[], rules_dirs=[user_pack(tmp_path, WAIT_RULE)])
    at = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    asked = Utterance("customer", "你好 我想问一下", 0.0, 1.0)
    mixed = Conversation("mixed", (asked, Utterance("agent", "您好", at=at)), "chat")
    assert inspector.inspect(mixed) == []
    walled = Conversation(
        "wall",
        (
            Utterance("customer", "你好 我想问一下", at=at),
            Utterance("agent", "您好 请讲", at=at.replace(minute=40)),
        ),
        "chat",
    )
    (wait,) = inspector.inspect(walled)
    assert "600" in wait.message
    on_offsets = Conversation("start", (asked, Utterance("agent", "您好", 30.0, 31.0)), "chat")
    (wait,) = inspector.inspect(on_offsets)
    assert "29" in wait.message


def test_findings_identical_across_backends() -> None:
    pytest.importorskip("hyperscan")
    fast = Inspector.build(backend="hyperscan")
    portable = Inspector.build(backend="portable")
    for c in corpus()[:150]:
        assert fired(fast.inspect(c)) == fired(portable.inspect(c))


def test_live_session_lists_open_obligations_while_there_is_time() -> None:
    inspector = Inspector.build(industry="securities")
    call = Conversation("live", (), "phone", "securities")
    session = inspector.session(call)
    session.feed(Utterance("agent", "您好 我是财富顾问小王"))
    assert session.pending() == []
    session.feed(Utterance("agent", "给您推荐一下我们的新发基金 正在募集"))
    owed = [o for o in session.pending() if o.rule_id == "securities.disclosure.risk_warning"]
    assert owed and owed[0].since == 1
    assert owed[0].message.startswith(inspector.library.by_id[owed[0].rule_id].meta.message)
    session.feed(Utterance("agent", "基金有风险 投资需谨慎 过往业绩不代表未来表现"))
    assert not [o for o in session.pending() if o.rule_id == owed[0].rule_id]


class CountingDetector(PiiDetector):
    """A real detector that counts how often each text is scanned."""

    def __init__(self) -> None:
        super().__init__()
        self.scanned: Counter[str] = Counter()

    def scan(self, text: str) -> list[PiiEntity]:
        self.scanned[text] += 1
        return super().scan(text)


def test_masking_reuses_the_scan_the_rules_did() -> None:
    detector = CountingDetector()
    config = EngineConfig(industry="banking", mask=MaskPolicy.preset("partial"))
    inspector = build_inspector(config, detector=detector, cache=LibraryCache())
    said = (
        "客户您好 您的卡号是6222020200112233445 手机13812345678",
        "您的身份证110101199003071234对吧",
    )
    call = conv(("agent", said[0]), ("customer", "对的"), ("agent", said[1]), industry="banking")
    found = inspector.inspect(call)
    assert found and all("13812345678" not in (f.evidence or "") for f in found)
    assert detector.scanned[said[0]] == 1 and detector.scanned[said[1]] == 1
    detector.scanned.clear()
    live = inspector.session(call)
    for u in call.utterances:
        live.feed(u)
    live.close()
    assert detector.scanned[said[0]] == 1 and detector.scanned[said[1]] == 1
