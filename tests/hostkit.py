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
    return await connect(f"ws://127.0.0.1:{d.api.port}/?token={token}", **kw)


async def command(ws: ClientConnection, **msg: Any) -> dict[str, Any]:
    """Send one command; the reply to it (events that come first are skipped)."""
    await ws.send(json.dumps(msg))
    while True:
        reply = json.loads(await ws.recv())
        if reply["type"] in ("ok", "error"):
            return reply


async def healthz(d: Daemon) -> dict[str, Any]:
    assert d.api is not None
    url = f"http://127.0.0.1:{d.api.port}/healthz"
    body = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
    return dict(json.loads(body))


async def running(d: Daemon, body: Callable[[], Any]) -> Any:
    """Start the daemon, run `body()` once it is ready, stop it; the body's result."""
    stop = asyncio.Event()
    task = asyncio.create_task(d.run(stop))
    await asyncio.wait([task, asyncio.create_task(d.ready.wait())], return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()
    try:
        return await body()
    finally:
        stop.set()
        await task
