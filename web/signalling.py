"""One WebSocket per session: offer, answer, trickled ICE candidates and the session's events.

The socket is the session's lifeline. Its slot is taken when the socket opens (no free slot: an
`at_capacity` error and close 1013, at once), a heartbeat goes out every `HEARTBEAT_S`, and its
close ends the session and gives the slot back. A client that sees the socket close, or hears no
heartbeat for `LOST_AFTER_S`, has lost the session and may reconnect. No load balancer needs
stickiness: everything of a session travels on this one connection to the process hosting it.

The same loop runs behind aiohttp (`assistant serve`) and Starlette (Ray Serve replicas): each
adapts its WebSocket to `Socket`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiortc import RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

from web.guards import MAX_SDP_BYTES, Rejected, check_sdp, parse_typed
from web.session import Session

log = logging.getLogger(__name__)
HEARTBEAT_S = 1.0  # s between heartbeats
LOST_AFTER_S = 3.0  # s without a heartbeat after which a client treats the session as lost
MAX_SIGNAL_BYTES = MAX_SDP_BYTES + 1024  # bytes of one message (an offer is the largest)
SIGNAL_TYPES = frozenset({"offer", "candidate", "ping", "hello", "set_language", "bye"})
CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008  # wrong token or origin
CLOSE_AT_CAPACITY = 1013  # "try again later"


class Socket(Protocol):
    async def send_text(self, text: str) -> None: ...

    async def receive_text(self) -> str | None: ...  # None once the peer has gone

    async def close(self, code: int, reason: str) -> None: ...


class Host(Protocol):
    """What hosts sessions: `DuplexServer` in one process, or a Ray Serve replica wrapping one."""

    @property
    def capacity(self) -> int: ...

    @property
    def ice_servers(self) -> list[dict[str, str]]: ...  # STUN/TURN for the client's peer connection

    def take_slots(self) -> tuple[int, int] | None: ...

    def give_slots(self, slots: tuple[int, int]) -> None: ...

    async def open_session(self, offer: RTCSessionDescription, slots: tuple[int, int],
                           out: Callable[[str], None]) -> tuple[Session, dict[str, str]]: ...

    async def close(self, sid: str) -> None: ...


def parse_signal(text: str | None) -> dict[str, Any]:
    """One client message: JSON text, bounded, of a known type; an offer or candidate well formed."""
    data = parse_typed(text, MAX_SIGNAL_BYTES, SIGNAL_TYPES, "signalling message")
    if data["type"] == "offer":
        check_sdp(data.get("sdp"))
    if data["type"] == "candidate" and data.get("candidate") and not isinstance(data["candidate"], str):
        raise Rejected(400, "candidate must be a string (an a=candidate line)")
    return data


@dataclass
class _Line:
    """The socket's sending side: one writer task, so messages from the bus, the engine's usage
    reports and the heartbeat never interleave on the wire."""

    sock: Socket
    queue: asyncio.Queue[str | None]

    def put(self, text: str) -> None:
        self.queue.put_nowait(text)

    async def run(self) -> None:
        while (text := await self.queue.get()) is not None:
            await self.sock.send_text(text)


async def _heartbeat(line: _Line, session: Callable[[], Session | None], sock: Socket) -> None:
    """A heartbeat every `HEARTBEAT_S`; a session the host closed (idle, its peer connection failed)
    closes the socket too, so the client learns it at once."""
    while True:
        s = session()
        if s is not None and s.closed:
            await _quietly(sock.close(CLOSE_NORMAL, "session ended by the host"))
            return
        line.put(json.dumps({"type": "heartbeat", "session": s.id if s else ""}))
        await asyncio.sleep(HEARTBEAT_S)


async def converse(sock: Socket, host: Host, node: str = "") -> None:
    """Run one session over `sock` until either side ends it. `node` names the process in `welcome`."""
    slots = host.take_slots()
    if slots is None:
        msg = f"at capacity ({host.capacity} sessions here): try again later"
        await sock.send_text(json.dumps({"type": "error", "code": "at_capacity", "message": msg}))
        await sock.close(CLOSE_AT_CAPACITY, "at capacity")
        return
    line = _Line(sock, asyncio.Queue())
    session: Session | None = None
    writer = asyncio.get_running_loop().create_task(line.run())
    beat = asyncio.get_running_loop().create_task(_heartbeat(line, lambda: session, sock))
    line.put(json.dumps({"type": "welcome", "node": node, "capacity": host.capacity, "ice_servers": host.ice_servers}))
    try:
        while (text := await sock.receive_text()) is not None:
            try:
                data = parse_signal(text)
            except Rejected as e:
                line.put(json.dumps({"type": "error", "message": e.reason}))
                continue
            kind = data["type"]
            if kind == "bye":
                break
            if kind == "offer":
                if session is not None:
                    line.put(json.dumps({"type": "error", "message": "offer: this socket already has a session"}))
                    continue
                try:
                    session, answer = await host.open_session(RTCSessionDescription(sdp=data["sdp"], type="offer"),
                                                              slots, line.put)
                except Rejected as e:
                    line.put(json.dumps({"type": "error", "message": e.reason}))
                    continue
                line.put(json.dumps({"type": "answer", **answer}))
            elif kind == "candidate":
                await _add_candidate(session, data, line)
            elif session is not None:
                session.on_message(text)
            elif kind == "ping":
                line.put(json.dumps({"type": "pong", "t": 0.0}))
    except Exception:  # the peer vanished mid-read, or a bug: the session ends, the host goes on
        log.exception("session socket")
    finally:
        beat.cancel()
        if session is not None:
            await host.close(session.id)  # gives the slots back
        else:
            host.give_slots(slots)
        line.queue.put_nowait(None)
        await asyncio.gather(writer, beat, return_exceptions=True)
        await _quietly(sock.close(CLOSE_NORMAL, "session ended"))


async def _add_candidate(session: Session | None, data: dict[str, Any], line: _Line) -> None:
    """A trickled candidate from the client (`null`/empty: end of candidates)."""
    if session is None:
        line.put(json.dumps({"type": "error", "message": "candidate before offer"}))
        return
    raw = data.get("candidate") or ""
    if not raw:
        return
    try:
        cand = candidate_from_sdp(raw.removeprefix("candidate:").strip())
        cand.sdpMid = data.get("sdpMid")
        cand.sdpMLineIndex = data.get("sdpMLineIndex")
        await session.pc.addIceCandidate(cand)
    except Exception as e:  # aiortc raises several types on a malformed line
        line.put(json.dumps({"type": "error", "message": f"candidate rejected: {e}"}))


async def _quietly(aw: Awaitable[Any]) -> None:
    try:
        await aw
    except Exception as e:  # already closed by the peer
        log.debug("close: %s", e)
