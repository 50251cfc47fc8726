"""Compiled conditions: a tree evaluated on one prepared utterance.

`evaluate` returns the evidence span (in the ORIGINAL text) of the first positive leaf,
`TRUE` when the condition holds without a span, or None when it does not hold.
Text leaves are gated by the multi-pattern prefilter: they do no work unless one of
their patterns was seen in the utterance.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, islice
from typing import Any, Protocol

from hegui.engine.model import Conversation, Utterance
from hegui.engine.normalise import Normalized
from hegui.engine.pinyin import canonical
from hegui.engine.rules.regex import MAX_OCCURRENCES, RulePattern

Span = tuple[int, int]
TRUE: Span = (-1, -1)
Rank = Callable[[frozenset[int]], Any]  # how selective a set of literals is (higher: rarer)

# A negator, then modal and speech words only: 不保本, 不能保证收益, 不能跟您说,
# 没办法承诺, 谁也不能保证, 不允许说, 不要相信任何声称, 不是都. "不用担心，保本的" is not
# negated. The product, or a list of what is not promised, only as the object of a denied
# speech or promise verb (不能说它, 不保证基金, 不承诺保本保收益, 不保证本金和收益): the
# compact text has lost its commas, and "没有，这个产品保本的" / "不会，都是保本的" are claims.
_NEG_WORDS = (
    r"(?:是|会|能|敢|要|用|可以|可能|能够|够|一定|再|太|允许|应该|应当|该|得"
    r"|承诺|保证|确保|担保|说|讲|算|代表|等于|意味着|构成|存在|建议|接受|相信|听信|轻信|任何|声称"
    r"|跟您|跟你|和您|和你|给您|给你|向您|向你|对您|对你|您|你|我们|咱们|大家"
    r"|对客户|向客户|给客户|跟客户|作出|做出"
    r"|是都|是全|简单|随便|轻易)"
)
_NEG_OBJECT = (
    r"(?:说|讲|承诺|保证|确保|担保|代表|构成|相信|声称)"
    r"(?:它|这个|这款|这只|这类|这种|基金|产品|理财|本产品|所谓|所谓的"
    r"|本金|收益|保本|保息|和|或|或者|以及|及)+"
)
NEGATION = re.compile(
    r"(?:不|没有?|无|非|未|唔(?=会|可以|系|使|能|得|好)|(?<![区特分告级类差个性识辨派])别|勿|无法|没办法|没法|没人|谁也不"
    r"|谁都不|并非|绝非)(?:" + _NEG_OBJECT + "|" + _NEG_WORDS + r")*$"
)
# No one can say it: 没有哪个投资产品能说稳赚不赔, 没有任何人敢保证保本
NOBODY_CAN_SAY = re.compile(
    r"(?:没有|没|哪有)(?:哪个|哪一个|哪家|哪只|任何|一个|谁)[^，。！？]{0,8}?"
    r"(?:能|敢|可以|会|能够)(?:说|承诺|保证|做到|打包票)$"
)
# ... unless the speaker makes an exception of itself: 没有哪家能保证保本 除了我们
_US = r"(?:我们|咱们|我司|本公司|我们公司|我们家|咱家)(?:这[款个只家])?(?:产品|平台)?"
EXCEPT_US_AFTER = re.compile(
    r".{0,14}?(?:(?:除了|只有|唯独|唯有)"
    + _US
    + r"|"
    + _US
    + r"就?(?:可以|能|敢|做到|敢说|能做到)(?!做的|的就|能做的|做的是))"
)
# "needless to say", "I must say", "to be honest": affirmations, not negations
_AFFIRM = re.compile(r"不用说|不得不说|没得说|不必说|不消说|不瞒您说|不瞒你说")
NEGATION_WINDOW = 10
# A rhetorical question asserts what it seems to deny: 不会…吧, 不是…吗 right after the hit.
_RHETORICAL_NEG = re.compile(r"(?:不会|不是|不等于|不意味着|不就)")
_RHETORICAL_END = re.compile(r"(?:的|了)?(?:吧|吗|嘛)")
# "这不等于保本嘛" asks; "低风险不等于保本吧 您还是要注意" does not (吧 softens a statement)
_QUESTION_END = re.compile(r"(?:的|了)?(?:吗|嘛)")


def _rhetorical(negation: str, text: str, end: int) -> bool:
    """A negator the hit's question turns into an assertion: 不会…吧, 不是…吗, 不等于…嘛."""
    found = _RHETORICAL_NEG.match(negation)
    if found is None:
        return False
    closing = _RHETORICAL_END if found.group() in ("不会", "不是") else _QUESTION_END
    return closing.match(text, end) is not None


