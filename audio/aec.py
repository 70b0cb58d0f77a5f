"""Echo cancellation: the assistant's own voice taken out of the mic signal before anything listens.

A speaker path with no browser AEC (CLI, kiosk, cockpit) plays the answer into the same room the mic
hears. The front end knows the exact samples played; an adaptive filter (Speex's MDF, through
ctypes to Debian's `libspeexdsp1`) learns the speaker → room → mic path from them and subtracts the
echo, and Speex's preprocessor suppresses what is left of it. The user talking over the answer
(double talk) stays in the signal, so a barge-in over a loud answer is still heard and transcribed.

Pluggable: `make_canceller("speex" | "none")`. With none, or if the library is missing (one logged
warning), the own-voice gate (audio/owngate.py) is what keeps the echo from counting as speech; it
stays on behind the canceller as a backstop.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from audio.frames import FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, dbfs

log = logging.getLogger(__name__)

CANCELLERS = ("speex", "none")
LIBRARY = "libspeexdsp.so.1"  # Debian libspeexdsp1
INT16_FULL_SCALE = 32767.0
# ms an echo can still arrive after the speaker fell silent (a speaker → mic delay + a living
# room's reverberation); after that the mic is passed on as it came
ECHO_RINGS_MS = 1000
# A frame is the echo's residue, not the user, when the canceller took out of it about as much as
# it takes out of the echo alone: its attenuation within RESIDUE_MARGIN_DB of the recent echo
# return loss enhancement (the ERLE_PERCENTILE of the attenuations over the last ERLE_FRAMES frames
# played into; the user talking over the echo lowers a frame's attenuation, not this percentile).
# Double talk at -6 dB echo (3 runs x 2 rooms): user frames heard 81-83 % (a fixed 6 dB bar: 55 %,
# the gate on the raw mic: 44-56 %) with 0-1 of 195 echo frames through; with the delay slipping
# every ~2 s, 41-55 % and 0-8 of 195 (6 dB bar: 48-63 %, 21-23)
RESIDUE_MARGIN_DB = 10.0
# ... and only while the canceller is taking echo out at all: with no echo reaching the mic (the
# browser cancelled it, headphones) its ERLE is near 0 dB and every frame would look like residue
MIN_ERLE_DB = 12.0
# ... and never a frame it took less than MIN_TAKEN_DB out of: while the filter is half learned (ERLE
# 12-18 dB) the margin left frames with the user talking over the echo, 4-5 dB taken, as residue
MIN_TAKEN_DB = 8.0
# Also residue, while it is taking echo out: a frame it made louder by more than ADDED_DB (the
# filter's own echo estimate where the echo had already ended sounds like speech; 18 onsets on a
# long story's echo through a small speaker without this). With no echo to learn, the filter adapts
# on the user's words and adds to them too: hence only while the ERLE says it is cancelling.
ADDED_DB = 3.0
ERLE_PERCENTILE = 80
ERLE_FRAMES = 100  # 2 s
PLAYING_FRAMES = 25  # 500 ms (> the filter's tail): the reference counts as playing if it sounded within this many frames
PLAYING_DBFS = -50.0
# a mic frame quieter than this carries no echo to measure the filter on (before the echo's delay has
# passed, the noise floor's frames once made an unlearned filter look 20-70 dB good)
MEASURED_DBFS = -50.0

# request codes of speex_echo.h / speex_preprocess.h
_ECHO_SET_SAMPLING_RATE = 24
_PRE_SET_DENOISE = 0
_PRE_SET_AGC = 2
_PRE_SET_DEREVERB = 8
_PRE_SET_ECHO_SUPPRESS = 20
_PRE_SET_ECHO_SUPPRESS_ACTIVE = 22
_PRE_SET_ECHO_STATE = 24


@dataclass(frozen=True)
class CancellerOptions:
    tail_ms: int = 400  # ms of speaker → mic path the filter models (delay + the room's reverberation)
    echo_suppress_db: int = -40  # dB, residual echo suppression while only the assistant talks
    echo_suppress_active_db: int = -15  # dB, while the user talks too (keeps their words)
    # Speex's suppressor: with it, the residual echo is suppressed too (42 vs 18 dB ERLE on a dry
    # path here); it only touches the mic while the assistant's voice is in the reference
    denoise: bool = True


class EchoCanceller(Protocol):
    name: str
    residue: bool  # the last frame cancelled is the echo's residue, not someone talking over it
    learning: bool  # the echo is playing and the filter does not take it out yet (audio/echolevel.py)

    def cancel(self, mic: np.ndarray) -> np.ndarray:
        """One 20 ms mic frame with the assistant's echo taken out."""
        ...

    def played(self, pcm: np.ndarray) -> None:
        """What the speaker played for the frame just cancelled."""
        ...


class NoCanceller:
    name = "none"
    residue = False
    learning = False  # (nothing learns: the own-voice gate alone keeps the echo out)

    def cancel(self, mic: np.ndarray) -> np.ndarray:
        return mic

    def played(self, pcm: np.ndarray) -> None:
        pass


class CancellerError(RuntimeError):
    """The echo canceller cannot run here; one line for the user."""


