"""Entities across consecutive turns of one speaker: a number spoken over two or three turns
("幺三八" / "一二三四" / "五六七八") is found on the joined turns and split back into one
piece per turn, so each turn can be masked on its own. The other party's short
acknowledgements in between ("嗯", "对 是我") do not break the run (`backchannel`): an agent
reading a card number out in two halves with the customer's "嗯" between them is one number.

Turns are joined with a line break, which the detector reads as a pause: digits join across
it as they do across any pause, while a name or an address piece cannot run over it, so
"我叫王明" + "银行卡丢了" is never 王明银. Only the edges of long turns are joined (`EDGE`), so
finding the cross-turn entities costs a bounded amount per turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from hegui.engine.pii.detector import PiiDetector
from hegui.engine.pii.entity import PiiEntity

MAX_TURNS = 3
JOIN = "\n"
# The other party's turns that leave a speaker's run unbroken: at most this many in a row,
# each at most BACKCHANNEL_CHARS long (after stripping) and without a digit or numeral.
MAX_BACKCHANNELS = 2
BACKCHANNEL_CHARS = 10  # "你说慢点 我记一下" (round 17)
NUMERALS = frozenset("0123456789０１２３４５６７８９零〇一二三四五六七八九幺两洞拐勾")
# Chars of a turn's end (and of the next turn's start) read for a cross-turn entity: more
# than the longest entity that could cross, with its context words before it.
EDGE = 160
# A turn that goes on with a number the speaker's earlier turn began ("…卡号是六二一七 八八零八"
# / "嗯" / "后面是零零三二 …") may open with a filler and a "the rest is" phrase: it is read
# as a pause, so the digits join across it.
_GOES_ON = re.compile(
    r"^[\s，,。.]*(?:(?:嗯|啊|呃|额|那个|就是|对)[\s，,]*)*"
    r"(?:后面|后边|后头|接下来|接着|然后|再往后|剩下|剩下的|后几位|后面几位|最后几位)"
    r"(?:的|呢)?(?:是|为)?[\s，,：:]*"
    # at least three numerals follow: "然后一个验证码", "接下来两个工作日" are no number
    r"(?=(?:[" + "".join(sorted(NUMERALS)) + r"]\s?){3})"
)
# Chars of a number or a Latin word, which a cut at the edge must not split.
_WORDY = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.@"
    "０１２３４５６７８９零〇一二三四五六七八九十百千万幺两洞拐勾"
)


@dataclass(frozen=True, slots=True)
class CrossTurnEntity:
    """An entity spoken across consecutive turns: `parts` holds (turn index, piece) in turn
    order; each piece is a PiiEntity in that turn's own offsets and covers exactly the chars
    of the entity that lie in that turn."""

    type: str
    score: float
    parts: tuple[tuple[int, PiiEntity], ...]

    @property
    def text(self) -> str:
        """The entity's chars, without the breaks between turns."""
        return "".join(piece.text for _, piece in self.parts)

    @property
    def turns(self) -> tuple[int, ...]:
        return tuple(index for index, _ in self.parts)

    def rank(self) -> tuple[float, int, int, int, int]:
        """Higher first: score, then chars covered, then earlier."""
        first = self.parts[0]
        return (-self.score, -len(self.text), first[0], first[1].start, len(self.parts))