# The phrase itself denied right AFTER it: 保本是不可能的, 稳赚这种说法是不对的,
# 稳赚 这个我们不能承诺, 保本我不敢说. A claim that goes on is not: "保本的 不会亏",
# "投资有风险 我们不能保证收益" (the denial is about 收益), "投资有风险 不可能稳赚".
_WHO = r"(?:我们|咱们|公司|我|我这边|我们这边|银行|平台|谁|谁也|谁都|任何人)?"
_COPULA = r"(?:是|都是|那是|也是|就是|可|真|根本|完全|肯定|绝对|从来)*"
_CANNOT = (
    r"(?:(?:不能|不敢|不可以|无法|没法|没办法|不会|不允许|不得)"
    r"(?:跟您|向您|给您|和您|对您|跟你|向你|给你)?"
    r"(?:承诺|保证|担保|说|讲|这么说|这样说|打包票|打保票)|(?:承诺|保证|担保)不了)"
)
_FALSE = (
    r"(?:不可能|不存在|不对|不准确|不成立|骗人的?|是假的|假的|没有的|谈不上|做不到|不靠谱"
    r"|不符合规定|不符合要求|不符合监管|不合法|不实)"
)
_END = r"(?:的|啊|哈|呀|呢|哦|了|吧)*(?:$|但|不过|只能|要看|因为|毕竟|这个|这种)"
DENIED_AFTER = re.compile(
    r"(?:的|型的|型)?(?:"
    # linked by a demonstrative: 稳赚这种说法是不对的, 稳赚 这个我们不能承诺
    r"(?:的话|这个|这种|那个|那种|这点|这一点|这样|这话|这事|的说法|的承诺|这种说法|这个说法"
    r"|这种话|这样的话|的事"
    # a list of quoted claims, then their verdict: 至少翻一倍 保证收益的说法不符合规定
    r"|[^，。！？,.!?\s]{0,8}(?:的说法|这种说法|这类说法|这些说法|之类的说法|的宣传))(?:呢|啊|吧)?"
    + _WHO
    + _COPULA
    + r"(?:"
    + _CANNOT
    + r"|"
    + _FALSE
    + r"|违规|不合规|误导|夸大)"
    # said of the phrase itself and ending there: 保本是不可能的, 保本我不敢说
    r"|"
    + _COPULA
    + _FALSE
    + _END
    + r"|"
    + _WHO
    + _COPULA
    + _CANNOT
    + _END
    # the promise word itself refused: 我保证不了, 这个承诺不了
    + r"|不了(?!解|结|了之|少|多|几)"
    + r")"
)
# The same denial said of the phrase itself, when a pause (not the end) follows it.
DENIED_BEFORE_PAUSE = re.compile(
    r"(?:的|型的|型)?(?:"
    + _COPULA
    + _FALSE
    + r"|"
    + _WHO
    + _COPULA
    + _CANNOT
    + r")(?:的|啊|哈|呀|呢|哦|了|吧)*"
)
# What "不可能 / 不存在 / 谈不上" denies when it goes on after the pause: a loss, not the claim
LOSS_GOES_ON = re.compile(r"(?:亏|赔|风险|损失|跌|少|任何|什么|一点|半点|回撤)")
BARE_DENIAL = re.compile(r"(?:的|型的|型)?(?:不可能|不存在|谈不上|做不到)")
# Said of whoever would claim it, in a warning: 任何说保本高收益的宣传都不是…, 如果有人以公司名义
# 承诺收益 请举报, 没有所谓的内部保本产品, 我们公司没有叫保本理财的产品
# (not "如果您今天买 保证收益": a condition of the offer).
_ANYONE = r"(?:任何|凡是|如果有|若有|一旦有|要是有)"  # not 所有: "所有人稳赚不赔" is a claim
_CLAIMER = r"(?:人|机构|员工|第三方|个人|短信|电话|宣传|网站)"
_ON_BEHALF = r"(?:以[^，。！？,.!?\s]{1,6}名义)?(?:跟您|向您|给您|对您|跟你|向你|给你|对你)?"
WARNED_CLAIM_BEFORE = re.compile(
    r"(?:"
    + _ANYONE
    + _CLAIMER
    + "?"
    + _ON_BEHALF
    + r"(?:说|声称|宣称|宣传|号称|承诺|保证|推荐|推销|介绍|要求)(?:能|会|可以|可)?"
    + r"|"
    + _ANYONE
    + _CLAIMER
    + _ON_BEHALF
    + r"|(?:没有|不存在|哪有|并没有|从来没有|根本没有|不会有)(?:任何)?所谓的?"
    + r"[^，。！？,.!?\s]{0,6}"
    # a name (没有叫保本理财的产品) or what the customer was told to buy (没有叫您买保本的),
    # nothing between: "没有叫您冒险 这款保本" is a claim
    + r"|(?:没有|不存在|哪有|并没有|从来没有|根本没有|不会有)(?:任何)?"
    + r"(?:叫做?|叫作|名叫|叫您买|叫你买|叫您选|叫你选|让您买|让你买))$"
)
# Set against something else: 不像存款那样肯定能拿回本金, 不同于定期那样保本 (not "不像股票那样
# 它是保本的": the claim there is made of the product itself).
UNLIKE_BEFORE = re.compile(
    r"(?:不像|不同于|区别于|可不像|并不像|不跟)[^，。！？,.!?\s]{1,8}(?:那样|那么|一样|似的)$"
)
# The agent quoting the customer: 您说的稳赚…, 您是问保本吗, 您想要保本的…
QUOTED_BEFORE = re.compile(
    r"(?<![跟和给对向同帮像如为替瞒])(?:您|你)(?:是|刚才|刚刚|刚|之前|一直|就是|主要)*"
    r"(?:说|问|提|讲|听说|想问|想了解|想找|想要|想买|要找|关心|担心|咨询)"
    r"(?:到|过|了)?的?(?:这个|那个|这种|那种|这款|那款|这只|这支|一个|一款|产品|基金|理财"
    r"|是不是|是否|有没有|能不能|会不会|所谓的?|广告|短信|宣传|说法)*$"
)
# ... or their question with its subject: 您是想问纯债基金是否保本, 您问这只基金会不会亏,
# 您问的是稳健添利债券基金是不是保本; a third party's too: 这位朋友问能不能保证赚
QUOTED_QUESTION_BEFORE = re.compile(
    r"(?:(?<![跟和给对向同帮像如为替])(?:您|你)(?:是|刚才|刚刚|刚|之前|主要)*"
    r"(?:问|想问|想了解|咨询|关心|担心)(?:的)?[^我咱]{0,12}"
    # a named third party asking (not "好多客户担心的就是…", a sales set-up)
    r"|(?:这位|那位|有位|有个|刚才那位)(?:朋友|客户|先生|女士|阿姨|大爷|网友|群友)"
    r"(?:问|想问)(?:的)?.{0,8})"
    r"(?:是不是|是否|有没有|能不能|会不会)(?:保证|承诺|一定|肯定)?$"
)
# The customer reporting what a third party told them: 您说客户经理跟您说基金保本 (not the
# agent's own 我跟您说 / 您说得对 …)
REPORTED_BEFORE = re.compile(
    r"(?<![跟和给对向同帮像如为替])(?:您|你)(?:是)?(?:说|讲|反映|提到)(?:的)?"
    r"(?:当时|之前|以前|那时|那时候|上次|去年|前几天|刚才)?"
    r"(?:客户经理|理财经理|经理|销售|销售人员|业务员|代理人|工作人员|柜员|他|她|他们|对方|别人"
    r"|那个人|那人|人家|你们的人|你们员工|你们的员工).{0,6}"
    r"(?:跟您|跟你|给您|给你|对您|对你|向您|向你|和您|和你)(?:说|讲|承诺|保证)(?:过|了)?"
    r"(?:的)?(?:这个|那个|这款|那款|这只|基金|产品|理财|是)*$"
)
# Asking whether a promise was made (a return visit, a compliance check): 请问客户经理
# 有没有向您承诺过收益或者保本, 销售人员是否跟您说过保本
ASKED_WHETHER_BEFORE = re.compile(
    r"(?:有没有|有无|是否)(?:人|谁|有人|任何人|客户经理|理财经理|销售人员|销售|业务员"
    r"|工作人员|经理|坐席|他|她|对方|我们的人员|我们的工作人员)?"
    r"(?:向您|跟您|给您|对您|和您|向你|跟你|给你|对你|和你)?"
    r"(?:承诺|保证|担保|说|讲|提到|介绍|宣传)(?:过|了)?.{0,8}$"
)
# Repeating the customer's question before checking it: 这款是保本型的吗 我帮您查一下
ECHOED_QUESTION = re.compile(
    r"(?:型|类)?的?(?:产品)?(?:吗|么)(?:我|我这边|这边|我们)?(?:先|马上|现在)?"
    r"(?:帮您|给您|为您|帮你|给你|替您)?(?:查|看|核实|确认|问|了解)"
)
# Reading the customer's report back to confirm it: 您是说…对吧, 您反映的是…对吗,
# 您问的是“零风险…”的产品 对吗 (the opener before the hit, the check at the end).
CONFIRM_OPEN = re.compile(
    r"(?<![跟和给对向同帮像如为替])(?:您|你)(?:是|的意思是|刚才|刚刚)?"
    r"(?:说|问|反映|提到|投诉|举报)(?![得呢]|的?(?:对|没错|是对|在理|有道理))的?是?"
)
CONFIRM_CLOSE = re.compile(r"(?:对吧|对吗|是吧|是吗|对不对|是这样吗|是这个意思吗)(?:我|$)")
CONFIRM_WINDOW = 32
# Asking about such words, not saying them: 有没有人向您承诺保本保收益 或者说过稳赚不赔
# 零风险之类的话 (the question word anywhere before, "之类的话" ending the utterance).
ASKED_ABOUT_WORDS_AFTER = re.compile(
    r".{0,16}?(?:之类的话|之类的说法|之类的承诺|之类的字眼|这类话|这一类的话)(?:吗|呢|没有|吧)?$"
)
ASKED_WORD = re.compile(r"有没有|是否|有无|是不是")
ASKED_WORD_WINDOW = 24
# The speaker speaking for itself (not "以我们平台的名义", "我司员工"): 我跟您保证, 我推荐
FIRST_PERSON = re.compile(
    r"(?:(?:我|咱|俺)们?(?:这边)?|本人|我司|本公司|公司)(?:跟您|给您|向您|跟你|给你|向你|和您)?"
    r"(?:保证|推荐|承诺|打包票|敢说|说|讲|建议|觉得|看|告诉)"
)
# A bare "跟您说 / 向您保证": the speaker's own unless someone else was named before it
BARE_SPEECH = re.compile(r"(?:跟您|给您|向您|跟你|给你|向你)(?:说|讲|保证|推荐|承诺|打包票)")
# An endorsement right after a quoted or reported claim: the agent makes it its own
AFFIRMED_AFTER = re.compile(
    r".{0,8}?(?:确实|(?<!不)是真的|没错|是对的|属实|是这样的?(?!吗)|都是真的|一点不假|千真万确)"
)
# ... unless the agent goes on to handle it as a complaint: 确实有这种情况的话 我们会处理
HANDLING_AFTER = re.compile(r"核实|处理|查|不合规|违规|假的|冒用|报警|举报|的话|登记|反馈")
# What names the report being read back: someone else, their words or the ad
REPORT_SOURCE = re.compile(
    r"销售|经理|员工|工作人员|业务员|代理人|柜员|有人|别人|对方|他说|她说|广告|短信|宣传|名义|群里"
)
SPEECH_ENDED = re.compile(r"吗|呢")
AFTER_WINDOW = 16
# Long enough for a quoted question with its subject: 您是问逆回购是不是跟存款一样是不是稳赚 (20).
QUOTE_WINDOW = 20


