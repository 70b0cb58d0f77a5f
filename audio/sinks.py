"""Audio sinks: a wav on the mic timeline (one output frame per mic frame), or the speaker."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audio.devices import pick
from audio.frames import FRAME_SAMPLES, SAMPLE_RATE
from audio.io import write_wav


class TimelineSink:
    """Collects one frame per mic tick, so sample 0 of the output is mic t=0."""

    def __init__(self) -> None:
        self._frames: list[np.ndarray] = []

    def write(self, pcm: np.ndarray) -> None:
        self._frames.append(pcm)

    @property
    def pcm(self) -> np.ndarray:
        return np.concatenate(self._frames) if self._frames else np.zeros(0, np.float32)

    def save(self, path: str | Path) -> None:
        write_wav(path, self.pcm, SAMPLE_RATE)

    def close(self) -> None:
        pass


class SpeakerSink:
    """The local speaker through PortAudio, fed frame by frame."""

    def __init__(self, device: str | int | None = None) -> None:
        import sounddevice as sd

        self.device = pick(device, "output")
        self._stream = sd.OutputStream(device=self.device.index, channels=1, samplerate=SAMPLE_RATE,
                                       dtype="float32", blocksize=FRAME_SAMPLES, latency="low")
        self._stream.start()

    def write(self, pcm: np.ndarray) -> None:
        self._stream.write(pcm.reshape(-1, 1))

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()
