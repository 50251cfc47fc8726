"""Exceptions suggested from verdicts: phrases around a rule's match that recur in cases
reviewers dismissed and never in cases they confirmed.

A candidate is the matched text widened by up to `reach` letters on either side (`投保本人`
around 保本): the shape of a rule's `except:` phrase, which drops a hit lying inside it.
Punctuation, spaces, digits and masked characters end the widening: digits next to a
match are mostly what masking left of a number, never a phrase worth an exception.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

# (evidence text, span start, span end) of one case's finding.
Evidence = tuple[str, int, int]

REACH = 4
MIN_CASES = 2
MIN_SHARE = 0.3
LIMIT = 5


def candidates(evidence: Evidence, reach: int = REACH) -> set[str]:
    text, start, end = evidence
    if not (0 <= start < end <= len(text)):
        return set()
    left = _run(text[max(0, start - reach) : start][::-1])
    right = _run(text[end : end + reach])
    match = text[start:end]
    return {
        text[start - before : start] + match + text[end : end + after]
        for before in range(left + 1)
        for after in range(right + 1)
        if before or after
    }


def _run(chars: str) -> int:
    """How many leading characters are letters (CJK included)."""
    count = 0
    for char in chars:
        if not char.isalpha():
            break
        count += 1
    return count


def suggest(
    dismissed: Sequence[Evidence],
    confirmed: Iterable[Evidence],
    *,
    min_share: float = MIN_SHARE,
    limit: int = LIMIT,
) -> list[str]:
    """The phrases worth adding to the rule's `except:` list, best first (`supported`)."""
    found = supported(dismissed, confirmed, min_share=min_share, limit=limit)
    return [phrase for phrase, _ in found]


def supported(
    dismissed: Sequence[Evidence],
    confirmed: Iterable[Evidence],
    *,
    min_share: float = MIN_SHARE,
    limit: int = LIMIT,
) -> list[tuple[str, int]]:
    """The phrases worth adding to the rule's `except:` list, best first, each with the
    number of dismissed cases it is found around.

    A phrase qualifies when at least two dismissed cases (and `min_share` of them) have it
    around the match and no confirmed case does. The best are taken greedily: most cases,
    then shortest; a phrase is skipped when the ones taken already cover all its cases.
    """
    cases: dict[str, set[int]] = defaultdict(set)
    for number, item in enumerate(dismissed):
        for phrase in candidates(item):
            cases[phrase].add(number)
    blocked: set[str] = set()
    for item in confirmed:
        blocked |= candidates(item)
    needed = max(MIN_CASES, math.ceil(min_share * len(dismissed)))
    ranked = sorted(
        (p for p, found in cases.items() if len(found) >= needed and p not in blocked),
        key=lambda phrase: (-len(cases[phrase]), len(phrase), phrase),
    )
    chosen: list[tuple[str, int]] = []
    covered: set[int] = set()
    for phrase in ranked:
        if cases[phrase] - covered:
            chosen.append((phrase, len(cases[phrase])))
            covered |= cases[phrase]
        if len(chosen) == limit:
            break
    return chosen
