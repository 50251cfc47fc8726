"""Decoding: MP3 and M4A made from the test WAV with PyAV itself; bad input named clearly;
memory flat for a long file."""

from __future__ import annotations

import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from hegui.audio import AudioError, Decoded, analyse, media_type, probe
from tests.audio.synth import Truth, encode, small_wav, write_wav

TOLERANCE = 0.15


@pytest.mark.parametrize(
    ("suffix", "fmt", "codec"), [("mp3", "mp3", "libmp3lame"), ("m4a", "ipod", "aac")]
)
def test_compressed_files_give_the_same_segments(
    call: tuple[Path, list[Truth]], tmp_path: Path, suffix: str, fmt: str, codec: str
) -> None:
    wav = call[0]
    compressed = encode(wav, tmp_path / f"call.{suffix}", fmt, codec)
    info = probe(compressed)
    assert info.channels == 2 and info.codec in ("mp3", "mp3float", "aac")
    expected = analyse(wav)
    found = analyse(compressed)
    assert abs(found.duration - expected.duration) < 0.1
    for a, b in zip(found.channels, expected.channels, strict=True):
        assert len(a.segments) == len(b.segments), (a.segments, b.segments)
        for x, y in zip(a.segments, b.segments, strict=True):
            assert abs(x.start - y.start) <= TOLERANCE and abs(x.end - y.end) <= TOLERANCE
    assert len(found.overlaps) == 1 and len(found.silences) == 2


def test_a_file_object_decodes_like_the_path(call: tuple[Path, list[Truth]]) -> None:
    with call[0].open("rb") as stream:
        analysis = analyse(stream, name="upload.wav")
    assert analysis.source == "upload.wav"
    assert analysis.channels[0].segments == analyse(call[0]).channels[0].segments


def _error(path: Path) -> AudioError:
    with pytest.raises(AudioError) as caught:
        analyse(path)
    assert str(path) in str(caught.value)  # the message names the file
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read" in _error(tmp_path / "nowhere.wav").reason


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    assert "empty" in _error(path).reason


@pytest.mark.parametrize("content", [b"id,text\n1,hello\n" * 50, bytes(range(256)) * 40])
def test_not_audio(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.wav"
    path.write_bytes(content)
    reason = _error(path).reason
    assert "not" in reason and "audio" in reason, reason


def test_truncated_wav(call: tuple[Path, list[Truth]], tmp_path: Path) -> None:
    data = call[0].read_bytes()
    path = tmp_path / "cut.wav"
    path.write_bytes(data[: len(data) // 3])
    reason = _error(path).reason
    assert "truncated" in reason, reason


def test_truncated_m4a(call: tuple[Path, list[Truth]], tmp_path: Path) -> None:
    whole = encode(call[0], tmp_path / "whole.m4a", "ipod", "aac")
    path = tmp_path / "cut.m4a"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    reason = _error(path).reason
    assert "truncated" in reason or "not a recognised" in reason, reason


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "header.wav"
    write_wav(path, np.zeros((0, 1)))
    assert "no audio" in _error(path).reason


def test_more_than_two_channels(tmp_path: Path) -> None:
    path = tmp_path / "surround.wav"
    write_wav(path, np.zeros((8000, 3)))
    assert "channel count 3" in _error(path).reason


def test_stereo_roles_are_checked(call: tuple[Path, list[Truth]]) -> None:
    with pytest.raises(AudioError, match="channel roles"):
        analyse(call[0], roles=("agent", "robot"))


def test_memory_stays_flat_for_a_long_file(tmp_path: Path) -> None:
    """Five minutes of stereo (about 26 MB of WAV) analysed with a tenth of that at most."""
    path = tmp_path / "long.wav"
    rate, minutes = 22_050, 5
    rng = np.random.default_rng(7)
    second = (rng.standard_normal((rate, 2)) * 3000).astype("<i2")
    second[:, 1] //= 4
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        silent = np.zeros_like(second).tobytes()
        for index in range(minutes * 60):
            out.writeframes(second.tobytes() if index % 3 else silent)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        analysis = analyse(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert analysis.duration == pytest.approx(minutes * 60, abs=0.1)
    assert len(analysis.silences) > 50
    assert peak < size / 10, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file"


def test_decoded_blocks_are_16k_rows_per_channel(call: tuple[Path, list[Truth]]) -> None:
    decoded = Decoded(call[0])
    shapes = {block.shape[0] for block in decoded}
    assert shapes == {2} and decoded.info is not None
    assert decoded.info.sample_rate == 22_050
    assert decoded.duration == pytest.approx(decoded.info.declared_duration, abs=0.01)


@pytest.mark.parametrize(
    ("suffix", "fmt", "codec", "expected"),
    [
        ("wav", None, None, "audio/wav"),
        ("mp3", "mp3", "libmp3lame", "audio/mpeg"),
        ("m4a", "ipod", "aac", "audio/mp4"),
    ],
)
def test_the_media_type_of_each_container(
    tmp_path: Path, suffix: str, fmt: str | None, codec: str | None, expected: str
) -> None:
    wav = tmp_path / "call.wav"
    wav.write_bytes(small_wav())
    path = (
        wav if fmt is None or codec is None else encode(wav, tmp_path / f"c.{suffix}", fmt, codec)
    )
    assert media_type(probe(path).container) == expected
    assert media_type("something,else") == "application/octet-stream"
