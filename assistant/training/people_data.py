"""Human recordings for the monitor head: real people's requests and conversations, not TTS voices.

From the people bench's corpus (assistant/bench/people/, built by assistant/bench/people_build.py),
**tune half only** (the held half shares no speaker with it and no training run sees it):
- query: a person's spoken order to a kiosk (Picovoice's crowd-sourced recordings, many speakers and
  phones), at a near talker's level, mixed as the synthetic ones are (pre-roll, room floor, beds,
  the assistant's own voice leaking back, barge-in partials, small rooms);
- side: people talking to each other (AMI meeting excerpts): a 1–4 s window of a meeting where
  someone speaks, further away and quieter, as the synthetic side talk; or a person reading a
  sentence aloud nearby (NOIZEUS's readers);
- noise: those read sentences from a radio across the room (a small loudspeaker's band, a room),
  like the synthetic TV.
Beds: half the time one of the eight real noises (NOIZEUS: car, train, street, station, restaurant,
exhibition, airport, babble; the tune half's stretches) instead of a synthetic one.
Within the tune half, `val=True` takes other speakers (every VAL_EVERY-th speaker, meeting or reader),
so the head's own validation is split by speaker, like the bench's halves.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import soundfile as sf

from assistant.training.monitor_data import Example, Maker, _far, _room
from audio import synth
from audio.frames import SAMPLE_RATE, dbfs

CORPUS = Path(__file__).resolve().parents[1] / "bench" / "people"
VAL_EVERY = 4  # every 4th speaker (or meeting) of the tune half is the head's validation
PEOPLE_FAMILY = 2000  # family ids of human requests: PEOPLE_FAMILY + speaker index (a speaker is a family)
MEETING_FAMILY = 3000  # ... and of meetings
READER_FAMILY = 4000  # ... and of readers
REAL_BED_SHARE = 0.5  # share of beds that are a real noise
WINDOW_S = (1.0, 4.0)  # s, a side-talk window cut from a meeting
SPEECH_DBFS = -45.0  # a window quieter than this holds no one talking


@cache
def _index() -> dict:
    return dict(json.loads((CORPUS / "index.json").read_text()))


@cache
def _load(path: Path) -> np.ndarray:
    pcm, sr = sf.read(path, dtype="float32", always_2d=True)
    if sr != SAMPLE_RATE:
        raise ValueError(f"{path}: {sr} Hz, expected {SAMPLE_RATE}")
    x = pcm.mean(axis=1)
    loud = np.flatnonzero(np.abs(x) > 0.02 * (np.abs(x).max() + 1e-9))
    return x[loud[0] : loud[-1] + 1] if loud.size else x


def requests(val: bool) -> list[tuple[Path, int]]:
    """(recording, family) of the tune half's requests, for training or the head's validation."""
    reqs = {k: v for k, v in _index()["requests"].items() if v["half"] == "tune"}
    speakers = sorted({v["speaker"] for v in reqs.values()})
    mine = {s for i, s in enumerate(speakers) if (i % VAL_EVERY == 0) == val}
    return [(CORPUS / "requests" / f"{k}.opus", PEOPLE_FAMILY + speakers.index(v["speaker"]))
            for k, v in sorted(reqs.items()) if v["speaker"] in mine]


def meetings(val: bool) -> list[tuple[Path, int]]:
    names = sorted(k for k, v in _index()["meetings"].items() if v["half"] == "tune")
    return [(CORPUS / "meetings" / f"{k}.opus", MEETING_FAMILY + i) for i, k in enumerate(names)
            if (i % VAL_EVERY == 0) == val]


def sentences(val: bool) -> list[tuple[Path, int]]:
    read = {k: v for k, v in _index().get("read", {}).items() if v["half"] == "tune"}
    readers = sorted({v["reader"] for v in read.values()})
    return [(CORPUS / "read" / f"{k}.opus", READER_FAMILY + readers.index(v["reader"])) for k, v in sorted(read.items())
            if (readers.index(v["reader"]) % VAL_EVERY == 0) == val]


def noises() -> list[np.ndarray]:
    """The tune half's real noises (never the held half's stretches)."""
    return [_load(CORPUS / "noise" / f"{k}.opus") for k, v in sorted(_index().get("noise", {}).items())
            if v["half"] == "tune"]


class PeopleMaker(Maker):
    """Queries spoken by real people and side talk from real meetings, mixed as the synthetic ones."""

    def __init__(self, echo, val: bool, seed: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(echo, val, seed)
        self.requests, self.meetings, self.sentences, self.noises = requests(val), meetings(val), sentences(val), noises()
        if not self.requests or not self.meetings or not self.sentences or not self.noises:
            raise ValueError(f"no human recordings for {'validation' if val else 'training'} under {CORPUS}")

    def query(self) -> Example:
        path, family = self.requests[self.rng.integers(len(self.requests))]
        speech, partial = self._cut(_load(path))
        if self.rng.random() < 0.3:
            speech = _room(speech, self.rng, self.rng.uniform(0.15, 0.35))
        pcm, saying = self._mix(speech, self.rng.uniform(-32, -18))
        return Example(pcm, "query", "human:query:partial" if partial else "human:query", path.stem, saying, family)

    def bed(self, kind: str, seconds: float) -> np.ndarray:
        if self.rng.random() >= REAL_BED_SHARE:
            return super().bed(kind, seconds)
        x = self.noises[self.rng.integers(len(self.noises))]
        n = int(seconds * SAMPLE_RATE)
        start = int(self.rng.integers(0, max(1, x.size - n)))
        return np.resize(x[start:], n).astype(np.float32)

    def side(self) -> Example:
        if self.rng.random() < 0.5:  # someone reading aloud nearby
            path, family = self.sentences[self.rng.integers(len(self.sentences))]
            pcm, saying = self._mix(_far(_load(path), self.rng), self.rng.uniform(-38, -24))
            return Example(pcm, "side", "human:read", path.stem, saying, family)
        path, family = self.meetings[self.rng.integers(len(self.meetings))]
        talk = _load(path)
        for _ in range(20):  # a window where someone is talking
            n = int(self.rng.uniform(*WINDOW_S) * SAMPLE_RATE)
            start = int(self.rng.integers(0, max(1, talk.size - n)))
            speech = talk[start : start + n]
            if dbfs(speech) > SPEECH_DBFS:
                break
        if self.rng.random() < 0.4:
            speech = _far(speech, self.rng)
        pcm, saying = self._mix(speech, self.rng.uniform(-38, -24))
        return Example(pcm, "side", "human:side", path.stem, saying, family)

    def noise(self) -> Example:
        """A person reading on the radio across the room (or, half the time, a real noise alone)."""
        rng = self.rng
        if rng.random() < 0.5:
            x = self.noises[rng.integers(len(self.noises))]
            n = int(rng.uniform(1.0, 4.0) * SAMPLE_RATE)
            start = int(rng.integers(0, max(1, x.size - n)))
            pcm = synth.at_level(x[start : start + n], rng.uniform(-45, -20))
            return Example(pcm.astype(np.float32), "noise", "human:real_noise", "", "")
        path, _ = self.sentences[rng.integers(len(self.sentences))]
        radio = _room(synth.distant(_load(path), rng, (150.0, 4000.0)), rng, rng.uniform(0.4, 0.7))
        pcm, _ = self._mix(radio, rng.uniform(-38, -26))
        return Example(pcm, "noise", "human:radio", path.stem, "")
