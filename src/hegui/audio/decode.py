"""Decoding WAV/MP3/M4A (any container FFmpeg reads, through PyAV's bundled libraries) into
16 kHz 16-bit blocks, one row per channel, a block at a time: memory stays flat however long
the file is."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import av
import av.error
import numpy as np
import numpy.typing as npt

from hegui.audio.errors import AudioError

RATE = 16_000
"""The rate every channel is resampled to: webrtcvad's and the ASR models' rate."""
MAX_CHANNELS = 2
# A stream that ends this much before its header's length was cut short (a damaged upload).
TRUNCATION_SLACK = 0.5
TRUNCATION_SHARE = 0.02

Source = str | Path | BinaryIO
Block = npt.NDArray[np.int16]
# The media type a browser plays each container under (FFmpeg's names, comma-separated).
MEDIA_TYPES = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "mov": "audio/mp4",
    "mp4": "audio/mp4",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "flac": "audio/flac",
    "webm": "audio/webm",
    "matroska": "audio/webm",
    "aac": "audio/aac",
    "amr": "audio/amr",
}


@dataclass(frozen=True)
class AudioInfo:
    """What the container says, before decoding."""

    name: str
    container: str
    codec: str
    sample_rate: int
    channels: int
    declared_duration: float | None


def source_name(source: Source, name: str | None = None) -> str:
    if name:
        return name
    if isinstance(source, str | Path):
        return str(source)
    return str(getattr(source, "name", "<upload>"))


def _opened(source: Source, name: str) -> Any:
    if isinstance(source, str | Path):
        try:
            size = os.stat(source).st_size
        except OSError as exc:
            raise AudioError(name, f"无法读取 cannot read the file: {exc.strerror}") from exc
        if size == 0:
            raise AudioError(name, "文件为空 the file is empty (0 bytes)")
        target: Any = str(source)
    else:
        target = source
    try:
        return av.open(target, mode="r")
    except av.error.FFmpegError as exc:
        raise AudioError(
            name, f"不是可识别的音频 not a recognised audio file ({_why(exc)})"
        ) from exc
    except (OSError, ValueError) as exc:
        raise AudioError(name, f"无法读取 cannot read the file: {exc}") from exc


def _why(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return str(text)[:200]


def _info(container: Any, name: str) -> tuple[AudioInfo, Any]:
    streams = list(container.streams.audio)
    if not streams:
        raise AudioError(name, "没有音轨 the file holds no audio stream")
    stream = streams[0]
    channels = stream.codec_context.channels
    if channels < 1 or channels > MAX_CHANNELS:
        raise AudioError(
            name,
            f"不支持的声道数 unsupported channel count {channels}: "
            "mono, or stereo with agent and customer on separate channels",
        )
    declared = None
    if stream.duration is not None and stream.time_base is not None:
        declared = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        declared = container.duration / av.time_base
    info = AudioInfo(
        name=name,
        container=container.format.name,
        codec=stream.codec_context.name,
        sample_rate=stream.codec_context.sample_rate or stream.rate or 0,
        channels=channels,
        declared_duration=declared,
    )
    return info, stream


def media_type(container: str) -> str:
    """`audio/wav`, `audio/mpeg`, `audio/mp4`… for FFmpeg's container name (e.g.
    "mov,mp4,m4a,3gp,3g2,mj2"); `application/octet-stream` for one not listed."""
    for name in container.split(","):
        if name.strip() in MEDIA_TYPES:
            return MEDIA_TYPES[name.strip()]
    return "application/octet-stream"


def probe(source: Source, name: str | None = None) -> AudioInfo:
    """The container's description, decoding nothing; `AudioError` for what is not audio."""
    label = source_name(source, name)
    container = _opened(source, label)
    try:
        return _info(container, label)[0]
    finally:
        container.close()


class Decoded:
    """Iterate 16 kHz int16 blocks of shape (channels, n); `info` is set once opened and
    `samples` counts what was decoded. A decoding error raises `AudioError` naming the file."""

    def __init__(self, source: Source, name: str | None = None) -> None:
        self.name = source_name(source, name)
        self._source = source
        self.info: AudioInfo | None = None
        self.samples = 0

    def __iter__(self) -> Iterator[Block]:
        container = _opened(self._source, self.name)
        try:
            info, stream = _info(container, self.name)
            self.info = info
            layout = "mono" if info.channels == 1 else "stereo"
            resampler = av.AudioResampler(format="s16p", layout=layout, rate=RATE)
            for frame in self._frames(container, stream):
                for out in resampler.resample(frame):
                    yield self._counted(out)
            for out in resampler.resample(None):
                yield self._counted(out)
        finally:
            container.close()
        self._check_complete(info)

    def _frames(self, container: Any, stream: Any) -> Iterator[Any]:
        try:
            yield from container.decode(stream)
        except av.error.FFmpegError as exc:
            raise AudioError(
                self.name, f"音频损坏或被截断 corrupt or truncated audio ({_why(exc)})"
            ) from exc

    def _counted(self, frame: Any) -> Block:
        block: Block = np.ascontiguousarray(frame.to_ndarray(), dtype=np.int16)
        self.samples += block.shape[1]
        return block

    def _check_complete(self, info: AudioInfo) -> None:
        decoded = self.samples / RATE
        declared = info.declared_duration
        if self.samples == 0:
            raise AudioError(self.name, "没有可解码的音频 no audio could be decoded")
        if info.container == "wav":
            _check_wav_length(self._source, self.name)
        if declared and decoded < declared - max(TRUNCATION_SLACK, TRUNCATION_SHARE * declared):
            raise AudioError(
                self.name,
                f"文件被截断 truncated: the header says {declared:.1f} s, "
                f"only {decoded:.1f} s could be decoded",
            )

    @property
    def duration(self) -> float:
        return self.samples / RATE


def _check_wav_length(source: Source, name: str) -> None:
    """FFmpeg clamps a WAV's length to the bytes present: compare the header's data size
    with what the file holds, so a cut-off upload is an error, not a shorter call."""
    try:
        if isinstance(source, str | Path):
            with open(source, "rb") as stream:
                declared, present = _wav_data_sizes(stream)
        else:
            position = source.tell()
            try:
                declared, present = _wav_data_sizes(source)
            finally:
                source.seek(position)
    except (OSError, ValueError, struct.error):
        return  # unreadable here; FFmpeg already decoded what it could
    if declared is not None and present < declared:
        raise AudioError(
            name,
            f"文件被截断 truncated: the header announces {declared} bytes of audio, "
            f"the file holds {present}",
        )


def _wav_data_sizes(stream: BinaryIO) -> tuple[int | None, int]:
    stream.seek(0, os.SEEK_END)
    total = stream.tell()
    stream.seek(0)
    head = stream.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None, 0
    offset = 12
    while offset + 8 <= total:
        stream.seek(offset)
        chunk, size = struct.unpack("<4sI", stream.read(8))
        if chunk == b"data":
            # 0 and 0xFFFFFFFF mark a WAV written while streaming: no length was promised.
            promised = None if size in (0, 0xFFFFFFFF) else size
            return promised, total - offset - 8
        offset += 8 + size + (size & 1)
    return None, 0
