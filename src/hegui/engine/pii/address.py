"""Street-level addresses: administrative divisions (gazetteer) chained with road, 小区,
number, building, unit and room pieces. A district alone is not personal data and is not
reported; an address needs a street-level piece (road, 小区, village…) and one more piece.
Pieces have bounded lengths, and chains from different starts share their common tails
(`_Chains`), so the stage is linear in the length of the text.
"""

from __future__ import annotations

import re

import ahocorasick_rs

from hegui.engine.pii.gazetteer import CITIES, DISTRICTS, PROVINCES
from hegui.engine.pii.recognizer import Examples, Recognizer, TextViews
from hegui.engine.pii.view import Hit, View

_NUM = "[0-9零〇一二三四五六七八九十百两幺]"
_NUMBER = f"{_NUM}{{1,8}}"  # house, building and room numbers are short
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
    ("road", re.compile(rf"{_NAME}{{1,6}}?(?:{_ROAD_SUFFIX})(?:[东西南北中]段|{_NUMBER}段)?")),
    ("town", re.compile(rf"{_NAME}{{1,4}}?(?:{_TOWN_SUFFIX})")),
    ("community", re.compile(rf"(?:{_NAME}|[0-9a-z]){{1,6}}?(?:{_COMMUNITY_SUFFIX})")),
    ("place", re.compile(rf"(?:{_NAME}|[0-9a-z]){{1,6}}?(?:{_LOOSE_COMMUNITY_SUFFIX})")),
    # 上海的"路…弄…号": 愚园路1088弄7号, 春申路1155弄23号602室 (支弄: a branch lane)
    ("lane", re.compile(rf"{_NUMBER}支?弄")),
    ("number", re.compile(rf"{_NUMBER}(?:-{_NUMBER})?号(?:院)?")),
    ("building", re.compile(rf"(?:{_NUMBER}|[a-z])(?:号楼|栋|幢|座|号院|期)")),
    ("unit", re.compile(rf"{_NUMBER}单元")),
    ("floor", re.compile(rf"{_NUMBER}(?:层|楼)(?!{_NUM})")),
    ("room", re.compile(rf"{_NUMBER}(?:室|房|号房)")),
)
# What each piece can start with (the first item of its pattern): a position is matched
# only against the pieces its char can start (a road never starts with 0, a room with 路).
_FIRST = {
    "road": re.compile(_NAME),
    "town": re.compile(_NAME),
    "community": re.compile(rf"{_NAME}|[0-9a-z]"),
    "place": re.compile(rf"{_NAME}|[0-9a-z]"),
    "lane": re.compile(_NUM),
    "number": re.compile(_NUM),
    "building": re.compile(rf"{_NUM}|[a-z]"),
    "unit": re.compile(_NUM),
    "floor": re.compile(_NUM),
    "room": re.compile(_NUM),
}
_Pieces = tuple[tuple[str, re.Pattern[str]], ...]


def _starting(probe: str) -> _Pieces:
    return tuple(p for p in _PIECES if _FIRST[p[0]].match(probe))


# The chars fall in five classes by the pieces they can start; one char of each stands in.
_BY_CLASS: dict[str, _Pieces] = {c: _starting(c) for c in ("0", "a", "一", "〇", "路", "的")}
_NUM_CHARS = frozenset("零〇一二三四五六七八九十百两幺")


def pieces_from(char: str) -> _Pieces:
    """The pieces that can start with `char`, in `_PIECES` order (tested against `_FIRST`)."""
    if "0" <= char <= "9":
        return _BY_CLASS["0"]
    if "a" <= char <= "z":
        return _BY_CLASS["a"]
    if char in _NUM_CHARS:
        return _BY_CLASS["〇" if char == "〇" else "一"]
    if "\u4e00" <= char <= "\u9fff" and char not in _STOP:
        return _BY_CLASS["路"]
    return _BY_CLASS["的"]


