"""Account balances: a figure said as what a customer's account, card or holding holds now
("您卡里可用余额是32,418.56元", "账户里现在还剩 八千六百多", "您的理财现在市值十二万出头").

The taxonomy files a balance under other personal information (privacy.other_pii: 账户余额),
and a balance read out is stored masked like any other PII. A figure is a balance only when
balance words stand right before it (余额, 可用资金, 市值, or 还剩 / 还有 after a card or account
named just before) and nothing around it makes it another amount: a debt or repayment (欠款,
应还), a limit, threshold or minimum (限额, 额度, 满, 起购, 以上), a fee, interest or return, a
transaction (转出, 消费, 到账), a premium, refund or compensation, a hypothetical (比如, 假设,
…的话), or the institution's own figures (规模). Read on the compact view, where spoken
numerals are digits already (三万二 → 32000, 3.2万 → 32000).
"""

from __future__ import annotations

import re

from hegui.engine.pii.recognizer import Examples, Recognizer, TextViews
from hegui.engine.pii.view import Hit, View

# A figure of money: digits (spoken ones are digits in the compact view), maybe a decimal, an
# approximation and a unit; 块五毛六 keeps its jiao and fen.
_AMOUNT = re.compile(
    r"(?:(?<![0-9.])(?<![0-9]:)[0-9]+(?:\.[0-9]+)?|(?<![0-9一二三四五六七八九十两])[一二三四五六七八九两](?=块|元))"
    r"(?:多|来|几)?(?:千|万|亿|w|k)?"
    r"(?:多|余|来|出头|左右)?"
    r"(?:元|块钱|块|人民币|rmb|美元|美金|日元|港元|港币|欧元|英镑)?"
    r"(?:[0-9一二三四五六七八九两][毛角][0-9一二三四五六七八九]?分?|[0-9一二三四五六七八九两]分"
    r"|(?<=块)[0-9一二三四五六七八九](?![0-9一二三四五六七八九十百千万]))?"
    r"(?:多|左右)?"
)
# Balance words that make the figure after them a balance on their own.
_STRONG = (
    "余额", "可用资金", "可取资金", "资金余额", "现有资金", "可用", "可取",
    "账户价值", "价值", "持仓市值", "总市值", "市值", "总资产", "账户资产", "资金",
    "持有金额", "持仓金额", "持有的是", "持仓", "持有", "存款余额", "储存额", "存续本金",
    "溢缴款", "账上有", "账上还有", "账面上有", "可转金额", "可转出金额", "存着的金额", "累积了",
    "活期", "定期", "存款",
)  # fmt: skip
# Words that make the figure after them a balance only when a card or account is named a
# little before: 卡里还剩 8600多, 账户里现在是两万.
_WEAK = (
    "还剩下", "还剩", "剩下", "剩余", "就剩", "只剩", "只有", "还有", "有", "一共是", "一共有",
    "一共", "合计有", "合计", "总共", "存着", "值", "是", "为",
)  # fmt: skip
_ACCOUNT_WORDS = (
    "卡", "账户", "账里", "账上", "户头", "户里", "零钱", "余额宝", "理财", "基金", "存折",
    "活期", "定期", "里面", "里头", "宝",
)  # fmt: skip
_ACCOUNT = re.compile("|".join(_ACCOUNT_WORDS))
_CUES = re.compile("|".join(sorted({*_STRONG, *_WEAK}, key=len, reverse=True)))
# Between the balance words and the figure (and just before the words): another kind of
# amount, a condition or an illustration.
_OTHER_AMOUNT = re.compile(
    r"欠|应还|待还|未还|要还|还款|还清|逾期|最低|罚息|违约金|利息|收益|利率|年化|费|佣金|负债|贷款|透支"
    r"|限额|额度|上限|下限|门槛|起购|起投|起存|起点|满|达到|超过|不足|不够|低于|高于|不到|少于|多于"
    r"|保持|控制在|建议|少了|多了|变动|差了|积分|年末|去年|上年|对账单|浮亏|浮盈|盈亏|亏损|亏了|赚了"
    r"|账单|领回|领取|取出|提取|估值|应该有|您是说|你是说|负的|日终"
    r"|比如|比方|例如|假如|假设|如果|要是|举个例子|打个比方|演示|按照|按"
    r"|转出|转入|转了|转给|转账|汇款|消费|刷了|支付|付了|扣了|扣款|扣除|扣费|到账|入账|打了|打款|借了"
    r"|保费|保额|月供|退还|退款|退了|赔|补偿|理赔|规模|募集|我们行|我们公司|净值|单价|价格|工资"
    r"|拨打|致电|电话|热线|号|一笔|那笔|这笔|交易|打|阈值|提醒|设置为|设为"
    r"|代码|有效期|赔付|申购|认购|定投|赎回|每[0-9一二三四五六七八九十两几位份个月期年次]|派|以内"
    r"|[0-9两几]笔"
    r"|还差|差额|缺口|(?<!溢)缴款|缴费|交了|已交|不低于|不少于|至少"
)
# Anywhere shortly before the figure: a past balance (a statement, a past date, a closed
# account), the customer's own claim repeated, points or miles.
_NOT_NOW = re.compile(
    r"去年|前年|上季度|上一期|期末|对账单|账单上|年报|历史|那个时候|那时候|那天|当时|销户|离职"
    r"|以前|原来|原本|本来|[0-9]{4}年|[0-9]+月[0-9]+[日号]|月份的"
    r"|您说(?!的)|你说(?!的)|您刚才说|您的意思是|你的意思是|您认为|您反映|您记得|您觉得|应该有|应该还有|应该还剩|应有"
    r"|积分|里程|本市|全市|全省|全国"
    r"|[0-9]+岁|岁的时候|岁时|年末|第[0-9]+年|计划书|演示|到期后|到期时|到期能|到期可以"
    r"|上月末|月末"
)
_AFTER = re.compile(
    r"以上|以下|起|的话|就可以|就能|才能|才可以|即可|封顶|为限|的门槛|/|每份|一份|亿"
    r"|已转入|转入|已到账|到账了|已转|打回|已打|已经转|转到|转给|以内|就行|就够|免费"
    r"|的?(?:限额|上限|年费|手续费|费|消费|返现|红包|代金券|积分|转账|取现|额度|欠款|待还|还款"
    r"|利息|收益|透支|贷款|罚息)"
    r"|额度|的额度|欠款|没还|要还|待还|一天|每天|一年|每年|手续费"
)
# A figure counted in something other than money: 2019年, 3笔, 5只, 10%.
_NOT_MONEY = re.compile(
    r"[年月日号天期次个位张笔岁%倍点秒只款份股手条家克道题积:\-]|分钟|小时|周|公里|里|分(?![钱])"
    r"|\.(?![0-9])"
)
_MONEY = re.compile(r"[元块钱多余来头右毛分]|rmb|美|港|欧|英镑")
_FIGURE = re.compile(r"[0-9]|[一二三四五六七八九两](?=块|元)")
_BOUGHT = re.compile(r"申购|认购|定投|赎回|买入|卖出|买了|卖了")
_CURRENCY = re.compile(r"[元块毛角分]|rmb|美元|美金|日元|港元|港币|欧元|英镑")
_SCALE_SUFFIX = re.compile(r"[千万亿wk]")
_CODES = ("usd", "cny", "rmb", "hkd", "eur")
_MAGNITUDE = re.compile(r"[十百千万亿拾佰仟萬億wWkK]")
_YI = frozenset("亿億")  # 亿 in any spelling
_THOUSANDS = re.compile(r"[0-9]{3}(?![0-9])")
_CLAUSE_MARKS = frozenset("，,。！!？?；;、")
_SENTENCE_MARKS = _CLAUSE_MARKS - {"、"}  # between the balance words and the figure
_ZERO = re.compile(r"0+(?:\.0+)?(?:元|块)?")
_WINDOW = 12  # compact chars of balance words and filler between the words and the figure
_ACCOUNT_WINDOW = 24


