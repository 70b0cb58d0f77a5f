"""`assistant serve`: aiohttp serves the page; aiortc carries mic + camera in and the answer out.

One handler for `POST /offer`, guarded (token, origin, size, shape), a session manager with a
capacity and an idle timeout, and nothing recorded. Each session runs the same duplex core as
the CLI.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aioice.ice
from aiohttp import web
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription

from assistant.core.options import Profile
from assistant.core.replicas import SlotPool
from assistant.core.runtime import Models
from web.guards import MAX_SDP_BYTES, Rejected, check_origin, check_token, read_offer
from web.session import Session
from web.signalling import MAX_SIGNAL_BYTES, converse
from web.sockets import AiohttpSocket

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
REAP_EVERY_S = 0.5  # s between idle checks


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"  # bind address; loopback unless told otherwise
    port: int = 8080
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))  # required by /offer
    allowed_origins: tuple[str, ...] = ()  # extra allowed Origins; the server's own is always allowed
    max_sessions: int = 2  # concurrent sessions; more → 503
    idle_timeout_s: float = 120.0  # s without mic audio or messages before a session is closed
    max_sdp_bytes: int = MAX_SDP_BYTES
    ice_servers: tuple[RTCIceServer, ...] = ()  # STUN/TURN for peers beyond the LAN (e.g. coturn); none on loopback

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/?token={self.token}"

    def origins(self, port: int | None = None) -> frozenset[str]:
        """The page's own origin(s) on the port actually bound, plus the allow-list."""
        port = port or self.port
        hosts = {self.host} | ({"127.0.0.1", "localhost"} if self.host in ("127.0.0.1", "localhost") else set())
        return frozenset({f"http://{h}:{port}" for h in hosts} | set(self.allowed_origins))


def _loopback_addresses(use_ipv4: bool = True, use_ipv6: bool = False) -> list[str]:
    return ["127.0.0.1"]


def _loopback_only() -> None:
    """On a loopback-bound server, offer only 127.0.0.1 ICE candidates (no LAN addresses leak)."""
    aioice.ice.get_host_addresses = _loopback_addresses


