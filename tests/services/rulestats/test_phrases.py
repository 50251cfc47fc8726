"""Exceptions suggested from the evidence around a rule's match (pure functions)."""

from __future__ import annotations

import pytest

from hegui.services.rulestats.phrases import candidates, suggest


def ev(text: str, match: str = "保本") -> tuple[str, int, int]:
    start = text.index(match)
    return (text, start, start + len(match))


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (
            ev("投保本人签字", "保本"),
            {
                "投保本",
                "保本人",
                "投保本人",
                "保本人签",
                "投保本人签",
                "保本人签字",
                "投保本人签字",
            },
        ),
        (ev("，保本。"), set()),  # punctuation ends the widening
        (ev("138****5678保本"), set()),
        (("保本", 0, 0), set()),
        (("保本", 1, 9), set()),
    ],
)
def test_candidates(evidence: tuple[str, int, int], expected: set[str]) -> None:
    assert candidates(evidence) == expected


def test_phrases_of_dismissed_cases_never_seen_in_confirmed_ones() -> None:
    dismissed = [
        ev("请投保本人签字确认"),
        ev("需要投保本人到场"),
        ev("投保本人是谁"),
        ev("这个产品不保本的"),
    ]
    confirmed = [ev("放心 这个产品是保本的"), ev("绝对保本")]
    # 投保本 and 保本人 come from the same three cases: one exception covers them.
    assert suggest(dismissed, confirmed) == ["保本人"]


def test_too_rare_or_shared_with_confirmed_cases_is_not_suggested() -> None:
    dismissed = [ev("投保本人签字"), ev("这个保本吗"), ev("问保本吗"), ev("他说保本吗")]
    confirmed = [ev("肯定保本吗 放心")]  # 保本吗 also around a confirmed one
    assert suggest(dismissed, confirmed) == []
    assert suggest([ev("投保本人")], []) == []  # one case is not a pattern


def test_the_shortest_of_nested_phrases_and_at_most_limit() -> None:
    dismissed = [ev(f"甲乙丙丁保本{x}") for x in "一二三四五六"]
    assert suggest(dismissed, []) == ["丁保本"]  # 丙丁保本 … add no case
    dismissed += [ev(f"保本金额{x}") for x in "七八九"]
    assert suggest(dismissed, []) == ["丁保本", "保本金"]
    assert suggest(dismissed, [], limit=1) == ["丁保本"]
