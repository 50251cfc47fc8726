"""Audio to conversation with the scripted fake transcriber: roles by channel, times from
the VAD, text from the script; and the skeleton feeding the shipped timing rules."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hegui.adapters.asr import FakeTranscriber, Recognised, make_transcriber, transcribe_audio
from hegui.audio import skeleton
from hegui.audio.analysis import analyse
from hegui.formats.jsonl import parse_conversation
from hegui.inspector import Inspector
from tests.audio.synth import Placed, Truth, build, speak

AGENT_LINES = [
    "您好，工号一零二三，很高兴为您服务。",
    "这个产品不保本，有亏损的风险。",
    "好的，再见。",
]
CUSTOMER_LINES = ["这个基金保本吗？", "那我不买了"]


def test_stereo_call_becomes_a_conversation(call: tuple[Path, list[Truth]]) -> None:
    path, truths = call
    fake = FakeTranscriber({0: AGENT_LINES, 1: CUSTOMER_LINES})
    obj = transcribe_audio(path, fake, conversation_id="call-1", with_analysis=True).conversation
    conversation = parse_conversation(json.loads(json.dumps(obj, ensure_ascii=False)))
    assert conversation.channel == "phone"
    roles = [u.role for u in conversation.utterances]
    assert roles == ["agent", "customer", "agent", "customer", "agent"]
    texts = [u.text for u in conversation.utterances]
    assert texts == [
        AGENT_LINES[0],
        CUSTOMER_LINES[0],
        AGENT_LINES[1],
        CUSTOMER_LINES[1],
        AGENT_LINES[2],
    ]
    for utterance, truth in zip(conversation.utterances, truths, strict=True):
        assert utterance.start == pytest.approx(truth.start, abs=0.15)
        assert utterance.end == pytest.approx(truth.end, abs=0.15)
    # Each stretch of speech was handed over once, with about its own length of audio.
    for channel in (0, 1):
        heard = [seconds for c, seconds in fake.calls if c == channel]
        spoken = [t.end - t.start for t in truths if t.channel == channel]
        assert heard == pytest.approx(spoken, abs=0.2)
    assert conversation.metadata["audio"]["longest_silence"] == pytest.approx(3.0, abs=0.5)


def test_without_a_transcriber_the_skeleton_has_empty_text(call: tuple[Path, list[Truth]]) -> None:
    obj = transcribe_audio(call[0], None, conversation_id="c").conversation
    assert [u["text"] for u in obj["utterances"]] == [""] * 5
    assert "audio" not in obj["metadata"]
    assert obj == skeleton(analyse(call[0]), "c")


def test_a_transcriber_that_hears_sentences_gives_one_utterance_each(
    call: tuple[Path, list[Truth]],
) -> None:
    class TwoSentences:
        def transcribe(self, samples: np.ndarray, *, channel: int) -> list[Recognised]:
            half = samples.size / 16_000 / 2
            return [Recognised(0.0, half, "前半"), Recognised(half, 2 * half, "后半")]

    obj = transcribe_audio(call[0], TwoSentences(), conversation_id="c").conversation
    assert len(obj["utterances"]) == 10
    first, second = obj["utterances"][:2]
    assert (first["text"], second["text"]) == ("前半", "后半")
    assert first["end"] == pytest.approx(second["start"], abs=0.01)


def test_mono_alternate_and_single_role(tmp_path: Path) -> None:
    path = tmp_path / "mono.wav"
    build(
        path,
        [Placed(0, "您好", 0.3), Placed(0, "我想查余额", 2.5), Placed(0, "好的", 5.0)],
        channels=1,
    )
    alternate = transcribe_audio(path, None, conversation_id="m", mono="alternate").conversation
    assert [u["role"] for u in alternate["utterances"]] == ["agent", "customer", "agent"]
    single = transcribe_audio(path, None, conversation_id="m", mono="customer").conversation
    assert {u["role"] for u in single["utterances"]} == {"customer"}


def test_skeleton_feeds_the_silence_and_interruption_rules(tmp_path: Path) -> None:
    question = "我上个月那笔分期我想提前还掉然后"
    length = speak(question, tmp_path).size / 22_050
    placed = [
        Placed(1, question, 0.5),
        # The agent starts a second before the customer has finished: an interruption.
        Placed(0, "提前还款要收违约金的", 0.5 + length - 1.0),
        # Then twelve seconds of nothing before the agent speaks again: a long silence.
        Placed(0, "您还在吗", 0.5 + length + 2.5 + 12.0),
    ]
    build(tmp_path / "rude.wav", placed)
    obj = transcribe_audio(tmp_path / "rude.wav", None, conversation_id="rude").conversation
    findings = Inspector.build(industry="general").inspect(parse_conversation(obj))
    rules = {f.rule_id for f in findings}
    assert "service.interruption.phone_overlap" in rules
    assert "service.silence.phone_agent" in rules


def test_script_files(tmp_path: Path) -> None:
    by_role = tmp_path / "script.json"
    by_role.write_text(json.dumps({"customer": ["喂"], "0": ["您好"]}), "utf-8")
    fake = make_transcriber("fake", by_role, roles=("agent", "customer"))
    assert isinstance(fake, FakeTranscriber)
    one = np.zeros(16_000, dtype=np.float32)
    assert fake.transcribe(one, channel=1) == [Recognised(0.0, 1.0, "喂")]
    assert fake.transcribe(one, channel=0)[0].text == "您好"
    assert fake.transcribe(one, channel=0) == []
    shared = tmp_path / "list.json"
    shared.write_text('["一", "二"]', "utf-8")
    fake = make_transcriber("fake", shared, roles=("agent", "customer"))
    assert fake is not None
    assert [fake.transcribe(one, channel=c)[0].text for c in (1, 0)] == ["一", "二"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read"),
        ('{"robot": ["x"]}', "unknown channel"),
        ("42", "expected a list"),
    ],
)
def test_bad_script_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    with pytest.raises(Exception, match=message) as caught:
        make_transcriber("fake", path, roles=("agent", "customer"), field="--model")
    assert caught.value.field == "--model"  # type: ignore[attr-defined]


def test_unknown_kind_and_missing_model_directory(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="unknown ASR"):
        make_transcriber("siri", None, roles=("agent", "customer"))
    for kind in ("funasr", "faster-whisper"):
        with pytest.raises(Exception, match="not a directory"):
            make_transcriber(kind, tmp_path / "absent", roles=("agent", "customer"))
        with pytest.raises(Exception, match="model directory is required"):
            make_transcriber(kind, None, roles=("agent", "customer"))
