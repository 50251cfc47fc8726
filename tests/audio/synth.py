"""Test audio: Mandarin utterances spoken by espeak-ng, placed at chosen times on the agent
or customer channel of a WAV, so every silence and overlap is known; and re-encoding of that
WAV to MP3/M4A with PyAV itself."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest

RATE = 22_050  # espeak-ng's own rate
TRIM = 100  # |sample| above this is speech: the known extent of an utterance
SKIP_REASON = (
    "espeak-ng is not installed (bash scripts/setup installs it with apt-get as root): "
    "the audio tests that speak Mandarin are skipped"
)


def espeak() -> str:
    """The espeak-ng binary; without it, fail under CI=true, else skip saying why."""
    found = shutil.which("espeak-ng")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("espeak-ng is missing and CI needs it (scripts/setup installs it)")
    pytest.skip(SKIP_REASON)


def speak(text: str, tmp: Path, *, voice: str = "cmn") -> np.ndarray:
    """`text` spoken at 22.05 kHz, int16, trimmed to its speech (the known extent)."""
    out = tmp / f"say-{abs(hash(text))}.wav"
    subprocess.run([espeak(), "-v", voice, "-w", str(out), text], check=True)
    with wave.open(str(out)) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    loud = np.nonzero(np.abs(samples.astype(np.int32)) > TRIM)[0]
    return samples[loud[0] : loud[-1] + 1].copy()


@dataclass(frozen=True)
class Placed:
    channel: int  # 0 left (agent), 1 right (customer)
    text: str
    at: float  # seconds: where the utterance's first speech sample lands
    gain: float = 1.0


@dataclass(frozen=True)
class Truth:
    channel: int
    start: float
    end: float


def build(path: Path, placed: list[Placed], *, channels: int = 2, tail: float = 1.0) -> list[Truth]:
    """Write a WAV holding `placed`; the true speech extents, in order of start."""
    spoken = [(p, speak(p.text, path.parent)) for p in placed]
    length = max(round(p.at * RATE) + s.size for p, s in spoken) + round(tail * RATE)
    mix = np.zeros((length, channels), dtype=np.float64)
    truths = []
    for p, samples in spoken:
        first = round(p.at * RATE)
        mix[first : first + samples.size, p.channel] += samples * p.gain
        truths.append(Truth(p.channel, first / RATE, (first + samples.size) / RATE))
    write_wav(path, mix)
    return sorted(truths, key=lambda t: t.start)


def write_wav(path: Path | io.BytesIO, mix: np.ndarray, rate: int = RATE) -> None:
    data = np.clip(mix, -32768, 32767).astype("<i2")
    with wave.open(path if isinstance(path, io.BytesIO) else str(path), "wb") as w:
        w.setnchannels(data.shape[1] if data.ndim == 2 else 1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())


def encode(wav: Path, out: Path, fmt: str, codec: str) -> Path:
    """Re-encode `wav` with PyAV (e.g. mp3/libmp3lame, ipod/aac for .m4a)."""
    with av.open(str(wav)) as src, av.open(str(out), "w", format=fmt) as dst:
        stream = src.streams.audio[0]
        layout = "stereo" if stream.codec_context.channels == 2 else "mono"
        target = dst.add_stream(codec, rate=44_100, layout=layout)
        fmt_name = target.codec_context.codec.audio_formats[0].name
        resampler = av.AudioResampler(format=fmt_name, layout=layout, rate=44_100)
        for frame in src.decode(stream):
            for chunk in resampler.resample(frame):
                dst.mux(target.encode(chunk))
        for chunk in resampler.resample(None):
            dst.mux(target.encode(chunk))
        dst.mux(target.encode(None))
    return out


def small_wav() -> bytes:
    """One second of stereo noise bursts (agent, then customer) as WAV bytes: an upload
    that needs no espeak-ng."""
    rate = 16_000
    noise = np.random.default_rng(1).standard_normal(rate // 2) * 4000
    samples = np.zeros((rate, 2))
    samples[: rate // 2, 0] = noise
    samples[rate // 2 :, 1] = noise
    out = io.BytesIO()
    write_wav(out, samples, rate)
    return out.getvalue()