# A chain followed by one of these names an organisation or a branch, not where someone lives.
_ORGANISATION_AFTER = re.compile(
    r"支行|分行|营业部|营业厅|网点|公司|集团|银行|局|委|小学|中学|大学|学院|医院|派出所|政府|法院"
    r"|协会|分公司|办事处|管委会"
)
_BARE_ROOM = re.compile(_NUM)

_NAME_BEFORE = re.compile(rf"{_NAME}+$")
_ANCHOR = re.compile(rf"(?:{_ROAD_SUFFIX}|{_COMMUNITY_SUFFIX}|{_LOOSE_COMMUNITY_SUFFIX})")
_STREET = frozenset({"road", "town", "community"})
_DETAIL = frozenset({"lane", "number", "building", "unit", "floor", "room"})
_SHORT_SUFFIXES = ("特别行政区", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")


def _short(name: str) -> str:
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


_DIVISION_NAMES = frozenset(
    set(PROVINCES) | set(CITIES) | set(DISTRICTS) | {_short(n) for n in PROVINCES | CITIES}
)
# Built at import, never after: scans share it between threads.
_DIVISIONS = ahocorasick_rs.AhoCorasick(
    sorted(_DIVISION_NAMES), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
)


class AddressRecognizer(Recognizer):
    """Street-level addresses (see the module docstring)."""

    type = "address"
    prefilter_words = tuple(STREET_MARKERS.split("|"))
    examples = Examples(
        found=(
            ("我住在北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
            ("地址是阳光花园3栋2单元502", "阳光花园3栋2单元502"),
            ("寄到浙江省杭州市西湖区文三路100号", "浙江省杭州市西湖区文三路100号"),
            ("住址：廣東省深圳市南山區科技園路1號", "廣東省深圳市南山區科技園路1號"),
            ("联系地址 上海市闵行区春申路1155弄23号602室", "上海市闵行区春申路1155弄23号602室"),
        ),
        not_found=("我在朝阳区", "建设银行北京市朝阳区建国路支行", "这个公园很大"),
    )

    def find(self, views: TextViews) -> list[Hit]:
        view = views.compact
        return [Hit(h.type, *view.to_original(h.start, h.end), h.score) for h in address_hits(view)]


def address_hits(view: View) -> list[Hit]:
    """Chains from each division name, then from each estate or road name not yet covered;
    `covered` marks the chars of hits found so far, so each check costs the hit's length."""
    admin_at = {s: e for _, s, e in _DIVISIONS.find_matches_as_indexes(view.text)}
    anchors = [m.start() for m in _ANCHOR.finditer(view.text)]
    if not admin_at and not anchors:
        return []  # most texts: no division and no street, estate or road name
    chains = _Chains(view, admin_at)
    covered = bytearray(len(view.text) + 1)
    hits: list[Hit] = []
    for start in sorted(admin_at):
        if not covered[start]:
            _add(hits, covered, chains.chain(start))
    for anchor in anchors:
        if not covered[anchor]:
            name_start = _name_start(view, anchor)
            if name_start is not None and not covered[name_start]:
                _add(hits, covered, chains.chain(name_start))
    return hits


def _add(hits: list[Hit], covered: bytearray, hit: Hit | None) -> None:
    if hit is not None and covered.find(1, hit.start, hit.end) < 0:
        hits.append(hit)
        covered[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)


def _name_start(view: View, suffix_at: int) -> int | None:
    """Where the name before a suffix starts: up to 6 chars that are not stop words, within
    the clause (no dropped punctuation in between)."""
    low = max(
        0, suffix_at - 6, view.gaps.rfind(1, suffix_at - 6 if suffix_at > 6 else 0, suffix_at + 1)
    )
    m = _NAME_BEFORE.search(view.text, low, suffix_at)
    return m.start() if m is not None else None


# What a chain's next step depends on in the piece before it (see `_next_piece`): whether it
# may be followed by a division, by a bare room number, and whether it is a detail.
_CLASS = {"": 0, "admin": 0, "room": 1, "community": 2, "place": 2, "road": 3, "town": 3}
_CLASS |= dict.fromkeys(("lane", "number", "building", "unit", "floor"), 4)
_BEFORE_ROOM = frozenset(("unit", "building", "floor", "number", "community", "place"))
_BIT = {kind: 1 << i for i, kind in enumerate(("admin", *(k for k, _ in _PIECES)))}


class _Chains:
    """Address chains of one view. A chain is a walk from piece to piece whose next step
    depends only on the position and the class of the piece before, so walks from different
    starts that meet go on the same way: each (position, class) is walked once and its
    outcome (the kinds that follow, where the chain ends) kept for the others."""

    def __init__(self, view: View, admin_at: dict[int, int]) -> None:
        self.view = view
        self.admin_at = admin_at  # division name: start -> end
        self._tails: dict[int, tuple[int, int]] = {}  # by position * 8 + class
        self._pieces: dict[int, tuple[str, int]] = {}

    def chain(self, start: int) -> Hit | None:
        mask, end = self._walk(start)
        score = _SCORES[mask]
        if not score or (_ORGANISATION_AFTER.match(self.view.text, end) and not self.view.gap(end)):
            return None
        return Hit("address", start, end, score)

    def _walk(self, pos: int) -> tuple[int, int]:
        """The kinds (as bits) of the pieces chained from `pos` on, and where they end."""
        tails, gaps, size = self._tails, self.view.gaps, len(self.view.text)
        path: list[tuple[int, str]] = []
        last = ""
        while True:
            state = pos * 8 + _CLASS[last]
            known = tails.get(state)
            if known is not None:
                mask, end = known
                break
            kind, nxt = self._next_piece(pos, last) if pos < size else ("", pos)
            if not kind or (gaps[pos] and last in _DETAIL and kind not in _DETAIL):
                mask, end = 0, pos  # "…25栋1869，和平街230号": a second address follows
                tails[state] = (mask, end)
                break
            path.append((state, kind))
            pos, last = nxt, kind
        for state, kind in reversed(path):
            mask |= _BIT[kind]
            tails[state] = (mask, end)
        return mask, end

    def _next_piece(self, pos: int, last: str) -> tuple[str, int]:
        if last in ("", "admin") and pos in self.admin_at:
            return "admin", self.admin_at[pos]
        piece = self._pieces.get(pos)
        if piece is None:
            piece = self._pieces[pos] = self._longest_piece(pos)
        if not piece[0] and last in _BEFORE_ROOM:
            return _bare_room(self.view, pos)
        return piece

    def _longest_piece(self, pos: int) -> tuple[str, int]:
        """The longest piece starting at `pos` that does not run over a dropped comma."""
        text, gaps = self.view.text, self.view.gaps
        best_kind, best_end = "", pos
        for kind, pattern in pieces_from(text[pos]):
            m = pattern.match(text, pos)
            if m is not None and m.end() > best_end and gaps.find(1, pos + 1, m.end()) < 0:
                best_kind, best_end = kind, m.end()
        return best_kind, best_end


def _bare_room(view: View, pos: int) -> tuple[str, int]:
    """502 after 3单元: three or four digits ending the address."""
    text = view.text
    if view.gap(pos):
        return "", pos
    end = pos
    limit = min(len(text), pos + 5)  # a room number has 3 or 4 digits
    while end < limit and _BARE_ROOM.match(text[end]) and (end == pos or not view.gap(end)):
        end += 1
    followed = end < len(text) and not view.gap(end) and text[end] in "0123456789号"
    return ("room", end) if 3 <= end - pos <= 4 and not followed else ("", pos)


def _score(kinds: set[str]) -> float:
    """How sure an address the chain is, by which kinds of pieces it holds."""
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


_SCORES = [
    _score({kind for kind, bit in _BIT.items() if mask & bit}) for mask in range(1 << len(_BIT))
]
