"""The WebRTC edge's guards, with real aiortc peers against the real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer

from web.server import DuplexServer, ServeOptions

pytestmark = pytest.mark.slow
SDP_FIXTURES = sorted((Path(__file__).parent / "data" / "sdp").glob("*.txt"))


async def _with_server(models, profile, opts: ServeOptions,
                       body: Callable[[DuplexServer, str], Awaitable[Any]]) -> Any:
    server = DuplexServer(models, profile, opts)
    await server.warm()
    runner = web.AppRunner(server.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        return await body(server, f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()


async def _offer_sdp(audio_file: str | None = None) -> tuple[RTCPeerConnection, str]:
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    if audio_file:
        pc.addTrack(MediaPlayer(audio_file).audio)
    else:
        pc.addTransceiver("audio", direction="recvonly")
    pc.createDataChannel("events")
    await pc.setLocalDescription(await pc.createOffer())
    return pc, pc.localDescription.sdp


async def _connect(base: str, token: str, audio_file: str | None = None,
                   headers: dict[str, str] | None = None) -> tuple[RTCPeerConnection, int, dict[str, Any]]:
    pc, sdp = await _offer_sdp(audio_file)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        r = await http.post(f"{base}/offer", json={"sdp": sdp, "type": "offer"},
                            headers={"Authorization": f"Bearer {token}", **(headers or {})})
        data = await r.json()
    if r.status == 200:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"], type=data["type"]))
        for _ in range(100):  # connected within 5 s on loopback
            if pc.connectionState == "connected":
                break
            await asyncio.sleep(0.05)
        assert pc.connectionState == "connected"
    return pc, r.status, data


async def _gone(server: DuplexServer, seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if not server.sessions:
            return True
        await asyncio.sleep(0.05)
    return False


def test_token_origin_and_capacity(models, profile):
    opts = ServeOptions(max_sessions=1)

    async def body(server: DuplexServer, base: str) -> None:
        for token, headers, want in (("wrong", {}, 401), ("", {}, 401),
                                     (opts.token, {"Origin": "http://evil.example"}, 403)):
            pc, status, data = await _connect(base, token, headers=headers)
            await pc.close()
            assert status == want, data
            assert data["error"]
        pc1, status, _ = await _connect(base, opts.token, headers={"Origin": base})
        assert status == 200 and len(server.sessions) == 1
        pc2, status, data = await _connect(base, opts.token)
        assert status == 503 and "capacity" in data["error"]
        await pc1.close()
        await pc2.close()
        assert await _gone(server), "closing the peer must free the session"

    asyncio.run(_with_server(models, profile, opts, body))


def test_oversized_and_malformed_sdp_get_400_with_a_reason(models, profile):
    opts = ServeOptions()

    async def body(server: DuplexServer, base: str) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            auth = {"Authorization": f"Bearer {opts.token}"}
            big = {"sdp": "v=0\r\nm=audio " + "x" * (opts.max_sdp_bytes + 10), "type": "offer"}
            r = await http.post(f"{base}/offer", json=big, headers=auth)
            assert r.status == 400 and "larger than" in (await r.json())["error"]
            assert SDP_FIXTURES, "no malformed-SDP fixtures"
            for f in SDP_FIXTURES:
                r = await http.post(f"{base}/offer", data=f.read_bytes(), headers=auth)
                reason = (await r.json())["error"]
                assert r.status == 400, f"{f.name}: {r.status}"
                assert reason and "\n" not in reason, f.name
        assert not server.sessions  # a rejected offer leaves nothing behind

    asyncio.run(_with_server(models, profile, opts, body))


def test_idle_session_is_closed(models, profile):
    opts = ServeOptions(idle_timeout_s=1.0)

    async def body(server: DuplexServer, base: str) -> None:
        pc, status, _ = await _connect(base, opts.token)  # sends no audio: idle
        assert status == 200 and len(server.sessions) == 1
        await asyncio.sleep(opts.idle_timeout_s + 1.5)
        assert not server.sessions
        await pc.close()

    asyncio.run(_with_server(models, profile, opts, body))


def _threads() -> int:
    """Threads besides the loop's default executor (aiohttp's resolver grows it on demand, up to
    a fixed cap, faster on a loaded machine: that is a pool, not a leak)."""
    return sum(not t.name.startswith("asyncio_") for t in threading.enumerate())


def test_fifty_connect_disconnect_cycles_leave_nothing_behind(models, profile):
    opts = ServeOptions()

    async def body(server: DuplexServer, base: str) -> tuple[int, int, int]:
        async def cycle() -> None:
            pc, status, _ = await _connect(base, opts.token)
            assert status == 200
            await pc.close()
            assert await _gone(server)

        for _ in range(3):  # warm up allocators and caches before the baseline
            await cycle()
        gc.collect()
        base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        base_tasks, base_threads = len(asyncio.all_tasks()), _threads()
        for _ in range(50):
            await cycle()
        await asyncio.sleep(0.5)
        gc.collect()
        assert len(asyncio.all_tasks()) <= base_tasks
        assert _threads() <= base_threads
        live = [o for o in gc.get_objects() if isinstance(o, RTCPeerConnection) and o.connectionState != "closed"]
        assert not live, f"{len(live)} peer connections left open"
        return base_rss, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, server.slots.free

    before, after, free = asyncio.run(_with_server(models, profile, opts, body))
    assert after <= before * 1.05, f"RSS grew {before} → {after} KB"
    assert free == opts.max_sessions


def test_two_sessions_keep_separate_histories(models, profile, tmp_path):
    from assistant.bench import scenes

    a = scenes.quiet_query(0).save(tmp_path)  # "What is the capital of France?"
    b = scenes.quiet_query(5).save(tmp_path)  # "How many days are in a week?"
    opts = ServeOptions()

    async def body(server: DuplexServer, base: str) -> list[list[str]]:
        pa, sa, da = await _connect(base, opts.token, str(a))
        pb, sb, db = await _connect(base, opts.token, str(b))
        assert sa == sb == 200
        sessions = [server.sessions[da["session"]], server.sessions[db["session"]]]
        for _ in range(200):  # up to 20 s
            if all(s.core and any(t.role == "assistant" and t.text for t in s.core.conversation.turns) for s in sessions):
                break
            await asyncio.sleep(0.1)
        texts = [[t.text for t in s.core.conversation.turns if t.role == "user"] if s.core else [] for s in sessions]
        await pa.close()
        await pb.close()
        return texts

    ta, tb = asyncio.run(_with_server(models, profile, opts, body))
    assert ta and tb, f"both sessions should have heard their question: {ta} {tb}"
    assert any("France" in t or "capital" in t for t in ta) and not any("week" in t for t in ta)
    assert any("week" in t or "days" in t for t in tb) and not any("France" in t for t in tb)


def test_data_channel_messages_are_validated(models, profile):
    opts = ServeOptions()

    async def body(server: DuplexServer, base: str) -> list[dict[str, Any]]:
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        pc.addTransceiver("audio", direction="recvonly")
        dc = pc.createDataChannel("events")
        got: list[dict[str, Any]] = []
        dc.on("message", lambda m: got.append(json.loads(m)))
        await pc.setLocalDescription(await pc.createOffer())
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            r = await http.post(f"{base}/offer", json={"sdp": pc.localDescription.sdp, "type": "offer"},
                                headers={"Authorization": f"Bearer {opts.token}"})
            data = await r.json()
        await pc.setRemoteDescription(RTCSessionDescription(sdp=data["sdp"], type=data["type"]))
        for _ in range(100):
            if dc.readyState == "open":
                break
            await asyncio.sleep(0.05)
        for msg in ("not json", json.dumps({"type": "shell", "cmd": "rm"}), json.dumps({"type": "ping", "x": "y" * 4000}),
                    json.dumps({"type": "ping"})):
            dc.send(msg)
        for _ in range(100):
            if len(got) >= 4:
                break
            await asyncio.sleep(0.05)
        await pc.close()
        return got

    got = asyncio.run(_with_server(models, profile, opts, body))
    kinds = [g["type"] for g in got]
    assert kinds == ["error", "error", "error", "pong"], got
    assert "not JSON" in got[0]["message"] and "type must be" in got[1]["message"] and "larger" in got[2]["message"]
