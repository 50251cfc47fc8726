"""Each rule kind and condition leaf, on small conversations."""

from __future__ import annotations

import re
import time

from hegui.engine.library import RuleLibrary
from hegui.engine.session import Session, inspect
from tests.conftest import conv, fired, library_from_yaml

EX = "  examples: {match: [a, b, c], no_match: [d, e, f]}"


def lib(body: str, backend: str = "auto") -> RuleLibrary:
    """Rules in YAML; every rule gets placeholder examples (these tests check the engine)."""
    return library_from_yaml(re.sub(r"^(- id: .*)$", r"\1\n" + EX, body, flags=re.M), backend)


def test_keywords_negation_exception_and_role(backend: str) -> None:
    library = lib(
        """
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  when: {keywords: [保本, 保证收益], except: [保本基金已经取消]}
""",
        backend,
    )
    cases = {
        "这个产品是保本的": True,
        "这个产品不保本": False,
        "我们不能保证收益": False,
        "没人能保证收益的": False,
        "不用担心 保本的": True,
        "以前的保本基金已经取消了": False,
        "保，本": True,
    }
    for text, expected in cases.items():
        found = inspect(library, conv(("agent", text)))
        assert bool(found) is expected, text
    assert inspect(library, conv(("customer", "这个保本吗"))) == []


BAOPIAO = """
- id: t.p.baopiao
  category: compliance.guarantee_return
  message: 打包票
  when: {keywords: [打包票, 包票]}
"""


def test_a_keyword_inside_a_negated_longer_one_is_negated_with_it(backend: str) -> None:
    """没法给您打包票: 打包票 is denied, so 包票 inside it must not stand on its own."""
    library = lib(BAOPIAO, backend)
    cases = {
        "风险这个东西我没法给您打包票": False,
        "这只肯定涨 我给您打包票": True,
        "我不敢打包票 但是包票的事我能做": True,  # a second, undenied 包票 still counts
    }
    for text, expected in cases.items():
        assert bool(inspect(library, conv(("agent", text)))) is expected, text


def test_a_rhetorical_question_is_no_negation(backend: str) -> None:
    """不会…吧 and 不是…吗 assert what they seem to deny; the inner keyword stands too."""
    library = lib(
        """
- id: t.p.condescend
  category: service.impatient
  message: 嫌弃
  when: {keywords: [这都不会, 连这都不会, 已经跟您说过了, 我已经跟您说过了]}
""",
        backend,
    )
    for text in ("你不会连这都不会吧 我都教了三遍了", "不是我已经跟您说过了吗 您怎么还问"):
        assert inspect(library, conv(("agent", text))), text
    assert inspect(library, conv(("agent", "您不是连这都不会 只是第一次用"))) == []


def test_an_a_not_a_question_is_neither_claim_nor_denial(backend: str) -> None:
    """会不会亏 asks; 不会亏 claims. 要不要脸 is a taunt, not a question on a modal."""
    library = lib(
        """
- id: t.p.no_loss
  category: compliance.guarantee_return
  message: 不会亏
  when: {keywords: [不会亏, 没有风险, 不要脸]}
""",
        backend,
    )
    for text in ("您问会不会亏 我得说清楚 跌了就会亏", "您问有没有风险 有的"):
        assert inspect(library, conv(("agent", text))) == [], text
    for text in (
        "放心 不会亏的",
        "这个没有风险",
        "你还要不要脸",
        "不会不会，不会亏的，您放心",  # a denial said twice, not 会不会
        "没有没有 没有风险的",
    ):
        assert inspect(library, conv(("agent", text))), text


def test_a_denied_promise_to_clients_is_negated(backend: str) -> None:
    """不允许对客户作出保本的承诺: the negator reaches over 对客户 作出."""
    library = lib(
        """
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  when: {keywords: [保本]}
""",
        backend,
    )
    assert inspect(library, conv(("agent", "我们的员工不允许对客户作出保本或保收益的承诺"))) == []
    assert inspect(library, conv(("agent", "我们给客户作出保本承诺")))
    assert inspect(
        library, conv(("agent", "不会，客户保本保收益"))
    )  # 客户 alone reaches no further


