"""The speaker → room → mic path, simulated: the assistant's own output mixed back into the mic.

`--echo DELAY_MS:GAIN_DB[:LOWPASS_HZ]` in replay; tests and the bench cover 30–150 ms and
-6 to -20 dB.
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

    @staticmethod
    def parse(text: str) -> EchoSpec:
        try:
            parts = [float(x) for x in text.split(":")]
        except ValueError:
            raise ValueError(f"--echo wants DELAY_MS:GAIN_DB[:LOWPASS_HZ], got {text!r}") from None
        if len(parts) not in (2, 3) or not 0 <= parts[0] <= 1000 or parts[1] > 0:
            raise ValueError(f"--echo wants DELAY_MS (0–1000):GAIN_DB (≤ 0)[:LOWPASS_HZ], got {text!r}")
        return EchoSpec(*parts)


class EchoPath:
    def __init__(self, spec: EchoSpec) -> None:
        self.spec = spec
        self._delay = int(spec.delay_ms * SAMPLE_RATE / 1000)  # samples
        self._gain = 10 ** (spec.gain_db / 20)
        self._line = np.zeros(self._delay, np.float32)  # played samples still in flight
        if spec.lowpass_hz:
            self._ba = signal.butter(2, spec.lowpass_hz / (SAMPLE_RATE / 2))
            self._zi = np.zeros(2)

    def feed(self, played: np.ndarray) -> None:
        """What the speaker played during the last frame."""
        x = played * self._gain
        if self.spec.lowpass_hz:
            x, self._zi = signal.lfilter(*self._ba, x, zi=self._zi)
        self._line = np.concatenate([self._line, x.astype(np.float32)])

    def mix(self, mic: np.ndarray) -> np.ndarray:
        """The mic frame plus the echo arriving during it."""
        n = mic.size
        if self._line.size < n:
            self._line = np.concatenate([self._line, np.zeros(n - self._line.size, np.float32)])
        out, self._line = mic + self._line[:n], self._line[n:]
        return out
