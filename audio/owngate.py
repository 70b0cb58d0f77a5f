"""Own-voice gate: a mic frame that the assistant's own playout explains is not the user speaking.

The front end knows exactly what the speaker played. For each mic frame it correlates the last
`window_ms` of mic audio with the played reference at every lag up to `max_delay_ms`; if the
best normalised correlation is high, the sound is the assistant's voice coming back (speaker →
room → mic), and the frame is not allowed to count as speech. When the user talks over the
echo, the mix no longer matches the reference and the gate opens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from audio.frames import SAMPLE_RATE


@dataclass(frozen=True)
class OwnVoiceOptions:
    max_delay_ms: int = 200  # ms, longest speaker → mic delay searched
    window_ms: int = 80  # ms of mic audio compared with the reference
    echo_correlation: float = 0.55  # normalised correlation above which the frame is own voice
    silent_dbfs: float = -55.0  # reference quieter than this: nothing to echo, gate open


class OwnVoiceGate:
    def __init__(self, options: OwnVoiceOptions | None = None) -> None:
        self.options = options or OwnVoiceOptions()
        self._win = self.options.window_ms * SAMPLE_RATE // 1000
        self._lag = self.options.max_delay_ms * SAMPLE_RATE // 1000
        self._mic = np.zeros(self._win, np.float32)
        self._ref = np.zeros(self._win + self._lag, np.float32)
        self.last_correlation = 0.0
        self.last_delay_frames = 0  # 20 ms frames from the reference to the mic at the best match

    def played(self, pcm: np.ndarray) -> None:
        """Record what the speaker played (call once per frame, after the mic frame was judged)."""
        self._ref = np.concatenate([self._ref[pcm.size :], pcm.astype(np.float32)])

    def is_own_voice(self, mic: np.ndarray) -> bool:
        self._mic = np.concatenate([self._mic[mic.size :], mic.astype(np.float32)])
        ref = self._ref
        if 10 * np.log10(np.mean(ref.astype(np.float64) ** 2) + 1e-12) < self.options.silent_dbfs:
            self.last_correlation = 0.0
            return False
        m = self._mic.astype(np.float64)
        n = 1 << int(np.ceil(np.log2(ref.size + m.size)))
        xc = np.fft.irfft(np.fft.rfft(ref, n) * np.conj(np.fft.rfft(m, n)), n)[: ref.size - m.size + 1]
        # energy of each reference window, for normalisation
        c = np.concatenate([[0.0], np.cumsum(ref.astype(np.float64) ** 2)])
        e_ref = c[m.size :] - c[: c.size - m.size]
        rho = np.abs(xc) / np.sqrt(e_ref * np.dot(m, m) + 1e-12)
        best = int(rho.argmax())
        self.last_correlation = float(rho[best])
        # the mic window ends one frame after the reference does (it is heard before `played`)
        self.last_delay_frames = round((ref.size + mic.size - m.size - best) / mic.size)
        return self.last_correlation >= self.options.echo_correlation