def test_a_keyword_inside_a_quoted_one_is_quoted_too(backend: str) -> None:
    """您说的保本保息: the quote covers the 保息 inside it."""
    library = lib(
        """
- id: t.p.baoxi
  category: compliance.guarantee_return
  message: 保息
  when: {keywords: [保本保息, 保息]}
""",
        backend,
    )
    assert inspect(library, conv(("agent", "您说的保本保息的理财 我们行没有这样的产品"))) == []
    assert inspect(library, conv(("agent", "这款是保息的 您放心")))


def test_many_negated_phrases_stay_linear(backend: str) -> None:
    """Thousands of denied 打包票 each holding a 包票: no pairwise comparison of hits."""
    library = lib(BAOPIAO, backend)
    started = time.thread_time()
    assert inspect(library, conv(("agent", "我没法给您打包票 " * 4000))) == []
    assert time.thread_time() - started < 20


def test_span_points_into_original_text(backend: str) -> None:
    library = lib(
        """
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  when: {keywords: [保本保息]}
""",
        backend,
    )
    text = "您放心，這個產品「保、本 保息」的"
    (finding,) = inspect(library, conv(("agent", text)))
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "保、本 保息"
    assert finding.evidence == text


def test_homophones_opt_in(backend: str) -> None:
    library = lib(
        """
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  when: {keywords: [保本], homophones: true}
- id: t.p.plain
  category: compliance.guarantee_return
  message: 承诺保本
  when: {keywords: [保本]}
""",
        backend,
    )
    assert fired(inspect(library, conv(("agent", "放心 包本的")))) == [("t.p.baoben", 0, "包本")]
    assert inspect(library, conv(("agent", "宝贝别担心"))) == []


def test_regex_on_spoken_numbers(backend: str) -> None:
    library = lib(
        r"""
- id: t.p.rate
  category: compliance.guarantee_return
  message: 承诺收益率
  when: {regex: '(肯定|一定|保证)有?\d+(\.\d+)?%'}
""",
        backend,
    )
    (finding,) = inspect(library, conv(("agent", "收益肯定有百分之八点五")))
    assert finding.matched == "肯定有百分之八点五"


def test_near_previous_metadata_role(backend: str) -> None:
    library = lib(
        """
- id: t.s.r4
  category: compliance.suitability
  message: 产品风险高于客户
  scope: {metadata: [{metadata: product_risk, op: gt, field: customer_risk}]}
  when:
    all:
      - near: [{keywords: [推荐]}, {keywords: [基金]}]
        within: 4
      - previous: {keywords: [想买]}
        within: 2
        roles: [customer]
""",
        backend,
    )
    good = conv(
        ("customer", "我想买点理财"),
        ("agent", "推荐您这只基金"),
        product_risk="R4",
        customer_risk="C3",
    )
    assert fired(inspect(library, good)) == [("t.s.r4", 1, "推荐")]
    matched_risk = conv(
        ("customer", "我想买点理财"),
        ("agent", "推荐您这只基金"),
        product_risk="R3",
        customer_risk="C3",
    )
    assert inspect(library, matched_risk) == []
    far = conv(
        ("customer", "我想买点理财"),
        ("agent", "推荐您看看 我们有很多很多产品 基金"),
        product_risk="R4",
        customer_risk="C1",
    )
    assert inspect(library, far) == []
    no_ask = conv(("agent", "推荐您这只基金"), product_risk="R4", customer_risk="C1")
    assert inspect(library, no_ask) == []


def test_must_say_after_within_turns_is_live(backend: str) -> None:
    library = lib(
        """
- id: t.d.risk
  category: compliance.missing_risk_disclosure
  message: 未提示风险
  after: {keywords: [推荐您]}
  within_turns: 2
  must_say: {keywords: [投资有风险]}
""",
        backend,
    )
    c = conv(
        ("agent", "推荐您这款"),
        ("customer", "嗯"),
        ("agent", "收益很好"),
        ("agent", "考虑一下"),
        ("agent", "投资有风险"),
    )
    session = Session(library, c)
    emitted = [session.feed(u) for u in c.utterances]
    assert [len(e) for e in emitted] == [0, 0, 0, 1, 0]
    assert emitted[3][0].utterance_index is None and emitted[3][0].span is None
    assert "投资有风险" in emitted[3][0].message
    assert session.close() == []
    ok = conv(("agent", "推荐您这款"), ("agent", "投资有风险 入市需谨慎"))
    assert inspect(library, ok) == []
    no_trigger = conv(("agent", "您好"))
    assert inspect(library, no_trigger) == []
    # said just before the trigger counts; said longer before than the window does not
    early = conv(("agent", "先提醒您 投资有风险"), ("agent", "推荐您这款"), ("agent", "好的"))
    assert inspect(library, early) == []
    stale = conv(
        ("agent", "投资有风险"),
        ("agent", "您好"),
        ("agent", "这个月活动"),
        ("agent", "推荐您这款"),
        ("agent", "收益很好"),
        ("agent", "考虑一下"),
    )
    assert [f.rule_id for f in inspect(library, stale)] == ["t.d.risk"]


