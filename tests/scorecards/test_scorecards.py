"""Scorecards: validation errors naming line and field; scoring with deductions, caps,
fatal and bonus items; choosing a conversation's card; the shipped cards' examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from hegui.scorecards import (
    Scoreable,
    ScorecardError,
    Scorecards,
    load_file,
    parse,
    score,
    shipped,
)

CARD = """\
scorecard: team-east
version: 2
title: 东区评分卡 East team card
applies_to:
  teams: [east-1]
items:
  - id: privacy
    title: 隐私 Privacy
    weight: 30
    deduct: 12
    categories: ["privacy.*"]
  - id: promise
    title: 承诺 Promises
    weight: 40
    rules: [securities.promise.baoben]
  - id: script
    title: 话术 Script
    weight: 10
    deduct: 4
    categories: [service.missing_greeting, service.missing_closing]
fatal:
  - id: credential
    title: 索要密码 Asking for a password
    categories: [privacy.credential_request]
    severities: [high]
bonus:
  - id: calm
    title: 无不耐烦 Never impatient
    points: 3
    categories: [service.impatient]
  - id: praised
    title: 客户表扬 Praised
    points: 2
    when: present
    rules: [custom.praise.thanks]
examples:
  - findings:
      - {rule_id: privacy.leak.phone, category: privacy.phone, severity: medium}
    score: 91
"""


def f(i: int, category: str, rule: str = "x.y", severity: str = "medium") -> Scoreable:
    return Scoreable(i, rule, category, severity)


def test_deductions_per_finding_capped_by_the_weight() -> None:
    card = parse(CARD, "card.yaml")
    found = [f(i, "privacy.phone") for i in (11, 12, 13)]  # 12 + 12 + 6 (cap 30)
    result = score(card, found)
    assert (result.score, result.deducted, result.bonus, result.fatal) == (73.0, 30.0, 3.0, False)
    (deduction,) = result.deductions
    assert (deduction.item, deduction.findings, deduction.points, deduction.capped) == (
        "privacy",
        (11, 12, 13),
        30.0,
        True,
    )
    assert [(line.finding_id, line.points) for line in result.lines] == [
        (11, 12.0),
        (12, 12.0),
        (13, 6.0),
    ]


def test_first_item_that_covers_a_finding_takes_it_and_others_go_unmatched() -> None:
    card = parse(CARD, "card.yaml")
    found = [
        f(1, "compliance.guarantee_return", rule="securities.promise.baoben", severity="high"),
        f(2, "risk.suspected_fraud"),
        f(3, "service.missing_greeting", severity="low"),
    ]
    result = score(card, found)
    assert [(d.item, d.findings, d.points) for d in result.deductions] == [
        ("promise", (1,), 40.0),
        ("script", (3,), 4.0),
    ]
    assert result.unmatched == (2,)
    assert result.score == 100 - 44 + 3
    breakdown = result.breakdown()
    assert breakdown["scorecard"] == "team-east" and breakdown["version"] == 2
    assert breakdown["unmatched"] == [2] and breakdown["bonuses"][0]["item"] == "calm"


def test_a_fatal_finding_scores_zero_and_is_cited() -> None:
    card = parse(CARD, "card.yaml")
    found = [f(7, "privacy.credential_request", severity="high")]
    result = score(card, found)
    assert (result.score, result.fatal) == (0.0, True)
    assert result.fatal_items[0].item == "credential" and result.fatal_items[0].findings == (7,)
    # The same category at medium severity is not fatal: only a deduction.
    assert score(card, [f(7, "privacy.credential_request")]).score == 100 - 12 + 3


def test_bonus_for_absence_and_for_a_positive_signal_never_above_100() -> None:
    card = parse(CARD, "card.yaml")
    assert score(card, []).score == 100.0 and score(card, []).bonus == 3.0
    impatient = score(card, [f(1, "service.impatient")])
    assert (impatient.score, impatient.bonus, impatient.unmatched) == (100.0, 0.0, (1,))
    praised = [f(1, "privacy.phone"), f(2, "service.compliment", rule="custom.praise.thanks")]
    assert score(card, praised).score == 100 - 12 + 3 + 2


def test_shipped_cards_validate_and_their_examples_pass() -> None:
    cards = shipped()
    assert {c.scorecard for c in cards} >= {
        "general",
        "securities",
        "banking",
        "insurance",
        "lending",
    }
    for card in cards:
        assert card.examples, card.scorecard
        for example in card.examples:
            found = [
                Scoreable(i, x.rule_id, x.category, x.severity)
                for i, x in enumerate(example.findings)
            ]
            assert score(card, found).score == example.score


def test_card_chosen_by_team_then_industry_then_general(tmp_path: Path) -> None:
    (tmp_path / "east.yaml").write_text(CARD, encoding="utf-8")
    cards = Scorecards.load(tmp_path)
    assert cards.for_conversation("securities", "east-1").scorecard == "team-east"
    assert cards.for_conversation("securities", "west-2").scorecard == "securities"
    assert cards.for_conversation(None, None).scorecard == "general"
    assert cards.for_conversation("general", None).scorecard == "general"


def test_two_cards_claiming_one_team_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CARD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(CARD.replace("team-east", "team-east-2"), encoding="utf-8")
    with pytest.raises(ScorecardError, match="team 'east-1'"):
        Scorecards.load(tmp_path)
    with pytest.raises(ScorecardError, match="not a folder"):
        Scorecards.load(tmp_path / "missing")


BAD = [
    # (replace this, with that, expected in the message)
    ("    weight: 40\n", "    weight: 80\n", "weights add up to 120"),
    ("  - id: script\n", "  - id: privacy\n", "duplicate item ids: privacy"),
    ('    categories: ["privacy.*"]\n', "    categories: [privacy.phones]\n", ":11: items.0"),
    ("    weight: 30\n", "    weight: -5\n", "card.yaml:9: items.0.weight"),
    (
        "    severities: [high]\n",
        "    severities: [urgent]\n",
        "card.yaml:25: fatal.0.severities.0",
    ),
    ("    rules: [securities.promise.baoben]\n", "    rules: [Bad Id]\n", "not a rule id"),
    ("    score: 91\n", "    score: 90\n", "card.yaml:39: examples.0.score"),
    ("version: 2\n", "version: 2\ncolour: red\n", "card.yaml:3: colour"),
    ("    points: 3\n", "", "card.yaml:27: bonus.0.points"),
    ("  - id: calm\n", "  - id: Calm Bonus\n", "id must be lower-case"),
    ("    categories: [service.impatient]\n", "", "give rules or categories"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD)
def test_invalid_cards_name_line_and_field(old: str, new: str, expected: str) -> None:
    assert old in CARD
    with pytest.raises(ScorecardError) as caught:
        parse(CARD.replace(old, new, 1), "card.yaml")
    assert expected in str(caught.value)
    assert "评分卡校验失败" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("items: [\n", "card.yaml:2: YAML 语法错误"),
        ("- a list\n", "must be a mapping"),
        ("scorecard: x\n", "items: Field required"),
    ],
)
def test_unreadable_cards(text: str, expected: str) -> None:
    with pytest.raises(ScorecardError, match=expected.replace("[", r"\[")):
        parse(text, "card.yaml")


def test_load_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    with pytest.raises(ScorecardError, match="cannot read"):
        load_file(path)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(ScorecardError, match="UTF-8"):
        load_file(path)
