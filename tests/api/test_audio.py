"""POST /api/v1/audio end to end with the scripted fake recogniser: the upload becomes a
conversation with roles by channel and times by VAD, inspected like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.api.conftest import Api
from tests.api.seeding import upload
from tests.audio.conftest import call
from tests.audio.synth import Truth, encode, small_wav
from tests.services.ingest_support import drain

__all__ = ["call"]
SCRIPT = {
    "agent": ["您好，工号1023，很高兴为您服务。", "这个产品保本的，您放心。", "好的，再见。"],
    "customer": ["这个基金保本吗？", "那我买一点"],
}


@pytest.fixture
def fake_asr(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Api:
    script = tmp_path / "script.json"
    script.write_text(json.dumps(SCRIPT, ensure_ascii=False), "utf-8")
    settings = api.platform.settings.model_copy(update={"asr": "fake", "asr_model": script})
    monkeypatch.setattr(api.platform, "settings", settings)
    return api


def test_upload_transcribes_submits_and_inspects(
    fake_asr: Api, call: tuple[Path, list[Truth]], tmp_path: Path
) -> None:
    api = fake_asr
    m4a = encode(call[0], tmp_path / "call.m4a", "ipod", "aac")
    receipt = upload(api, "call.m4a", m4a.read_bytes(), id="call-7", industry="securities")
    assert receipt["accepted"] == ["call-7"] and receipt["rejected"] == []
    drain(api.platform)
    read = api.client.get("/api/v1/conversations/call-7", headers=api.auth("compliance_manager"))
    conversation = read.json()
    assert conversation["status"] == "inspected" and conversation["channel"] == "phone"
    utterances = conversation["utterances"]
    assert [u["role"] for u in utterances] == ["agent", "customer", "agent", "customer", "agent"]
    for utterance, truth in zip(utterances, call[1], strict=True):
        assert utterance["start"] == pytest.approx(truth.start, abs=0.15)
    audio = conversation["metadata"]["audio"]
    assert audio["source"] == "call.m4a" and audio["overlaps"][0]["by"] == "customer"
    assert audio["longest_silence"] == pytest.approx(3.0, abs=0.5)
    findings = api.client.get(
        "/api/v1/conversations/call-7/findings", headers=api.auth("compliance_manager")
    ).json()["items"]
    assert any(f["category"] == "compliance.guarantee_return" for f in findings), findings


def test_without_a_recogniser_the_skeleton_is_submitted(api: Api) -> None:
    receipt = upload(api, "short call.wav", small_wav(), analysis="false")
    assert receipt["accepted"] == ["short call"]
    read = api.client.get("/api/v1/conversations/short call", headers=api.auth("admin")).json()
    assert [u["role"] for u in read["utterances"]] == ["agent", "customer"]
    assert all(u["text"] == "" for u in read["utterances"])
    assert "audio" not in read["metadata"]


@pytest.mark.parametrize(
    ("name", "data", "form", "field", "message"),
    [
        ("notes.wav", b"hello, this is not audio\n" * 40, {}, "file", "notes.wav"),
        ("empty.mp3", b"", {}, "file", "empty"),
        ("cut.wav", small_wav()[:20_000], {}, "file", "truncated"),
        ("ok.wav", small_wav(), {"channels": "agent"}, "channels", "two roles"),
        ("ok.wav", small_wav(), {"mono": "robot"}, "mono", "alternate"),
        ("ok.wav", small_wav(), {"industry": "farming"}, "industry", "unknown industry"),
    ],
)
def test_bad_uploads_answer_422_naming_the_problem(
    api: Api, name: str, data: bytes, form: dict[str, str], field: str, message: str
) -> None:
    response = api.client.post(
        "/api/v1/audio",
        files={"file": (name, data, "audio/wav")},
        data=form,
        headers=api.auth("admin"),
    )
    assert response.status_code == 422, response.text
    (detail,) = response.json()["detail"]
    assert detail["loc"] == [field] and message in detail["msg"], detail


def test_an_unusable_recogniser_is_503(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = api.platform.settings.model_copy(
        update={"asr": "funasr", "asr_model": tmp_path / "no-model"}
    )
    monkeypatch.setattr(api.platform, "settings", settings)
    response = api.client.post(
        "/api/v1/audio",
        files={"file": ("a.wav", small_wav(), "audio/wav")},
        headers=api.auth("admin"),
    )
    assert response.status_code == 503
    assert "HEGUI_ASR_MODEL" in response.json()["detail"]