class BalanceRecognizer(Recognizer):
    """An account's current balance or holding value said as a figure (module docstring)."""

    type = "account_balance"
    prefilter_figure_words = (*_STRONG, *_ACCOUNT_WORDS)
    crosses_turns = False
    examples = Examples(
        found=(
            ("目前您这张卡的可用余额是32,418.56元哦", "32,418.56元"),
            ("您这张卡 我看了一下 卡里现在还剩 八千六百多", "八千六百多"),
            ("您证券账户可用资金十二万三千四百五十六点七八元", "十二万三千四百五十六点七八元"),
            ("余额３.２万", "３.２万"),
            ("扣完刚才那笔年费以后 您卡上还剩四百五十二块", "四百五十二块"),
        ),
        not_found=(
            "您这个月应还款两千三 最低还款额是两百三",
            "余额满五万就可以升级成金卡",
            "比如您余额有十万 一年利息一千七左右",
            "您可以在APP首页查看余额",
            "余额***元",
            "单日转账限额五万",
            "这款理财起购金额一万元",
            "您昨天转出了五千 今天到账",
            "我们行资产规模三万亿",
            "您信用卡的当前余额为-3,620.00元，表示您需要还款",
            "您这张卡是2019年办的",
        ),
    )

    def find(self, views: TextViews) -> list[Hit]:
        view = views.compact
        text = view.text
        if _FIGURE.search(text) is None:
            return []  # most utterances that name a card or an account hold no figure
        hits: list[Hit] = []
        for m in _AMOUNT.finditer(text):
            start, end = m.start(), _clause_end(view, m.start(), m.end())
            # the next clause's first char (after a dropped comma) is no unit of this figure
            if not view.gap(end) and _NOT_MONEY.match(text, end):
                continue
            if start and text[start - 1] in "-负":
                continue  # a negative balance is a debt
            low, high = view.to_original(start, end)
            if _ZERO.fullmatch(text, start, end) or not _YI.isdisjoint(view.original[low:high]):
                continue  # "余额为0": a condition; 亿: a fund's or a city's total, not a person's
            cue = _cue(text, start, end, after=not _mark_after(view, end))
            if cue is None:
                continue
            word = cue.group()
            if word not in _FIRM and _not_money_figure(view, start, end):
                continue
            cue_at, _ = view.to_original(cue.start(), cue.start() + 1)
            if not _SENTENCE_MARKS.isdisjoint(view.original[cue_at:low]):
                continue  # the balance words belong to another clause
            hits.append(Hit(self.type, low, high, 0.85 if word in _STRONG else 0.8))
        return hits


