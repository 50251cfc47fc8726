"""Context words before a candidate that raise or veto a numeric reading."""

from __future__ import annotations

import re

from hegui.engine.pii.view import View

WINDOW = 12

POSITIVE: dict[str, re.Pattern[str]] = {
    "id_number": re.compile(r"身份证|证件号|证件号码|身份号码|身份证号"),
    "bank_card": re.compile(
        r"卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|卡的号|卡是|卡为|转到|转入"
        # A card named by its bank, its use or a measure word: 工商银行 6222…, 工资卡, 那张.
        r"|银行|[这那]张|的卡|工资卡|收款卡|扣款卡|还款卡|换卡"
        r"|运通|万事达|银联|大来|visa|master|amex|jcb|diners|discover"
    ),
    "phone": re.compile(
        r"手机|电话|(?<![证件])号码|联系方式|致电|打给|来电|座机|固话|热线|tel|mobile|phone"
    ),
    "passport": re.compile(r"护照"),
    "travel_permit": re.compile(r"通行证|回乡证|台胞证|港澳|台湾"),
    "credit_code": re.compile(r"信用代码|社会信用|税号|营业执照|纳税人识别号"),
    # Words that name a call or a phone, without the looser 号码.
    "dial": re.compile(
        r"手机|电话|联系方式|致电|打给|来电|座机|固话|热线|tel|mobile|phone|whatsapp"
    ),
    # Hong Kong, Macau, Taiwan: their numbers are read in national form after these.
    "greater_china": re.compile(r"香港|澳门|台湾|港澳|港台|hk|hongkong|macau|macao|taiwan"),
    "landline": re.compile(r"座机|固话|固定电话|家里电话|单位电话|办公电话|办公室电话"),
}
NEGATIVE = re.compile(
    r"订单|单号|流水|交易号|编号|工单|快递|运单|物流|合同|保单|批次|序列号|编码|券|验证码|发票|凭证"
    r"|工号|金额|余额|价格|总价|¥|￥|\$|rmb|时间戳|版本|型号|货号|条码|批号|案号|参考号"
)
AMOUNT_AFTER = re.compile(r"[元块万亿%‰角]|美元|港币|\.\d")


def window(text: str, start: int, size: int = WINDOW) -> str:
    return text[max(0, start - size) : start]


def has_context(text: str, start: int, kind: str, size: int = WINDOW) -> bool:
    return POSITIVE[kind].search(window(text, start, size)) is not None


def vetoed(text: str, start: int, end: int, kind: str, before: str | None = None) -> bool:
    """A negative word (order no., amount…) nearer than any positive word for `kind`."""
    if AMOUNT_AFTER.match(text, end):
        return True
    before = window(text, start) if before is None else before
    negatives = [m.end() for m in NEGATIVE.finditer(before)]
    if not negatives:
        return False
    positives = [m.end() for m in POSITIVE[kind].finditer(before)]
    return not positives or max(negatives) > max(positives)


class ContextCache:
    """Memoised context look-ups for one view; windows stop at the clause boundary (a dropped
    comma or full stop), so "…储蓄卡，好的，4107…" does not lend 储蓄卡 to the next number."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.text = view.text
        self._has: dict[tuple[int, str, int], bool] = {}
        self._veto: dict[tuple[int, int, str], bool] = {}

    def window(self, start: int, size: int = WINDOW) -> str:
        if self.view.gap(start) and self.text[start - 1].isdigit():
            return ""  # "版本5.9.2.0，6013…": the clause before is about another number
        low = max(0, start - size)
        clause = self.view.gaps.rfind(1, low + 1, start)
        return self.text[max(low, clause) : start]

    def has(self, start: int, kind: str, size: int = WINDOW) -> bool:
        key = (start, kind, size)
        if key not in self._has:
            self._has[key] = POSITIVE[kind].search(self.window(start, size)) is not None
        return self._has[key]

    def vetoed(self, start: int, end: int, kind: str) -> bool:
        key = (start, end, kind)
        if key not in self._veto:
            self._veto[key] = vetoed(self.text, start, end, kind, self.window(start))
        return self._veto[key]

    def quiet(self) -> ContextCache:
        """The context of a candidate deep inside a run of digits, where the whole window
        before it holds digits only: no word stands there, so only an amount after it counts."""
        return QuietContext(self.view)


class QuietContext(ContextCache):
    """See `ContextCache.quiet`. It remembers nothing: it has nothing to look up."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.text = view.text

    def has(self, start: int, kind: str, size: int = WINDOW) -> bool:
        return False

    def vetoed(self, start: int, end: int, kind: str) -> bool:
        return AMOUNT_AFTER.match(self.text, end) is not None
