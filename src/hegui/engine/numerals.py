"""Spoken Chinese numbers → digits, for runs of numerals only.

`一三八一二三四五六七八` → `13812345678`, `三个八` → `888`, `百分之八` → `8%`, `三十五` → `35`,
`五点五` → `5.5`; ordinary words (一会儿, 一下, 第一季度, 十分, 千万, 万一) are left alone.
Each output character carries the span of the source characters it came from.
"""

from __future__ import annotations

import re

# Output piece: (char, source_start, source_end) relative to the text handed in.
Piece = tuple[str, int, int]

DIGIT = {
    "零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3",
    "四": "4", "五": "5", "六": "6", "七": "7", "拐": "7", "八": "8", "九": "9", "勾": "9",
}  # fmt: skip
for _d in "0123456789":
    DIGIT[_d] = _d
UNIT = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
# Spoken digits that are too often ordinary words to stand alone in "X个Y" (两个一样).
_WEAK_REPEAT = {"一", "两"}
_AMBIGUOUS = {"洞", "拐", "勾", "幺"}

_D = "0-9零〇一二三四五六七八九幺两洞拐勾"
_M = "十百千万亿"
_TEN_UNITS = "元块个天年月日号岁期位楼层米次倍"
RUN = re.compile(
    f"百分之?百|(?:百分之)?[{_D}{_M}](?:[点个]?[{_D}{_M}])+|百分之[{_D}]|[{_D}]个[{_D}]"
    f"|十(?=[{_TEN_UNITS}])"
)


# Cheap test that `RUN` could match at all (most utterances have no numeral run).
QUICK = re.compile(f"[{_D}{_M}][点个]?[{_D}{_M}]|十[{_TEN_UNITS}]|百分")


# A decimal scaled by 千, 万 or 亿: 3.2万 is 32000 (not "3." and 20000), 三点二万 too. Bounded
# and anchored at the start of a run (linear time; a phone number before "3.2万" is left
# whole): at most 5 digits or 8 numerals before the point, 6 after it; not 千万 / 万一 (words),
# not 两 after the point (三点两万块: three o'clock, twenty thousand), no digit after the scale.
_NUMERAL_DIGITS = "零〇一二三四五六七八九幺"
_SCALES = frozenset("千万亿")
_SCALED = re.compile(
    f"(?:(?<![{_D}十百千.])([0-9]{{1,5}})|(?<![{_D}十百千.])([{_NUMERAL_DIGITS}两十百千]{{1,8}}))"
    f"[.点]([0-9{_NUMERAL_DIGITS}]{{1,6}})(千(?!万)|万(?!一)|亿)(?![0-9{_D}])"
)


def convert_runs(text: str) -> list[tuple[int, int, list[Piece]]]:
    """Find numeral runs in `text`; return (start, end, replacement pieces) for those converted."""
    edits: list[tuple[int, int, list[Piece]]] = []
    if QUICK.search(text) is None:
        return edits
    scaled = _scaled_decimals(text) if not _SCALES.isdisjoint(text) else []
    taken = 0
    for m in RUN.finditer(text):
        while taken < len(scaled) and scaled[taken][1] <= m.start():
            edits.append(scaled[taken])
            taken += 1
        if taken < len(scaled) and scaled[taken][0] < m.end():
            continue  # inside a scaled decimal, converted whole
        run, end = m.group(), m.end()
        if _counted_tail(run, text[end : end + 1]):
            run, end = run[:-1], end - 1  # 一万一天 is 10000 + 一天, not 11000天
        elif _word_tail(run, text[end : end + 1]):
            run, end = run[:-1], end - 1  # 一五二…九八六一直打不通: the last 一 starts 一直
        pieces = _convert(run, m.start())
        if pieces is not None:
            edits.append((m.start(), end, pieces))
    edits.extend(scaled[taken:])
    return edits


def _scaled_decimals(text: str) -> list[tuple[int, int, list[Piece]]]:
    """3.2万 → 32000, 一点五亿 → 150000000, 12.25万 → 122500: every output char stands for
    the whole source, as in 百分之八 → 8%."""
    out: list[tuple[int, int, list[Piece]]] = []
    for m in _SCALED.finditer(text):
        arabic, spoken, frac, big = m.groups()
        whole = arabic or spoken
        if whole.isascii():
            head: int | None = int(whole)
        elif all(c in DIGIT for c in whole):
            head = int("".join(DIGIT[c] for c in whole))
        else:
            head = parse_positional(whole)
        if head is None:
            continue
        digits = "".join(DIGIT[c] for c in frac)
        scale = BIG.get(big) or UNIT[big]
        numerator = (head * 10 ** len(digits) + int(digits)) * scale
        value, rest = divmod(numerator, 10 ** len(digits))
        fraction = str(rest).rjust(len(digits), "0").rstrip("0")
        said = f"{value}.{fraction}" if rest else str(value)
        span = m.span()
        out.append((*span, [(c, *span) for c in said]))
    return out