@dataclass(slots=True)
class Prepared:
    """An utterance with its normalised text and the prefilter's hits."""

    index: int
    utterance: Utterance
    norm: Normalized
    hits: set[int]
    cache: dict[int, list[Span]] | None = None
    pii: list[Any] | None = None  # the leaks the library's policy counts
    scan: list[Any] | None = None  # every entity the PII detector found (masking reuses it)
    sound: str | None = None
    t: float | None = None  # when it began on the conversation's one clock (set by the session)
    t_end: float | None = None  # when it ended on that clock (its start when no end is known)
    semantic: Mapping[str, float] | None = None  # the intent model's scores, computed once
    joined: bool = False  # the joined text of consecutive segments (not an utterance)

    def sounds(self) -> str:
        """The compact text as it sounds (homophones collapsed), offsets unchanged."""
        if self.sound is None:
            self.sound = canonical(self.norm.text)
        return self.sound


Wakers = tuple[frozenset[int], frozenset[str]]
Lexicon = Callable[[str], int]  # word → corpus frequency (0: not a word)


class EvalContext(Protocol):
    conversation: Conversation
    history: list[Prepared]
    lexicon: Lexicon | None

    def pii_entities(self, u: Prepared) -> list[Any]: ...

    def semantic_scores(self, u: Prepared) -> Mapping[str, float]: ...


