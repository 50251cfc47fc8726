"""E-mail addresses with internationalised parts: a Chinese or accented local part
(张三@例子.中国, müller@bücher.de) or domain (user@bücher.de, 客服@银行.公司). Punycode
(xn--) domains are ASCII and are read by the plain pattern.

Chinese text puts no space before an address, so the local part is read back from the @
(at most 64 chars) over one script: a Chinese local part stops at a word that introduces
the address (邮箱是张三@…, 发给李四@…), a Latin one at the first char of another script
(邮箱zhang@例子.中国). Each @ costs a bounded amount, whatever the text around it.
"""

from __future__ import annotations

import re

_MAX_LOCAL = 64
_MAX_CJK_LOCAL = 8  # a longer Chinese run before @ has no clear start: not read
_CJK_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))

# Top-level domains in Chinese (IANA root zone), in the simplified form the view folds to.
# They may be followed directly by Chinese text (张三@例子.中国对吧), so they are listed.
# fmt: off
CJK_TLDS = (
    "组织机构", "新加坡", "中文网", "我爱你", "天主教", "中国", "香港", "台湾", "澳门", "公司",
    "网络", "网店", "网址", "在线", "商城", "商标", "集团", "政务", "公益", "移动", "手机",
    "信息", "游戏", "企业", "娱乐", "时尚", "微博", "购物", "健康", "招聘", "广东", "佛山",
    "八卦", "世界", "机构", "慈善", "联通", "餐厅", "食品", "书籍",
)
# fmt: on
# Letters of scripts written with spaces (Latin with accents, Greek, Cyrillic, Arabic,
# Indic, Thai, kana, Hangul): a top-level domain in them ends where they end.
_OTHER = (
    "a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f"
    "\u3040-\u30ff\uac00-\ud7af"
)
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_DOMAIN = re.compile(
    rf"(?:{_LABEL}\.){{1,8}}"
    rf"(?:{'|'.join(CJK_TLDS)}|xn--[a-z0-9-]{{1,59}}(?![a-z0-9-])|[{_OTHER}]{{2,24}}(?![{_OTHER}0-9-]))"
)
# Words that introduce an address: a Chinese local part starts after the last of them.
_INTRO = re.compile(r"邮箱|邮件|电邮|信箱|地址|联系|发送|发给|发到|寄给|寄到|是|为|给|到|叫")
_LOCAL_PUNCT = frozenset("._%+-")


def _cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _local_start(text: str, at: int) -> int:
    """Where the local part before text[at] == "@" starts; `at` when there is none."""
    low = max(0, at - _MAX_LOCAL)
    i = at
    if i > low and _cjk(text[i - 1]):
        while i > low and _cjk(text[i - 1]):
            i -= 1
        return _after_intro(text, i, at)
    while i > low:
        c = text[i - 1]
        if _cjk(c) or not (c.isalnum() or c in _LOCAL_PUNCT):
            break
        i -= 1
    while i < at and text[i] in _LOCAL_PUNCT:
        i += 1  # a local part starts with a letter or digit
    return i


def _after_intro(text: str, start: int, at: int) -> int:
    """Cut a Chinese run before @ after its last introducing word. A one-char word (是, 给…)
    cuts only where two chars or more remain, so a name holding it (张为民) stays whole."""
    cut = start
    for m in _INTRO.finditer(text, start, at):
        if len(m.group()) > 1 or at - m.end() >= 2:
            cut = m.end()
    return cut if at - cut <= _MAX_CJK_LOCAL else at


def domain_ok(domain: str) -> bool:
    """IDNA (the stdlib codec) accepts the domain: labels of 1-63 chars once encoded, and
    punycode (xn--) labels that decode."""
    try:
        if domain.isascii():
            domain.encode("ascii").decode("idna")
        else:
            domain.encode("idna")
    except UnicodeError:
        return False
    return True


def unicode_emails(text: str) -> list[tuple[int, int]]:
    """Spans of addresses in `text` (a case-folded view) with a non-ASCII local part or
    domain. Addresses in plain ASCII are left to the ASCII pattern."""
    spans: list[tuple[int, int]] = []
    at = text.find("@")
    while at >= 0:
        start = _local_start(text, at)
        in_path = start > 0 and text[start - 1] == "/"  # a URL's path: 例子.中国/a@b
        m = _DOMAIN.match(text, at + 1) if start < at and not in_path else None
        if m is not None and not text[start : m.end()].isascii() and domain_ok(m.group()):
            spans.append((start, m.end()))
        at = text.find("@", at + 1)
    return spans
