"""The conversation-level sentiment readings: trajectory, agent tone, watcher findings."""

from __future__ import annotations

import pytest

from hegui.engine.model import Utterance
from hegui.engine.sentiment.conversation import (
    Label,
    SentimentPolicy,
    SentimentWatcher,
    agent_tone,
    customer_trajectory,
    thirds,
)
from hegui.engine.sentiment.model import EMOTIONS, POLARITIES, Reading


def reading(negative: float, rude: float = 0.0, impatient: float = 0.0) -> Reading:
    rest = (1.0 - negative) / 2
    return Reading(
        polarity={"negative": negative, "neutral": rest, "positive": rest},
        emotion={e: 1.0 / len(EMOTIONS) for e in EMOTIONS},
        tone={"rude": rude, "impatient": impatient, "cold": 0.0},
    )


def test_thirds_cover_each_end_without_overlap() -> None:
    assert thirds(3) == (range(0, 1), range(2, 3))
    assert thirds(7) == (range(0, 2), range(5, 7))
    assert thirds(2) == (range(0, 1), range(1, 2))


def test_a_customer_who_ends_angrier_than_they_began_is_worse() -> None:
    t = customer_trajectory([0.1, 0.2, 0.1, 0.5, 0.8, 0.9])
    assert t.worse and t.first == pytest.approx(0.15) and t.last == pytest.approx(0.85)
    assert t.rise == pytest.approx(0.7)


def test_calmed_steady_or_short_conversations_are_not_worse() -> None:
    assert not customer_trajectory([0.9, 0.9, 0.5, 0.2, 0.1, 0.1]).worse  # calmed down
    assert not customer_trajectory([0.8, 0.8, 0.8, 0.8]).worse  # angry throughout: no rise
    assert not customer_trajectory([0.1, 0.95]).worse  # too few turns
    assert not customer_trajectory([]).worse
    # a rise that ends below the floor is not worse
    assert not customer_trajectory([0.0, 0.1, 0.2, 0.5], SentimentPolicy(end_floor=0.6)).worse


def test_policy_rejects_thresholds_outside_0_1() -> None:
    with pytest.raises(ValueError, match="rude"):
        SentimentPolicy(rude=1.5)
    with pytest.raises(ValueError, match="min_turns"):
        SentimentPolicy(min_turns=1)


def test_agent_tone_means_peaks_and_shares() -> None:
    tone = agent_tone([reading(0.1, rude=0.9), reading(0.1, rude=0.1, impatient=0.6)])
    assert tone.turns == 2
    assert tone.mean["rude"] == pytest.approx(0.5) and tone.peak["rude"] == pytest.approx(0.9)
    assert tone.share["impatient"] == pytest.approx(0.5) and tone.share["cold"] == 0.0
    assert agent_tone([]).mean["rude"] == 0.0


LABELS = {
    c: Label("medium", c)
    for c in (
        "service.customer_negative",
        "service.rude",
        "service.impatient",
        "service.complaint_escalation",
    )
}


def test_watcher_turns_readings_into_model_findings() -> None:
    scripted = {
        "c1": reading(0.1),
        "c2": reading(0.2),
        "a1": reading(0.1, rude=0.95),
        "c3": reading(0.5),
        "a2": reading(0.1, impatient=0.9),
        "c4": reading(0.95),
        "x": reading(0.99),
    }
    watcher = SentimentWatcher("conv", scripted.__getitem__, LABELS)
    roles = {"c": "customer", "a": "agent", "x": "system"}
    found = []
    for key in ("c1", "c2", "a1", "c3", "a2", "x", "c4"):
        found += watcher.feed(Utterance(roles[key[0]], key))
    found += watcher.close()
    got = [(f.rule_id, f.utterance_index, f.detector) for f in found]
    assert got == [
        ("model.sentiment.rude", 2, "model"),
        ("model.sentiment.impatient", 4, "model"),
        ("model.sentiment.customer_negative", 6, "model"),
        ("model.sentiment.complaint_escalation", 6, "model"),
    ]
    assert found[0].category == "service.rude" and found[0].score == pytest.approx(0.95)
    assert found[0].evidence == "a1" and found[0].span == (0, 2)
    assert watcher.trajectory().worse and watcher.tone().turns == 2


def test_watcher_with_calm_customer_finds_nothing() -> None:
    watcher = SentimentWatcher("conv", lambda text: reading(0.05), LABELS)
    for i in range(6):
        assert watcher.feed(Utterance("customer" if i % 2 else "agent", f"t{i}")) == []
    assert watcher.close() == []


def test_reading_line_names_top_classes() -> None:
    r = Reading(
        polarity=dict(zip(POLARITIES, (0.7, 0.2, 0.1), strict=True)),
        emotion={e: (0.4 if e == "sadness" else 0.1) for e in EMOTIONS},
    )
    assert r.to_dict() == {
        "polarity": "negative",
        "negative": 0.7,
        "emotion": "sadness",
        "anger": 0.1,
    }