class Cond(ABC):
    """Base of compiled conditions."""

    @abstractmethod
    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None: ...

    def spans(self, u: Prepared, ctx: EvalContext) -> list[Span]:
        hit = self.evaluate(u, ctx)
        return [] if hit is None else [hit]

    def required(self, rank: Rank) -> frozenset[int] | None:
        """Literal ids of which one must be present for this to hold; None if no such set.
        Where there is a choice, the most selective set by `rank`."""
        return None

    def clauses(self, rank: Rank) -> tuple[frozenset[int], ...]:
        """Sets of literal ids of which EACH must meet the utterance's hits for this to
        hold (a conjunction the prefilter checks before any evaluation)."""
        need = self.required(rank)
        return () if need is None else (need,)

    def pii_required(self) -> frozenset[str] | None:
        """PII types one of which must be found in the utterance for this to hold."""
        return None

    def wakers(self, rank: Rank) -> Wakers | None:
        """Literal ids and PII types, one of which must be present for this to hold."""
        literals = self.required(rank)
        if literals is not None:
            return (literals, frozenset())
        types = self.pii_required()
        return None if types is None else (frozenset(), types)

    def children(self) -> Sequence[Cond]:
        return ()

    def describe(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, slots=True)
class Verifier:
    """One keyword or regex of a text leaf: the library literals that announce it (none:
    verify on every utterance) and how to find its exact spans."""

    literal_ids: frozenset[int]
    literal: str | None
    regex: RulePattern | None
    source: str
    canonical: bool = False


class TextLeaf(Cond):
    """keywords / regex: exact spans in the compact text, minus negated and excepted hits."""

    def __init__(
        self,
        leaf_id: int,
        verifiers: Sequence[Verifier],
        negation: bool,
        exceptions: Sequence[str],
        label: str,
    ) -> None:
        self.leaf_id = leaf_id
        self.verifiers = tuple(verifiers)
        self.pattern_ids = frozenset().union(*(v.literal_ids for v in verifiers))
        self.unanchored = any(not v.literal_ids for v in verifiers)
        self.negation = negation
        self.exceptions = tuple(exceptions)
        self.label = label

    def required(self, rank: Rank) -> frozenset[int] | None:
        return None if self.unanchored else self.pattern_ids

    def describe(self) -> str:
        return self.label

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        found = self.spans(u, ctx)
        return found[0] if found else None

    def spans(self, u: Prepared, ctx: EvalContext) -> list[Span]:
        if not self.unanchored and self.pattern_ids.isdisjoint(u.hits):
            return []
        if u.cache is None:
            u.cache = {}
        cached = u.cache.get(self.leaf_id)
        if cached is None:
            cached = [
                u.norm.to_original(start, end)
                for start, end, reason in self.raw_hits(u, ctx.lexicon)
                if reason is None
            ]
            cached.sort()
            u.cache[self.leaf_id] = cached
        return cached

    def raw_hits(
        self, u: Prepared, lexicon: Lexicon | None = None
    ) -> list[tuple[int, int, str | None]]:
        """Every occurrence in the compact text, with the reason it is dropped (or None)."""
        text = u.norm.text
        out: list[tuple[int, int, str | None]] = []
        breaks = Breaks(u) if self.negation else None  # only negation reads it
        for v in self.verifiers:
            if v.literal_ids and v.literal_ids.isdisjoint(u.hits):
                continue
            view = u.sounds() if v.canonical else text
            for start, end in _occurrences(view, v, _pieces(u, v)):
                reason = self._dropped(text, start, end, u.utterance.role, breaks)
                if reason is None and v.literal is not None:
                    reason = _inside_number(u, start, end)
                if reason is None and v.canonical and text[start:end] != v.source:
                    reason = _straddles(u, start, end, lexicon)
                out.append((start, end, reason))
        if self.negation and len(out) > 1:
            out = _inside_denied(out)
        return out

    def _dropped(
        self, text: str, start: int, end: int, role: str = "agent", breaks: Breaks | None = None
    ) -> str | None:
        if self.negation:
            reason = _negated(text, start, end, role, breaks)
            if reason is not None:
                return reason
        for phrase in self.exceptions:
            # only occurrences that can hold [start, end): begin at or before start
            bound = start + len(phrase)
            at = text.find(phrase, max(0, end - len(phrase)), bound)
            while 0 <= at <= start:
                if at + len(phrase) >= end:
                    return f"inside exception '{phrase}'"
                at = text.find(phrase, at + 1, bound)
        return None


