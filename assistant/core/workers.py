"""Where a session's work runs: thread lanes for the blocking model calls (the asyncio loop never
waits on a model), and the session's background tasks, all stopped together.

One lane per kind of work: the judge (encode → transcribe → verdict, one thread), TTS (one) and
the LLM (two: the generator streams while the monitor prefills). Tests swap in an inline double.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal

log = logging.getLogger(__name__)

Lane = Literal["judge", "tts", "llm"]
LANE_THREADS: dict[Lane, int] = {"judge": 1, "tts": 1, "llm": 2}
TASKS_STOP_S = 5.0  # s the session's tasks may take to end after their cancel
THREADS_STOP_S = 30.0  # s a model call still running may take to return (a cancelled answer stops at its next token)


class Workers:
    failed: Callable[[str, BaseException], None] | None = None  # told of a background task that raised (the shell: an Error)

    def __init__(self) -> None:
        self._pools = {lane: ThreadPoolExecutor(n, thread_name_prefix=lane) for lane, n in LANE_THREADS.items()}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._queued: dict[str, Future[Any]] = {}  # the last fire-and-forget job of each kind

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """A background task of the session, cancelled by `close`; if it raises, that is logged and told to `failed`."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(functools.partial(self._ended, getattr(coro, "__qualname__", str(coro))))

    def _ended(self, what: str, task: asyncio.Task[Any]) -> None:
        if task.cancelled() or (e := task.exception()) is None:
            return
        log.error("session task %s failed: %s", what, e, exc_info=e)
        if self.failed is not None:
            self.failed(what, e)

    async def run(self, lane: Lane, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pools[lane], fn, *args)

    def submit(self, lane: Lane, what: str, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Fire and forget; a failure is logged (it only costs speed), never lost. A job of the same kind
        (`what`) still waiting for its thread is superseded: never two of a kind in the queue, so
        speculative work cannot pile up in front of the answer."""
        before = self._queued.get(what)
        if before is not None and before.cancel():
            log.debug("%s superseded before it ran", what)
        fut = self._pools[lane].submit(fn, *args)
        self._queued[what] = fut
        fut.add_done_callback(lambda f: _log_failure(what, f))
        return fut

    async def close(self) -> None:
        """Cancel the tasks and wait for the threads, each within a bound (what overstays is logged: a
        session must be able to end whatever state a model call is in)."""
        tasks = list(self._tasks)
        for t in tasks:
            t.cancel()
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=TASKS_STOP_S)
            for t in late:
                log.error("session task %s did not end within %.0f s of its cancel", t.get_coro(), TASKS_STOP_S)
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        done = asyncio.get_running_loop().create_future()
        waiter = threading.Thread(target=self._join, args=(done,), name="workers-close", daemon=True)
        waiter.start()
        try:
            async with asyncio.timeout(THREADS_STOP_S):
                await done
        except TimeoutError:
            log.error("a model call was still running %.0f s after the session closed; left to finish alone", THREADS_STOP_S)

    def _join(self, done: asyncio.Future[None]) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True)
        try:
            done.get_loop().call_soon_threadsafe(_settle, done)
        except RuntimeError:  # the loop closed meanwhile: nobody waits any more
            pass


def _settle(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)


def _log_failure(what: str, f: Future[Any]) -> None:
    if not f.cancelled() and f.exception() is not None:
        log.warning("%s failed: %s", what, f.exception())
