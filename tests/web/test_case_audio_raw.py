"""The case page's recording and raw text in a real browser.

A call recorded as a stereo WAV written here with the stdlib `wave` module — tones where the
agent and the customer speak, known silences between (no recogniser: the timing is the
transcript) — is uploaded through `POST /api/v1/audio`; its case page plays the recording
and each ▶ (clicked, or reached by keyboard) seeks the player to its utterance's start. A
compliance manager gives a reason and reads the raw text, which the audit log then holds
with that reason; a reviewer has no 查看原文, nor has anyone where no raw text is kept.
"""

from __future__ import annotations

import io
import math
import re
import struct
import wave
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from tests.services.ingest_support import RAW_KEY, drain
from tests.web.conftest import Console, running_console, samples, shot
from tests.web.test_console import api_token, log_in

RATE = 8_000
AGENT, CUSTOMER = 0, 1
# (channel, start, end) in seconds; the silence from 4.0 to 16.0 s precedes an agent turn.
SPEECH = [(AGENT, 0.5, 2.0), (CUSTOMER, 2.5, 4.0), (AGENT, 16.0, 17.5)]
LENGTH = 18.5
CALL = "tone-call"
PII_CALL = "chat-20261101-0006"  # its first utterance holds a phone number spelled out


def tone_call() -> bytes:
    """Stereo 16-bit WAV: a voiced tone (harmonics of 220 Hz, syllable-rate swell) on the
    speaker's channel over each span of `SPEECH`, silence everywhere else."""
    frames = bytearray()
    for n in range(round(LENGTH * RATE)):
        s = n / RATE
        levels = [0, 0]
        for channel, start, end in SPEECH:
            if start <= s < end:
                voiced = sum(math.sin(2 * math.pi * 220 * k * s) / k for k in range(1, 6))
                levels[channel] = round(8000 * voiced * (0.6 + 0.4 * math.sin(2 * math.pi * 4 * s)))
        frames += struct.pack("<hh", *levels)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    return out.getvalue()


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """A console keeping raw text, with the tone call uploaded and inspected."""
    options = {"raw_text_key": SecretStr(RAW_KEY)}
    with running_console(tmp_path_factory, **options) as console:
        with api_token(console, "compliance_manager") as api:
            answer = api.post(
                "/api/v1/audio",
                files={"file": ("客户 通话.wav", tone_call(), "audio/wav")},
                data={"id": CALL, "industry": "securities"},
            )
            assert answer.status_code == 202, answer.text
        drain(console.platform)
        yield console


def cases_of(console: Console, cid: str, role: str = "compliance_manager") -> list[dict[str, Any]]:
    with api_token(console, role) as api:
        found = api.get("/api/v1/cases", params={"q": cid, "limit": 100}).raise_for_status()
        return [
            api.get(f"/api/v1/cases/{c['id']}").raise_for_status().json()
            for c in found.json()["items"]
            if c["conversation_id"] == cid
        ]


def player_time(page: Any) -> float:
    return float(page.locator("#case-audio").evaluate("(a) => a.currentTime"))


def test_the_recording_plays_and_each_utterance_seeks_the_player(
    page: Any, recorded: Console
) -> None:
    cases = cases_of(recorded, CALL, "reviewer")
    case = next(c for c in cases if c["category"] == "service.long_silence")
    assert {c["audio"] for c in cases} == {True}
    lines = case["transcript"]
    starts = [line["start"] for line in lines]
    # The utterances are the tones, found where they were written (VAD, ±0.15 s).
    assert starts == pytest.approx([start for _, start, _ in SPEECH], abs=0.15)

    log_in(page, recorded, "reviewer")
    page.goto(f"{recorded.url}/console/#/case/{case['id']}")
    page.wait_for_selector("[data-audio='ready']", state="attached")
    page.wait_for_function("() => document.querySelector('#case-audio').readyState >= 1")
    audio = page.locator("#case-audio")
    assert audio.evaluate("(a) => a.src").startswith("blob:")  # no token in any URL
    assert audio.evaluate("(a) => a.controls") is True
    assert audio.evaluate("(a) => a.duration") == pytest.approx(LENGTH, abs=0.05)
    shot(page, "case-audio")

    buttons = page.locator(".transcript li button.seek")
    assert buttons.count() == len(lines)
    evidence = [i for i, line in enumerate(lines) if line["evidence"]]
    assert evidence == [2], "the agent's turn after 12 s of silence is the evidence"
    for index in [*evidence, 0]:  # the evidence utterance, then the first one
        start = lines[index]["start"]
        button = page.locator(f".transcript li[data-index='{lines[index]['index']}'] button")
        assert button.get_attribute("aria-label").startswith("从此句播放 0:")
        button.click()
        page.wait_for_function(
            "(t) => Math.abs(document.querySelector('#case-audio').currentTime - t) < 0.05",
            arg=start,
        )
        assert player_time(page) == pytest.approx(start, abs=0.05)

    # By keyboard: focus the second ▶ and press Enter.
    second = lines[1]["start"]
    page.evaluate("() => document.querySelector('#case-audio').pause()")
    buttons.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(t) => Math.abs(document.querySelector('#case-audio').currentTime - t) < 0.05",
        arg=second,
    )
    with api_token(recorded, "admin") as api:
        entries = api.get("/api/v1/audit", params={"limit": 500}).json()["items"]
    reads = [e for e in entries if e["action"] == "conversation.audio_read"]
    assert [(e["actor"], e["object_id"]) for e in reads] == [("rev", CALL)]  # fetched once

    # A case of a conversation with no recording has no player and no ▶.
    [other, *_] = cases_of(recorded, PII_CALL, "reviewer")
    page.goto(f"{recorded.url}/console/#/case/{other['id']}")
    page.wait_for_selector(f"main[data-page='case'] h1:has-text('#{other['id']} ')")
    assert page.locator("#case-audio").count() == 0
    assert page.locator("button.seek").count() == 0
    assert "null" not in page.locator("main").inner_text()  # nothing missing shows as text