def _clause_end(view: View, start: int, end: int) -> int:
    """Where the figure at [start, end) of the compact view ends within its clause: an
    approximation or unit after a dropped punctuation mark belongs to the next clause
    ("活期余额5000，余额宝…" is 5000, not "5000，余")."""
    original = view.original
    for i in range(start + 1, end):
        lo, hi = _dropped(view, i)
        if _CLAUSE_MARKS.isdisjoint(original[lo:hi]):
            continue
        if original[lo:hi] == "," and _THOUSANDS.match(original, hi) and view.text[i - 1].isdigit():
            continue  # 32,418 and 1,250,000: a thousands separator
        return i
    return end


def _dropped(view: View, i: int) -> tuple[int, int]:
    """The span of the original text that the compact view dropped just before its index i
    (spaces, punctuation; empty where nothing was)."""
    if i >= len(view.text) or not view.gap(i):
        return (0, 0)
    _, lo = view.to_original(i - 1, i)
    hi, _ = view.to_original(i, i + 1)
    return (lo, hi)


def _not_money_figure(view: View, start: int, end: int) -> bool:
    """A figure without a currency unit that is no sum of money: a small number (a rate said
    without %: 活期是0.35), or a long one said digit by digit (a card, account, fund code or
    date: 000001, 88012345, 20270315; 十二万八千 keeps its 万 / 千 in the original)."""
    if _CURRENCY.search(view.text, start, end) or _SCALE_SUFFIX.search(view.text, start, end):
        return False
    if (start and view.text[start - 1] in "¥￥$") or view.text.endswith(_CODES, 0, start):
        return False
    digits = re.match(r"[0-9]+(?:\.[0-9]+)?", view.text[start:end])
    if digits is None:
        return False
    if float(digits.group()) < 10:
        return True
    if len(digits.group().split(".")[0]) >= 6:
        low, high = view.to_original(start, end)
        return _MAGNITUDE.search(view.original, low, high) is None
    return False


def _mark_after(view: View, end: int) -> bool:
    """A punctuation mark ends the clause right after the figure: what follows it is the next
    clause's ("余额是9,356.72元，收益每天自动计入" is a balance, not a return)."""
    if end >= len(view.text):
        return True
    lo, hi = _dropped(view, end)
    return not _CLAUSE_MARKS.isdisjoint(view.original[lo:hi])


