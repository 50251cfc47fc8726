"""Street-level addresses: administrative divisions (gazetteer) chained with road, 小区,
number, building, unit and room pieces. A district alone is not personal data and is not
reported; an address needs a street-level piece (road, 小区, village…) and one more piece.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick_rs

from hegui.engine.pii.gazetteer import CITIES, DISTRICTS, PROVINCES
from hegui.engine.pii.view import Hit, View

_NUM = "[0-9零〇一二三四五六七八九十百两幺]"
_STOP = "的在是了我你您他她们就都也还说去来吗吧呢啊这那到从给把被对住家址哪条个要想"
_NAME = rf"(?:(?![{_STOP}])[\u4e00-\u9fff])"
_ROAD_SUFFIX = "大道|大街|路|街|巷|弄|胡同"
_COMMUNITY_SUFFIX = "小区|花园|家园|公寓|大厦|新村|社区|苑|公馆|山庄|大院"
_TOWN_SUFFIX = "街道|镇|乡|开发区|工业园|新区"
# Estate names with these endings are also ordinary words (公园, 政府, 中心, 农村), so they count
# only together with a building, unit or room number.
_LOOSE_COMMUNITY_SUFFIX = "华庭|广场|城|府|湾|园|庭|中心|村"
# Every address holds one of these; the detector's prefilter is built from it.
STREET_MARKERS = f"{_ROAD_SUFFIX}|{_TOWN_SUFFIX}|{_COMMUNITY_SUFFIX}|{_LOOSE_COMMUNITY_SUFFIX}"
_PIECES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("road", re.compile(rf"{_NAME}{{1,6}}?(?:{_ROAD_SUFFIX})(?:[东西南北中]段|{_NUM}+段)?")),
    ("town", re.compile(rf"{_NAME}{{1,4}}?(?:{_TOWN_SUFFIX})")),
    ("community", re.compile(rf"(?:{_NAME}|[0-9a-z]){{1,6}}?(?:{_COMMUNITY_SUFFIX})")),
    ("place", re.compile(rf"(?:{_NAME}|[0-9a-z]){{1,6}}?(?:{_LOOSE_COMMUNITY_SUFFIX})")),
    ("number", re.compile(rf"{_NUM}+(?:-{_NUM}+)?号(?:院)?")),
    ("building", re.compile(rf"(?:{_NUM}+|[a-z])(?:号楼|栋|幢|座|号院|期)")),
    ("unit", re.compile(rf"{_NUM}+单元")),
    ("floor", re.compile(rf"{_NUM}+(?:层|楼)(?!{_NUM})")),
    ("room", re.compile(rf"{_NUM}+(?:室|房|号房)")),
)
# A chain followed by one of these names an organisation or a branch, not where someone lives.
_ORGANISATION_AFTER = re.compile(
    r"支行|分行|营业部|营业厅|网点|公司|集团|银行|局|委|小学|中学|大学|学院|医院|派出所|政府|法院"
    r"|协会|分公司|办事处|管委会"
)
_BARE_ROOM = re.compile(_NUM)
_ANCHOR = re.compile(rf"(?:{_ROAD_SUFFIX}|{_COMMUNITY_SUFFIX}|{_LOOSE_COMMUNITY_SUFFIX})")
_STREET = frozenset({"road", "town", "community"})
_DETAIL = frozenset({"number", "building", "unit", "floor", "room"})
_SHORT_SUFFIXES = ("特别行政区", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")


def _short(name: str) -> str:
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _divisions() -> ahocorasick_rs.AhoCorasick:
    names = set(PROVINCES) | set(CITIES) | set(DISTRICTS)
    names |= {_short(n) for n in PROVINCES | CITIES}
    return ahocorasick_rs.AhoCorasick(
        sorted(names), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )


def address_hits(view: View) -> list[Hit]:
    text = view.text
    admin_at = {start: end for _, start, end in _divisions().find_matches_as_indexes(text)}
    hits: list[Hit] = []
    for start in sorted(admin_at):
        if not _inside(hits, start):
            _add(hits, _chain(view, start, admin_at))
    for m in _ANCHOR.finditer(text):
        if not _inside(hits, m.start()):
            name_start = _name_start(view, m.start())
            if name_start is not None and not _inside(hits, name_start):
                _add(hits, _chain(view, name_start, admin_at))
    return hits


def _inside(hits: list[Hit], pos: int) -> bool:
    return any(h.start <= pos < h.end for h in hits)


def _add(hits: list[Hit], hit: Hit | None) -> None:
    if hit is not None and not any(h.start < hit.end and hit.start < h.end for h in hits):
        hits.append(hit)


def _name_start(view: View, suffix_at: int) -> int | None:
    text = view.text
    start = suffix_at
    while start > 0 and suffix_at - start < 6 and not view.gap(start):
        c = text[start - 1]
        if not "\u4e00" <= c <= "\u9fff" or c in _STOP:
            break
        start -= 1
    return start if start < suffix_at else None


def _chain(view: View, start: int, admin_at: dict[int, int]) -> Hit | None:
    text = view.text
    kinds: list[str] = []
    pos = start
    while pos < len(text):
        last = kinds[-1] if kinds else ""
        kind, end = _next_piece(view, pos, admin_at, last)
        if not kind or (view.gap(pos) and last in _DETAIL and kind not in _DETAIL):
            break  # "…25栋1869，和平街230号": a second address, not one long one
        kinds.append(kind)
        pos = end
    score = _score(kinds)
    if not score or (_ORGANISATION_AFTER.match(text, pos) and not view.gap(pos)):
        return None
    return Hit("address", start, pos, score)


def _next_piece(view: View, pos: int, admin_at: dict[int, int], last: str) -> tuple[str, int]:
    """The longest piece starting at `pos` that does not run over a dropped comma."""
    text = view.text
    if pos in admin_at and last in ("", "admin"):
        return "admin", admin_at[pos]
    best_kind, best_end = "", pos
    for kind, pattern in _PIECES:
        m = pattern.match(text, pos)
        if m is not None and m.end() > best_end and not _crosses_gap(view, pos, m.end()):
            best_kind, best_end = kind, m.end()
    if not best_kind and last in ("unit", "building", "floor", "number", "community", "place"):
        return _bare_room(view, pos)
    return best_kind, best_end


def _crosses_gap(view: View, start: int, end: int) -> bool:
    return any(view.gap(i) for i in range(start + 1, end))


def _bare_room(view: View, pos: int) -> tuple[str, int]:
    """502 after 3单元: three or four digits ending the address."""
    text = view.text
    if view.gap(pos):
        return "", pos
    end = pos
    while end < len(text) and _BARE_ROOM.match(text[end]) and (end == pos or not view.gap(end)):
        end += 1
    followed = end < len(text) and not view.gap(end) and text[end] in "0123456789号"
    return ("room", end) if 3 <= end - pos <= 4 and not followed else ("", pos)


def _score(kinds: list[str]) -> float:
    present = set(kinds)
    detail = bool(present & _DETAIL)
    if "place" in present and detail:
        present.add("community")
    street = bool(present & _STREET)
    if "admin" in present and street:
        return 0.95 if detail else 0.85
    if street and detail:
        return 0.9
    if len(present & _STREET) >= 2:
        return 0.8
    if "admin" in present and len(present & _DETAIL) >= 2:
        return 0.8
    return 0.0
