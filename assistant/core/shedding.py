"""Speculative work yields to the critical path: which partials of an idle user's turn the judge reads.

A partial is transcribed only to read the user's words ahead into the answering replica; the verdict
on the segment's end, on the same judge lane, is what the user waits for. On a slow or busy machine
partials queue behind each other and the end's verdict waits behind the one in hand. So:
- a partial whose turn comes more than `stale_s` after its audio ended is shed (the lane is behind:
  newer words, or the end, are on their way);
- after a partial took `d` s, the next one waits `d × (1 − duty) / duty`: partials take at most `duty`
  of the lane, and the end is rarely stuck behind one. Measured on real people's orders (make
  bench-people, held half): 3.3 partials read per second of speech before, 2.4 with both cores free
  (a partial took ~0.16 s of transcription, more with its read-ahead), 2.0 with one core busy elsewhere.
- except the pause partial (the words so far, ending in silence: every word of the turn if it ends there):
  it is not spaced out, only shed when stale. The tentative end reuses its words; shed, the end transcribes
  them itself, on the critical path (with both cores busy the pause partial fell inside the spacing of the
  partial before it, and the end's verdict came ~0.25 s later).
Session time throughout (the mic's clock; in a live session it runs with the wall clock).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

STALE_S = 0.25  # s a partial may wait for the judge after its audio ended
DUTY = 0.5  # share of the judge lane partials may take while the user talks


@dataclass
class PartialGate:
    stale_s: float = STALE_S
    duty: float = DUTY
    shed: int = 0  # partials skipped so far (for the log and the tests)
    _next: float = float("-inf")  # session time before which no partial is read

    def admit(self, now: float, audio_end: float, settled: bool = False) -> bool:
        """Whether to transcribe a partial whose audio ended at `audio_end`, its turn coming at `now`;
        `settled`: it ends in silence (the pause partial)."""
        if now - audio_end > self.stale_s or (now < self._next and not settled):
            self.shed += 1
            log.debug("partial shed at %.2f s (audio ended %.2f s, next allowed %.2f s)", now, audio_end, self._next)
            return False
        return True

    def spent(self, started: float, ended: float) -> None:
        """A partial was read from `started` to `ended`: space the next one out by the duty share."""
        took = max(0.0, ended - started)
        self._next = ended + took * (1.0 - self.duty) / self.duty
