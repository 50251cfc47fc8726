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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from hegui.engine.pii.view import View

MAX_DIGITS = 19  # the longest number any digit recognizer reads (a 19-digit card)
_MIN_RUN = 7  # the shortest (a local landline number)
_RUN = re.compile(r"[0-9](?:-?[0-9])*[x叉]?")
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
    """A run of digits split into groups, with what each window question needs precomputed:
    where each group starts in the run's digits, and the next long group and next dash."""

    def __init__(self, view: View, start: int, end: int) -> None:
        self.view = view
        self.groups = _groups(view, start, end)
        text = view.text
        self.digits = "".join(text[s:e] for s, e in self.groups)
        offsets = [0]
        for s, e in self.groups:
            offsets.append(offsets[-1] + e - s)
        self.offsets = offsets
        # Group k + 1 starts at offsets[k + 1]: a window of n digits from group i ends
        # after group ends_at[offsets[i] + n] - 1, if a group boundary is there at all.
        self.ends_at = {offset: k for k, offset in enumerate(offsets)}
        count = len(self.groups)
        self.next_long = _next_index(
            count, lambda k: _group_len(self.groups[k]) > _MAX_JOINED_GROUP
        )
        self.next_dash = _next_index(count, lambda k: k > 0 and text[self.groups[k][0] - 1] == "-")

    @cached_property
    def heads(self) -> list[str]:
        """The first four digits from each group on: what decides which lengths to ask for."""
        return [self.digits[o : o + 4] for o in self.offsets[:-1]]

    def digits_at(self, i: int, n: int) -> str | None:
        """The `n` digits from group `i` on, if a group ends right after them."""
        offset = self.offsets[i]
        if n > MAX_DIGITS or offset + n not in self.ends_at:
            return None
        return self.digits[offset : offset + n]

    def window(self, i: int, digits: str) -> DigitWindow | None:
        """The window of `digits` (from `digits_at(i, …)`), unless it is not a number at
        all: glued to letters, or holding a date."""
        k = self.ends_at[self.offsets[i] + len(digits)]
        j = k - 1
        start, end = self.groups[i][0], self.groups[j][1]
        view = self.view
        if (i == 0 or j == len(self.groups) - 1) and _glued_to_letters(view, start, end):
            return None
        if self.next_dash[i + 1] <= j and _DATE.search(view.text, start, end):
            return None
        penalty = 0.0
        if j > i and self.next_long[i] <= j and not self._country_code(i, j):
            # A pause can fall anywhere in speech, but an entity made by joining a long
            # group ranks below one that needs no join; less so when it is the whole run.
            penalty = 0.05 if i == 0 and j == len(self.groups) - 1 else 0.15
        following = self.groups[k] if k < len(self.groups) else None
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


def _group_len(group: tuple[int, int]) -> int:
    return group[1] - group[0]


def _next_index(count: int, holds: Callable[[int], bool]) -> list[int]:
    """For each k, the smallest index >= k where `holds` is true (`count` if none)."""
    out = [count] * (count + 1)
    for k in range(count - 1, -1, -1):
        out[k] = k if holds(k) else out[k + 1]
    return out


def _groups(view: View, start: int, end: int) -> list[tuple[int, int]]:
    """Split a run at '-' and where the original had dropped separators."""
    groups: list[tuple[int, int]] = []
    g_start = start
    text = view.text
    gaps = view.gaps
    for i in range(start, end):
        if text[i] == "-":
            groups.append((g_start, i))
            g_start = i + 1
        elif i > g_start and gaps[i]:
            groups.append((g_start, i))
            g_start = i
    groups.append((g_start, end))
    return [g for g in groups if g[1] > g[0]]


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
