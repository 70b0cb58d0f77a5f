"""The speaker → room → mic path, simulated: the assistant's own output mixed back into the mic.

`--echo DELAY_MS:GAIN_DB[:LOWPASS_HZ[:RT60_S[:JITTER_MS]]]` in replay: a delay, a level, a small
speaker's roll-off, a room's reverberation (a seeded exponentially decaying tail), and delay jitter
(the sound card's buffer slipping: the delay steps by up to ±JITTER_MS every ~2 s, as an echo
canceller meets on a real device). Tests and the bench cover 30–150 ms, -6 to -20 dB, RT60 0–0.5 s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal

from audio.frames import SAMPLE_RATE


@dataclass(frozen=True)
class EchoSpec:
    delay_ms: float  # ms from the speaker to the mic (buffering + air)
    gain_db: float  # dB level of the echo relative to what was played
    lowpass_hz: float = 0.0  # a small speaker's roll-off; 0 = none
    rt60_s: float = 0.0  # s, the room's reverberation time; 0 = a dry path
    jitter_ms: float = 0.0  # ms, the most the delay slips at each step; 0 = a steady delay
    seed: int = 0  # the room's tail and the slips

    @staticmethod
    def parse(text: str) -> EchoSpec:
        usage = "--echo wants DELAY_MS (0–1000):GAIN_DB (≤ 0)[:LOWPASS_HZ[:RT60_S (0–2)[:JITTER_MS (0–100)]]]"
        try:
            parts = [float(x) for x in text.split(":")]
        except ValueError:
            raise ValueError(f"{usage}, got {text!r}") from None
        if not 2 <= len(parts) <= 5 or not 0 <= parts[0] <= 1000 or parts[1] > 0:
            raise ValueError(f"{usage}, got {text!r}")
        if (len(parts) > 3 and not 0 <= parts[3] <= 2) or (len(parts) > 4 and not 0 <= parts[4] <= 100):
            raise ValueError(f"{usage}, got {text!r}")
        return EchoSpec(*parts[:5])  # type: ignore[arg-type]  # (the seed stays 0)

    def label(self) -> str:
        room = f", RT60 {self.rt60_s:.1f} s" if self.rt60_s else ""
        slip = f", ±{self.jitter_ms:.0f} ms jitter" if self.jitter_ms else ""
        return f"{self.delay_ms:.0f} ms, {self.gain_db:.0f} dB{room}{slip}"


JITTER_EVERY_S = 2.0  # s, mean time between two slips of the delay


def room_tail(rt60_s: float, rng: np.random.Generator) -> np.ndarray:
    """An impulse response: the direct path (1.0) and a decaying noise tail reaching -60 dB at `rt60_s`,
    its energy half the direct path's (a speaker about a metre from the mic)."""
    n = max(1, int(rt60_s * SAMPLE_RATE))
    tail = rng.standard_normal(n) * np.exp(-np.arange(n) * 6.9 / n)
    tail *= np.sqrt(0.5 / np.sum(tail**2))
    tail[0] += 1.0
    return tail.astype(np.float32)


class EchoPath:
    def __init__(self, spec: EchoSpec) -> None:
        self.spec = spec
        self._delay = int(spec.delay_ms * SAMPLE_RATE / 1000)  # samples
        self._gain = 10 ** (spec.gain_db / 20)
        self._line = np.zeros(self._delay, np.float32)  # played samples still in flight
        if spec.lowpass_hz:
            self._ba = signal.butter(2, spec.lowpass_hz / (SAMPLE_RATE / 2))
            self._zi = np.zeros(2)
        self._rng = np.random.default_rng(spec.seed)
        self._ir = room_tail(spec.rt60_s, self._rng) if spec.rt60_s else None
        self._ring = np.zeros(0, np.float32)  # the room's reverberation still to come
        self._slip = self._delay  # samples of delay now (jitter moves it)
        self.slips = 0

    def feed(self, played: np.ndarray) -> None:
        """What the speaker played during the last frame."""
        x = played * self._gain
        if self.spec.lowpass_hz:
            x, self._zi = signal.lfilter(*self._ba, x, zi=self._zi)
        if self._ir is not None:
            y = signal.fftconvolve(x, self._ir)
            y[: self._ring.size] += self._ring[: y.size]
            x, self._ring = y[: played.size], y[played.size :]
        self._line = np.concatenate([self._line, np.asarray(x, np.float32)])
        if self.spec.jitter_ms and self._rng.random() < played.size / (JITTER_EVERY_S * SAMPLE_RATE):
            self._jitter()

    def _jitter(self) -> None:
        """The delay slips by up to ±jitter_ms (samples dropped from or silence put into the line)."""
        step = int(self._rng.uniform(-1, 1) * self.spec.jitter_ms * SAMPLE_RATE / 1000)
        step = max(step, -self._slip)  # never ahead of the speaker
        if step > 0:
            self._line = np.concatenate([np.zeros(step, np.float32), self._line])
        elif step < 0:
            self._line = self._line[-step:]
        self._slip += step
        self.slips += 1

    def mix(self, mic: np.ndarray) -> np.ndarray:
        """The mic frame plus the echo arriving during it."""
        n = mic.size
        if self._line.size < n:
            self._line = np.concatenate([self._line, np.zeros(n - self._line.size, np.float32)])
        out, self._line = mic + self._line[:n], self._line[n:]
        return out