def test_must_say_first_and_last(backend: str) -> None:
    library = lib(
        """
- id: t.g.greet
  category: service.missing_greeting
  message: 未问候
  scope: {roles: [agent], first: 1}
  must_say: {keywords: [您好]}
- id: t.g.close
  category: service.missing_closing
  message: 未结束语
  scope: {roles: [agent], last: 2}
  must_say: {keywords: [感谢来电, 还有其他问题吗]}
""",
        backend,
    )
    good = conv(
        ("agent", "您好 工号1023"), ("customer", "查账"), ("agent", "好的"), ("agent", "感谢来电")
    )
    assert inspect(library, good) == []
    bad = conv(
        ("agent", "喂"),
        ("customer", "查账"),
        ("agent", "好的"),
        ("agent", "感谢来电"),
        ("agent", "挂了"),
        ("agent", "再见"),
    )
    assert sorted(f.rule_id for f in inspect(library, bad)) == ["t.g.close", "t.g.greet"]
    assert inspect(library, conv(("customer", "喂"))) == []


def test_sequence_b_without_a(backend: str) -> None:
    library = lib(
        """
- id: t.s.order
  category: compliance.suitability
  message: 未先确认风险等级
  scope: {roles: [agent, customer]}
  sequence:
    - all: [{role: agent}, {keywords: [风险测评]}]
    - all: [{role: customer}, {keywords: [确认]}]
    - all: [{role: agent}, {keywords: [已记录]}]
""",
        backend,
    )
    ordered = conv(("agent", "先做风险测评"), ("customer", "我确认"), ("agent", "已记录"))
    assert inspect(library, ordered) == []
    skipped = conv(("agent", "先做风险测评"), ("agent", "已记录"), ("customer", "确认"))
    assert fired(inspect(library, skipped)) == [("t.s.order", 1, "已记录")]


def test_count(backend: str) -> None:
    library = lib(
        """
- id: t.c.threat
  category: compliance.collection_abuse
  message: 反复威胁
  count: {condition: {keywords: [后果自负]}, at_least: 2}
""",
        backend,
    )
    assert inspect(library, conv(("agent", "后果自负"))) == []
    assert fired(inspect(library, conv(("agent", "后果自负"), ("agent", "你后果自负")))) == [
        ("t.c.threat", 1, "后果自负")
    ]


def test_timing_rules() -> None:
    library = lib(
        """
- id: t.t.silence
  category: service.long_silence
  message: 静音
  scope: {roles: [agent], channels: [phone]}
  silence: {min_seconds: 10}
- id: t.t.interrupt
  category: service.interruption
  message: 抢话
  scope: {roles: [agent], channels: [phone]}
  interruption: {min_overlap_seconds: 0.5}
- id: t.t.rate
  category: service.impatient
  message: 语速过快
  scope: {roles: [agent]}
  speech_rate: {max_chars_per_second: 7}
"""
    )
    c = conv(
        ("agent", "您好", 0.0, 1.0),
        ("customer", "我想问一下我的账户", 1.5, 6.0),
        ("agent", "您说", 5.0, 5.5),
        ("customer", "嗯", 30.0, 31.0),
        ("agent", "好的", 45.0, 46.0),
        ("agent", "这个产品的申购费率是百分之一点五管理费是百分之一点二", 47.0, 49.0),
    )
    assert sorted(fired(inspect(library, c))) == [
        ("t.t.interrupt", 2, None),
        ("t.t.rate", 5, None),
        ("t.t.silence", 4, None),
    ]
    untimed = conv(("agent", "您好"), ("customer", "嗯"), ("agent", "好的"))
    assert inspect(library, untimed) == []
    chat = conv(("agent", "您好", 0.0, 1.0), ("agent", "在吗", 30.0, 31.0), channel="chat")
    assert inspect(library, chat) == []