def _asked(text: str, start: int, end: int) -> bool:
    """A hit opening an A-not-A question on a modal or copula: 会不会亏, 有没有风险, 是不是保本,
    能不能保本 — asked, neither claimed nor denied. Not 要不要脸: a taunt, and an insult; not
    a denial said twice ("不会不会，不会亏的", "没有没有 没有风险": the compact text lost the
    comma, so 会不会 there is the end of one 不会 and the start of the next)."""
    return (
        start > 0
        and end - start >= 2
        and text[start] in "不没"
        and text[start + 1] in "会能是有可敢"
        and text[start - 1] == text[start + 1]
        and not (start >= 2 and text[start - 2] == text[start])
    )


def _negated(
    text: str, start: int, end: int, role: str, breaks: Breaks | None = None
) -> str | None:
    """Why the hit at [start, end) is not asserted: negated before or after it, or (for
    the institution's side) a quotation or an echo of the customer's question."""
    if _asked(text, start, end):
        return "an A-not-A question"
    before = text[max(0, start - NEGATION_WINDOW) : start]
    neg = NEGATION.search(before)
    if neg is not None and _AFFIRM.search(before[max(0, neg.start() - 2) :]):
        neg = None
    if neg is not None and _rhetorical(neg.group(), text, end):
        neg = None  # 你不会连这都不会吧, 不是我已经跟您说过了吗: asserting, not denying
    if neg is not None and not _a_not_a(before, neg.start(), neg.group()):
        return f"negated by '{neg.group()}'"
    nobody = NOBODY_CAN_SAY.search(text, max(0, start - AFTER_WINDOW), start)
    if nobody is not None and not EXCEPT_US_AFTER.match(text, end):
        return f"negated by '{nobody.group()}'"
    window = text[max(0, start - QUOTE_WINDOW) : start]
    # These two cues hold only within the clause: "不像股票那样，保本" and "没有所谓的风险，
    # 保本的" are claims (`breaks` looks at the original text's punctuation).
    for cue, why in (
        (UNLIKE_BEFORE, "set against something else"),
        (WARNED_CLAIM_BEFORE, "a warning about whoever claims it"),
    ):
        found = cue.search(window)
        if found is not None and not (breaks and breaks(start - len(found.group()), start + 1)):
            return f"{why}: '{found.group()}'"
    after = text[end : end + AFTER_WINDOW]
    denied = DENIED_AFTER.match(after)
    if denied is not None:
        return f"denied after by '{denied.group()}'"
    if breaks is not None:
        # "保本是不可能的 名字里带养老…": the denial ends at a pause, and the talk goes on
        core = DENIED_BEFORE_PAUSE.match(after)
        at = end + core.end() if core is not None else 0
        if (
            core is not None
            and breaks.pause(at - 1, at + 1)
            and not (  # "稳赚 不可能 亏本": a bare 不可能 that goes on to a loss claims no loss
                BARE_DENIAL.fullmatch(core.group())
                and LOSS_GOES_ON.match(after, core.end())
                and not breaks(at - 1, at + 1)
            )
        ):
            return f"denied after by '{core.group()}'"
    if role == "customer":
        return None
    quoted = QUOTED_BEFORE.search(window) or QUOTED_QUESTION_BEFORE.search(window)
    if quoted is not None and not _affirmed(text, end):
        return f"quoting the customer: '{quoted.group()}'"
    reported = REPORTED_BEFORE.search(window)
    if reported is not None and not _affirmed(text, end):
        return f"repeating what the customer was told: '{reported.group()}'"
    asked = ASKED_WHETHER_BEFORE.search(text[max(0, start - 16) : start])
    if asked is not None:
        return f"asking whether it was said: '{asked.group()}'"
    about = ASKED_ABOUT_WORDS_AFTER.match(text, end)
    if about is not None and _asked_about(text, start, about.group()):
        return f"asking about such words: '{about.group()}'"
    confirm = _confirming(text, start, end, breaks)
    if confirm is not None and not _affirmed(text, end):
        return f"reading back the customer's report: '{confirm}'"
    echoed = ECHOED_QUESTION.match(after)
    if echoed is not None:
        return f"echoing the customer's question: '{echoed.group()}'"
    return None


def _affirmed(text: str, end: int) -> bool:
    """ "…稳赚 确实是真的": the agent endorses the claim it quoted, unless it goes on to
    handle it as a complaint (asked only once a quotation or report is found)."""
    return (
        AFFIRMED_AFTER.match(text, end) is not None
        and HANDLING_AFTER.search(text, end, end + 2 * AFTER_WINDOW) is None
    )


def _confirming(text: str, start: int, end: int, breaks: Breaks | None) -> str | None:
    """您是说…对吧: an opener in the CONFIRM_WINDOW before the hit, a check after it, and
    between opener and hit the report itself — someone else's words or a quotation
    (REPORT_SOURCE, or the hit in quotation marks), no first person (我跟您保证 …) and no
    question already closed (您是问收益吗 …)."""
    first = CONFIRM_OPEN.search(text, max(0, start - CONFIRM_WINDOW), start)
    if first is None:
        return None
    between = text[first.end() : start]
    if FIRST_PERSON.search(between) or SPEECH_ENDED.search(between):
        return None
    bare = BARE_SPEECH.search(between)
    if bare is not None and REPORT_SOURCE.search(between, 0, bare.start()) is None:
        return None
    quoted = breaks is not None and breaks.quoted(start, end)
    if not quoted and REPORT_SOURCE.search(between) is None:
        return None
    closed = CONFIRM_CLOSE.search(text, end, end + CONFIRM_WINDOW)
    if closed is None:
        return None
    return text[first.start() : first.end()] + "…" + closed.group()


