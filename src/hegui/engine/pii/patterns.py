"""Pattern recognizers with checks: email, IP, passport, travel permits, plates, credit codes.

All patterns read the case-folded view with punctuation kept, so full-width and upper-case
forms match and a dropped comma cannot glue an email's domain to the digits after it. Every
repetition in a pattern has an upper bound, so a failed match costs a bounded number of
steps at each position and a scan stays linear in the length of the text.
"""

from __future__ import annotations

import ipaddress
import re
from abc import abstractmethod
from collections.abc import Callable

from hegui.engine.pii import validators as v
from hegui.engine.pii.context import has_context
from hegui.engine.pii.idn import domain_ok, unicode_emails
from hegui.engine.pii.numeric import FIVE_DIGITS
from hegui.engine.pii.recognizer import Examples, Recognizer, TextViews
from hegui.engine.pii.view import Hit

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_EMAIL = re.compile(
    rf"(?<![a-z0-9._%+*＊-])[a-z0-9][a-z0-9._%+-]{{0,63}}@{_LABEL}(?:\.{_LABEL}){{0,8}}"
    r"\.(?:[a-z]{2,10}|xn--[a-z0-9-]{1,59})(?![a-z0-9-])"
)
# Emails as ASR writes them: "zhangsan艾特163点com", "zhang.san at qq dot com". Separators
# are points or spaced words, never letters, so no two ways to split a name exist.
_SAID_DOT = r"(?:\s{0,3}点\s{0,3}|\s{1,3}dot\s{1,3}|\s{0,3}\.\s{0,3})"
_SAID_WORD = r"[a-z0-9][a-z0-9_-]{0,63}"
_SPOKEN_EMAIL = re.compile(
    rf"(?<![a-z0-9._-]){_SAID_WORD}(?:{_SAID_DOT}{_SAID_WORD}){{0,6}}"
    r"(?:\s{0,3}艾特\s{0,3}|\s{0,3}圈a\s{0,3}|\s{1,3}at\s{1,3})"
    rf"[a-z0-9][a-z0-9-]{{0,62}}(?:{_SAID_DOT}[a-z0-9][a-z0-9-]{{0,62}}){{0,6}}"
    rf"{_SAID_DOT}(?:com|cn|net|org)(?![a-z0-9])"
)
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"(?<![0-9.v])(?:{_OCTET}\.){{3}}{_OCTET}(?![0-9]|\.[0-9])")
# IPv6 in every written form: full, compressed (::), leading zeros dropped, an IPv4 tail
# (::ffff:192.0.2.1), a zone id (fe80::1%eth0), a prefix length (2001:db8::/32). The shape
# is loose and bounded; `ipaddress` decides. It starts with "::" or a group, neither inside
# a word nor right after "hex:" (so not in the middle of 12:30:45), but may follow "ip:".
_IPV6 = re.compile(
    r"(?<![0-9a-z.])(?<![0-9a-f]:)(?!:::)(?:::|[0-9a-f]{1,4}:)(?:[0-9a-f]{0,4}:){0,6}"
    rf"(?:(?:{_OCTET}\.){{3}}{_OCTET}|[0-9a-f]{{0,4}})"
    r"(?:%[0-9a-z_]{1,32})?(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?"
    r"(?![0-9a-z:%/_]|\.[0-9a-z])"
)
_PASSPORT = re.compile(
    r"(?<![0-9a-z])(?:[eg][0-9]{8}|e[a-hj-np-z][0-9]{7}|[dsp]e[0-9]{7})(?![0-9a-z])"
)
_PERMIT = re.compile(
    r"(?<![0-9a-z])(?:[hm][0-9]{8}(?:[0-9]{2})?|c[0-9a-hj-np-z][0-9]{7}|l[0-9]{8})(?![0-9a-z])"
)
_TAIWAN_PERMIT = re.compile(
    r"(?:台胞证|台湾居民来往大陆通行证)(?:号码?)?[:：\s]{0,3}(?:是|为)?[:：\s]{0,3}"
    r"([0-9]{8}|[0-9]{10}[a-z]?)(?![0-9a-z])"
)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    rf"[{_PROVINCES}][a-hj-np-z][·•・.\s-]?"
    r"(?:[df][0-9a-hj-np-z][0-9]{4}|[0-9]{5}[df]|[0-9a-hj-np-z]{4}[0-9a-hj-np-z挂学警港澳])"
    r"(?![0-9a-z])"
)
_PLATE_START = re.compile(rf"[{_PROVINCES}][a-z]")
_CREDIT = re.compile(r"(?<![0-9a-z])[0-9a-hj-np-rtuwxy]{18}(?![0-9a-z])")
# URLs are read only to drop hits inside them; a path or host is cut at a bounded length.
_URL = re.compile(
    r"(?:https?://|www\.)[a-z0-9\-._~:/?#@!$&'*+=%]{1,2000}"
    r"|(?<![a-z0-9.-])[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,10}"
    r"\.(?:com|cn|net|org|io|gov|edu|html?)(?::[0-9]{1,5})?/[a-z0-9\-._~:/?#@!$&'*+=%]{0,2000}"
)
_ASCII_LETTER = re.compile(r"[a-z]")
_CODE_WORDS = ("代码", "税号", "执照", "识别号")


