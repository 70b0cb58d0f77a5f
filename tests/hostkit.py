"""What the host API tests share: a daemon in this process on a replayed (and breakable) input, and a
host that talks to it over a real WebSocket."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection, connect

from assistant.core.clock import Clock
from assistant.host.api import HostApiOptions
from assistant.host.daemon import Daemon, DaemonOptions
from assistant.host.watchdog import WatchdogOptions
from audio.frames import FRAME_S, FRAME_SAMPLES, AudioFrame

TOKEN = "test-token"
REPLY_S = 20.0  # s a command's reply may take (fakes answer at once; a real model's choice is in `ask`'s events)
READY_S = 120.0  # s the daemon may take to warm its session and listen
STOPPED_S = 45.0  # s the daemon may take to end after `stop` (its own bounds: 5 s loop + 5 s tasks + 30 s threads)


@dataclass
class Replayed:
    """A recording as a device: silence until `go`, then the recording (then silence); the frame
    numbers in `fail_at` raise once each, as an unplugged device does. Reopening goes on where it was."""

    pcm: np.ndarray
    fail_at: set[int] = field(default_factory=set)
    go: asyncio.Event = field(default_factory=asyncio.Event)
    k: int = 0  # frames of the recording played
    opened: int = 0

    def open(self) -> AsyncIterator[AudioFrame]:
        self.opened += 1
        return self._frames()

    async def _frames(self) -> AsyncIterator[AudioFrame]:
        clock, i = Clock(), 0
        clock.start()
        while True:
            i += 1
            await clock.sleep_until(i * FRAME_S)
            if not self.go.is_set():
                yield AudioFrame(i * FRAME_S, np.zeros(FRAME_SAMPLES, np.float32))
                continue
            if self.k in self.fail_at:
                self.fail_at.discard(self.k)
                raise OSError("the device was unplugged (a test's failure)")
            pcm = self.pcm[self.k * FRAME_SAMPLES:(self.k + 1) * FRAME_SAMPLES]
            self.k += 1
            yield AudioFrame(i * FRAME_S, np.pad(pcm, (0, FRAME_SAMPLES - pcm.size)).astype(np.float32))


def daemon(models: Any, profile: Any, source: Replayed, **api: Any) -> Daemon:
    opts = DaemonOptions(HostApiOptions(port=0, token=TOKEN, **api), watchdog=WatchdogOptions(backoff_s=(0.5, 1.0)))
    return Daemon(models, profile, opts, source.open, "replayed")


async def host(d: Daemon, token: str = TOKEN, **kw: Any) -> ClientConnection:
    assert d.api is not None
    return await connect(f"ws://127.0.0.1:{d.api.port}/?token={token}", open_timeout=10, **kw)


async def receive(ws: ClientConnection, waiting_for: str, within_s: float = REPLY_S) -> dict[str, Any]:
    """The next message, or a failure that names what was awaited."""
    try:
        async with asyncio.timeout(within_s):
            return dict(json.loads(await ws.recv()))
    except TimeoutError:
        raise AssertionError(f"no message from the daemon in {within_s:.0f} s while waiting for {waiting_for}") from None


async def next_of(ws: ClientConnection, kinds: tuple[str, ...], within_s: float = REPLY_S) -> dict[str, Any]:
    """The next message of one of `kinds` (others skipped), within `within_s` in all."""
    deadline = asyncio.get_running_loop().time() + within_s
    while True:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise AssertionError(f"no {' / '.join(kinds)} from the daemon in {within_s:.0f} s")
        m = await receive(ws, " / ".join(kinds), left)
        if m["type"] in kinds:
            return m


async def command(ws: ClientConnection, within_s: float = REPLY_S, **msg: Any) -> dict[str, Any]:
    """Send one command; the reply to it (events that come first are skipped)."""
    await ws.send(json.dumps(msg))
    return await next_of(ws, ("ok", "error"), within_s)


async def until(check: Callable[[], Any], what: str, within_s: float = REPLY_S, every_s: float = 0.02) -> Any:
    """Poll `check()` until it is truthy (its value), or fail naming `what` was awaited."""
    try:
        async with asyncio.timeout(within_s):
            while not (value := check()):
                await asyncio.sleep(every_s)
            return value
    except TimeoutError:
        raise AssertionError(f"{what}: not within {within_s:.0f} s") from None


async def healthz(d: Daemon) -> dict[str, Any]:
    assert d.api is not None
    url = f"http://127.0.0.1:{d.api.port}/healthz"
    body = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
    return dict(json.loads(body))


async def running(d: Daemon, body: Callable[[], Any]) -> Any:
    """Start the daemon, run `body()` once it is ready, stop it; the body's result. Every wait is bounded:
    a daemon that does not get ready, or does not end after `stop`, fails the test with what it was doing."""
    stop = asyncio.Event()
    task = asyncio.create_task(d.run(stop))
    ready = asyncio.create_task(d.ready.wait())
    await asyncio.wait([task, ready], timeout=READY_S, return_when=asyncio.FIRST_COMPLETED)
    ready.cancel()
    if task.done():
        task.result()
    if not d.ready.is_set():
        task.cancel()
        raise AssertionError(f"the daemon was not ready within {READY_S:.0f} s")
    try:
        return await body()
    finally:
        stop.set()
        done, _ = await asyncio.wait([task], timeout=STOPPED_S)
        if not done:
            task.cancel()
            raise AssertionError(f"the daemon did not end within {STOPPED_S:.0f} s of stop")
        task.result()
