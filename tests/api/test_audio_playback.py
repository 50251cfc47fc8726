"""Recordings kept by `POST /api/v1/audio` and played back by
`GET /api/v1/conversations/{id}/audio`: stored under a key of the store's (never the file
name), one per revision, served whole or by byte range, audited, only to whoever may see
the conversation; 404 where none is kept."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from hegui.adapters.recordings import DirectoryStore
from hegui.api import create_app
from hegui.bootstrap import Platform, wire
from hegui.errors import Invalid
from hegui.services.recordings import RecordingService
from tests.api.conftest import Api
from tests.api.seeding import OTHER, OWN, conversation, inspected, record, upload
from tests.audio.synth import small_wav, write_wav
from tests.db_fixtures import cheap_passwords
from tests.services.ingest_support import drain, keeping_raw

URL = "/api/v1/conversations"
WAV = small_wav()


def other_wav() -> bytes:
    """Two seconds: the agent's burst later than in `small_wav`, so another transcript."""
    rate = 16_000
    noise = np.random.default_rng(2).standard_normal(rate // 2) * 4000
    samples = np.zeros((2 * rate, 2))
    samples[rate // 4 : rate // 4 + rate // 2, 0] = noise
    samples[rate + rate // 4 : rate + 3 * rate // 4, 1] = noise
    out = io.BytesIO()
    write_wav(out, samples, rate)
    return out.getvalue()


def rewired(api: Api, clock: Any, **settings: Any) -> Platform:
    """The test platform's database wired again with other settings."""
    changed = api.platform.settings.model_copy(update=settings)
    return wire(changed, api.platform.db, clock=clock, passwords=cheap_passwords())


def post_wav(api: Api, client: TestClient, cid: str) -> Any:
    """`POST /api/v1/audio` of the small WAV as conversation `cid`, as an admin."""
    return client.post(
        "/api/v1/audio",
        files={"file": ("call.wav", WAV, "audio/wav")},
        data={"id": cid},
        headers=api.auth("admin"),
    )


def audio(api: Api, cid: str, role: str = "reviewer", **headers: str) -> Any:
    return api.client.get(f"{URL}/{cid}/audio", headers={**api.auth(role), **headers})


def kept_files(platform: Platform) -> list[Path]:
    root = platform.settings.audio_path
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def audit(api: Api, action: str) -> list[dict[str, Any]]:
    entries = api.client.get(
        "/api/v1/audit", params={"limit": 200}, headers=api.auth("admin")
    ).json()["items"]
    return [e for e in entries if e["action"] == action]


def test_an_upload_is_kept_under_a_key_and_served_whole(api: Api) -> None:
    receipt = upload(api, "客户 13812345678.wav", WAV, id="rec-1")
    assert receipt["accepted"] == ["rec-1"]
    [kept] = kept_files(api.platform)
    assert kept.read_bytes() == WAV
    assert "13812345678" not in str(kept) and len(kept.name) == 32  # the store's key
    assert kept.parent.parent == api.platform.settings.data_dir / "audio"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600

    response = audio(api, "rec-1")
    assert response.status_code == 200
    assert response.content == WAV
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-length"] == str(len(WAV))
    assert response.headers["cache-control"] == "private, no-store"
    [stored] = audit(api, "conversation.audio_kept")
    assert stored["object_id"] == "rec-1" and stored["details"]["size"] == len(WAV)
    assert stored["details"]["media_type"] == "audio/wav"
    [read] = audit(api, "conversation.audio_read")
    assert (read["actor"], read["details"]) == ("rev", {"revision": 1, "range": None})


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, None),
        ("bytes=-50", -50, None),
        ("bytes=1000-999999999", 1000, None),
    ],
)
def test_a_range_is_answered_206(api: Api, header: str, first: int, last: int | None) -> None:
    upload(api, "call.wav", WAV, id="rec-2")
    response = audio(api, "rec-2", Range=header)
    assert response.status_code == 206, response.text
    body = WAV[first : None if last is None else last + 1]
    assert response.content == body
    start = first if first >= 0 else len(WAV) + first
    end = start + len(body) - 1
    assert response.headers["content-range"] == f"bytes {start}-{end}/{len(WAV)}"
    assert response.headers["content-length"] == str(len(body))
    assert response.headers["content-type"] == "audio/wav"
    [read] = audit(api, "conversation.audio_read")
    assert read["details"]["range"] == header


def test_a_range_past_the_end_is_416_and_odd_ranges_get_the_whole_body(api: Api) -> None:
    upload(api, "call.wav", WAV, id="rec-3")
    past = audio(api, "rec-3", Range=f"bytes={len(WAV)}-")
    assert past.status_code == 416
    assert past.headers["content-range"] == f"bytes */{len(WAV)}"
    assert "range not satisfiable" in past.json()["detail"]
    for odd in ("bytes=9-3", "bytes=0-1,5-9", "items=0-5", "bytes=x-"):
        whole = audio(api, "rec-3", Range=odd)
        assert whole.status_code == 200 and whole.content == WAV, odd


def test_a_conversation_without_a_recording_is_404(api: Api) -> None:
    inspected(api.platform, conversation("c-1", OWN))
    response = audio(api, "c-1")
    assert response.status_code == 404
    assert "未保留录音" in response.json()["detail"] and "no recording" in response.json()["detail"]
    assert audio(api, "no-such-call").status_code == 404
    assert audit(api, "conversation.audio_read") == []


