"""A session client as a browser would be one: one WebSocket for signalling and events, aiortc for
media (a microphone track fed with speech on demand, the answer track measured).

Used by the cluster test and the load test; it speaks only to the URL it is given.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import numpy as np
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

from web.tracks import ReplyTrack

log = logging.getLogger(__name__)
SILENT_DBFS = -120.0
HEARD_DBFS = -45.0  # an answer track's peak above this was heard
QUIET_AFTER_S = 1.0  # s of a quiet answer track after which an answered turn is over
CONNECT_S = 10.0  # s for the socket's first message (welcome or at capacity)
ANSWER_S = 20.0  # s for the SDP answer


@dataclass
class Turn:
    """One question said into the session and what came back."""

    said_at: float  # monotonic s the question's audio ended
    user_turn: float | None = None  # s the `user_turn` event arrived
    first_audio: float | None = None  # s the answer's first loud frame arrived
    done: float | None = None  # s the `reply_done` event arrived
    peak_dbfs: float = SILENT_DBFS  # the answer track's peak while this turn was open
    began: float = 0.0  # monotonic s the question's audio began (an answer drafted at a pause may come before its end)

    @property
    def voice_to_voice_s(self) -> float | None:
        return None if self.first_audio is None else self.first_audio - self.said_at

    @property
    def answered(self) -> bool:
        return bool(self.user_turn is not None and self.done is not None and self.peak_dbfs > HEARD_DBFS)


@dataclass
class SessionClient:
    url: str  # ws://host:port/session?token=…
    events: list[dict[str, Any]] = field(default_factory=list)
    node: str = ""  # the host that took the session (from `welcome`)
    refused: str = ""  # "at_capacity" or another refusal, if the host said so
    refused_after_s: float | None = None
    lost_at: float | None = None  # monotonic s the socket closed or went silent, if it did
    turns: list[Turn] = field(default_factory=list)
    mic: ReplyTrack = field(default_factory=ReplyTrack)  # the same paced track the server answers with
    _http: aiohttp.ClientSession | None = None
    _ws: aiohttp.ClientWebSocketResponse | None = None
    _pc: RTCPeerConnection | None = None
    _tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    _answer: asyncio.Future[dict[str, Any]] | None = None
    _last_beat: float = 0.0
    _last_loud: float = 0.0  # monotonic s of the answer track's last loud frame

    async def connect(self) -> bool:
        """Open the socket; True when a host took the session, False when it was refused."""
        t0 = time.monotonic()
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(self.url, heartbeat=None)
        async with asyncio.timeout(CONNECT_S):
            first = await self._ws.receive()
        msg = json.loads(first.data) if first.type == aiohttp.WSMsgType.TEXT else {}
        if msg.get("type") != "welcome":
            self.refused = str(msg.get("code") or msg.get("message") or f"closed ({self._ws.close_code})")
            self.refused_after_s = time.monotonic() - t0
            await self.close()
            return False
        self.node = str(msg.get("node", ""))
        self._last_beat = time.monotonic()
        self._tasks.append(asyncio.get_running_loop().create_task(self._read()))
        return True

    async def start_media(self) -> None:
        """Offer a microphone (silent until `say`) and receive the answer track."""
        assert self._ws is not None
        pc = self._pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        pc.addTrack(self.mic)

        @pc.on("track")
        def on_track(track: Any) -> None:
            self._tasks.append(asyncio.get_running_loop().create_task(self._measure(track)))

        await pc.setLocalDescription(await pc.createOffer())
        self._answer = asyncio.get_running_loop().create_future()
        await self._ws.send_str(json.dumps({"type": "offer", "sdp": pc.localDescription.sdp}))
        async with asyncio.timeout(ANSWER_S):
            answer = await self._answer
        await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))

    async def say(self, pcm16k: np.ndarray) -> Turn:
        """Speak `pcm16k` into the session (real time); the returned turn fills in as the answer comes."""
        began = time.monotonic()
        self.mic.push(pcm16k.astype(np.float32))
        await asyncio.sleep(len(pcm16k) / 16000)
        turn = Turn(time.monotonic(), began=began)
        self.turns.append(turn)
        return turn

    async def wait_answer(self, turn: Turn, timeout_s: float) -> bool:
        """Until the turn is answered and its audio has finished playing here (`reply_done` comes
        when the answer is synthesised, before the track has played it: a next question said at
        once would talk over it)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.lost_at is None and not (
                turn.answered and time.monotonic() - self._last_loud > QUIET_AFTER_S):
            await asyncio.sleep(0.1)
        return turn.answered

    def usage(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("type") == "llm_usage"]

    async def _read(self) -> None:
        assert self._ws is not None
        async for m in self._ws:
            if m.type != aiohttp.WSMsgType.TEXT:
                break
            ev = json.loads(m.data)
            ev["_at"] = now = time.monotonic()
            if ev.get("type") == "heartbeat":
                self._last_beat = now
                continue
            self.events.append(ev)
            kind = ev.get("type")
            if kind == "answer" and self._answer is not None and not self._answer.done():
                self._answer.set_result(ev)
            turn = self.turns[-1] if self.turns else None
            if turn is not None and kind == "user_turn" and turn.user_turn is None:
                turn.user_turn = now
            if turn is not None and kind == "reply_done" and turn.user_turn is not None:
                turn.done = now
        self.lost_at = time.monotonic()

    async def _measure(self, track: Any) -> None:
        while True:
            try:
                frame = await track.recv()
            except Exception:  # the track ended with the session
                return
            x = frame.to_ndarray().astype(np.float32) / 32768.0
            peak = float(np.abs(x).max()) if x.size else 0.0
            db = float(20 * np.log10(peak)) if peak > 0 else SILENT_DBFS
            turn = self.turns[-1] if self.turns else None
            if turn is not None:
                turn.peak_dbfs = max(turn.peak_dbfs, db)
                if db > HEARD_DBFS:
                    self._last_loud = time.monotonic()
                if turn.first_audio is None and db > HEARD_DBFS:
                    turn.first_audio = time.monotonic()

    def silent_for(self) -> float:
        return time.monotonic() - self._last_beat

    async def close(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.mic.stop()
        if self._pc is not None:
            await self._pc.close()
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._http is not None:
            await self._http.close()