def _asked_about(text: str, start: int, about: str) -> bool:
    """有没有…向您承诺…稳赚…之类的话: a question word shortly before the hit, and no first
    person between it and the words (我跟您讲 这款稳赚 我敢说这类话 is a claim)."""
    if FIRST_PERSON.search(about):
        return False
    lo = max(0, start - ASKED_WORD_WINDOW)
    asked = [m for m in ASKED_WORD.finditer(text, lo, start)]
    return bool(asked) and FIRST_PERSON.search(text, asked[-1].end(), start) is None


_CLAUSE_MARKS = frozenset("，,。.！!？?；;：:")
_OPEN_QUOTES = ("“", "「", "『")
_CLOSE_QUOTES = ("”", "」", "』")
# An ASR transcript cut into words ("保本 不 可能 亏 的") has a space after nearly every word:
# there a space is no pause between phrases.
_WORD_CUT_MEAN = 2.5


class Breaks:
    """Where the original text pauses between compact offsets [a, b): `breaks(a, b)` a
    clause mark; `breaks.pause(a, b)` a clause mark or a space between phrases."""

    __slots__ = ("_spaced", "norm", "original")

    def __init__(self, u: Prepared) -> None:
        self.original, self.norm = u.utterance.text, u.norm
        self._spaced: bool | None = None  # computed on the first `pause`: most hits never ask

    @property
    def spaced(self) -> bool:
        """Whether spaces separate phrases here (not a transcript cut into single words)."""
        if self._spaced is None:
            chunks = self.original.split()
            self._spaced = len(chunks) > 1 and len(self.norm.text) / len(chunks) >= _WORD_CUT_MEAN
        return self._spaced

    def __call__(self, a: int, b: int) -> bool:
        found = self._between(a, b)
        return found is not None and not _CLAUSE_MARKS.isdisjoint(found)

    def pause(self, a: int, b: int) -> bool:
        found = self._between(a, b)
        if found is None:
            return False
        return not _CLAUSE_MARKS.isdisjoint(found) or (
            self.spaced and any(ch.isspace() for ch in found)
        )

    def quoted(self, a: int, b: int) -> bool:
        """Whether compact [a, b) sits inside quotation marks in the original text."""
        if not (0 <= a < b <= len(self.norm.text)):
            return False
        lo, hi = self.norm.to_original(a, b)
        if self.original.count('"', 0, lo) % 2 == 1 and '"' in self.original[hi:]:
            return True  # inside a pair of ASCII quotes (they open and close alike)
        opened = max(self.original.rfind(q, 0, lo) for q in _OPEN_QUOTES)
        if opened < 0:
            return False
        closed = min(
            (at for at in (self.original.find(q, opened + 1) for q in _CLOSE_QUOTES) if at >= 0),
            default=-1,
        )
        return closed >= hi

    def _between(self, a: int, b: int) -> str | None:
        a, b = max(0, a), min(len(self.norm.text), b)
        if a >= b:
            return None
        lo, hi = self.norm.to_original(a, b)
        return self.original[lo:hi]


# Reasons that hold for every keyword inside the dropped one: "您说的保本保息" quotes 保息 too.
_SPREADS = ("negated by", "denied after", "quoting the customer", "an A-not-A question")


def _inside_denied(
    hits: list[tuple[int, int, str | None]],
) -> list[tuple[int, int, str | None]]:
    """A shorter keyword inside a longer one that was negated (or quoted, or asked) is
    dropped with it: 没法给您打包票 denies 包票 too, though 打 stands between it and its
    negator; 您说的保本保息 quotes 保息 as well.
    O(n log n) in the hits: the denied spans sorted by start, with the furthest end so far."""
    denied = sorted(
        (a, b) for a, b, reason in hits if reason is not None and reason.startswith(_SPREADS)
    )
    if not denied:
        return hits
    starts = [a for a, _ in denied]
    reach = list(accumulate((b for _, b in denied), max))
    out = []
    for a, b, reason in hits:
        if reason is None:
            k = bisect_right(starts, a) - 1
            if k >= 0 and reach[k] >= b:
                reason = "inside a negated phrase"
        out.append((a, b, reason))
    return out


def _pieces(u: Prepared, v: Verifier) -> list[Span] | None:
    """Where a guarded regex may match: the compact text cut at the marks its `[^…]`
    excludes (the compact text dropped them, so the pattern cannot see them itself).
    None: search the whole text."""
    if v.regex is None or not v.regex.guards:
        return None
    starts, ends = u.norm.starts, u.norm.ends
    if starts is None or ends is None:  # nothing was dropped
        return None
    original, marks = u.utterance.text, v.regex.guards
    out, piece = [], 0
    for i in range(1, len(starts)):
        if ends[i - 1] < starts[i] and not marks.isdisjoint(original[ends[i - 1] : starts[i]]):
            out.append((piece, i))
            piece = i
    out.append((piece, len(starts)))
    return out


_NUMBER_CHARS = frozenset("0123456789.")


def _inside_number(u: Prepared, start: int, end: int) -> str | None:
    """A keyword that begins or ends with a digit names that number, not the tail or
    head of a longer one: "0风险" is not in "五十万 风险" (500000风险), nor "0利息" in
    "2000利息", nor "50万" in "150万". Where the original text has a space or a mark
    between the two digits ("年化三点五 零风险", "收益率4.5 0风险"), they are two numbers."""
    text = u.norm.text
    for a in (start - 1, end - 1):  # the char pairs across the keyword's two edges
        if (
            0 <= a < len(text) - 1
            and text[a] in _NUMBER_CHARS
            and text[a + 1] in _NUMBER_CHARS
            and _touching(u, a, a + 1)
        ):
            return "inside a longer number"
    return None