def url_spans(views: TextViews) -> list[tuple[int, int]]:
    """URLs, in original coordinates; read with punctuation kept, so the digits before a
    dropped comma do not become part of the host name."""
    compact = views.compact.text
    if "/" not in compact and "www" not in compact:
        return []
    view = views.loose
    return [view.to_original(*m.span()) for m in _URL.finditer(view.text)]


def _has_letter(text: str) -> bool:
    return _ASCII_LETTER.search(text) is not None


# A pattern and a cheap test of the normalised text that it could match at all.
Gated = tuple[re.Pattern[str], Callable[[str], bool]]


class PatternRecognizer(Recognizer):
    """Regular expressions over the loose view; `validate` scores each match (0 rejects).
    Each pattern runs only where its gate admits the normalised text."""

    patterns: tuple[Gated, ...]

    def find(self, views: TextViews) -> list[Hit]:
        compact = views.compact.text
        hits: list[Hit] = []
        for pattern, gate in self.patterns:
            if not gate(compact):
                continue
            view = views.loose
            text = view.text
            for m in pattern.finditer(text):
                score = self.validate(text, m)
                if score > 0:
                    start, end = self.span(m)
                    hits.append(Hit(self.type, *view.to_original(start, end), score))
        return hits

    @abstractmethod
    def validate(self, text: str, m: re.Match[str]) -> float:
        """The score of one match in the loose view's text."""

    def span(self, m: re.Match[str]) -> tuple[int, int]:
        return m.span()


class EmailRecognizer(PatternRecognizer):
    """local@domain.tld (full-width ＠ too), and as ASR writes it (艾特, 点, dot, 圈a);
    internationalised local parts and domains (张三@例子.中国, user@bücher.de, xn--)."""

    type = "email"
    prefilter = r"[@＠]|[Aa][Tt] |圈[Aa]"
    prefilter_words = ("艾特",)
    patterns = (
        (_EMAIL, lambda t: "@" in t),
        (_SPOKEN_EMAIL, lambda t: "艾特" in t or "at" in t or "圈a" in t),
    )
    examples = Examples(
        found=(
            ("您的邮箱zhang.san@163.com", "zhang.san@163.com"),
            ("邮箱是zhangsan艾特163点com", "zhangsan艾特163点com"),
            ("zhang.san at qq dot com", "zhang.san at qq dot com"),
            ("ＺＨＡＮＧ＠ＱＱ．ＣＯＭ", "ＺＨＡＮＧ＠ＱＱ．ＣＯＭ"),
            ("我的邮箱是张三@例子.中国对吧", "张三@例子.中国"),
            ("write to user@bücher.de please", "user@bücher.de"),
            ("邮箱user@xn--fsqu00a.xn--fiqs8s", "user@xn--fsqu00a.xn--fiqs8s"),
            ("發給李四@銀行.公司", "李四@銀行.公司"),
        ),
        not_found=(
            "zhang***@163.com",
            "系统显示是 z***6@qq.com",
            "https://example.com/a@b.com",
            "我们at home",
            "回复@张三：好的",
            "张三@例子。中国",
        ),
    )

    def find(self, views: TextViews) -> list[Hit]:
        hits = super().find(views)
        if "@" in views.compact.text and not views.compact.text.isascii():
            view = views.loose
            for start, end in unicode_emails(view.text):
                hits.append(Hit(self.type, *view.to_original(start, end), 0.9))
        return hits

    def validate(self, text: str, m: re.Match[str]) -> float:
        if m.re is not _EMAIL:
            return 0.8
        domain = m.group().rpartition("@")[2]
        return 0.0 if "xn--" in domain and not domain_ok(domain) else 0.95


