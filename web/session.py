"""One browser tab = one session: its own peer connection, duplex core, history and KV-cache slots."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from aiortc import RTCPeerConnection

from assistant.core.duplex import DuplexCore
from assistant.core.events import Bus, Event, to_json
from assistant.core.loop import open_core, run_loop
from assistant.core.options import AudioOptions, Profile
from assistant.core.runtime import Models
from web.guards import Rejected, parse_message
from web.tracks import ReplyTrack, camera_frames, latest_frames, mic_frames

log = logging.getLogger(__name__)


@dataclass
class Session:
    id: str
    pc: RTCPeerConnection
    slots: tuple[int, int]
    models: Models
    profile: Profile
    bus: Bus = field(default_factory=Bus)
    reply: ReplyTrack = field(default_factory=ReplyTrack)
    stats: dict[str, int] = field(default_factory=dict)
    core: DuplexCore | None = None  # from the first mic frame's arrival until the session closes
    camera: bool = False  # the tab sends its camera (and vision is loaded)
    out: Callable[[str], None] | None = None  # where its JSON messages go: the data channel or the WebSocket
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    last_activity: float = field(default_factory=time.monotonic)
    closed: bool = False

    def __post_init__(self) -> None:
        self.bus.subscribe(self._send)

    def spawn(self, coro: Any) -> None:
        t = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(t)
        t.add_done_callback(self.tasks.discard)

    def want_camera(self) -> None:
        """The tab sends its camera: the core sees, if vision is loaded. Before `run_audio` starts."""
        self.camera = self.models.vision is not None

    async def run_audio(self, track: Any) -> None:
        async def frames() -> Any:  # (read on while the session warms up; at most MIC_QUEUE_S waits for it)
            async for f in latest_frames(mic_frames(track, self.stats)):
                self.last_activity = time.monotonic()
                yield f

        try:
            # the browser cancels the echo itself (getUserMedia echoCancellation); a second canceller
            # here, with no echo left to learn, adapts on the user's words and adds to them
            profile = replace(self.profile, audio=AudioOptions(echo_canceller="none"))
            async with open_core(self._models(), profile, self.bus, self.slots, camera=self.camera) as core:
                self.core = core
                await run_loop(core, frames(), self.reply.push)
        except Exception as e:  # the session ends with a reason, the server goes on
            log.exception("session %s", self.id)
            self._raw({"type": "error", "t": self._now(), "message": f"session ended: {e}"})

    def _models(self) -> Models:
        """A shared LLM service sees this session by name (session-affine routing) and reports each
        completion (which server, how much of the prompt it had cached) as an `llm_usage` message."""
        for_session = getattr(self.models.engine, "for_session", None)
        if for_session is None:
            return self.models
        loop = asyncio.get_running_loop()

        def on_usage(u: Any) -> None:  # a models.llm.Usage, called on an engine thread
            msg = {"type": "llm_usage", "server": u.server, "prompt_tokens": u.prompt_tokens,
                   "cached_tokens": u.cached_tokens}
            loop.call_soon_threadsafe(lambda: self._raw({**msg, "t": self._now()}))

        return replace(self.models, engine=for_session(self.id, on_usage))

    async def run_video(self, track: Any) -> None:
        async for rgb in camera_frames(track, self.stats):
            if self.core is not None:
                self.core.on_video(self.core.now, rgb)

    def _now(self) -> float:
        return self.core.now if self.core is not None else 0.0

    def on_message(self, message: object) -> None:
        self.last_activity = time.monotonic()
        try:
            data = parse_message(message)
        except Rejected as e:
            self._raw({"type": "error", "t": self._now(), "message": e.reason})
            return
        if data["type"] == "ping":
            self._raw({"type": "pong", "t": self._now()})
        elif data["type"] == "set_language":
            if self.core is None:
                self._raw({"type": "error", "t": self._now(), "message": "set_language: the session has not started"})
                return
            try:
                self.core.set_language(str(data.get("language", "")))
            except ValueError as e:
                log.warning("session %s: %s", self.id, e)
                self._raw({"type": "error", "t": self._now(), "message": f"set_language: {e}"})

    def _send(self, ev: Event) -> None:
        if self.out is not None:
            self.out(to_json(ev))

    def _raw(self, d: dict[str, Any]) -> None:
        if self.out is not None:
            self.out(json.dumps(d))

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.reply.stop()
        await self.pc.close()
        for t in list(self.tasks):
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
