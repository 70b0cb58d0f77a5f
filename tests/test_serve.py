"""`assistant serve` start-up on test doubles: the port answers before the slots are warm (the
readiness probe says so), and the URL is announced only when a session can be taken."""

from __future__ import annotations

import asyncio
import socket
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from fakes import FakeEngine, fake_models, profile

from web.server import ServeOptions, serve_async

PREFILL_S = 0.15  # s each slot's warm-up prefill takes on the slow double


@dataclass
class SlowPrefillEngine(FakeEngine):
    def next_token_probs(self, prompt: str, **kw: Any) -> dict[str, float]:
        time.sleep(PREFILL_S)  # runs in the server's executor, like the real prefill
        return super().next_token_probs(prompt, **kw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_url_is_announced_only_when_a_session_can_be_taken():
    opts = ServeOptions(port=_free_port(), max_sessions=2)
    seen: list[tuple[str, int]] = []  # (phase, /readyz status)

    async def main() -> None:
        announced = asyncio.Event()
        server = asyncio.create_task(serve_async(fake_models(engine=SlowPrefillEngine()), profile(), opts,
                                                 announce=lambda url: announced.set()))
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            while not announced.is_set():
                try:
                    async with http.get(f"http://127.0.0.1:{opts.port}/readyz") as r:
                        seen.append(("warming", r.status))
                        body = await r.json()
                        assert r.status == 200 or body["reason"] == "warming up", body
                except aiohttp.ClientConnectionError:
                    seen.append(("not bound", 0))
                await asyncio.sleep(0.05)
            async with http.get(f"http://127.0.0.1:{opts.port}/readyz") as r:  # right after the announcement
                seen.append(("announced", r.status))
                assert (await r.json())["free"] == 2
        server.cancel()
        await asyncio.gather(server, return_exceptions=True)

    asyncio.run(main())
    assert ("warming", 503) in seen, "the probe answered 503 while the slots were prefilled"
    assert seen[-1] == ("announced", 200)
    assert ("warming", 200) not in seen, "never ready before the announcement"