class TurnScan:
    """The PII of a conversation's turns, computed on demand and kept: each turn's own scan
    (or the entities the caller already has), and the entities spoken across turns.

    Build it from all turns (batch), or `append` turns as they come (live): what is known
    about a turn never changes, except that a later turn of the same speaker can complete a
    cross-turn entity that reaches back into it. One instance belongs to one conversation
    and one thread; the detector it uses may be shared.
    """

    def __init__(
        self,
        detector: PiiDetector,
        turns: Iterable[tuple[str, str]] = (),
        *,
        scans: Sequence[Sequence[PiiEntity] | None] | None = None,
        window: int = MAX_TURNS,
    ) -> None:
        """`scans[i]`: the entities `detector.scan` found in turn i alone, if already known."""
        self.detector = detector
        self.window = window
        self._roles: list[str] = []
        self._texts: list[str] = []
        self._own: list[list[PiiEntity] | None] = []
        # Per turn: the turn before it in its speaker's run (None: it starts a run).
        self._previous: list[int | None] = []
        self._windows: dict[tuple[int, ...], list[CrossTurnEntity]] = {}
        self._crossing = detector.crossing_types()
        for i, (role, text) in enumerate(turns):
            given = scans[i] if scans is not None and i < len(scans) else None
            self.append(role, text, given)

    def __len__(self) -> int:
        return len(self._texts)

    def append(self, role: str, text: str, entities: Sequence[PiiEntity] | None = None) -> None:
        """The next turn; `entities`: its `detector.scan` result, if the caller has it."""
        self._previous.append(self._run_before(role))
        self._roles.append(role)
        self._texts.append(text)
        self._own.append(list(entities) if entities is not None else None)

    def _run_before(self, role: str) -> int | None:
        """The last turn of `role`, if only the other party's backchannels follow it."""
        last = len(self._texts) - 1
        for skipped, back in enumerate(range(last, max(-1, last - MAX_BACKCHANNELS - 1), -1)):
            if self._roles[back] == role:
                return back
            if skipped == MAX_BACKCHANNELS or not backchannel(self._texts[back]):
                return None
        return None

    def text(self, index: int) -> str:
        return self._texts[index]

    def own(self, index: int) -> list[PiiEntity]:
        """What the detector finds in turn `index` alone."""
        found = self._own[index]
        if found is None:
            found = self._own[index] = self.detector.scan(self._texts[index])
        return found

    def crossing(self, index: int) -> list[CrossTurnEntity]:
        """The cross-turn entities with a piece in turn `index`. Where two overlap, only the
        better one (`CrossTurnEntity.rank`) is kept."""
        return [c for c in self._near(index) if index in c.turns and self._kept(c)]

    def entities(self, index: int) -> list[PiiEntity]:
        """What masking turn `index` needs: its own entities and its pieces of cross-turn
        ones; a piece replaces an own entity it overlaps unless that one is longer."""
        pieces = [p for c in self.crossing(index) for i, p in c.parts if i == index]
        kept = [e for e in self.own(index) if not any(_beaten(e, p) for p in pieces)]
        return sorted({*kept, *pieces}, key=lambda e: (e.start, e.end))

    def _kept(self, entity: CrossTurnEntity) -> bool:
        rank = entity.rank()
        rivals = {c for i in entity.turns for c in self._near(i)}
        return not any(c.rank() < rank and _overlap(c, entity) for c in rivals if c != entity)

    def _near(self, index: int) -> list[CrossTurnEntity]:
        """Cross-turn entities that start in a turn of `index`'s run at most `window - 1`
        of its turns before it (so every one with a piece in it, and their rivals)."""
        starts = [index]
        while len(starts) < self.window and (back := self._previous[starts[-1]]) is not None:
            starts.append(back)
        out: list[CrossTurnEntity] = []
        for first in starts:
            members = self._following(first)
            if len(members) > 1:
                out.extend(self._window(tuple(members)))
        return out

    def _following(self, first: int) -> list[int]:
        """`first` and the turns of its run after it, `window` turns at most, as far as
        they are known."""
        members = [first]
        while len(members) < self.window:
            # The next turn of the run is at most MAX_BACKCHANNELS turns further on.
            ahead = range(members[-1] + 1, min(len(self), members[-1] + MAX_BACKCHANNELS + 2))
            later = next((i for i in ahead if self._previous[i] == members[-1]), None)
            if later is None:
                break
            members.append(later)
        return members

    def _window(self, members: tuple[int, ...]) -> list[CrossTurnEntity]:
        """Entities that start in turn `members[0]` and run into the run's later turns in
        `members`: one scan of the joined turns. Live, a window is scanned again when a
        turn of the same speaker joins it."""
        if members not in self._windows:
            self._windows[members] = self._scan_window(members)
        return self._windows[members]

    def _scan_window(self, members: tuple[int, ...]) -> list[CrossTurnEntity]:
        texts = [self._texts[i] for i in members]
        while len(texts) > 2 and len(texts[-2]) > EDGE:
            texts.pop()  # a long turn in between: nothing short enough spans it
        head = _edge_start(texts[0])
        pieces = [texts[0][head:], *texts[1:-1], texts[-1][: _edge_end(texts[-1])]]
        bounds = [0]
        for piece in pieces:
            bounds.append(bounds[-1] + len(piece) + len(JOIN))
        skips = [0, *(goes_on(a, b) for a, b in pairwise(pieces))]
        read = [" " * skip + piece[skip:] for skip, piece in zip(skips, pieces, strict=True)]
        out: list[CrossTurnEntity] = []
        for entity in self.detector.scan(JOIN.join(read)):
            if entity.type not in self._crossing:
                continue
            parts = _split(entity, pieces, bounds, members, head, skips)
            if len(parts) > 1 and parts[0][0] == members[0]:
                out.append(CrossTurnEntity(entity.type, entity.score, tuple(parts)))
        return out


