"""Checksums and plausibility checks: GB 11643 ID numbers, Luhn, GB 32100 credit codes, phones."""

from __future__ import annotations

from hegui.engine.pii.gazetteer import REGION_CODES

# First two digits of a resident ID: provinces, plus 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证.
_PROVINCE_CODES = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45)
_OTHER_CODES = (46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83)
ID_PROVINCES = frozenset(str(code) for code in (*_PROVINCE_CODES, *_OTHER_CODES))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Live mobile segments (MIIT allocations incl. 14x data/IoT-voice, 16x, 17x, 19x).
MOBILE_PREFIXES = frozenset(
    [f"13{d}" for d in range(10)]
    + ["145", "146", "147", "148", "149"]
    + [f"15{d}" for d in range(10) if d != 4]
    + ["162", "165", "166", "167"]
    + [f"17{d}" for d in range(9)]
    + [f"18{d}" for d in range(10)]
    + [f"19{d}" for d in range(10) if d != 4]
)
# BIN prefixes that signal a payment card: UnionPay 62/60/9x domestic, Visa 4, Mastercard
# 51-55/22-27, JCB 35, Amex 34/37, Diners 30/36/38.
CARD_PREFIXES = ("62", "60", "4", "51", "52", "53", "54", "55", "35", "9", "22", "30", "36", "37")

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def valid_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if month == 2 and not leap:
        return day <= 28
    return day <= _DAYS[month - 1]


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id18_score(number: str) -> float:
    """0 when `number` is not a valid 18-char resident ID, else a confidence in (0, 1]."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in ID_PROVINCES:
        return 0.0
    if number[6:8] not in ("19", "20"):
        return 0.0  # the cheap part of the date check first: most digit strings fail here
    if id_check_char(number[:17]) != number[17]:
        return 0.0
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not 1900 <= year <= 2099 or not valid_date(year, month, day):
        return 0.0
    return 0.97 if number[:6] in REGION_CODES else 0.9


def id15_score(number: str) -> float:
    """Legacy 15-digit ID (no check digit): province, date and region code must all agree."""
    if len(number) != 15 or number[:6] not in REGION_CODES or not number.isdigit():
        return 0.0  # a known region code is required: checked first, as the cheapest test
    if not valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])):
        return 0.0
    return 0.75


def luhn_valid(number: str) -> bool:
    """Luhn (ISO/IEC 7812): every second digit from the right doubled, digits summed."""
    if not (number.isascii() and number.isdigit()):
        return False
    plain = sum(map(int, number[-1::-2]))
    doubled = sum(_LUHN_DOUBLED[c] for c in number[-2::-2])
    return (plain + doubled) % 10 == 0


_LUHN_DOUBLED = {str(d): (2 * d - 9 if d > 4 else 2 * d) for d in range(10)}


# Card schemes: (scheme, lowest and highest prefix, the prefix's length in digits, lengths).
# Ranges as the schemes publish them (ISO/IEC 7812 IINs); UnionPay's 62 is checked before
# Discover's 622126-622925 co-branded range, which UnionPay issues in China.
_SCHEMES: tuple[tuple[str, int, int, int, tuple[int, ...]], ...] = (
    ("visa", 4, 4, 1, (13, 16, 19)),
    ("mastercard", 51, 55, 2, (16,)),
    ("mastercard", 2221, 2720, 4, (16,)),
    ("amex", 34, 34, 2, (15,)),
    ("amex", 37, 37, 2, (15,)),
    ("jcb", 3528, 3589, 4, (16, 17, 18, 19)),
    ("diners", 300, 305, 3, (14, 16, 17, 18, 19)),
    ("diners", 36, 36, 2, (14, 15, 16, 17, 18, 19)),
    ("diners", 38, 39, 2, (14, 16, 17, 18, 19)),
    ("unionpay", 62, 62, 2, (16, 17, 18, 19)),
    ("discover", 6011, 6011, 4, (16, 17, 18, 19)),
    ("discover", 644, 649, 3, (16, 17, 18, 19)),
    ("discover", 65, 65, 2, (16, 17, 18, 19)),
    # Domestic BINs without an international scheme (60xx, ICBC's 9558…).
    ("domestic", 60, 60, 2, (16, 17, 18, 19)),
    ("domestic", 9, 9, 1, (16, 17, 18, 19)),
)
# Card numbers shorter than 16 digits: Visa 13, Diners 14, Amex 15 (and Diners 36 at 15).
SHORT_CARD_HEADS = {"4": (13,), "30": (14,), "36": (14, 15), "38": (14,), "39": (14,)}
SHORT_CARD_HEADS |= {"34": (15,), "37": (15,)}


def card_scheme(number: str) -> str | None:
    """The card scheme whose IIN range and lengths `number` fits ("visa", "mastercard",
    "amex", "jcb", "diners", "discover", "unionpay", "domestic"), or None. No Luhn check."""
    if not (number.isascii() and number.isdigit()):
        return None
    n = len(number)
    for scheme, low, high, width, lengths in _SCHEMES:
        if n in lengths and low <= int(number[:width]) <= high:
            return scheme
    return None


def bank_card_score(number: str) -> float:
    """Luhn-valid 13-19 digit numbers. A number shorter than 16 digits must fit a scheme
    (Visa 13, Diners 14, Amex 15); a known scheme or BIN prefix raises the confidence."""
    if not 13 <= len(number) <= 19 or not number.isdigit() or not luhn_valid(number):
        return 0.0
    if card_scheme(number) is not None:
        return 0.9
    if len(number) < 16:
        return 0.0
    return 0.9 if number.startswith(CARD_PREFIXES) else 0.5


def mobile_valid(number: str) -> bool:
    return len(number) == 11 and number.isdigit() and number[:3] in MOBILE_PREFIXES


def strip_country_code(number: str) -> str:
    for prefix in ("0086", "86"):
        if number.startswith(prefix) and mobile_valid(number[len(prefix) :]):
            return number[len(prefix) :]
    return number


def landline_valid(number: str) -> bool:
    """0 + area code (10, 2x, or 3 digits from 3-9) + a 7-8 digit local number starting 2-9."""
    if not number.isdigit() or number[0] != "0" or number[1] == "0":
        return False
    if number[1] in "12":
        if number[1] == "1" and number[2] != "0":
            return False
        local = number[3:]
    else:
        local = number[4:]
    return len(local) in (7, 8) and local[0] in "23456789"


def credit_code_valid(code: str) -> bool:
    """GB 32100-2015: 18 chars, mod-31 check char, embedded organisation code (GB 11714) check."""
    code = code.upper()
    if len(code) != 18 or any(c not in _CREDIT_ALPHABET for c in code):
        return False
    if code[0] not in "123456789ANY" or not code[2:8].isdigit():
        return False
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(code, _CREDIT_WEIGHTS, strict=False))
    if _CREDIT_ALPHABET[(31 - total % 31) % 31] != code[17]:
        return False
    return _org_code_valid(code[8:17])


def _org_code_valid(org: str) -> bool:
    if any(c not in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" for c in org[:8]):
        return False
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in org[:8]]
    check = 11 - sum(v * w for v, w in zip(values, _ORG_WEIGHTS, strict=True)) % 11
    expected = "X" if check == 10 else "0" if check == 11 else str(check)
    return org[8] == expected
