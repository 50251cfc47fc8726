"""Exceptions suggested from verdicts: phrases around a rule's match that recur in cases
reviewers dismissed and never in cases they confirmed.

A candidate is the matched text widened by up to `reach` letters or digits on either side
(`投保本人` around 保本): the shape of a rule's `except:` phrase, which drops a hit lying
inside it. Punctuation, spaces and masked characters end the widening.
"""

from __future__ import annotations

import math
from collections import Counter
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
    """How many leading characters are letters or digits (CJK included)."""
    count = 0
    for char in chars:
        if not char.isalnum():
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
    """The phrases worth adding to the rule's `except:` list, best first.

    A phrase qualifies when at least two dismissed cases (and `min_share` of them) have it
    around the match and no confirmed case does. Of phrases that contain one another only
    the shortest is kept: an exception for it covers the longer ones.
    """
    support: Counter[str] = Counter()
    for item in dismissed:
        support.update(candidates(item))
    blocked: set[str] = set()
    for item in confirmed:
        blocked |= candidates(item)
    needed = max(MIN_CASES, math.ceil(min_share * len(dismissed)))
    ranked = sorted(
        (phrase for phrase, n in support.items() if n >= needed and phrase not in blocked),
        key=lambda phrase: (-support[phrase], len(phrase), phrase),
    )
    chosen: list[str] = []
    for phrase in ranked:
        if not any(kept in phrase for kept in chosen):
            chosen.append(phrase)
        if len(chosen) == limit:
            break
    return chosen
