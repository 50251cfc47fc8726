"""Phones outside the mainland numbering plan.

Written in E.164 (`+852 9123 4567`, `+1 (415) 555-0132`, `0044 20 7946 0958`), with a
Hong Kong, Macau or Taiwan country code but no `+` (`852-9123-4567`), or in the national
form of those three (`9123 4567` after 香港/手机, `0912-345-678`). The digits come from the
same candidate windows as mainland numbers, so spoken (八五二 九一二三 四五六七),
full-width and grouped forms all reach the check. `phonenumbers` (Google's libphonenumber
metadata, shipped inside the package) decides whether the digits are a valid number for
the region; the form, its grouping and the context words set the score.
"""

from __future__ import annotations

from typing import ClassVar

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType

from hegui.engine.pii.context import ContextCache
from hegui.engine.pii.digits import DigitWindow, group_sizes
from hegui.engine.pii.numeric import PhoneRecognizer, clause_between
from hegui.engine.pii.recognizer import Examples
from hegui.engine.pii.view import Hit, View

_PLUS_LENGTHS = tuple(range(8, 16))  # E.164: country code and number, at most 15 digits
_OO_LENGTHS = tuple(range(10, 18))  # the same after the international prefix 00
_NEAR_LENGTHS = {"852": (11,), "853": (11,), "886": (11, 12)}  # +852/+853 8, +886 8-9 digits
_NEAR_REGIONS = {"852": "HK", "853": "MO", "886": "TW"}
_MOBILE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def _parse(number: str, region: str | None = None) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(number, region)
    except NumberParseException:
        return None


def _valid(number: PhoneNumber | None) -> bool:
    return number is not None and phonenumbers.is_valid_number(number)


def _cuts(view: View, start: int, n: int) -> frozenset[int]:
    """After how many digits the `n` digits from `start` were split (a space, a dash)."""
    total, cuts = 0, set()
    for size in group_sizes(view, start, n)[:-1]:
        total += size
        cuts.add(total)
    return frozenset(cuts)


class InternationalPhoneRecognizer(PhoneRecognizer):
    """E.164 numbers of any country; 852/853/886 without `+`; Hong Kong and Macau 8-digit
    and Taiwan 09xx mobile numbers in national form. A valid number for its region
    (`phonenumbers`) is required; without `+`, the grouping or context words must say
    that the digits are a phone number."""

    type = "phone"
    shortest = 8
    # Mainland numbers with +86 are the mainland recognizers'; this one ranks below them.
    _CN_CAP: ClassVar[float] = 0.85
    examples = Examples(
        found=(
            ("香港电话+852 9123 4567", "+852 9123 4567"),
            ("852-9123-4567", "852-9123-4567"),
            ("澳门手机+853 6612 3456", "+853 6612 3456"),
            ("+886 912 345 678", "+886 912 345 678"),
            ("台湾手机0912-345-678", "0912-345-678"),
            ("call me at +1 (415) 555-0132", "+1 (415) 555-0132"),
            ("伦敦办公室+44 20 7946 0958", "+44 20 7946 0958"),
            ("我香港的手机是九一二三 四五六七", "九一二三 四五六七"),
            ("号码八五二 九一二三 四五六七", "八五二 九一二三 四五六七"),
        ),
        not_found=(
            "金额+85291234567元",
            "订单号85291234567",
            "0912345678",
            "91234567",
            "客服热线95588",
            "请拨打400-820-8820",
        ),
    )

    def lengths(self, ctx: ContextCache, head: str, start: int) -> tuple[int, ...]:
        if start > 0 and ctx.text[start - 1] == "+":
            return _PLUS_LENGTHS
        if head.startswith("00"):
            return _OO_LENGTHS if head[2:3] not in ("", "0") else ()
        near = _NEAR_LENGTHS.get(head[:3])
        if near is not None:
            return near
        if head.startswith("09"):
            return (10,)
        if head[0] in "2356789" and (ctx.has(start, "dial") or ctx.has(start, "greater_china")):
            return (8,)
        return ()

    def score(self, ctx: ContextCache, digits: str, start: int) -> float:
        if not digits.isdigit():
            return 0.0
        told = ctx.has(start, "phone") or ctx.has(start, "greater_china")
        before = ctx.text[start - 1] if start > 0 else ""
        if before == "+":
            return self._e164(_parse("+" + digits), told, plus=True)
        if (before.isdigit() or before == "-") and not clause_between(ctx.view, start, start):
            return 0.0  # without +, a number starts its run: 6227 0049 1837… is one card
        if digits.startswith("00"):
            number = _parse("+" + digits[2:])
            if number is None:
                return 0.0
            cc = len(str(number.country_code))
            if not told and not _cuts(ctx.view, start, len(digits)) & {2, 2 + cc}:
                return 0.0
            return self._e164(number, told, plus=False)
        region = _NEAR_REGIONS.get(digits[:3])
        if region is not None and len(digits) in _NEAR_LENGTHS[digits[:3]]:
            number = _parse("+" + digits)
            if number is None or phonenumbers.region_code_for_number(number) != region:
                return 0.0
            if not told and 3 not in _cuts(ctx.view, start, len(digits)):
                return 0.0  # 85291234567 alone: one number of eleven digits, of any kind
            return 0.9 if _valid(number) else 0.0
        if digits.startswith("09") and len(digits) == 10:
            return self._taiwan_mobile(ctx, digits, start, told)
        if len(digits) == 8:
            return self._hong_kong_macau(ctx, digits, start)
        return 0.0

    def _e164(self, number: PhoneNumber | None, told: bool, *, plus: bool) -> float:
        """`+` or 00 and a country code set apart from the number."""
        if number is None:
            return 0.0
        if phonenumbers.is_valid_number(number):
            # Above a mainland reading of the digits after the country code
            # (+49 1512 3458252 holds 15123458252): the country code is the stronger sign.
            score = 0.98 if told else 0.96
        elif plus and told and phonenumbers.is_possible_number(number):
            score = 0.6  # a new or unlisted range: the context says it is a phone
        else:
            return 0.0
        return min(score, self._CN_CAP) if number.country_code == 86 else score

    @staticmethod
    def _taiwan_mobile(ctx: ContextCache, digits: str, start: int, told: bool) -> float:
        number = _parse(digits, "TW")
        if not _valid(number) or number is None or phonenumbers.number_type(number) not in _MOBILE:
            return 0.0
        if told:
            return 0.9
        return 0.8 if _cuts(ctx.view, start, 10) in ({4, 7}, {4}) else 0.0

    @staticmethod
    def _hong_kong_macau(ctx: ContextCache, digits: str, start: int) -> float:
        """8 digits: a Hong Kong or Macau number, asked only after a phone or region word.
        A region word (香港/澳门) lets a fixed line count; a phone word (手机/电话, not the
        looser 号码) alone, a mobile."""
        regions = ("MO", "HK") if "澳" in ctx.window(start) else ("HK", "MO")
        region_word = ctx.has(start, "greater_china")
        for region in regions:
            number = _parse(digits, region)
            if not _valid(number) or number is None:
                continue
            if region_word:
                return 0.9 if ctx.has(start, "dial") else 0.85
            if phonenumbers.number_type(number) in _MOBILE:
                return 0.7
        return 0.0

    def adjust(self, view: View, hit: Hit, window: DigitWindow) -> Hit:
        """The `+` before the number; no extension (a short group after a foreign number
        is not read as one)."""
        if hit.start > 0 and view.text[hit.start - 1] == "+":
            return Hit(hit.type, hit.start - 1, hit.end, hit.score)
        return hit