class IpAddressRecognizer(PatternRecognizer):
    """IPv4 with octets ≤ 255; IPv6 in every written form, validated by `ipaddress`;
    versions (v1.2.3.4, 版本…) excluded."""

    type = "ip_address"
    prefilter = (
        r"[0-9０-９][.．][0-9０-９]{1,3}[.．][0-9０-９]"
        r"|[0-9A-Fa-fＡ-Ｆａ-ｆ０-９]{1,4}[:：][0-9A-Fa-fＡ-Ｆａ-ｆ０-９]{0,4}[:：]"
        r"|[:：][:：][0-9A-Fa-fＡ-Ｆａ-ｆ０-９]"
    )
    patterns = ((_IPV4, lambda t: "." in t), (_IPV6, lambda t: ":" in t))
    examples = Examples(
        found=(
            ("登录IP是192.168.1.100", "192.168.1.100"),
            ("地址8.8.8.8", "8.8.8.8"),
            (
                "IPv6地址 2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            ),
            ("登录地址2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
            ("映射地址::ffff:192.0.2.1", "::ffff:192.0.2.1"),
            ("IP：fe80::1%eth0", "fe80::1%eth0"),
            ("网段2001:db8::/32", "2001:db8::/32"),
            ("本机::1", "::1"),
        ),
        not_found=(
            "版本1.2.3.4",
            "v1.2.3.4",
            "999.1.1.1",
            "利率3.85",
            "时间12:30:45",
            "MAC 00:1a:2b:3c:4d:5e",
            "std::cout",
            "2001:db8::g1",
        ),
    )

    def validate(self, text: str, m: re.Match[str]) -> float:
        before = text[max(0, m.start() - 4) : m.start()]
        if "版本" in before or before.endswith("v"):
            return 0.0
        if m.re is _IPV6 and not ipv6_valid(m.group()):
            return 0.0
        return 0.9


def ipv6_valid(candidate: str) -> bool:
    """A written IPv6 address (with zone id and prefix length) that `ipaddress` accepts.
    Without a decimal digit it must be written in full: "ab::cd" is not read as one."""
    address = candidate.partition("/")[0]
    if not any(c.isdigit() for c in address.partition("%")[0]) and address.count(":") < 7:
        return False
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    return True


class _ContextScored(PatternRecognizer):
    """A base score, raised when a context word for the type stands before the match."""

    def validate(self, text: str, m: re.Match[str]) -> float:
        return 0.95 if has_context(text, m.start(), self.type) else 0.75


class PassportRecognizer(_ContextScored):
    """E + 8 digits, E + letter + 7 digits, G + 8 digits, DE/SE/PE + 7 digits."""

    type = "passport"
    prefilter = FIVE_DIGITS
    patterns = ((_PASSPORT, _has_letter),)
    examples = Examples(
        found=(
            ("护照号E12345678", "E12345678"),
            ("护照EA1234567", "EA1234567"),
            ("g12345678", "g12345678"),
        ),
        not_found=("E1234567", "ABE12345678"),
    )


class TravelPermitRecognizer(_ContextScored):
    """回乡证 H/M + 8 (+2) digits, 港澳通行证 C + 8, 台湾通行证 L + 8, 台胞证 + 8 or 10 digits."""

    type = "travel_permit"
    prefilter = FIVE_DIGITS
    patterns = ((_PERMIT, _has_letter), (_TAIWAN_PERMIT, lambda t: "台" in t))
    examples = Examples(
        found=(
            ("回乡证H12345678", "H12345678"),
            ("港澳通行证C12345678", "C12345678"),
            ("台胞证号码：12345678", "12345678"),
            ("臺胞證12345678", "12345678"),
            ("M1234567801", "M1234567801"),
        ),
        not_found=("H1234567", "台胞证123456"),
    )

    def validate(self, text: str, m: re.Match[str]) -> float:
        return 0.9 if m.re is _TAIWAN_PERMIT else super().validate(text, m)

    def span(self, m: re.Match[str]) -> tuple[int, int]:
        return m.span(1) if m.re is _TAIWAN_PERMIT else m.span()


class LicensePlateRecognizer(PatternRecognizer):
    """Province char + letter + 5 chars (new energy D/F too), with at least 3 digits."""

    type = "license_plate"
    prefilter = rf"[{_PROVINCES}][A-Za-zＡ-Ｚａ-ｚ]"
    patterns = ((_PLATE, lambda t: _PLATE_START.search(t) is not None),)
    examples = Examples(
        found=(
            ("车牌京A12345", "京A12345"),
            ("粤B·D12345", "粤B·D12345"),
            ("京A幺二三四五", "京A幺二三四五"),
            ("浙a 1b234", "浙a 1b234"),
        ),
        not_found=("沪深300指数", "京AB", "京ABCDE"),
    )

    def validate(self, text: str, m: re.Match[str]) -> float:
        return 0.85 if sum(c.isdigit() for c in m.group()[2:]) >= 3 else 0.0


class CreditCodeRecognizer(PatternRecognizer):
    """GB 32100 unified social credit code: mod-31 check char and the embedded organisation
    code check; an all-digit code only where the context names it."""

    type = "credit_code"
    prefilter = FIVE_DIGITS
    patterns = (
        (_CREDIT, lambda t: len(t) >= 18 and (_has_letter(t) or any(w in t for w in _CODE_WORDS))),
    )
    examples = Examples(
        found=(
            ("统一社会信用代码91350100M000100Y43", "91350100M000100Y43"),
            ("税号91110108551385082Q", "91110108551385082Q"),
        ),
        not_found=("91350100M000100Y44", "ABCDEFGHJKLMNPQRTU"),
    )

    def validate(self, text: str, m: re.Match[str]) -> float:
        if not v.credit_code_valid(m.group()):
            return 0.0
        if has_context(text, m.start(), "credit_code"):
            return 0.99
        return 0.0 if m.group().isdigit() else 0.9