def test_response_time_uses_at_timestamps() -> None:
    from datetime import datetime

    from hegui.engine.model import Conversation, Utterance

    library = lib(
        """
- id: t.t.reply
  category: service.long_silence
  message: 响应超时
  scope: {roles: [agent, bot], channels: [chat]}
  response_time: {max_seconds: 60}
"""
    )
    t = datetime.fromisoformat
    c = Conversation(
        "c",
        (
            Utterance("customer", "在吗", at=t("2026-11-01T10:00:00+08:00")),
            Utterance("agent", "在的", at=t("2026-11-01T10:02:00+08:00")),
            Utterance("customer", "好", at=t("2026-11-01T10:02:10+08:00")),
            Utterance("agent", "嗯", at=t("2026-11-01T10:02:20+08:00")),
        ),
        "chat",
    )
    assert fired(inspect(library, c)) == [("t.t.reply", 1, None)]


def test_phrase_split_across_segments(backend: str) -> None:
    library = lib(
        """
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  when: {keywords: [保本保息]}
""",
        backend,
    )
    c = conv(
        ("agent", "这个产品保本"), ("agent", "保息的"), ("customer", "保本"), ("agent", "保息")
    )
    (finding,) = inspect(library, c)
    assert (finding.utterance_index, finding.span, finding.related) == (0, (4, 6), ((1, 0, 2),))
    three = conv(("agent", "产品保"), ("agent", "本"), ("agent", "保息的"))
    (finding,) = inspect(library, three)
    assert finding.utterance_index == 0 and finding.related == ((1, 0, 1), (2, 0, 2))
    # A typed sentence closed by "。", "！" or "？" does not run on into the next one.
    assert not inspect(library, conv(("agent", "产品保本。"), ("agent", "保息的问题不谈")))
    assert not inspect(library, conv(("agent", "是不是保本？"), ("agent", "保息的")))
    assert inspect(library, conv(("agent", "产品保本，"), ("agent", "保息的")))


def test_scope_channel_industry() -> None:
    library = lib(
        """
- id: t.x.phone
  category: compliance.guarantee_return
  message: m
  scope: {channels: [phone], industries: [lending]}
  when: {keywords: [保本]}
"""
    )
    assert inspect(library, conv(("agent", "保本"), industry="lending"))
    assert not inspect(library, conv(("agent", "保本"), industry="securities"))
    assert not inspect(library, conv(("agent", "保本"), channel="chat", industry="lending"))


def test_batch_preparation_handles_empty_and_homophone_utterances(backend: str) -> None:
    library = lib(
        """
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  when: {keywords: [保本], homophones: true}
""",
        backend,
    )
    c = conv(("agent", ""), ("agent", "，。"), ("agent", "放心 包本的"), ("customer", ""))
    assert fired(inspect(library, c)) == [("t.p.baoben", 2, "包本")]
    session = Session(library, c)
    live = [f for u in c.utterances for f in session.feed(u)] + session.close()
    assert fired(live) == fired(inspect(library, c))


