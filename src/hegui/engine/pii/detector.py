"""PiiDetector: a cheap prefilter, then the detectors over one normalised view, then overlap
resolution and the mapping back to offsets of the original text."""

from __future__ import annotations

import re
from collections.abc import Collection

from hegui.engine.pii.address import STREET_MARKERS, address_hits
from hegui.engine.pii.entity import PII_TYPES, PiiEntity
from hegui.engine.pii.masked import masked_hits
from hegui.engine.pii.names import name_hits
from hegui.engine.pii.numeric import numeric_hits
from hegui.engine.pii.patterns import pattern_hits, url_spans
from hegui.engine.pii.view import Hit, View, make_view

_NUMERIC_TYPES = frozenset({"id_number", "bank_card", "phone"})
_PATTERN_TYPES = frozenset(
    {"email", "passport", "travel_permit", "license_plate", "credit_code", "ip_address"}
)
_D = "0-9０-９零〇一二三四五六七八九幺两洞拐勾"
# Every entity needs one of these; most utterances have none, and then scan() costs one search.
_PREFILTER = re.compile(
    rf"[{_D}](?:[\s,，、。.\-－·嗯呃]{{0,3}}[{_D}个叉xX]){{4}}"
    r"|[0-9][.．][0-9]{1,3}[.．][0-9]"
    r"|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-zＡ-Ｚａ-ｚ]"
    r"|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:"
    r"|[@＠*＊×]|艾特|[Aa][Tt] |圈[Aa]"
    r"|先生|女士|小姐|姓名|户名|持卡人|开户人|收款人|户主|联系人|[我名]叫|叫做|名字"
    rf"|{STREET_MARKERS}"
)

_MASKED_PREFILTER = re.compile(r"[*＊×●#]|[xX]{2}|尾号|末尾|[后末].位|某")


class PiiDetector:
    """Finds personal information in one text; offsets refer to the text passed in."""

    def __init__(self, types: Collection[str] | None = None) -> None:
        wanted = frozenset(PII_TYPES if types is None else types)
        unknown = wanted - frozenset(PII_TYPES)
        if unknown:
            raise ValueError(f"unknown PII types: {sorted(unknown)}")
        self.types = wanted

    def scan(self, text: str) -> list[PiiEntity]:
        """Unmasked entities, sorted by start."""
        if not _PREFILTER.search(text):
            return []
        view = make_view(text)
        hits = self._hits(view)
        if self.types & _PATTERN_TYPES:
            loose, found = pattern_hits(view)
            hits += _in_original(loose, [h for h in found if h.type in self.types])
        urls = url_spans(view)
        if urls:
            hits = [h for h in hits if not any(h.start < e and s < h.end for s, e in urls)]
        return _entities(text, _resolve(hits))

    def scan_masked(self, text: str) -> list[PiiEntity]:
        """Masked forms (尾号1234, 138****5678…), which are never leaks by themselves."""
        if not _MASKED_PREFILTER.search(text):
            return []
        view = make_view(text)
        hits = [h for h in masked_hits(view) if h.type in self.types]
        return _entities(text, _resolve(_in_original(view, hits)))

    def _hits(self, view: View) -> list[Hit]:
        """Numeric, address and name hits, in original coordinates."""
        types = self.types
        hits: list[Hit] = []
        if types & _NUMERIC_TYPES:
            hits.extend(numeric_hits(view))
        if "address" in types:
            hits.extend(address_hits(view))
        if "person_name" in types:
            hits.extend(name_hits(view))
        return _in_original(view, [h for h in hits if h.type in types])


def _resolve(hits: list[Hit]) -> list[Hit]:
    """Keep the best of overlapping hits: higher score, then longer."""
    chosen: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-h.score, h.start - h.end, h.start)):
        if all(hit.end <= c.start or c.end <= hit.start for c in chosen):
            chosen.append(hit)
    return chosen


def _in_original(view: View, hits: list[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for hit in hits:
        start, end = view.to_original(hit.start, hit.end)
        if hit.type == "phone":
            start = _with_open_paren(view.original, start, end)
        out.append(Hit(hit.type, start, end, hit.score))
    return out


def _entities(text: str, hits: list[Hit]) -> list[PiiEntity]:
    out = [
        PiiEntity(h.type, h.start, h.end, text[h.start : h.end], max(0.0, min(1.0, h.score)))
        for h in hits
    ]
    out.sort(key=lambda e: (e.start, e.end))
    return out


def _with_open_paren(text: str, start: int, end: int) -> int:
    """(0755)8888 6666: the area code's opening parenthesis belongs to the number."""
    if start > 0 and text[start - 1] in "(（" and any(c in ")）" for c in text[start:end]):
        return start - 1
    return start