_COUNTED = set("天个月年次块元号日周岁分")


def _counted_tail(run: str, following: str) -> bool:
    """A bare digit after a multiplier that a counter or unit follows starts a new count."""
    return (
        len(run) >= 3
        and following in _COUNTED
        and run[-1] in DIGIT
        and not run[-1].isascii()
        and run[-2] in "十百千万亿"
        and run[-2] != "十"
    )


# Words that begin with 一 and follow a number read digit by digit (…九八六一直打不通).
_YI_WORDS = set("直下样起定般共些切旦向路边同再")


def _word_tail(run: str, following: str) -> bool:
    """A trailing 一 of a long digit-by-digit run that starts an ordinary word (一直, 一下)."""
    return (
        len(run) >= 5
        and run[-1] == "一"
        and following in _YI_WORDS
        and all(c in DIGIT for c in run)
    )


def _convert(run: str, base: int) -> list[Piece] | None:
    if run in ("百分百", "百分之百"):
        return [(c, base, base + len(run)) for c in "100%"]
    if run == "十":
        return [("1", base, base + 1), ("0", base, base + 1)]
    if run.startswith("百分之"):
        inner = _convert_number(run[3:], base + 3, percent=True)
        if inner is None:
            return None
        # "8%" reads in another order than "百分之八": both chars stand for the whole run.
        whole = (base, base + len(run))
        return [(char, *whole) for char, _, _ in inner] + [("%", *whole)]
    return _convert_number(run, base, percent=False)


def _convert_number(run: str, base: int, *, percent: bool) -> list[Piece] | None:
    if run.isascii():
        return None
    if "点" in run:
        whole, _, frac = run.partition("点")
        if not frac or not all(c in DIGIT for c in frac):
            return None
        head = _convert_number(whole, base, percent=True)
        if head is None:
            return None
        at = base + len(whole)
        tail = [
            (DIGIT[c], base + len(whole) + 1 + i, base + len(whole) + 2 + i)
            for i, c in enumerate(frac)
        ]
        return [*head, (".", at, at + 1), *tail]
    if any(c in UNIT or c in BIG for c in run):
        return _positional(run, base, lenient=percent)
    return _digit_sequence(run, base, short_ok=percent)


def _digit_sequence(run: str, base: int, *, short_ok: bool) -> list[Piece] | None:
    out: list[Piece] = []
    i = 0
    repeated = False
    while i < len(run):
        c = run[i]
        if c == "个":
            return None
        if i + 2 < len(run) and run[i + 1] == "个":
            times = _small_count(c)
            target = run[i + 2]
            if times is None or target not in DIGIT or (target in _WEAK_REPEAT and len(run) == 3):
                return None
            out.extend((DIGIT[target], base + i, base + i + 3) for _ in range(times))
            repeated = True
            i += 3
            continue
        out.append((DIGIT[c], base + i, base + i + 1))
        i += 1
    if repeated:
        return out
    spoken = [c for c in run if not c.isascii()]
    if len(spoken) < 2 and not short_ok:
        return None  # "收益3.5 一般" must not read "3.51般"
    if len(run) < 3 and not short_ok:
        return None
    if spoken and all(c in _AMBIGUOUS for c in spoken) and len(run) - len(spoken) < 2:
        return None
    return out


def _small_count(c: str) -> int | None:
    value = DIGIT.get(c)
    if value is None or value in "01" or c.isascii():
        return None
    return int(value)


def _positional(run: str, base: int, *, lenient: bool) -> list[Piece] | None:
    first = run[0]
    if first in BIG or first in ("百", "千"):
        return None
    if first == "十" and len(run) == 1:
        return None
    if not lenient and first == "十" and run[1] not in DIGIT and run[1] not in BIG:
        return None
    value = parse_positional(run)
    if value is None:
        return None
    span = (base, base + len(run))
    return [(c, *span) for c in str(value)]


def parse_positional(run: str) -> int | None:
    """Parse 三十五 / 两万五 / 一千零五 / 一百二 (colloquial trailing digit) as an integer."""
    total = section = 0
    digit: int | None = None
    last_unit = scale = 0
    for c in run:
        if c in DIGIT:
            if DIGIT[c] == "0":
                digit, last_unit, scale = None, 0, 0
                continue
            if digit is not None:
                return None
            digit = int(DIGIT[c])
        elif c in UNIT:
            unit = UNIT[c]
            if last_unit and unit >= last_unit:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_unit, scale = None, unit, unit
        elif c in BIG:
            section += digit or 0
            if section == 0:
                return None
            total += section * BIG[c]
            section, digit, last_unit, scale = 0, None, 0, BIG[c]
        else:
            return None
    if digit is not None:
        section += digit * (scale // 10 if scale >= 100 else 1)
    value = total + section
    return value if value > 0 else None
