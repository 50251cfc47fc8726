"""Candidate digit strings, shared by the ID, bank-card and phone recognizers.

Runs are read from the compact normalised view, so spoken (幺三八…), full-width and grouped
forms ("6222 0212 …", "138-1234-5678", pauses) all reach the validators. A run is split into
groups where the original had a separator; a candidate (`DigitWindow`) covers whole
consecutive groups, so a 20-digit number never yields an ID-shaped substring.

A recognizer asks a run for the `n` digits starting at a group, and only for the lengths its
numbers can have given their first digits: each question costs O(1), so a scan stays linear
however many groups a run has ("1 2 3 4 …" said digit by digit). The checks on the window
around the digits (letters, dates, grouping) run only for digits the recognizer accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hegui.engine.pii.context import WINDOW
from hegui.engine.pii.view import View

_MIN_RUN = 7  # the shortest (a local landline number)
_RUN = re.compile(r"[0-9](?:-?[0-9])*[x叉差]?")
_ALLOWED_PREFIX_WORDS = frozenset({"id", "no", "tel", "mobile", "phone", "card", "cardno"})
_LONGEST_PREFIX_WORD = max(len(w) for w in _ALLOWED_PREFIX_WORDS)
_MAX_JOINED_GROUP = 8
_DATE = re.compile(r"(?:19|20)[0-9]{2}-[01]?[0-9]-[0-3]?[0-9](?![0-9])")


@dataclass(frozen=True, slots=True)
class DigitWindow:
    """Consecutive groups of one run: [start, end) of the compact view and their digits.

    join_penalty: subtracted from a reading's score when the window joins a long group
        to another ("13812345678，10000" is two numbers).
    next_group: the group after the window in the same run (a phone extension), if any.
    """

    start: int
    end: int
    digits: str
    join_penalty: float
    next_group: tuple[int, int] | None


class DigitRun:
    """A run of digits split into groups: where each group starts in the run's digits, and
    which digit counts end a group, so each window question costs a dict look-up."""

    def __init__(self, view: View, start: int, end: int) -> None:
        self.view = view
        self.groups = groups = _groups(view, start, end)
        # The groups are the run without its dashes: nothing else lies between them.
        self.digits = digits = view.text[start:end].replace("-", "")
        # Per group: its index, where it starts in the view and in `digits`, its first four
        # digits (what decides which lengths to ask for), and whether the context window
        # before it holds only digits of this run (see ContextCache.quiet).
        self.starts: list[tuple[int, int, int, str, bool]]
        if len(groups) == 1:  # most runs: one number written without separators
            self.ends_at = {0: 0, len(digits): 1}
            self.starts = [(0, start, 0, digits[:4], False)]
            return
        offsets = [0]
        for s, e in groups:
            offsets.append(offsets[-1] + e - s)
        # Group k + 1 starts at offsets[k + 1]: a window of n digits from group i ends
        # after group ends_at[offsets[i] + n] - 1, if a group boundary is there at all.
        self.ends_at = {offset: k for k, offset in enumerate(offsets)}
        self.starts = [
            (k, s, offsets[k], digits[offsets[k] : offsets[k] + 4], s - start >= WINDOW)
            for k, (s, _) in enumerate(groups)
        ]

    def window(self, i: int, digits: str) -> DigitWindow | None:
        """The window of `digits` starting at group `i` and ending where a group ends,
        unless it is not a number at all: glued to letters, or holding a date. Asked only
        for digits a recognizer accepts, so its checks may walk the window's groups."""
        groups, view = self.groups, self.view
        k = self.ends_at[self.starts[i][2] + len(digits)]
        j = k - 1
        start, end = groups[i][0], groups[j][1]
        if (i == 0 or j == len(groups) - 1) and _glued_to_letters(view, start, end):
            return None
        if end - start > len(digits) and _DATE.search(view.text, start, end):
            return None  # a window longer than its digits holds a dash: a date?
        penalty = 0.0
        long_group = any(e - s > _MAX_JOINED_GROUP for s, e in groups[i:k])
        if j > i and long_group and not self._country_code(i, j):
            # A pause can fall anywhere in speech, but an entity made by joining a long
            # group ranks below one that needs no join; less so when it is the whole run.
            penalty = 0.05 if i == 0 and j == len(groups) - 1 else 0.15
        following = groups[k] if k < len(groups) else None
        return DigitWindow(start, end, digits, penalty, following)

    def _country_code(self, i: int, j: int) -> bool:
        """ "86 13812345678": a country code joined to the number is a natural grouping."""
        first = self.view.text[self.groups[i][0] : self.groups[i][1]]
        return j == i + 1 and first in ("86", "0086")


def digit_runs(view: View) -> list[DigitRun]:
    return [
        DigitRun(view, m.start(), m.end())
        for m in _RUN.finditer(view.text)
        if m.end() - m.start() >= _MIN_RUN
    ]


def _groups(view: View, start: int, end: int) -> list[tuple[int, int]]:
    """Split a run at '-' and where the original had dropped separators: the cuts are
    found with `find` on the text and on the gap marks, not char by char."""
    text, gaps = view.text, view.gaps
    cuts: list[tuple[int, int]] = []  # (where the group before ends, where the next starts)
    at = text.find("-", start, end)
    while at >= 0:
        cuts.append((at, at + 1))
        at = text.find("-", at + 1, end)
    at = gaps.find(1, start + 1, end)
    while at >= 0:
        cuts.append((at, at))
        at = gaps.find(1, at + 1, end)
    cuts.sort()
    groups: list[tuple[int, int]] = []
    g_start = start
    for cut_end, next_start in cuts:
        if cut_end > g_start:
            groups.append((g_start, cut_end))
        g_start = max(g_start, next_start)
    if end > g_start:
        groups.append((g_start, end))
    return groups


def _glued_to_letters(view: View, start: int, end: int) -> bool:
    """Digits written right against letters (SF1234…, order codes) are not PII numbers;
    a few words (tel, card, no…) may stand right before a number."""
    text = view.text
    if end < len(text) and "a" <= text[end] <= "z" and not view.gap(end):
        return True
    if start == 0 or not "a" <= text[start - 1] <= "z" or view.gap(start):
        return False
    # Only as far back as the longest allowed word: a longer run of letters is not one.
    low = start - 1
    while low > 0 and start - low <= _LONGEST_PREFIX_WORD and "a" <= text[low - 1] <= "z":
        low -= 1
    return text[low:start] not in _ALLOWED_PREFIX_WORDS


def group_sizes(view: View, start: int, n: int) -> tuple[int, ...]:
    """How the `n` digits from `start` of the compact view were written: the sizes of their
    groups, split at '-' and where the original had a separator ("3782 822463 10005" →
    (4, 6, 5)). Reads only as far as the digits: its cost is bounded by `n`."""
    text, gaps = view.text, view.gaps
    sizes: list[int] = []
    count = seen = 0
    i = start
    while seen < n and i < len(text):
        if text[i] == "-":
            sizes.append(count)
            count = 0
        else:
            if i > start and gaps[i]:
                sizes.append(count)
                count = 0
            count += 1
            seen += 1
        i += 1
    sizes.append(count)
    return tuple(s for s in sizes if s)