def backchannel(text: str) -> bool:
    """A short acknowledgement ("嗯", "对 是我爸") without any digit or numeral: it does not
    break the other speaker's run."""
    text = text.strip()
    words = _ONE_AS_WORD.sub("", text)  # "我记一下": 一 in a word, not a digit
    return len(text) <= BACKCHANNEL_CHARS and not any(ch in NUMERALS for ch in words)


_ONE_AS_WORD = re.compile(r"一(?:下|会|点|声|遍|样|起)")


def goes_on(before: str, after: str) -> int:
    """How many chars at the start of `after` only say that the number `before` ends with
    goes on ("后面是", `_GOES_ON`); 0 when `before` does not end with a numeral. The caller
    reads them as a pause, so a number is not cut at "…八八零八 / 后面是零零三二…"."""
    tail = before.rstrip()
    if not tail or tail[-1] not in NUMERALS:
        return 0
    found = _GOES_ON.match(after)
    return found.end() if found else 0


def _edge_start(text: str) -> int:
    """Where the end of a turn that is read starts: the last `EDGE` chars, moved past a
    partly cut number or word, so that the cut does not make a shorter one."""
    start = max(0, len(text) - EDGE)
    while 0 < start < len(text) and text[start - 1] in _WORDY and text[start] in _WORDY:
        start += 1
    return start


def _edge_end(text: str) -> int:
    """Where the start of a turn that is read ends (see `_edge_start`)."""
    end = min(len(text), EDGE)
    while 0 < end < len(text) and text[end - 1] in _WORDY and text[end] in _WORDY:
        end -= 1
    return end


def _split(
    entity: PiiEntity,
    pieces: list[str],
    bounds: list[int],
    members: tuple[int, ...],
    head: int,
    skips: list[int],
) -> list[tuple[int, PiiEntity]]:
    parts: list[tuple[int, PiiEntity]] = []
    for k, piece in enumerate(pieces):
        # A piece never starts inside the "后面是" read as a pause before it.
        start = max(entity.start, bounds[k] + skips[k]) - bounds[k]
        end = min(entity.end, bounds[k] + len(piece)) - bounds[k]
        if start < end:
            shift = head if k == 0 else 0
            text = piece[start:end]
            opens, closes = entity.start >= bounds[k], entity.end <= bounds[k] + len(piece)
            piece_of = PiiEntity(
                entity.type, start + shift, end + shift, text, entity.score, opens, closes
            )
            parts.append((members[k], piece_of))
    return parts


def _overlap(a: CrossTurnEntity, b: CrossTurnEntity) -> bool:
    return any(
        i == j and p.start < q.end and q.start < p.end for i, p in a.parts for j, q in b.parts
    )


def _beaten(own: PiiEntity, piece: PiiEntity) -> bool:
    """An own entity yields to a cross-turn piece it overlaps, unless it is longer."""
    overlaps = own.start < piece.end and piece.start < own.end
    return overlaps and own.end - own.start <= piece.end - piece.start


def scan_turns(
    detector: PiiDetector, turns: Sequence[tuple[str, str]], *, window: int = MAX_TURNS
) -> list[list[PiiEntity]]:
    """For (role, text) turns, the entities of each turn, with pieces of cross-turn ones."""
    table = TurnScan(detector, turns, window=window)
    return [table.entities(i) for i in range(len(table))]