def _library() -> ctypes.CDLL:
    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError:
        found = ctypes.util.find_library("speexdsp")
        if found is None:
            raise CancellerError(f"{LIBRARY} not found (apt-get install libspeexdsp1)") from None
        lib = ctypes.CDLL(found)
    p, i, s16 = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int16)
    for fn, args, res in (("speex_echo_state_init", [i, i], p), ("speex_echo_state_destroy", [p], None),
                          ("speex_echo_ctl", [p, i, p], i), ("speex_echo_cancellation", [p, s16, s16, s16], None),
                          ("speex_preprocess_state_init", [i, i], p), ("speex_preprocess_state_destroy", [p], None),
                          ("speex_preprocess_ctl", [p, i, p], i), ("speex_preprocess_run", [p, s16], i)):
        f = getattr(lib, fn)
        f.argtypes, f.restype = args, res
    return lib


def _int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * INT16_FULL_SCALE), -32768, 32767).astype(np.int16)


class SpeexCanceller:
    """Speex MDF + residual echo suppression on 20 ms frames at 16 kHz."""

    name = "speex"

    def __init__(self, options: CancellerOptions | None = None) -> None:
        self.options = o = options or CancellerOptions()
        self._lib = lib = _library()
        tail = o.tail_ms * SAMPLE_RATE // 1000
        self._echo = lib.speex_echo_state_init(FRAME_SAMPLES, tail)
        self._pre = lib.speex_preprocess_state_init(FRAME_SAMPLES, SAMPLE_RATE)
        if not self._echo or not self._pre:
            raise CancellerError("libspeexdsp could not create its state")
        self._ctl(lib.speex_echo_ctl, self._echo, _ECHO_SET_SAMPLING_RATE, SAMPLE_RATE)
        for req, val in ((_PRE_SET_DENOISE, int(o.denoise)), (_PRE_SET_AGC, 0),
                         (_PRE_SET_DEREVERB, 0), (_PRE_SET_ECHO_SUPPRESS, o.echo_suppress_db),
                         (_PRE_SET_ECHO_SUPPRESS_ACTIVE, o.echo_suppress_active_db)):
            self._ctl(lib.speex_preprocess_ctl, self._pre, req, val)
        lib.speex_preprocess_ctl(self._pre, _PRE_SET_ECHO_STATE, self._echo)
        self._ref = np.zeros(FRAME_SAMPLES, np.int16)  # the last frame played: the echo's source
        self._out = np.zeros(FRAME_SAMPLES, np.int16)
        self._attenuation: deque[float] = deque(maxlen=ERLE_FRAMES)  # dB taken out while playing
        self._playing = 0  # frames since the reference last sounded above PLAYING_DBFS
        self.residue = False
        self.learning = False
        self._tail_frames = ECHO_RINGS_MS // FRAME_MS  # after this long silent, no echo is in flight
        self._quiet = self._tail_frames + 1  # frames since the speaker last played a sound

    @staticmethod
    def _ctl(fn: Callable[..., int], state: int, request: int, value: int) -> None:
        v = ctypes.c_int(value)
        fn(state, request, ctypes.byref(v))

    def cancel(self, mic: np.ndarray) -> np.ndarray:
        if mic.size != FRAME_SAMPLES:
            raise ValueError(f"echo canceller wants {FRAME_SAMPLES}-sample frames, got {mic.size}")
        rec = _int16(mic)
        s16 = ctypes.POINTER(ctypes.c_int16)
        self._lib.speex_echo_cancellation(self._echo, rec.ctypes.data_as(s16), self._ref.ctypes.data_as(s16),
                                          self._out.ctypes.data_as(s16))
        self._lib.speex_preprocess_run(self._pre, self._out.ctypes.data_as(s16))
        self.residue = self.learning = False
        if self._quiet > self._tail_frames:  # no echo can be in flight: the mic as it came
            return mic
        out = self._out.astype(np.float32) / INT16_FULL_SCALE
        if self._playing <= PLAYING_FRAMES:
            taken = dbfs(mic) - dbfs(out)
            if dbfs(mic) > MEASURED_DBFS:
                self._attenuation.append(taken)
            erle = float(np.percentile(self._attenuation, ERLE_PERCENTILE)) if self._attenuation else 0.0
            self.learning = len(self._attenuation) < ERLE_FRAMES // 10 or erle < MIN_ERLE_DB
            if not self.learning:
                self.residue = taken > max(erle - RESIDUE_MARGIN_DB, MIN_TAKEN_DB) or taken < -ADDED_DB
        return out

    def played(self, pcm: np.ndarray) -> None:
        self._ref = _int16(np.asarray(pcm, np.float32)[:FRAME_SAMPLES])
        self._quiet = self._quiet + 1 if not self._ref.any() else 0
        self._playing = 0 if dbfs(np.asarray(pcm, np.float32)) > PLAYING_DBFS else self._playing + 1

    def __del__(self) -> None:
        lib = getattr(self, "_lib", None)
        if lib is not None:
            if getattr(self, "_pre", None):
                lib.speex_preprocess_state_destroy(self._pre)
            if getattr(self, "_echo", None):
                lib.speex_echo_state_destroy(self._echo)


def make_canceller(name: str, options: CancellerOptions | None = None) -> EchoCanceller:
    """The canceller `name`; a missing library falls back to none (logged): the own-voice gate remains."""
    if name == "none":
        return NoCanceller()
    if name != "speex":
        raise ValueError(f"unknown echo canceller {name!r} (have {', '.join(CANCELLERS)})")
    try:
        return SpeexCanceller(options)
    except CancellerError as e:
        log.warning("echo canceller off: %s; the own-voice gate alone keeps the echo out", e)
        return NoCanceller()