def test_negation_after_quotation_and_echoed_question(backend: str) -> None:
    library = lib(
        """
- id: t.p.baoben
  category: compliance.guarantee_return
  message: 承诺保本
  scope: {roles: [agent, customer]}
  when: {keywords: [保本, 稳赚, 投资有风险]}
""",
        backend,
    )
    cases = {
        # denied after the phrase
        "保本是不可能的": False,
        "稳赚这种说法是不对的": False,
        "您放心 稳赚 这个我们不能承诺": False,
        "保本我不敢说 但是风险很低": False,
        "保本的话 我们没法跟您承诺": False,
        # the claim goes on: still a claim
        "这个是保本的 不会亏": True,
        "稳赚的 没有任何问题": True,
        "保本 这个我们可以保证": True,
        "投资有风险 我们不能保证收益": True,
        "投资有风险 不可能稳赚": True,
        # quoting or echoing the customer
        "您说的稳赚 这个我们不能承诺": False,
        "您是问这款产品是不是保本": False,
        "这款是保本型的吗 我帮您查一下": False,
        "您想要稳赚的产品 我理解": False,
        "您是想问纯债基金是否保本对吧": False,
        "您问这只基金会不会稳赚": False,
        "您问的是稳健添利债券基金是不是保本": False,
        "这位朋友问能不能保证稳赚": False,
        # repeating what the customer was told by someone else (a complaint being taken)
        "您说客户经理跟您说基金保本 我先记录下来": False,
        "您说得对 保本的": True,
        "我跟您说 跟您说 这个是保本的": True,
        "您说得对 我跟您保证 这个是保本的": True,
        "好多客户担心的就是这个到底是不是稳赚 我告诉您 那是必须的": True,
        # asking whether it was promised (a return visit)
        "请问客户经理有没有向您承诺过收益或者保本": False,
        "销售人员是否跟您说过稳赚": False,
        "我跟您保证过 保本的": True,
        # not a quotation: the agent speaking to the customer, or agreeing
        "我跟您说 保本的": True,
        "就像您说的 保本的": True,
        "是保本的吗 是的 保本的": True,
        "能借您的账户用一下吗": False,
        # denied before with an object or a warning, or set against something else
        "所以我们不能说它保本": False,
        "请勿相信任何声称稳赚的人": False,
        "不像存款那样保本": False,
        "不同于定期一样稳赚": False,
        "不像股票那样 它是保本的": True,
        "不比存款差 保本的": True,
        "不用担心 这个保本的": True,
        # a warning about whoever would claim it
        "任何说保本的宣传都不是我们的": False,
        "如果有人以公司名义跟您说稳赚 请举报": False,
        "我们没有所谓的内部保本产品": False,
        "这个不是保本理财 我们公司没有叫保本理财的产品": False,
        "没有叫您买保本的 您买的是净值型": False,
        "您是问逆回购是不是跟存款一样、是不是稳赚对吧": False,
        "您问的这款 我跟您说实话 是不是稳赚 那肯定稳赚": True,
        "我们没有叫您冒险 这款保本": True,
        "没有叫不上名的 都是保本的": True,
        "您关心的问题我太清楚了 咱这款产品是不是保本 那必须的": True,
        "不管有没有客户经理跟您讲过 我们这款绝对保本": True,
        "基金管理人不保证基金稳赚": False,
        "如果您今天买 保本的": True,
        "所有产品都保本": True,
        "如果有人跟您说能保本 您要小心": False,
        "稳赚不了 要看行情": False,
        "保本 不了解的地方随时问我": True,
        # lists and verdicts
        "我们不承诺保本保收益": False,
        "不是都保本 要看产品": False,
        "稳赚 保本的说法不符合规定": False,
        "没区别 都是保本的": True,
        # a short "no" answer, then the claim (the compact text has no commas)
        "没有，这个产品保本的": True,
        "不会，都是保本的": True,
        "不是，这个基金是保本的": True,
        "不用说，这个产品保本": True,
        "不瞒您说这个产品保本": True,
        # the new cues hold within their clause only
        "这个不像股票那样，保本": True,
        "没有所谓的风险，保本的": True,
        "所有人稳赚": True,
        # reading the customer's report back to confirm it
        "您是说 当时销售人员跟您讲 这个基金稳赚 对吧": False,
        "跟您确认一下：您反映的是我司员工向您承诺“保本保息”，对吗？": False,
        "您问的是“稳赚、内部名额”的产品，对吗？": False,
        "您说的这个广告 稳赚 年化百分之十二 我们没有投放过": False,
        "您说得对 这个产品保本的 对吧": True,
        "您说的没错 这个稳赚 是吧": True,
        "您是说想稳一点 这款保本 您放心": True,
        "这款保本 您放心 是吧": True,
        # asking about such words
        "销售人员有没有向您承诺过收益 或者说过稳赚不赔 零风险之类的话": False,
        "是否有工作人员向您承诺收益 或者说保本保收益之类的话": False,
        "保本保收益之类的话 我跟您说了": True,
        # Cantonese negation, 不等于
        "唔可以保证稳赚 如果市场一路跌": False,
        "低风险不等于保本": False,
        # denied, then a pause and more talk (typed or ASR with spaces between phrases)
        "您是说 养老目标基金 对吧 保本是不可能的 名字里带养老": False,
        "保本是不可能的，名字里带养老": False,
        "这个产品保本 不可能亏的": True,
        "保本 不 可能 亏 的 您 放心": True,
        # no one can say it
        "没有哪个投资产品 能说稳赚": False,
        "没有任何人敢保证保本": False,
        "没有一个客户亏过 这个稳赚": True,
        # the round-17 review: the agent's own claims that the new cues must not drop
        "您是问收益吗 这个保本的 对吧": True,
        "您说得很对 这个稳赚 是吧": True,
        "您问得好 这款保本 对吧": True,
        "您问我靠不靠谱 我跟您保证 稳赚 是吧": True,
        "您说想要稳的 那这款保本 对吧": True,
        "您提到想买理财 我推荐这款 稳赚的 对吧": True,
        "您说呢 这个稳赚的 是吧": True,
        "您说的那个宣传 稳赚 确实是真的 放心买": True,
        "您说的那个说法 保本 没错的": True,
        "您说的当时经理跟您说 这个稳赚 那确实是这样": True,
        "没有哪家能保证保本 除了我们": True,
        "没有哪个产品能说稳赚 但是我们这款可以": True,
        "别的公司没有一个敢说稳赚 我们敢": True,
        "这款 保本的 不存在 任何风险": True,
        "我保证 稳赚 不可能 赔钱": True,
        "稳赚的 谈不上 什么风险": True,
        "唔 保本的": True,
        "唔，是稳赚的": True,
        "这不等于保本嘛": True,
        "买这个不等于稳赚吗": True,
        "有没有别的问题 我跟您讲 这款稳赚 我敢说这类话": True,
        "您是说去年有人以我们平台的名义 跟您说保本 年化八个点 让您买的 对吧": False,
        # the second review: disclosures after a denial, complaint handling, the agent's own
        "保本是不可能的 任何投资都有风险": False,
        "稳赚是不可能的 风险是一定存在的": False,
        "保本是不可能的，亏损的可能性是有的": False,
        "保本 我们不能承诺 任何产品都有风险": False,
        "稳赚是不存在的 少听那些销售瞎说": False,
        "您说经理跟您说稳赚 您放心 我们一定核实": False,
        "您说的保本 是不是真的 我帮您查一下": False,
        "您说客户经理跟您说基金保本 确实有这种情况的话 我们会处理": False,
        "您说的广告 稳赚 没错 是有人冒用我们名义 那是假的": False,
        "您问这款怎么样 跟您说 这款保本的 对吧": True,
        "您问收益怎么样 向您保证 稳赚 对吧": True,
        "您问靠不靠谱 本人承诺 保本 是吧": True,
        "您说担心亏 公司承诺 这个保本 对吧": True,
        "您说朋友买了 这款稳赚 是吧": True,
        "您提到想买理财 网上都说 这款稳赚 对吧": True,
        "没有任何人敢保证保本 我们可以做的是帮您分散风险": False,
        "没有哪个产品能保证保本 但我们会尽力控制风险": False,
        "没有任何人能保证保本 除了存款以外都有风险": False,
        "没有哪个产品能说稳赚 咱们这款可以": True,
        "唔 一定保本": True,
        "低风险不等于保本吧 您还是要注意": False,
        '您是说 这款"R5"的 我们保本 "对吧"': True,
    }
    for text, expected in cases.items():
        found = inspect(library, conv(("agent", text)))
        assert bool(found) is expected, text
    # a customer quoting the agent is reporting what was said: not dropped
    assert inspect(library, conv(("customer", "你说的稳赚 我信了")))


def test_a_keyword_starting_or_ending_in_a_digit_is_not_part_of_a_longer_number(
    backend: str,
) -> None:
    library = lib(
        """
- id: t.p.zero_risk
  category: compliance.guarantee_return
  message: 零风险
  when: {keywords: [0风险, 0利息, 50万]}
""",
        backend,
    )
    assert fired(inspect(library, conv(("agent", "这个产品0风险")))) == [
        ("t.p.zero_risk", 0, "0风险")
    ]
    assert inspect(library, conv(("agent", "首期0利息")))
    assert inspect(library, conv(("agent", "额度50万")))
    assert not inspect(library, conv(("agent", "日均资产不少过五十万 风险测评C四")))
    assert not inspect(library, conv(("agent", "这笔一共2000利息")))
    assert not inspect(library, conv(("agent", "额度150万")))
    # two numbers with a pause between them are two numbers
    assert inspect(library, conv(("agent", "年化三点五 零风险的")))
    assert inspect(library, conv(("agent", "收益率4.5 0风险的")))