def test_a_compliance_manager_reads_the_raw_text_with_a_reason_and_it_is_audited(
    page: Any, recorded: Console
) -> None:
    raw = next(s for s in samples() if s["id"] == PII_CALL)["utterances"][0]["text"]
    case = next(c for c in cases_of(recorded, PII_CALL) if c["transcript"][0]["index"] == 0)
    masked = case["transcript"][0]["text"]
    assert case["raw_kept"] is True and masked != raw  # the phone number is masked

    log_in(page, recorded, "compliance_manager")
    page.goto(f"{recorded.url}/console/#/case/{case['id']}")
    page.get_by_role("button", name="查看原文").click()
    reason = page.get_by_label(re.compile("^查看原文的原因"))
    assert reason.get_attribute("required") is not None
    reason.fill("   ")  # only spaces: asked again, nothing read
    page.get_by_role("button", name="显示原文").click()
    page.wait_for_selector("#notice:not([hidden])")
    assert "请填写原因" in page.locator("#notice").inner_text()
    reason.fill("客户投诉 #42 核实号码")
    page.get_by_role("button", name="显示原文").click()
    page.wait_for_selector("[data-raw]")
    section = page.get_by_role("region", name="原文（未脱敏）")
    assert "未脱敏" in section.locator(".raw-warning").inner_text()
    first = section.locator("li[data-index='0']").inner_text()
    assert raw in first and masked not in first
    assert (
        page.locator("ol.transcript:not([data-raw]) li[data-index='0']")
        .inner_text()
        .endswith(masked)
    )
    shot(page, "case-raw")
    with api_token(recorded, "admin") as api:
        entries = api.get("/api/v1/audit", params={"limit": 500}).json()["items"]
    reads = [e for e in entries if e["action"] == "conversation.raw_read"]
    assert [(e["actor"], e["object_id"], e["details"]["reason"]) for e in reads] == [
        ("cm", PII_CALL, "客户投诉 #42 核实号码")
    ]
    assert reads[0]["details"]["revision"] == case["revision"]

    page.get_by_role("button", name="隐藏原文").click()
    page.wait_for_selector("[data-raw]", state="detached")
    assert raw not in page.locator("main").inner_text()
    assert page.get_by_role("button", name="查看原文").count() == 1

    # A reviewer may not read raw text: no button.
    page.locator("#logout").click()
    log_in(page, recorded, "reviewer")
    page.goto(f"{recorded.url}/console/#/case/{case['id']}")
    page.wait_for_selector(f"main[data-page='case'] h1:has-text('#{case['id']} ')")
    assert page.get_by_role("button", name="查看原文").count() == 0


def test_no_raw_button_where_no_raw_text_is_kept(page: Any, console: Console) -> None:
    case = next(c for c in cases_of(console, PII_CALL) if c["transcript"])
    assert case["raw_kept"] is False and case["audio"] is False
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/case/{case['id']}")
    page.wait_for_selector(f"main[data-page='case'] h1:has-text('#{case['id']} ')")
    assert page.get_by_role("button", name="查看原文").count() == 0
    assert page.locator("#case-audio").count() == 0
