"""Playout buffer: what the assistant is about to say, pulled one frame per mic tick.

It can be flushed at once (barge-in), ducked (gain), paused (kept, silent) and resumed a little
before where it stopped (the word the user talked over is said again), or marked and said again
from the start of the marked clause (what played softly under other people's talk), and it reports how much of
each tagged chunk was really played, so the history keeps only the words the user heard; what was
played too low to be heard (under a deep duck) is counted as lost.
Played chunks keep only their length and words, and only for the reply being played: memory
stays flat however long a session talks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.text import is_chinese

LOST_BELOW_GAIN = 0.1  # linear (-20 dB): speech played under a duck this deep is not heard


@dataclass
class _Chunk:
    tag: int  # which reply this chunk belongs to
    text: str  # the words this chunk speaks
    pcm: np.ndarray
    played: int = 0  # samples already pulled


@dataclass(frozen=True)
class _Played:
    tag: int
    text: str
    samples: int  # length of the chunk
    played: int  # samples of it that were played


@dataclass
class Playout:
    duck_gain: float = 1.0  # linear gain applied to what is pulled (1 = full volume)
    paused: bool = False  # pull gives silence and keeps its place (nothing is lost while paused)
    _queue: list[_Chunk] = field(default_factory=list)
    _done: list[_Played] = field(default_factory=list)  # played chunks of the current reply
    _last_gain: float = 1.0
    lost_samples: int = 0  # samples played below LOST_BELOW_GAIN since the last `take_lost`
    _mark: _Chunk | None = None  # the clause `say_again` goes back to
    _mark_next: bool = False  # marked while nothing played: the next clause pushed is the mark
    _since_mark: list[tuple[_Chunk, _Played]] = field(default_factory=list)  # retired since the mark

    def push(self, pcm: np.ndarray, tag: int, text: str) -> None:
        self._done = [c for c in self._done if c.tag == tag]  # a new reply: the old one is history
        self._queue.append(_Chunk(tag, text, np.asarray(pcm, np.float32)))
        if self._mark_next:
            self._mark, self._mark_next = self._queue[-1], False

    def pull(self, n: int) -> np.ndarray:
        """The next `n` samples (zeros where nothing is queued)."""
        out = np.zeros(n, np.float32)
        if self.paused:
            self._last_gain = 0.0  # ramp back in from silence when resumed
            return out
        i = 0
        while i < n and self._queue:
            c = self._queue[0]
            k = min(n - i, c.pcm.size - c.played)
            out[i : i + k] = c.pcm[c.played : c.played + k]
            c.played += k
            i += k
            if c.played >= c.pcm.size:
                self._retire(self._queue.pop(0))
        gain, last = self.duck_gain, self._last_gain
        self._last_gain = gain
        if gain < LOST_BELOW_GAIN and last < LOST_BELOW_GAIN:
            self.lost_samples += i
        if gain == last == 1.0:
            return out
        return out * np.linspace(last, gain, n, dtype=np.float32)  # ramp over one frame: no click

    def rewind(self, samples: int) -> None:
        """Step back up to `samples` in the chunk being played (not before its start): on resuming,
        the word that was cut off is heard again."""
        if self._queue:
            c = self._queue[0]
            c.played = max(0, c.played - samples)

    def mark(self) -> None:
        """Remember the clause playing now (or the next one, if none is): `say_again` goes back to its start.
        A mark already set stays (the earliest clause the listener may have missed)."""
        if self._mark is not None or self._mark_next:
            return
        if self._queue:
            self._mark = self._queue[0]
        else:
            self._mark_next = True

    def say_again(self, max_samples: int) -> int:
        """Go back to the start of the marked clause: it and the clauses played since are queued again
        (the latest of them, up to `max_samples` played). Returns the samples to be said again."""
        mark, since = self._mark, self._since_mark
        self._unmark()
        if mark is None:
            return 0
        head = [self._queue[0]] if self._queue and self._queue[0].played and self._queue[0].tag == mark.tag else []
        again = [c for c, _ in since if c.tag == mark.tag] + head
        total, keep = 0, 0
        for c in reversed(again):  # (the cap keeps the clauses nearest to now)
            if keep and total + c.played > max_samples:
                break
            total, keep = total + c.played, keep + 1
        again = again[len(again) - keep:]
        gone = {id(p) for c, p in since if any(c is a for a in again)}
        self._done = [p for p in self._done if id(p) not in gone]  # (counted as heard when played again)
        for c in again:
            c.played = 0
        self._queue = [c for c in again if not (head and c is head[0])] + self._queue
        return total

    def _unmark(self) -> None:
        self._mark, self._mark_next, self._since_mark = None, False, []

    def take_lost(self) -> int:
        """Samples played too low to be heard since the last call."""
        lost, self.lost_samples = self.lost_samples, 0
        return lost

    def _retire(self, c: _Chunk) -> None:
        p = _Played(c.tag, c.text, c.pcm.size, c.played)
        self._done.append(p)
        if self._mark is not None:
            self._since_mark.append((c, p))

    @property
    def busy(self) -> bool:
        return bool(self._queue)

    def pending_s(self, rate: int) -> float:
        return sum(c.pcm.size - c.played for c in self._queue) / rate

    def flush(self) -> None:
        """Drop everything not yet played; partly played chunks keep their played count."""
        self._unmark()
        for c in self._queue:
            if c.played:
                self._retire(c)
        self._queue.clear()

    def heard_text(self, tag: int) -> str:
        """The words of reply `tag` that were played: whole chunks, plus the played share of a cut one
        (in words; in characters for Chinese, which has no spaces: a cut clause is not lost whole)."""
        chunks = [c for c in self._done if c.tag == tag]
        chunks += [_Played(c.tag, c.text, c.pcm.size, c.played) for c in self._queue if c.tag == tag]
        out = ""
        for c in chunks:
            chinese = is_chinese(c.text)  # (a chunk with Chinese in it is counted in characters)
            units = list(c.text.strip()) if chinese else c.text.split()
            n = len(units) if c.played >= c.samples else int(len(units) * c.played / max(1, c.samples))
            part = ("" if chinese else " ").join(units[:n])
            if part:
                out += part if not out or chinese else " " + part
        return out

    def forget(self, tag: int) -> None:
        if self._mark is not None and self._mark.tag == tag:
            self._unmark()
        self._done = [c for c in self._done if c.tag != tag]
