"""Where a session's work runs: thread lanes for the blocking model calls (the asyncio loop never
waits on a model), and the session's background tasks, all stopped together.

One lane per kind of work: the judge (encode → transcribe → verdict, one thread), TTS (one) and
the LLM (two: the generator streams while the monitor prefills). Tests swap in an inline double.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal

log = logging.getLogger(__name__)

Lane = Literal["judge", "tts", "llm"]
LANE_THREADS: dict[Lane, int] = {"judge": 1, "tts": 1, "llm": 2}


class Workers:
    def __init__(self) -> None:
        self._pools = {lane: ThreadPoolExecutor(n, thread_name_prefix=lane) for lane, n in LANE_THREADS.items()}
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """A background task of the session, cancelled by `close`."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, lane: Lane, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pools[lane], fn, *args)

    def submit(self, lane: Lane, what: str, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Fire and forget; a failure is logged (it only costs speed), never lost."""
        fut = self._pools[lane].submit(fn, *args)
        fut.add_done_callback(lambda f: _log_failure(what, f))
        return fut

    async def close(self) -> None:
        for t in list(self._tasks):
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)


def _log_failure(what: str, f: Future[Any]) -> None:
    if not f.cancelled() and f.exception() is not None:
        log.warning("%s failed: %s", what, f.exception())
