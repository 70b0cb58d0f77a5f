"""Audio sinks: a wav on the mic timeline (one output frame per mic frame), or the speaker."""

from __future__ import annotations

import threading
from collections import deque
from pathlib import Path

import numpy as np
import soundfile as sf

from audio.devices import pick
from audio.frames import FRAME_SAMPLES, SAMPLE_RATE
from audio.io import write_wav

MAX_AHEAD_S = 0.5  # s of output the speaker's ring holds; older audio is dropped beyond it


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


class WavRecorder:
    """What the assistant said, streamed to a 16-bit wav as it plays (a daemon recording for hours keeps
    nothing in memory); the header is final once closed."""

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._file = sf.SoundFile(str(path), "w", SAMPLE_RATE, 1, "PCM_16")

    def write(self, pcm: np.ndarray) -> None:
        self._file.write(np.clip(pcm, -1.0, 1.0))

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


class FrameRing:
    """Output audio between the loop (which writes a frame per mic tick, never waiting) and the sound
    card's callback (which reads what it needs, silence when nothing is there). At most MAX_AHEAD_S
    waits: beyond it the oldest audio is dropped, so a stalled card cannot grow memory or delay."""

    def __init__(self, max_samples: int = round(MAX_AHEAD_S * SAMPLE_RATE)) -> None:
        self._chunks: deque[np.ndarray] = deque()
        self._size = 0
        self._max = max_samples
        self._lock = threading.Lock()
        self.dropped = 0  # samples dropped because the card fell behind
        self.starved = 0  # samples of silence given because the loop fell behind

    def write(self, pcm: np.ndarray) -> None:
        with self._lock:
            self._chunks.append(np.asarray(pcm, np.float32))
            self._size += pcm.size
            while self._size > self._max:
                old = self._chunks.popleft()
                self._size -= old.size
                self.dropped += old.size

    def read(self, n: int) -> np.ndarray:
        out = np.zeros(n, np.float32)
        k = 0
        with self._lock:
            while k < n and self._chunks:
                c = self._chunks[0]
                take = min(n - k, c.size)
                out[k : k + take] = c[:take]
                k += take
                if take == c.size:
                    self._chunks.popleft()
                else:
                    self._chunks[0] = c[take:]
                self._size -= take
        self.starved += n - k
        return out


class SpeakerSink:
    """The local speaker through PortAudio: the loop's frames go into a ring the card's callback reads,
    so a write never blocks the event loop."""

    def __init__(self, device: str | int | None = None) -> None:
        import sounddevice as sd

        self.device = pick(device, "output")
        self.ring = FrameRing()

        def fill(outdata: np.ndarray, frames: int, _time: object, _status: object) -> None:
            outdata[:, 0] = self.ring.read(frames)

        self._stream = sd.OutputStream(device=self.device.index, channels=1, samplerate=SAMPLE_RATE,
                                       dtype="float32", blocksize=FRAME_SAMPLES, latency="low", callback=fill)
        self._stream.start()

    def write(self, pcm: np.ndarray) -> None:
        self.ring.write(pcm)

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()
