"""The echo's expected level: how loud the assistant's own voice can be at the mic right now.

An echo canceller needs a few seconds of the assistant's voice to learn a room (Speex took ~4 s of
a first answer through a reverberant room here: 5–8 dB taken out meanwhile, 35–42 dB after). In
those seconds the own-voice gate is all that keeps the echo out, and a reverberant echo is not
correlated enough with what was played for it: 0.46 s of a first answer's echo was once heard as
"Good morning." and interrupted the answer.

What the speaker played bounds what can come back. On the frames the gate attributes to the echo
this learns the speaker → mic delay (the gate's best lag) and the echo return loss (the mic's level
minus the level played that delay earlier, held through a room's decay); a mic frame no louder than
the played level that reaches it now, less that loss, plus MARGIN_DB, is explained by the echo, so a
user is still heard in the gaps between the assistant's words. The listener asks only while the
canceller is still learning: a user speaking at the echo's level is not heard then (a louder one
is), and is heard in full once the canceller takes the echo out. With no echo reaching the mic
(headphones, a browser that cancelled it) the gate never attributes a frame to the echo, no loss is
learned, and nothing is explained.
"""

from __future__ import annotations

from collections import deque

import numpy as np

MAX_DELAY_FRAMES = 10  # 20 ms frames (200 ms): the longest speaker → mic delay, as the gate searches
DELAYS_KEPT = 50  # the delay: the median of the gate's best lags on this many recent echo frames
SMEAR_FRAMES = 1  # frames either side of the delay whose played level counts (the lag is found to ±1)
DECAY_DB = 2.0  # dB per 20 ms frame the held level falls after that (a room's RT60 of 0.6 s: 60 dB in 30 frames)
LOSS_FRAMES = 150  # echo frames (3 s) whose loss is remembered
MIN_LOSS_FRAMES = 10  # echo frames needed before the loss is trusted
LOSS_PERCENTILE = 90  # the loss taken: this percentile of the remembered ones (the echo's loud end)
MARGIN_DB = 0.0  # dB above the bound still explained by the echo
# dB below the echo's expected level at which a frame the canceller left is its residue: a user that
# much quieter than the assistant's echo is not heard over it anyway (a converged filter still left
# -35 dBFS of an echo arriving at -10 here, 20-30 dB down, as speech at the end of a long answer)
RESIDUE_BELOW_DB = 20.0
SILENT_DBFS = -50.0  # a held played level below this: nothing is echoing


class EchoLevel:
    def __init__(self) -> None:
        n = MAX_DELAY_FRAMES + SMEAR_FRAMES + 1
        self._played: deque[float] = deque([-120.0] * n, maxlen=n)  # dBFS per frame played, newest last
        self._delays: deque[int] = deque(maxlen=DELAYS_KEPT)  # frames, the gate's best lags on echo frames
        self._held = -120.0  # dBFS, the played level the echo can carry into the frame heard
        self._loss: deque[float] = deque(maxlen=LOSS_FRAMES)  # dB, mic minus held level on echo frames
        self._echo: float | None = None  # dBFS the echo can reach in the frame heard (None: not known)

    def heard(self, mic_dbfs: float, echo: bool, delay_frames: int | None = None) -> None:
        """One mic frame's level; whether the gate attributed it to the echo, and at what lag (frames).
        Call before `played`, then ask `explains` / `residue`."""
        if echo and delay_frames is not None:
            self._delays.append(min(max(delay_frames, 1), MAX_DELAY_FRAMES))
        played = list(self._played)
        if self._delays:  # the frames played about one delay ago (the newest played is 1 frame back)
            d = int(np.median(self._delays))
            near = played[len(played) - d - SMEAR_FRAMES : len(played) - d + SMEAR_FRAMES + 1]
        else:  # no delay known yet: anything within the longest delay
            near = played
        self._held = max(max(near), self._held - DECAY_DB)
        if echo and self._held > SILENT_DBFS:
            self._loss.append(mic_dbfs - self._held)
        known = self._held > SILENT_DBFS and len(self._loss) >= MIN_LOSS_FRAMES
        self._echo = self._held + float(np.percentile(self._loss, LOSS_PERCENTILE)) if known else None

    def explains(self, mic_dbfs: float) -> bool:
        """Is a mic frame this loud within what the echo can reach now?"""
        return self._echo is not None and mic_dbfs <= self._echo + MARGIN_DB

    def residue(self, cleaned_dbfs: float) -> bool:
        """Is a frame the canceller left this loud only the residue of the echo expected now?"""
        return self._echo is not None and cleaned_dbfs <= self._echo - RESIDUE_BELOW_DB

    def played(self, level_dbfs: float) -> None:
        """The level the speaker played for the frame just heard."""
        self._played.append(level_dbfs)
