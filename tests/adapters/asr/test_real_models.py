"""The real recognisers, on a local model directory named by the environment:
HEGUI_TEST_FUNASR_MODEL (a Paraformer directory) and HEGUI_TEST_WHISPER_MODEL (a
CTranslate2 faster-whisper directory). Skipped, saying so, when not set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hegui.adapters.asr import make_transcriber, transcribe_audio
from tests.audio.synth import Truth

MODELS = {"funasr": "HEGUI_TEST_FUNASR_MODEL", "faster-whisper": "HEGUI_TEST_WHISPER_MODEL"}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_real_recogniser_on_synthesised_mandarin(kind: str, call: tuple[Path, list[Truth]]) -> None:
    variable = MODELS[kind]
    model = os.environ.get(variable, "")
    if not model:
        pytest.skip(f"{variable} is not set: no local {kind} model directory to test with")
    transcriber = make_transcriber(kind, model, roles=("agent", "customer"))
    obj = transcribe_audio(call[0], transcriber, conversation_id="real").conversation
    utterances = obj["utterances"]
    assert {u["role"] for u in utterances} == {"agent", "customer"}
    assert all(u["start"] <= u["end"] for u in utterances)
    text = "".join(u["text"] for u in utterances)
    # espeak-ng's Mandarin is robotic; a recogniser still hears some of these words.
    assert any(word in text for word in ("基金", "保本", "服务", "再见", "风险")), text