class DuplexServer:
    def __init__(self, models: Models, profile: Profile, options: ServeOptions) -> None:
        self.models = models
        self.profile = profile
        self.options = options
        self.sessions: dict[str, Session] = {}
        self.slots = SlotPool(options.max_sessions)
        self.ready = asyncio.Event()  # the slots are warm: sessions can be taken
        self._reaper: asyncio.Task[None] | None = None
        if options.host in ("127.0.0.1", "localhost"):
            _loopback_only()

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self.options.max_sdp_bytes + 1024)
        app.router.add_get("/", self.index)
        app.router.add_post("/offer", self.offer)
        app.router.add_get("/session", self.socket)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_static("/static/", STATIC)
        app.on_startup.append(self._on_startup)
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def index(self, _request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def readyz(self, _request: web.Request) -> web.Response:
        """Readiness probe: 200 when a session can be taken now, 503 (with the reason) when not."""
        free = self.slots.free
        ready = self.ready.is_set() and free > 0
        reason = "" if ready else ("warming up" if not self.ready.is_set() else "at capacity")
        return web.json_response({"ready": ready, "reason": reason, "sessions": len(self.sessions), "free": free},
                                 status=200 if ready else 503)

    async def offer(self, request: web.Request) -> web.Response:
        try:
            check_token(request, self.options.token)
            check_origin(request, self.options.origins(request.url.port))
            sdp, kind = await read_offer(request, self.options.max_sdp_bytes)
            if not self.ready.is_set():
                raise Rejected(503, "warming up: try again in a few seconds")
            slots = self.take_slots()
            if slots is None:
                raise Rejected(503, f"at capacity ({self.options.max_sessions} sessions)")
            _s, answer = await self.open_session(RTCSessionDescription(sdp=sdp, type=kind), slots)
        except Rejected as e:
            return web.json_response({"error": e.reason}, status=e.status)
        return web.json_response(answer)

    async def socket(self, request: web.Request) -> web.StreamResponse:
        """`GET /session` upgraded to a WebSocket: the session's one connection (web/signalling.py)."""
        try:
            check_token(request, self.options.token)
            check_origin(request, self.options.origins(request.url.port))
            if not self.ready.is_set():
                raise Rejected(503, "warming up: try again in a few seconds")
        except Rejected as e:
            return web.json_response({"error": e.reason}, status=e.status)
        ws = web.WebSocketResponse(max_msg_size=MAX_SIGNAL_BYTES)
        await ws.prepare(request)
        await converse(AiohttpSocket(ws), self, node=f"{self.options.host}:{request.url.port}")
        return ws

    @property
    def capacity(self) -> int:
        return self.options.max_sessions

    @property
    def ice_servers(self) -> list[dict[str, str]]:
        return [{k: v for k, v in (("urls", str(s.urls)), ("username", s.username or ""), ("credential", str(s.credential or "")))
                 if v} for s in self.options.ice_servers]

    def take_slots(self) -> tuple[int, int] | None:
        return self.slots.take()

    def give_slots(self, slots: tuple[int, int]) -> None:
        self.slots.give(slots)

    async def open_session(self, offer: RTCSessionDescription, slots: tuple[int, int],
                           out: Callable[[str], None] | None = None) -> tuple[Session, dict[str, str]]:
        """A session on `slots` (taken by the caller) answering `offer`; its messages go to `out`, or
        to the page's data channel when it opens one."""
        pc = RTCPeerConnection(RTCConfiguration(iceServers=list(self.options.ice_servers)))
        s = Session(uuid.uuid4().hex[:8], pc, slots, self.models, self.profile, out=out)
        self.sessions[s.id] = s

        @pc.on("datachannel")
        def on_datachannel(channel: Any) -> None:
            if s.out is None:
                s.out = lambda text: channel.send(text) if channel.readyState == "open" else None
            channel.on("message", s.on_message)

        @pc.on("track")
        def on_track(track: object) -> None:
            kind = getattr(track, "kind", "")
            if kind == "video":
                s.want_camera()
            s.spawn(s.run_audio(track) if kind == "audio" else s.run_video(track))

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            if pc.connectionState in ("failed", "closed"):
                await self.close(s.id)

        try:
            await pc.setRemoteDescription(offer)
            for t in pc.getTransceivers():
                if t.kind == "audio":
                    pc.addTrack(s.reply)
                    break
            await pc.setLocalDescription(await pc.createAnswer())
        except Exception as e:  # aiortc raises many types on a bad SDP
            await self.close(s.id)
            raise Rejected(400, f"sdp rejected: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
        return s, {"sdp": pc.localDescription.sdp, "type": pc.localDescription.type, "session": s.id}

    def start_reaper(self) -> None:
        """Close idle sessions from now on (on the running loop)."""
        if self._reaper is None:
            self._reaper = asyncio.get_running_loop().create_task(self._reap())

    async def close(self, sid: str) -> None:
        s = self.sessions.pop(sid, None)
        if s is None:
            return
        await s.close()
        self.slots.give(s.slots)

    async def _reap(self) -> None:
        while True:
            await asyncio.sleep(REAP_EVERY_S)
            now = time.monotonic()
            for sid, s in list(self.sessions.items()):
                if now - s.last_activity > self.options.idle_timeout_s:
                    await self.close(sid)

    async def warm(self) -> None:
        """Prefill every session's slots with the system prompt, once; then sessions are taken."""
        await asyncio.get_running_loop().run_in_executor(None, self.slots.warm, self.models.engine, self.models.lm_judge)
        self.ready.set()

    async def _on_startup(self, _app: web.Application) -> None:
        self.start_reaper()

    async def _on_shutdown(self, _app: web.Application) -> None:
        if self._reaper:
            self._reaper.cancel()
        for sid in list(self.sessions):
            await self.close(sid)


async def serve_async(models: Models, profile: Profile, options: ServeOptions,
                      announce: Callable[[str], None] = lambda url: print(f"duplex is listening: {url}", flush=True)) -> None:
    """Bind, warm the slots (the readiness probe says 503 meanwhile), then announce the URL: a
    browser opened at once is never refused."""
    server = DuplexServer(models, profile, options)
    runner = web.AppRunner(server.app())
    await runner.setup()
    try:
        await web.TCPSite(runner, options.host, options.port).start()
        log.info("listening on %s:%d, warming %d session slots", options.host, options.port, options.max_sessions)
        await server.warm()
        announce(options.url)
        await asyncio.Event().wait()  # until cancelled (Ctrl-C)
    finally:
        await runner.cleanup()


def serve(models: Models, profile: Profile, options: ServeOptions) -> None:
    try:
        asyncio.run(serve_async(models, profile, options))
    except KeyboardInterrupt:
        pass
