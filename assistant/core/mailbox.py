"""The judge's mailbox: the latest version of each segment not yet handled, oldest segment first.

A newer version replaces a waiting one of the same segment, except that a partial never replaces
a tentative end or a final (stage order), so the end of an utterance is never lost to a partial.
"""

from __future__ import annotations

import asyncio

from audio.segmenter import STAGE_ORDER, Segment


class Mailbox:
    def __init__(self) -> None:
        self._waiting: dict[int, Segment] = {}
        self._wake = asyncio.Event()
        self._in_hand = False  # a version was taken and is being handled

    @property
    def pending(self) -> bool:
        """Versions wait, or one is being handled."""
        return bool(self._waiting) or self._in_hand

    def put(self, seg: Segment) -> None:
        waiting = self._waiting.get(seg.seg_id)
        if waiting is None or STAGE_ORDER[seg.stage] >= STAGE_ORDER[waiting.stage]:
            self._waiting[seg.seg_id] = seg
            self._wake.set()

    async def get(self) -> Segment:
        while not self._waiting:
            self._wake.clear()
            await self._wake.wait()
        self._in_hand = True
        return self._waiting.pop(min(self._waiting))

    def done(self) -> None:
        """The version taken last has been handled."""
        self._in_hand = False
