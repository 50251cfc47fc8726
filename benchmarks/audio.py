"""Audio analysis throughput: seconds of audio processed per CPU second for decoding, VAD on
both channels and the analysis (silences, overlaps, peaks), no recogniser.

    .venv/bin/python benchmarks/audio.py [--minutes 10] [--format wav|mp3|m4a]

The test call is synthesised: stretches of speech-like noise (syllable-rate amplitude
modulation) on alternating channels with pauses and overlaps, at 22.05 kHz like espeak-ng,
so it needs nothing installed; WAV written here, MP3/M4A encoded with PyAV.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import wave
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from hegui.audio import analyse  # noqa: E402

RATE = 22_050


def synthesise(path: Path, minutes: float, seed: int = 3) -> None:
    """Turns of 1–6 s, agent and customer in turn, gaps −0.5 (overlap) to 3 s."""
    rng = np.random.default_rng(seed)
    total = int(minutes * 60 * RATE)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        written, channel, pending = 0, 0, np.zeros((0, 2))
        while written < total:
            length = int(rng.uniform(1, 6) * RATE)
            t = np.arange(length) / RATE
            envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2  # about 4 syllables a second
            turn = np.zeros((length, 2))
            turn[:, channel] = rng.standard_normal(length) * 3000 * envelope
            gap = int(rng.uniform(-0.5, 3.0) * RATE)
            if gap < 0 and pending.shape[0] >= -gap:
                turn[:-gap] += pending[gap:]
                pending = pending[:gap]
            block = np.concatenate((pending, np.zeros((max(gap, 0), 2))))
            out.writeframes(np.clip(block, -32768, 32767).astype("<i2").tobytes())
            written += block.shape[0]
            pending, channel = turn, 1 - channel
        out.writeframes(np.clip(pending, -32768, 32767).astype("<i2").tobytes())


def encode(wav: Path, fmt: str) -> Path:
    if fmt == "wav":
        return wav
    container, codec = {"mp3": ("mp3", "libmp3lame"), "m4a": ("ipod", "aac")}[fmt]
    out = wav.with_suffix("." + fmt)
    with av.open(str(wav)) as src, av.open(str(out), "w", format=container) as dst:
        target = dst.add_stream(codec, rate=44_100, layout="stereo")
        resampler = av.AudioResampler(
            format=target.codec_context.codec.audio_formats[0].name, layout="stereo", rate=44_100
        )
        for frame in src.decode(audio=0):
            for chunk in resampler.resample(frame):
                dst.mux(target.encode(chunk))
        dst.mux(target.encode(None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--format", choices=("wav", "mp3", "m4a"), default="wav")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "call.wav"
        synthesise(wav, args.minutes)
        path = encode(wav, args.format)
        cpu = time.process_time()
        analysis = analyse(path)
        cpu = time.process_time() - cpu
    result = {
        "format": args.format,
        "audio_seconds": round(analysis.duration, 1),
        "cpu_seconds": round(cpu, 2),
        "audio_seconds_per_cpu_second": round(analysis.duration / cpu, 1),
        "segments": [len(c.segments) for c in analysis.channels],
        "silences": len(analysis.silences),
        "overlaps": len(analysis.overlaps),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
