"""The session's WebSocket (web/signalling.py) on `assistant serve` with test doubles for the models,
and the remote LLM client's cluster manners (session header, no slot ids, one retry) against a
real HTTP server double on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from fakes import fake_models, profile

from models.llm import SESSION_HEADER, EngineError, RemoteEngine, RemoteEngineOptions
from web.server import DuplexServer, ServeOptions
from web.signalling import CLOSE_AT_CAPACITY, HEARTBEAT_S
from web.tracks import ReplyTrack


async def _serve(opts: ServeOptions) -> tuple[DuplexServer, web.AppRunner, str]:
    server = DuplexServer(fake_models(), profile(), opts)
    server.ready.set()
    runner = web.AppRunner(server.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return server, runner, f"ws://127.0.0.1:{port}/session?token={opts.token}"


CONNECT = aiohttp.ClientTimeout(total=30)  # s an HTTP request or a socket's opening may take here


async def _next(ws: aiohttp.ClientWebSocketResponse, kind: str, timeout_s: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        async with asyncio.timeout(max(0.01, deadline - time.monotonic())):
            m = await ws.receive()
        assert m.type == aiohttp.WSMsgType.TEXT, m
        d = json.loads(m.data)
        if d["type"] == kind:
            return d


def test_one_socket_per_session_capacity_bad_messages_and_a_freed_slot():
    async def scenario() -> None:
        server, runner, url = await _serve(ServeOptions(max_sessions=1))
        try:
            async with aiohttp.ClientSession(timeout=CONNECT) as http:
                a = await http.ws_connect(url)
                assert (await _next(a, "welcome"))["capacity"] == 1
                t0 = time.monotonic()
                b = await http.ws_connect(url)
                refused = await _next(b, "error")
                assert refused["code"] == "at_capacity"
                assert (await b.receive(timeout=5)).type == aiohttp.WSMsgType.CLOSE and b.close_code == CLOSE_AT_CAPACITY
                assert time.monotonic() - t0 < 1.0
                for bad in ("not json", json.dumps({"type": "launch"}), json.dumps({"type": "offer", "sdp": "x"}),
                            json.dumps({"type": "candidate", "candidate": "candidate:1 1 udp"})):
                    await a.send_str(bad)
                    assert (await _next(a, "error"))["message"]
                await _next(a, "heartbeat", 2 * HEARTBEAT_S + 1)  # the session is intact
                await a.close()
                await asyncio.sleep(0.2)
                assert server.slots.free == 1, "the slot came back when the socket closed"
                c = await http.ws_connect(url)
                await _next(c, "welcome")
                await c.close()
                async with http.get(url.replace("ws://", "http://").replace("token=", "token=wrong")) as r:
                    assert r.status == 401
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_an_offer_on_the_socket_gets_an_answer_and_events_and_its_close_ends_the_session():
    async def scenario() -> None:
        server, runner, url = await _serve(ServeOptions(max_sessions=1))
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        mic = ReplyTrack()
        try:
            async with aiohttp.ClientSession(timeout=CONNECT) as http:
                ws = await http.ws_connect(url)
                await _next(ws, "welcome")
                pc.addTrack(mic)
                await pc.setLocalDescription(await pc.createOffer())
                await ws.send_str(json.dumps({"type": "offer", "sdp": pc.localDescription.sdp}))
                answer = await _next(ws, "answer", 10)
                await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
                assert answer["session"] in server.sessions
                await _next(ws, "status", 15)  # an event of the core, on the socket
                await ws.send_str(json.dumps({"type": "offer", "sdp": pc.localDescription.sdp}))
                assert "already has a session" in (await _next(ws, "error"))["message"]
                await ws.close()
                await asyncio.sleep(0.5)
                assert server.sessions == {} and server.slots.free == 1
        finally:
            mic.stop()
            await pc.close()
            await runner.cleanup()

    asyncio.run(scenario())


class _FakeLlmServer:
    """An OpenAI-compatible completions double: answers `status` for the first `failures` requests."""

    def __init__(self, failures: int, status: int = 500) -> None:
        self.failures, self.status = failures, status
        self.requests: list[tuple[str | None, dict[str, Any]]] = []  # (session header, body)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.headers.get(SESSION_HEADER), await request.json()))
        if len(self.requests) <= self.failures:
            return web.json_response({"error": "worker down"}, status=self.status)
        return web.json_response({"model": "llm-1", "choices": [{"text": "{}", "logprobs": {}}],
                                  "usage": {"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 9}}})


def _with_llm(fake: _FakeLlmServer, body: Any) -> None:
    async def scenario() -> None:
        app = web.Application()
        app.router.add_post("/v1/completions", fake.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            await asyncio.get_running_loop().run_in_executor(None, body, f"http://127.0.0.1:{port}")
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


def test_a_session_view_sends_its_header_no_slot_ids_retries_a_5xx_once_and_reports_usage():
    fake, seen = _FakeLlmServer(failures=1), []

    def body(base: str) -> None:
        shared = RemoteEngine(RemoteEngineOptions(base, shared=True))
        shared.retry_after_s = 0.01
        engine = shared.for_session("s-42", seen.append)
        assert engine.complete_json("p", slot=3, schema={}, max_tokens=4) == "{}"

    _with_llm(fake, body)
    assert len(fake.requests) == 2, "one retry after the 500"
    for session, req in fake.requests:
        assert session == "s-42" and "id_slot" not in req
    assert [(u.server, u.cached_share) for u in seen] == [("llm-1", 0.9)]


def test_two_failures_are_one_clear_error():
    fake = _FakeLlmServer(failures=2, status=502)

    def body(base: str) -> None:
        with pytest.raises(EngineError, match="remote LLM"):
            engine = RemoteEngine(RemoteEngineOptions(base))
            engine.retry_after_s = 0.01
            engine.complete_json("p", slot=3, schema={}, max_tokens=4)

    _with_llm(fake, body)
    assert len(fake.requests) == 2 and fake.requests[0][1]["id_slot"] == 3  # a dedicated server keeps slot ids
