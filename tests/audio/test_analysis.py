"""Voice activity, silences, overlaps and peaks on espeak-ng speech placed at known times."""

from __future__ import annotations

from pathlib import Path

import pytest

from hegui.audio import AnalysisConfig, analyse
from tests.audio.conftest import AGENT, CUSTOMER
from tests.audio.synth import Placed, Truth, build

TOLERANCE = 0.15


def _near(found: float, expected: float) -> bool:
    return abs(found - expected) <= TOLERANCE


def test_segments_per_channel_match_the_placed_speech(call: tuple[Path, list[Truth]]) -> None:
    path, truths = call
    analysis = analyse(path)
    assert [c.role for c in analysis.channels] == ["agent", "customer"]
    for channel in (AGENT, CUSTOMER):
        expected = [t for t in truths if t.channel == channel]
        found = analysis.channels[channel].segments
        assert len(found) == len(expected), (found, expected)
        for segment, truth in zip(found, expected, strict=True):
            assert _near(segment.start, truth.start), (segment, truth)
            assert _near(segment.end, truth.end), (segment, truth)


def test_silences_and_the_longest_one(call: tuple[Path, list[Truth]]) -> None:
    path, truths = call
    analysis = analyse(path)
    # Gaps of a second or more where nobody speaks: after the customer's question (3 s)
    # and after the agent's answer (2 s); the 0.7 s pause before the question is not one.
    first = (truths[1].end, truths[2].start)
    second = (truths[3].end if truths[3].end > truths[2].end else truths[2].end, truths[4].start)
    assert len(analysis.silences) == 2, analysis.silences
    for span, (start, end) in zip(analysis.silences, (first, second), strict=True):
        assert _near(span.start, start) and _near(span.end, end), (span, start, end)
    longest = analysis.longest_silence
    assert longest is not None and longest == analysis.silences[0]
    assert abs(longest.duration - (first[1] - first[0])) <= 2 * TOLERANCE
    assert abs(longest.duration - 3.0) < 0.5


def test_overlap_when_both_channels_speak(call: tuple[Path, list[Truth]]) -> None:
    path, truths = call
    analysis = analyse(path)
    cut_in = truths[3]
    assert cut_in.channel == CUSTOMER
    (overlap,) = analysis.overlaps
    assert overlap.by == "customer"
    assert _near(overlap.start, cut_in.start) and _near(overlap.end, cut_in.end)


def test_a_shout_is_a_peak_above_the_speakers_median(tmp_path: Path) -> None:
    quiet = 0.15
    placed = [
        Placed(0, "您好，请问有什么可以帮您？", 0.3, gain=quiet),
        Placed(0, "我帮您查询一下账户余额。", 4.0, gain=quiet),
        Placed(0, "你到底听不听我说话！", 8.0, gain=1.0),  # about 16 dB louder
        Placed(0, "好的，感谢您的耐心等待。", 12.0, gain=quiet),
    ]
    truths = build(tmp_path / "shout.wav", placed, channels=1)
    analysis = analyse(tmp_path / "shout.wav", mono="agent")
    assert analysis.peaks, "the shouted utterance is a peak"
    shout = truths[2]
    for peak in analysis.peaks:
        assert peak.role == "agent"
        assert shout.start - TOLERANCE <= peak.start and peak.end <= shout.end + 0.5, peak
        assert peak.above_median_db >= 10
    # With a threshold above the shout's excess, nothing is a peak.
    calm = analyse(tmp_path / "shout.wav", config=AnalysisConfig(peak_db=25))
    assert calm.peaks == ()


def test_no_peak_in_speech_at_one_level(call: tuple[Path, list[Truth]]) -> None:
    assert analyse(call[0]).peaks == ()


def test_analysis_dict_is_json_ready(call: tuple[Path, list[Truth]]) -> None:
    import json

    data = analyse(call[0]).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["longest_silence"] == pytest.approx(3.0, abs=0.5)
    assert data["overlaps"][0]["by"] == "customer"
    assert [c["role"] for c in data["channels"]] == ["agent", "customer"]