def _touching(u: Prepared, a: int, b: int) -> bool:
    """Whether compact chars a and b (= a + 1) come from one stretch of the original text,
    with nothing dropped between them (a space, a mark)."""
    norm = u.norm
    if norm.starts is None or norm.ends is None:
        return True
    return norm.ends[a] >= norm.starts[b]


def _a_not_a(before: str, at: int, negation: str) -> bool:
    """能不能 / 是不是 / 会不会: a question, not a negation."""
    return negation[0] in "不没" and len(negation) > 1 and at > 0 and before[at - 1] == negation[1]


def _straddles(u: Prepared, start: int, end: int, lexicon: Lexicon | None) -> str | None:
    """A sound-alike is no mishearing when its edge belongs to a commoner word:
    汇报本月 does not say 保本 — 报 belongs to 汇报, 本 to 本月."""
    if lexicon is None:
        return None
    text, norm = u.norm.text, u.norm
    heard = lexicon(text[start:end])
    edges = []
    if start > 0 and norm.to_original(start - 1, start)[1] == norm.to_original(start, start + 1)[0]:
        edges.append(text[start - 1 : start + 1])
    if end < len(text) and norm.to_original(end - 1, end)[1] == norm.to_original(end, end + 1)[0]:
        edges.append(text[end - 1 : end + 1])
    for word in edges:
        if lexicon(word) > heard:
            return f"sound-alike straddles the word '{word}'"
    return None


def _occurrences(text: str, v: Verifier, pieces: list[Span] | None = None) -> list[Span]:
    if pieces is not None and len(pieces) > 1:
        found = ((a + s, a + e) for a, b in pieces for s, e in _occurrences(text[a:b], v))
        return list(islice(found, MAX_OCCURRENCES))
    if v.literal is not None:
        out = []
        at = text.find(v.literal)
        while at >= 0:
            out.append((at, at + len(v.literal)))
            at = text.find(v.literal, at + 1)
        return out
    assert v.regex is not None
    return v.regex.spans(text)


class PiiLeaf(Cond):
    def __init__(self, types: Sequence[str], min_score: float) -> None:
        self.types = frozenset(types)
        self.min_score = min_score

    def describe(self) -> str:
        return f"pii: {', '.join(sorted(self.types))}"

    def pii_required(self) -> frozenset[str] | None:
        return self.types

    def spans(self, u: Prepared, ctx: EvalContext) -> list[Span]:
        return [
            (e.start, e.end)
            for e in ctx.pii_entities(u)
            if e.type in self.types and e.score >= self.min_score
        ]

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        found = self.spans(u, ctx)
        return found[0] if found else None


class SemanticLeaf(Cond):
    """The intent model scores the utterance at least `min_score` for `intent`. Its span
    is the whole utterance (trimmed), so a keyword finding of the same category on the
    same utterance overlaps it and one finding is reported. The model scores an
    utterance once, for every intent, the first time a semantic leaf asks."""

    def __init__(self, intent: str, min_score: float, min_chars: int = 8) -> None:
        self.intent, self.min_score, self.min_chars = intent, min_score, min_chars

    def describe(self) -> str:
        return f"semantic: {self.intent} ≥ {self.min_score:g}"

    def score(self, u: Prepared, ctx: EvalContext) -> float:
        """The model's score (0 for an utterance shorter than `min_chars`: not scored)."""
        if u.joined or len(u.norm.text) < self.min_chars:
            return 0.0
        return ctx.semantic_scores(u).get(self.intent, 0.0)

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        if self.score(u, ctx) < self.min_score:
            return None
        text = u.utterance.text
        start = len(text) - len(text.lstrip())
        return (start, max(start, len(text.rstrip())))


def semantic_leaves(cond: Cond) -> list[SemanticLeaf]:
    """The semantic leaves whose holding can make `cond` hold (not those under `none`)."""
    if isinstance(cond, SemanticLeaf):
        return [cond]
    if isinstance(cond, NoneCond):
        return []
    return [leaf for child in cond.children() for leaf in semantic_leaves(child)]


def semantic_score(leaves: Sequence[SemanticLeaf], u: Prepared, ctx: EvalContext) -> float | None:
    """The best score among `leaves` that hold on `u` (None: none of them does)."""
    best: float | None = None
    for leaf in leaves:
        value = leaf.score(u, ctx)
        if value >= leaf.min_score and (best is None or value > best):
            best = value
    return best


_LEVEL = re.compile(r"(\d+(?:\.\d+)?)\s*$")


