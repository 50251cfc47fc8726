"""PiiDetector: a cheap prefilter, then each wanted recognizer over the shared views of the
text, then overlap resolution. Every stage is linear in the length of the text, and a
detector holds no state that a scan changes, so threads may share one."""

from __future__ import annotations

from collections.abc import Collection

from hegui.engine.pii.entity import PII_TYPES, PiiEntity
from hegui.engine.pii.masked import masked_hits
from hegui.engine.pii.numeric import with_open_paren
from hegui.engine.pii.patterns import url_spans
from hegui.engine.pii.prefilter import compile_prefilter
from hegui.engine.pii.recognizer import Recognizer, TextViews
from hegui.engine.pii.registry import recognizers_for
from hegui.engine.pii.view import Hit, View, make_view

_FEW = 16  # up to this many hits, comparing each pair is cheaper than marking chars
_MASKED_PATTERN = r"[*＊×●#]|[xXｘＸ]{2}|[后後末].位"
_MASKED_WORDS = ("尾号", "末尾", "某")


class PiiDetector:
    """Finds personal information in one text; offsets refer to the text passed in."""

    def __init__(self, types: Collection[str] | None = None) -> None:
        wanted = frozenset(PII_TYPES if types is None else types)
        unknown = wanted - frozenset(PII_TYPES)
        if unknown:
            raise ValueError(f"未知的个人信息类型 unknown PII types: {sorted(unknown)}")
        self.types = wanted
        self.recognizers: tuple[Recognizer, ...] = recognizers_for(wanted)
        self.prefilter = compile_prefilter(
            (r.prefilter for r in self.recognizers),
            (w for r in self.recognizers for w in r.prefilter_words),
            (w for r in self.recognizers for w in r.prefilter_figure_words),
        )
        self.masked_prefilter = compile_prefilter([_MASKED_PATTERN], _MASKED_WORDS)

    def scan(self, text: str) -> list[PiiEntity]:
        """Unmasked entities, sorted by start."""
        return _entities(text, _resolve(len(text), self.hits(text)))

    def hits(self, text: str) -> list[Hit]:
        """Every recognizer's hits (overlapping ones too), outside URLs."""
        if not self.prefilter.search(text):
            return []
        views = TextViews(text)
        hits = [hit for r in self.recognizers for hit in r.find(views)]
        return _outside(hits, url_spans(views), len(text)) if hits else hits

    def crossing_types(self) -> frozenset[str]:
        """Types whose entities may be spoken over consecutive turns."""
        return frozenset(r.type for r in self.recognizers if r.crosses_turns)

    def scan_masked(self, text: str) -> list[PiiEntity]:
        """Masked forms (尾号1234, 138****5678…), which are never leaks by themselves."""
        if not self.masked_prefilter.search(text):
            return []
        view = make_view(text)
        hits = [h for h in masked_hits(view) if h.type in self.types]
        return _entities(text, _resolve(len(text), _in_original(view, hits)))


def _resolve(size: int, hits: list[Hit]) -> list[Hit]:
    """Keep the best of overlapping hits: higher score, then longer."""
    ranked = sorted(hits, key=lambda h: (-h.score, h.start - h.end, h.start))
    if len(hits) <= _FEW:
        chosen: list[Hit] = []
        for hit in ranked:
            if all(hit.end <= c.start or c.end <= hit.start for c in chosen):
                chosen.append(hit)
        return chosen
    return _resolve_many(size, ranked)


def _resolve_many(size: int, ranked: list[Hit]) -> list[Hit]:
    """`_resolve` for many hits: `taken` marks chosen chars, so each hit costs its own
    length, not the number of hits chosen before it."""
    taken = bytearray(size + 1)
    chosen: list[Hit] = []
    for hit in ranked:
        if taken.find(1, hit.start, hit.end) < 0:
            chosen.append(hit)
            taken[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
    return chosen


def _outside(hits: list[Hit], spans: list[tuple[int, int]], size: int) -> list[Hit]:
    if not spans:
        return hits
    inside = bytearray(size + 1)
    for start, end in spans:
        inside[start:end] = b"\x01" * (end - start)
    return [h for h in hits if inside.find(1, h.start, h.end) < 0]


def _in_original(view: View, hits: list[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for hit in hits:
        start, end = view.to_original(hit.start, hit.end)
        if hit.type == "phone":
            start = with_open_paren(view.original, start, end)
        out.append(Hit(hit.type, start, end, hit.score))
    return out


def _entities(text: str, hits: list[Hit]) -> list[PiiEntity]:
    out = [
        PiiEntity(h.type, h.start, h.end, text[h.start : h.end], max(0.0, min(1.0, h.score)))
        for h in hits
    ]
    out.sort(key=lambda e: (e.start, e.end))
    return out