def _cue(text: str, start: int, end: int, *, after: bool = True) -> re.Match[str] | None:
    """Where the balance words before the figure at [start, end) begin; None when there are
    none, or the figure is no balance (another amount, a condition, an illustration; what
    follows the figure is read only when `after`: in its own clause)."""
    low = max(0, start - _WINDOW)
    found = list(_CUES.finditer(text, low, start))
    if not found or _HYPOTHETICAL.search(text, max(0, start - 40), start):
        return None
    if _NOT_NOW.search(text, max(0, start - _ACCOUNT_WINDOW), start):
        return None
    strong = [m for m in found if m.group() in _STRONG and not _is_weak_use(text, m)]
    cue = strong[-1] if strong else found[-1]
    word = cue.group()
    if _OTHER_AMOUNT.search(text, max(0, cue.start() - 2), start + 1):
        return None  # (start + 1: 每 reads the figure's first digit, 每1万元)
    if after and _AFTER.match(text, end):
        return None
    wide = max(0, start - _ACCOUNT_WINDOW)
    if _CREDIT_LINE.search(text, wide, start) or _institutions(text, cue.start()):
        return None
    if strong:
        return cue
    if start - cue.end() > 6:
        return None  # 还剩 / 有 stand right before the figure
    # 还剩 / 有 name a balance only with money said (元, 块, 多) or a figure of three digits
    if _MONEY.search(text, start, end) is None and end - start < 3:
        return None
    accounts = list(_ACCOUNT.finditer(text, max(0, start - _ACCOUNT_WINDOW), cue.start()))
    if not accounts or _OTHER_AMOUNT.search(text, accounts[-1].start(), cue.start()):
        return None
    if _BOUGHT.search(text, max(0, start - _WINDOW), start):
        return None  # 您申购的基金是1万元: what was bought, not what is held
    if word == "有" and text[cue.end() : cue.end() + 1] in ("效", "限", "没"):
        return None  # 有效期, 有限, 有没有: no 有 of holding
    if word in ("是", "为", "值") and not any(
        a.group() not in _NUMBERED or _HOLDS.match(text, a.end()) for a in accounts
    ):
        return None
    return cue


def _institutions(text: str, cue: int) -> bool:
    """The balance words are the institution's own (本行存款余额, 我们分行的理财余额): its name
    stands shortly before them, and no 您 / 你 does ("您在我行的存款…" is the customer's)."""
    named = _INSTITUTION.search(text, max(0, cue - 10), cue) is not None
    said_to = text[max(0, cue - 12) : cue]
    return named and "您" not in said_to and "你" not in said_to


def _is_weak_use(text: str, cue: re.Match[str]) -> bool:
    """资金 / 持有 / 价值 / 可用 said of something else (资金安全, 持有期, 投资价值, 可用额度): only
    right before a figure (maybe after 现在是) are they balance words."""
    if cue.group() not in _LOOSE_STRONG:
        return False
    return _RIGHT_BEFORE.match(text, cue.end()) is None


_LOOSE_STRONG = frozenset({"资金", "持有", "价值", "可用", "可取", "持仓", "活期", "定期", "存款"})
# Balance words that make any figure after them a balance, with or without a unit (余额5.36,
# 可用余额是235,000); after the others a bare figure must look like money.
_FIRM = frozenset(_STRONG) - _LOOSE_STRONG
_RIGHT_BEFORE = re.compile(r"(?:账户|户)?(?:的)?(?:现在|目前|当前)?(?:是|为|有|还有)?[0-9]")
_HYPOTHETICAL = re.compile(
    r"如果|假如|假设|比如|比方|例如|要是|万一|举个例子|打个比方|演示|举例|为例|测算|预计|预期"
    r"|如您|如账户|如卡"
)
# The institution's own figures, not a customer's: 本行存款余额, 我们分行的理财余额.
_INSTITUTION = re.compile(r"本行|本公司|我行|我们行|我们分行|全行|我们公司|保险公司")
_CREDIT_LINE = re.compile(r"额度|授信|可贷|循环贷|可以贷|能贷|最高可以")
# 是 / 为 / 值 name what an account holds only after 里 / 上: "卡里是八千" (a balance), not "卡是
# 六二二八…" or "持卡人是肖文" (what the card or its holder is).
_HOLDS = re.compile(r"里|上|中|内|面|头")
_NUMBERED = frozenset({"卡", "账户", "户头", "存折"})  # things that also have a number