def test_only_whoever_may_see_the_conversation_hears_it(api: Api) -> None:
    inspected(api.platform, conversation("mine", OWN), conversation("theirs", OTHER))
    record(api.platform, "mine")
    record(api.platform, "theirs")
    for role in ("admin", "compliance_manager", "reviewer", "team_lead", "agent"):
        assert audio(api, "mine", role).status_code == 200, role
    for role in ("team_lead", "agent"):
        response = audio(api, "theirs", role)
        assert response.status_code == 404 and "no conversation" in response.json()["detail"]
    assert api.client.get(f"{URL}/mine/audio").status_code == 401


def test_each_revision_keeps_its_own_recording_and_the_first_one(api: Api) -> None:
    # Without metadata.audio (which names the file), the transcript is the timing alone.
    upload(api, "a.wav", WAV, id="rec-4", analysis="false")
    upload(api, "b.wav", other_wav(), id="rec-4", analysis="false")  # revision 2
    upload(api, "c.wav", WAV + b"\x00" * 64, id="rec-4", analysis="false")  # as revision 1
    assert len(kept_files(api.platform)) == 2  # the third copy was discarded
    read = api.client.get(f"{URL}/rec-4", headers=api.auth("reviewer")).json()
    assert read["revision"] == 2
    assert audio(api, "rec-4").content == other_wav()
    first = api.client.get(
        f"{URL}/rec-4/audio", params={"revision": 1}, headers=api.auth("reviewer")
    )
    assert first.status_code == 200 and first.content == WAV
    missing = api.client.get(
        f"{URL}/rec-4/audio", params={"revision": 3}, headers=api.auth("reviewer")
    )
    assert missing.status_code == 404 and "revision 3" in missing.json()["detail"]


def test_a_refused_conversation_keeps_no_recording(api: Api) -> None:
    receipt = upload(api, "call.wav", WAV, id="x" * 200)
    assert receipt["accepted"] == [] and receipt["rejected"]
    assert kept_files(api.platform) == []


def test_with_keep_audio_off_nothing_is_kept(
    api: Api, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = rewired(api, clock, keep_audio=False)
    with TestClient(create_app(platform)) as client:
        response = post_wav(api, client, "rec-5")
        assert response.status_code == 202
        assert kept_files(platform) == []
        gone = client.get(f"{URL}/rec-5/audio", headers=api.auth("admin"))
    assert gone.status_code == 404 and "no recording" in gone.json()["detail"]


def test_a_store_that_cannot_be_written_is_503_naming_the_setting(
    api: Api, clock: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    platform = rewired(api, clock, audio_dir=blocker / "audio")
    with TestClient(create_app(platform)) as client:
        response = post_wav(api, client, "rec-6")
    assert response.status_code == 503
    assert "HEGUI_AUDIO_DIR" in response.json()["detail"]
    assert api.client.get(f"{URL}/rec-6", headers=api.auth("admin")).status_code == 404


def test_a_recording_missing_from_the_store_is_a_clear_404(api: Api) -> None:
    upload(api, "call.wav", WAV, id="rec-7")
    [kept] = kept_files(api.platform)
    kept.unlink()
    response = audio(api, "rec-7")
    assert response.status_code == 404
    assert "missing from the store" in response.json()["detail"]


def test_the_case_says_whether_audio_and_raw_text_are_kept(api: Api, clock: Any) -> None:
    raw = keeping_raw(api.platform, clock)
    inspected(raw, conversation("kept", OWN))
    inspected(api.platform, conversation("plain", OWN))
    record(api.platform, "kept")
    drain(api.platform)
    flags: dict[str, set[tuple[bool, bool]]] = {}
    for cid in ("kept", "plain"):
        cases = api.client.get(
            "/api/v1/cases", params={"q": cid}, headers=api.auth("reviewer")
        ).json()["items"]
        assert cases and {c["audio"] for c in cases} == {None}  # the list leaves them out
        for case in cases:
            one = api.client.get(f"/api/v1/cases/{case['id']}", headers=api.auth("reviewer"))
            flags.setdefault(cid, set()).add((one.json()["audio"], one.json()["raw_kept"]))
    assert flags == {"kept": {(True, True)}, "plain": {(False, False)}}


def test_raw_text_of_an_older_revision(api: Api, clock: Any) -> None:
    raw = keeping_raw(api.platform, clock)
    first = conversation("rev-raw", OWN)
    second = conversation("rev-raw", OWN)
    second["utterances"].append({"role": "customer", "text": "还有一个问题"})
    inspected(raw, first)
    inspected(raw, second)
    with TestClient(create_app(raw)) as client:
        url = f"{URL}/rev-raw/raw"
        headers = api.auth("compliance_manager")
        newest = client.get(url, params={"reason": "复核"}, headers=headers).json()
        older = client.get(url, params={"reason": "复核", "revision": 1}, headers=headers).json()
        assert len(newest["utterances"]) == len(older["utterances"]) + 1
        bad = client.get(url, params={"reason": "复核", "revision": 0}, headers=headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "revision"]


def test_the_store_refuses_what_is_too_large_and_keys_that_name_paths(
    api: Api, clock: Any, tmp_path: Path
) -> None:
    store = DirectoryStore(tmp_path / "store")
    service = RecordingService(store, api.platform.audit, clock, max_bytes=100)
    with pytest.raises(Invalid, match="at most 100 bytes") as error:
        service.save(io.BytesIO(b"x" * 101))
    assert error.value.field == "file"
    assert [p for p in (tmp_path / "store").rglob("*") if p.is_file()] == []
    saved = service.save(io.BytesIO(b"y" * 100))
    assert saved is not None and saved.size == 100
    with pytest.raises(ValueError, match="not a recording key"):
        store.open("../../etc/passwd")
    stream = store.open(saved.key)
    assert stream is not None
    with stream:
        assert stream.read() == b"y" * 100
    store.delete(saved.key)
    assert store.open(saved.key) is None
