"""Digit recognizers: resident ID numbers, bank cards, mobile and landline phones.

They read the same candidate windows (`digits`); each scores a window by its own checksum
(`validate`) and by the context words before it. Where two of them accept the same digits,
the detector keeps the higher score.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import ClassVar

from hegui.engine.pii import validators as v
from hegui.engine.pii.context import ContextCache
from hegui.engine.pii.digits import DigitRun, DigitWindow, group_sizes
from hegui.engine.pii.recognizer import Examples, Recognizer, TextViews
from hegui.engine.pii.view import Hit, View
from hegui.engine.vocabulary import PiiType

_D = "0-9０-９零〇一二三四五六七八九幺两洞拐勾"
# Five digits, maybe with separators or pauses between them: every number read here has them.
FIVE_DIGITS = rf"[{_D}](?:[\s,，、。.\-－·嗯呃]{{0,3}}[{_D}个叉差xX]){{4}}"
_EXTENSION = re.compile(r"(?:转|分机|-)[0-9]{1,5}(?![0-9])")
_KINDS: tuple[PiiType, ...] = ("id_number", "bank_card", "phone")
_WHOLE = 15  # the fewest digits of a whole ID or card


class DigitRecognizer(Recognizer):
    """Scores candidate windows; `score` 0 rejects. `context_kind` names the context words
    that raise the score (context.POSITIVE) and that a negative word must outweigh."""

    prefilter = FIVE_DIGITS
    context_kind: ClassVar[str]
    shortest: ClassVar[int]  # the fewest digits a number of this kind has
    # Whether a window starting inside a run, after a group it reads on from, is taken for
    # a piece of a longer number even when no words name that one (see `find`).
    piece_reads_on: ClassVar[bool] = False

    def find(self, views: TextViews) -> list[Hit]:
        runs = views.digit_runs
        if not runs:
            return []
        context, quiet, view = views.context, views.quiet_context, views.compact
        hits: list[Hit] = []
        for run in runs:
            digits, ends_at = run.digits, run.ends_at
            last = len(digits) - self.shortest  # no number of this kind starts after it
            if last < 0:
                continue
            # a piece of a longer number: named so by words, or a card/ID-shaped run read on
            in_longer = self._names_other_kind(context, run.starts[0][1]) or (
                self.piece_reads_on and _card_or_id_run(digits)
            )
            for i, start, offset, head, deep in run.starts:
                if offset > last:
                    break
                ctx = quiet if deep else context
                for n in self.lengths(ctx, head, start):
                    if offset + n not in ends_at:
                        continue  # no group ends there: the digits are not a whole window
                    number = digits[offset : offset + n]
                    score = self.score(ctx, number, start)
                    if (
                        score > 0
                        and i > 0
                        and in_longer
                        and self._inside(view, context, run, start)
                    ):
                        # "卡号是 六二二六 零九一七 …": a number starting inside a run that
                        # words introduce as another kind is a piece of that one (its
                        # tail may look like a mobile or a landline) — below the misread
                        # card's 0.6: a mobile-shaped piece keeps 0.55 (still a finding
                        # where the whole is no card), a landline-shaped one 0.45 (not).
                        # After 15 or more digits (a whole ID or card could end there) the
                        # number may be a second one ("…7891 138 1234 5678"): 0.25, above
                        # the misread card, so both are found and masked.
                        score -= 0.35 if offset < _WHOLE else 0.25
                    if score > 0:
                        hits.extend(self._hit(ctx, view, run.window(i, number), score))
        return [self.to_original(view, hit) for hit in hits]

    def _inside(self, view: View, context: ContextCache, run: DigitRun, start: int) -> bool:
        """The group at `start` reads on from the run's first number: no clause mark between
        them and no words of this kind right before it (座机, 手机号)."""
        return not clause_between(view, run.starts[0][1] + 1, start) and not context.has(
            start, self.context_kind
        )

    def _names_other_kind(self, ctx: ContextCache, start: int) -> bool:
        """Words before `start` name another kind of number and none name this kind."""
        return not ctx.has(start, self.context_kind) and any(
            ctx.has(start, k) for k in _KINDS if k != self.context_kind
        )

    def _hit(
        self, ctx: ContextCache, view: View, window: DigitWindow | None, score: float
    ) -> list[Hit]:
        """The accepted window as a hit (none, if the context vetoes it)."""
        if window is None or ctx.vetoed(window.start, window.end, self.context_kind):
            return []
        if self._names_other_kind(ctx, window.start):
            score -= 0.1  # "身份证号码…" followed by a mobile-shaped piece of the ID
        hit = Hit(self.type, window.start, window.end, score - window.join_penalty)
        return [self.adjust(view, hit, window)]

    @abstractmethod
    def lengths(self, ctx: ContextCache, head: str, start: int) -> tuple[int, ...]:
        """How many digits a number of this kind starting with `head` (its first four
        digits, at `start` of the compact view) can have; () when it cannot start so.
        Must admit every window that `score` accepts: it only saves work."""

    @abstractmethod
    def score(self, ctx: ContextCache, digits: str, start: int) -> float:
        """Confidence that `digits` (at `start` of the compact view) is this kind; 0: not."""

    def adjust(self, view: View, hit: Hit, window: DigitWindow) -> Hit:
        """Widen an accepted hit (a phone's extension); in compact-view coordinates."""
        return hit

    def to_original(self, view: View, hit: Hit) -> Hit:
        return Hit(hit.type, *view.to_original(hit.start, hit.end), hit.score)


_CLAUSE_MARKS = frozenset("，,。;；、")


def _card_or_id_run(digits: str) -> bool:
    """Whether a run of digits could open with one card or ID number (so that a phone-shaped
    window inside it is a piece of that): 16 or more digits with a card's first digits, or
    18 shaped like an ID. Two phones read one after the other (22 digits) are not."""
    n = len(digits)
    if n >= 11 and digits[0] == "1" and digits[1] in "3456789":
        return False  # it opens with a whole mobile: what follows is a second number
    # a card or ID may be followed by more digits (a CVV, an expiry): its first 16–19 count
    if n >= 16 and digits.startswith(v.CARD_PREFIXES):
        return True
    return n >= 18 and id_shaped(digits[:18])


def clause_between(view: View, end: int, start: int) -> bool:
    """A comma or full stop between two digit groups of one run (0871 8847006，3528…): the
    next group is another number, not an extension. Reads only the chars between them."""
    if start < end or end == 0:
        return False
    low = view.to_original(end - 1, end)[1]
    high = view.to_original(start, start + 1)[0]
    return not _CLAUSE_MARKS.isdisjoint(view.original[low:high])


def with_open_paren(text: str, start: int, end: int) -> int:
    """(0755)8888 6666: the area code's opening parenthesis belongs to the number."""
    if start > 0 and text[start - 1] in "(（" and any(c in ")）" for c in text[start:end]):
        return start - 1
    return start


class IdNumberRecognizer(DigitRecognizer):
    """Resident ID: GB 11643 check char, birth date, province; legacy 15-digit IDs."""

    type = "id_number"
    context_kind = "id_number"
    shortest = 15
    examples = Examples(
        found=(
            ("身份证号110105199003071239", "110105199003071239"),
            (
                "证件号码幺幺零幺零五 一九九零零三零七 一二三九",
                "幺幺零幺零五 一九九零零三零七 一二三九",
            ),
            ("身份证 11010519900307123叉", "11010519900307123叉"),
            (
                "身份证号 四五零幺零三 幺九七八 幺幺二零 幺五二差",  # ASR: 差 for the spoken 叉
                "四五零幺零三 幺九七八 幺幺二零 幺五二差",
            ),
            (
                "身份證號１１０１０５１９９００３０７１２３９",
                "１１０１０５１９９００３０７１２３９",
            ),
        ),
        not_found=(
            "订单号110105199003071239",
            "号码是11010519900307123912",
            "110105199013071239",
        ),
    )

    def lengths(self, ctx: ContextCache, head: str, start: int) -> tuple[int, ...]:
        return (15, 18) if head[:2] in v.ID_PROVINCES else ()

    def score(self, ctx: ContextCache, digits: str, start: int) -> float:
        if digits[-1] in "x叉差":  # 差: how ASR often writes the spoken 叉 (X)
            return self._id_score(ctx, digits[:-1] + "X", start)
        if len(digits) not in (15, 18):
            return 0.0
        return self._id_score(ctx, digits, start)

    @staticmethod
    def _id_score(ctx: ContextCache, digits: str, start: int) -> float:
        score = v.id18_score(digits) if len(digits) == 18 else v.id15_score(digits)
        if score:
            return min(0.99, score + 0.02) if ctx.has(start, "id_number") else score
        if len(digits) == 18 and ctx.has(start, "id_number") and id_shaped(digits):
            return 0.6  # check digit wrong (misread, typo) but clearly an ID in context
        return 0.0


_SPOKEN_DIGITS = frozenset("零〇一二三四五六七八九幺两洞拐勾")
_NAMED_CODE = re.compile(r"[码号]")


def _spoken_in_fours(ctx: ContextCache, start: int, n: int) -> bool:
    """The `n` digits at `start` were spoken as Chinese numerals in groups of four (the last
    may be shorter; no hyphens): 六二一七 八五零零 三二幺九 四零六六 二七五 — and the words
    before them name no code or number (激活码, 会员号)."""
    view = ctx.view
    sizes = group_sizes(view, start, n)
    if len(sizes) < 4 or any(size != 4 for size in sizes[:-1]) or sizes[-1] > 4:
        return False
    low, high = view.to_original(start, start + n)
    said = view.original[low:high]
    if "-" in said or "－" in said or not any(ch in _SPOKEN_DIGITS for ch in said):
        return False
    return _NAMED_CODE.search(ctx.window(start)) is None


def id_shaped(digits: str) -> bool:
    if not digits[:14].isdigit():
        return False
    year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    plausible_date = 1900 <= year <= 2099 and v.valid_date(year, month, day)
    return digits[:2] in v.ID_PROVINCES and plausible_date


class BankCardRecognizer(DigitRecognizer):
    """13-19 digits, Luhn; a known scheme or BIN sets the score, an unknown one needs card
    context. Cards shorter than 16 digits (Visa 13, Diners 14, Amex 15) need card context or
    their scheme's grouping (Amex 4-6-5, Diners 4-6-4)."""

    type = "bank_card"
    context_kind = "bank_card"
    shortest = 13
    examples = Examples(
        found=(
            ("卡号6222 0212 3456 7890 128", "6222 0212 3456 7890 128"),
            ("转到4111111111111111", "4111111111111111"),
            (
                "银行卡六二二二零二一二三四五六七八九零一二八",
                "六二二二零二一二三四五六七八九零一二八",
            ),
            ("运通卡3782 822463 10005", "3782 822463 10005"),
            ("Diners 3056 930902 5904", "3056 930902 5904"),
            ("万事达2221 0012 3456 7896", "2221 0012 3456 7896"),
            ("信用卡号4222222222222", "4222222222222"),
            (
                "我重复一遍 六二一七 八五零零 三二幺九 四零六六 二七五 对吗",
                "六二一七 八五零零 三二幺九 四零六六 二七五",
            ),
        ),
        not_found=(
            "快递单号6222021234567890128",
            "金额6222021234567890128元",
            "SF6222021234567890128",
            "378282246310005",
            "4222222222222",
            "订单号 6217850032194066275",
            "您的激活码是 六二一七 三三四五 八八一二 九九零一",
            "兑换码 6288-1234-5678-0000",
            "会员号 6201 2411 0700 0123",
        ),
    )

    def lengths(self, ctx: ContextCache, head: str, start: int) -> tuple[int, ...]:
        # Any first digits: with card context an unknown BIN scores too (see `score`).
        short = v.SHORT_CARD_HEADS.get(head[:2]) or v.SHORT_CARD_HEADS.get(head[:1], ())
        return (*short, 16, 17, 18, 19)

    def score(self, ctx: ContextCache, digits: str, start: int) -> float:
        n = len(digits)
        if not 13 <= n <= 19 or not digits.isdigit():
            return 0.0
        context = ctx.has(start, "bank_card")
        if n < 16:
            return self._short_score(ctx, digits, start, context)
        if (
            n == 18
            and not context
            and (not digits.startswith(("62", "60", "9")) or id_shaped(digits))
        ):
            return 0.0  # 18-digit cards are rare outside UnionPay; ID-like numbers are not
        if not context and v.card_scheme(digits) is None and not digits.startswith(v.CARD_PREFIXES):
            return 0.0  # an unknown BIN needs card context, Luhn or not
        score = v.bank_card_score(digits)
        if score >= 0.9:
            return 0.97 if context else score
        if context:
            # Luhn-valid with an unknown BIN, or a UnionPay-looking number failing Luhn (misread).
            return 0.7 if score else (0.6 if digits.startswith(("62", "4", "5")) else 0.0)
        if n in (16, 19) and digits.startswith("62") and _spoken_in_fours(ctx, start, n):
            # A UnionPay-shaped number failing Luhn with no card word in its clause, spoken in
            # fours as cards are read out: an agent reading back a misheard card ("我重复一遍
            # 六二一七 八五零零 …"; its 卡号 was said turns before, which this reader does not
            # see). At the finding threshold; a veto word (单号, 金额) still wins, and typed
            # digits, codes (兑换码 6288-1234-…) and numbers named 码/号 are no card.
            # Just above a mobile-shaped piece of it (0.55): the whole card wins.
            return 0.56
        return 0.0

    @staticmethod
    def _short_score(ctx: ContextCache, digits: str, start: int, context: bool) -> float:
        """Visa 13, Diners 14, Amex 15: as common a length as order and tracking numbers, so
        a number without card context must be written in its scheme's groups."""
        if not v.bank_card_score(digits):
            return 0.0
        if context:
            return 0.95
        scheme = v.card_scheme(digits)
        expected = {"amex": (4, 6, 5), "diners": (4, 6, 4)}.get(scheme or "")
        if expected is not None and group_sizes(ctx.view, start, len(digits)) == expected:
            return 0.9  # as sure as a mobile its last groups could be read as (173560 92568)
        return 0.0


class PhoneRecognizer(DigitRecognizer):
    # "…账户是 六二幺七 幺幺零零 零二八五 六七三二 九零四": the landline-shaped tail of a card
    # read in fours is a piece of it, named or not
    piece_reads_on = True
    """Shared by mobile and landline numbers: context, `+`, `(0755)` and extensions."""

    context_kind = "phone"

    def adjust(self, view: View, hit: Hit, window: DigitWindow) -> Hit:
        text = view.text
        hit = self._with_extension(view, hit, window)
        if hit.start > 0 and text[hit.start - 1] == "+":
            return Hit(hit.type, hit.start - 1, hit.end, hit.score)
        return hit

    @staticmethod
    def _with_extension(view: View, hit: Hit, window: DigitWindow) -> Hit:
        text = view.text
        if text[hit.start] != "0" or text.startswith("0086", hit.start):
            return hit
        following = window.next_group
        if (
            following is not None
            and following[1] - following[0] <= 5
            and not clause_between(view, hit.end, following[0])
        ):
            return Hit(hit.type, hit.start, following[1], hit.score)
        ext = _EXTENSION.match(text, hit.end)
        return Hit(hit.type, hit.start, ext.end(), hit.score) if ext else hit

    def to_original(self, view: View, hit: Hit) -> Hit:
        start, end = view.to_original(hit.start, hit.end)
        return Hit(hit.type, with_open_paren(view.original, start, end), end, hit.score)


class MobilePhoneRecognizer(PhoneRecognizer):
    """Mobiles on every live segment, with +86 / 0086 / 86."""

    type = "phone"
    shortest = 11
    examples = Examples(
        found=(
            ("我的手机是13812345678", "13812345678"),
            ("您登记的手机是幺三八 一二三四 五六七八对吧", "幺三八 一二三四 五六七八"),
            ("+86 138-1234-5678", "+86 138-1234-5678"),
            ("電話１３８１２３４５６７８", "１３８１２３４５６７８"),
        ),
        not_found=("12812345678", "工单号13812345678", "13812345678910"),
    )

    def lengths(self, ctx: ContextCache, head: str, start: int) -> tuple[int, ...]:
        if head.startswith("1"):
            return (11,)
        return (13,) if head.startswith("86") else (15,) if head.startswith("0086") else ()

    def score(self, ctx: ContextCache, digits: str, start: int) -> float:
        if len(digits) in (11, 13, 15) and v.mobile_valid(v.strip_country_code(digits)):
            return 0.97 if ctx.has(start, "phone") else 0.9
        return 0.0


class LandlineRecognizer(PhoneRecognizer):
    """0 + area code + 7-8 digits (extensions too); a bare local number after 座机/固话."""

    type = "phone"
    shortest = 7
    examples = Examples(
        found=(
            ("电话010-62345678", "010-62345678"),
            ("座机(0755)8888 6666转123", "(0755)8888 6666转123"),
            ("座机是 6234 5678", "6234 5678"),
        ),
        not_found=("客服热线95588", "电话400-820-8820", "编号01062345678"),
    )

    def lengths(self, ctx: ContextCache, head: str, start: int) -> tuple[int, ...]:
        if head.startswith("0"):
            return (11, 12)
        # A local number (context decides, in `score`).
        return (7, 8) if head[:1] in ("2", "3", "4", "5", "6", "7", "8", "9") else ()

    def score(self, ctx: ContextCache, digits: str, start: int) -> float:
        n = len(digits)
        if not digits.isdigit():
            return 0.0
        if n in (11, 12) and digits[0] == "0" and v.landline_valid(digits):
            return 0.9 if ctx.has(start, "phone") else 0.8
        if n in (7, 8) and digits[0] in "23456789" and ctx.has(start, "landline", 8):
            return 0.6
        return 0.0