def _comparable(value: Any) -> Any:
    """Risk levels R1..R5 / C1..C5 compare by their number; numbers as numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        m = _LEVEL.search(value)
        if m is not None:
            return float(m.group(1))
    return value


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


class MetadataLeaf(Cond):
    def __init__(self, key: str, op: str, value: Any, other: str | None) -> None:
        self.key, self.op, self.value, self.other = key, op, value, other

    def describe(self) -> str:
        rhs = f"metadata.{self.other}" if self.other else repr(self.value)
        return f"metadata.{self.key} {self.op} {rhs}"

    def holds(self, conversation: Conversation) -> bool:
        meta = conversation.metadata
        present = self.key in meta and meta[self.key] is not None
        if self.op in ("exists", "missing"):
            return present == (self.op == "exists")
        if not present:
            return False
        left = meta[self.key]
        if self.op in ("in", "not_in"):
            return (left in self.value) == (self.op == "in")
        right = meta.get(self.other) if self.other else self.value
        if right is None:
            return False
        a, b = _comparable(left), _comparable(right)
        try:
            return _COMPARE[self.op](a, b)
        except TypeError:
            return False

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        return TRUE if self.holds(ctx.conversation) else None


class RoleLeaf(Cond):
    def __init__(self, roles: Sequence[str]) -> None:
        self.roles = frozenset(roles)

    def describe(self) -> str:
        return f"role in {sorted(self.roles)}"

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        return TRUE if u.utterance.role in self.roles else None


class PreviousCond(Cond):
    def __init__(self, inner: Cond, within: int, roles: Sequence[str] | None) -> None:
        self.inner, self.within = inner, within
        self.roles = frozenset(roles) if roles else None

    def children(self) -> Sequence[Cond]:
        return (self.inner,)

    def describe(self) -> str:
        who = f" by {sorted(self.roles)}" if self.roles else ""
        return f"previous {self.within} utterances{who}"

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        seen = 0
        for earlier in reversed(ctx.history):
            if earlier.index >= u.index:
                continue
            if self.roles is not None and earlier.utterance.role not in self.roles:
                continue
            if self.inner.evaluate(earlier, ctx) is not None:
                return TRUE
            seen += 1
            if seen >= self.within:
                break
        return None


class NearCond(Cond):
    def __init__(self, a: Cond, b: Cond, within: int) -> None:
        self.a, self.b, self.within = a, b, within

    def children(self) -> Sequence[Cond]:
        return (self.a, self.b)

    def describe(self) -> str:
        return f"near (within {self.within} chars)"

    def required(self, rank: Rank) -> frozenset[int] | None:
        return _best(rank, self.a.required(rank), self.b.required(rank))

    def clauses(self, rank: Rank) -> tuple[frozenset[int], ...]:
        return self.a.clauses(rank) + self.b.clauses(rank)

    def pii_required(self) -> frozenset[str] | None:
        return _narrowest(self.a.pii_required(), self.b.pii_required())

    def wakers(self, rank: Rank) -> Wakers | None:
        return super().wakers(rank) or self.a.wakers(rank) or self.b.wakers(rank)

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        left = self.a.spans(u, ctx)
        if not left:
            return None
        right = self.b.spans(u, ctx)
        for a in left:
            for b in right:
                if a == TRUE or b == TRUE:
                    return a
                gap = max(b[0] - a[1], a[0] - b[1], 0)
                if gap <= self.within:
                    return a
        return None


class AllCond(Cond):
    def __init__(self, parts: Sequence[Cond]) -> None:
        self.parts = tuple(parts)

    def children(self) -> Sequence[Cond]:
        return self.parts

    def describe(self) -> str:
        return "all"

    def required(self, rank: Rank) -> frozenset[int] | None:
        best: frozenset[int] | None = None
        for part in self.parts:
            best = _best(rank, best, part.required(rank))
        return best

    def clauses(self, rank: Rank) -> tuple[frozenset[int], ...]:
        return tuple(clause for part in self.parts for clause in part.clauses(rank))

    def pii_required(self) -> frozenset[str] | None:
        narrowest: frozenset[str] | None = None
        for part in self.parts:
            narrowest = _narrowest(narrowest, part.pii_required())
        return narrowest

    def wakers(self, rank: Rank) -> Wakers | None:
        found = super().wakers(rank)
        for part in self.parts:
            if found is not None:
                break
            found = part.wakers(rank)
        return found

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        span: Span | None = None
        for part in self.parts:
            hit = part.evaluate(u, ctx)
            if hit is None:
                return None
            if span is None or span == TRUE:
                span = hit
        return span


class AnyCond(Cond):
    def __init__(self, parts: Sequence[Cond]) -> None:
        self.parts = tuple(parts)

    def children(self) -> Sequence[Cond]:
        return self.parts

    def describe(self) -> str:
        return "any"

    def required(self, rank: Rank) -> frozenset[int] | None:
        union: set[int] = set()
        for part in self.parts:
            need = part.required(rank)
            if need is None:
                return None
            union |= need
        return frozenset(union)

    def pii_required(self) -> frozenset[str] | None:
        union: set[str] = set()
        for part in self.parts:
            types = part.pii_required()
            if types is None:
                return None
            union |= types
        return frozenset(union)

    def wakers(self, rank: Rank) -> Wakers | None:
        literals: frozenset[int] = frozenset()
        types: frozenset[str] = frozenset()
        for part in self.parts:
            found = part.wakers(rank)
            if found is None:
                return None
            literals, types = literals | found[0], types | found[1]
        return (literals, types)

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        for part in self.parts:
            hit = part.evaluate(u, ctx)
            if hit is not None:
                return hit
        return None

    def spans(self, u: Prepared, ctx: EvalContext) -> list[Span]:
        out: list[Span] = []
        for part in self.parts:
            out.extend(part.spans(u, ctx))
        return sorted(out)


class NoneCond(Cond):
    def __init__(self, parts: Sequence[Cond]) -> None:
        self.parts = tuple(parts)

    def children(self) -> Sequence[Cond]:
        return self.parts

    def describe(self) -> str:
        return "none"

    def evaluate(self, u: Prepared, ctx: EvalContext) -> Span | None:
        for part in self.parts:
            if part.evaluate(u, ctx) is not None:
                return None
        return TRUE


def _best(rank: Rank, a: frozenset[int] | None, b: frozenset[int] | None) -> frozenset[int] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if rank(a) >= rank(b) else b


def _narrowest(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if len(a) <= len(b) else b
