"""`assistant daemon`: the headless assistant of a kiosk or a car — the same core, started at boot.

Mic (or a replayed recording) → the core → the speaker (or nothing, headless), with the audio input
under a watchdog (assistant/host/watchdog.py), the host API (assistant/host/api.py) and `/healthz`
on one loopback port, logs on stdout (journald keeps them under systemd), and systemd's
notify protocol (READY, a WATCHDOG ping per WATCHDOG_PING_S) when NOTIFY_SOCKET is set. Nothing is
recorded unless `record_wav` says where.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil

from assistant.core.clock import Clock
from assistant.core.duplex import DuplexCore
from assistant.core.events import Bus, Error, Event
from assistant.core.loop import open_core, paced_file_frames, run_loop
from assistant.core.options import Profile, ProfileError, load_profile
from assistant.core.runtime import Models, load_knowledge
from assistant.host.api import HostApi, HostApiOptions
from assistant.host.watchdog import AudioWatch, OpenSource, WatchdogOptions
from assistant.tools.host import HostToolError
from audio.frames import AudioFrame
from audio.sinks import WavRecorder
from audio.sources import FileSource, MicSource

log = logging.getLogger(__name__)

WATCHDOG_PING_S = 10.0  # s between systemd watchdog pings (the unit's WatchdogSec is 3× this)
QUIET_EVENTS = frozenset({"reply_audio", "reply_progress", "state_token"})  # too many to log each one
TOKEN_FILE = Path("~/.config/duplex/host-token")  # the host API token, made on first start (mode 0600)
LOOP_STOP_S = 5.0  # s a session's loop may take to end after its cancel before the daemon gives up on it


@dataclass(frozen=True)
class DaemonOptions:
    api: HostApiOptions | None = field(default_factory=HostApiOptions)  # None: no WebSocket API (embedded in-process)
    input_device: str | None = None
    output_device: str | None = None  # None: the default speaker, if any (else headless: nothing plays)
    input_wav: str | None = None  # replay this recording instead of a mic (then silence)
    record_wav: str | None = None  # stream what the assistant says to this wav ("" / None: nothing recorded)
    watchdog: WatchdogOptions = field(default_factory=WatchdogOptions)


def host_token(path: Path = TOKEN_FILE) -> str:
    """DUPLEX_TOKEN, else the token kept in `path` (made on first use, readable by this user only)."""
    if tok := os.environ.get("DUPLEX_TOKEN", "").strip():
        return tok
    path = path.expanduser()
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(24) + "\n")
        log.info("made a host API token in %s", path)
    return path.read_text().strip()


def _notify(message: str) -> None:
    """systemd's sd_notify, without libsystemd: one datagram to NOTIFY_SOCKET (if we run under it)."""
    addr = os.environ.get("NOTIFY_SOCKET")
    if not addr:
        return
    if addr.startswith("@"):
        addr = "\0" + addr[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.sendto(message.encode(), addr)


def _event_logger(e: Event) -> None:
    if e.kind not in QUIET_EVENTS and not (e.kind == "segment" and not getattr(e, "final", True)):
        logging.getLogger("duplex.events").info(json.dumps(e.to_dict(), default=str))


def rss_mb() -> float:
    """Resident memory now (MB; ru_maxrss would be the peak, not now)."""
    return float(psutil.Process().memory_info().rss) / 1e6


def default_source(options: DaemonOptions) -> tuple[OpenSource, str]:
    """How the input is (re)opened, and its name for events and /healthz."""
    if options.input_wav:
        src = FileSource(options.input_wav)

        def replayed() -> AsyncIterator[AudioFrame]:
            clock = Clock()
            clock.start()
            return paced_file_frames(src, clock)
        return replayed, f"file:{options.input_wav}"
    mic = MicSource(options.input_device)  # fails now, in a second, if there is no such device
    return mic.frames, f"mic:{mic.device.name}"


class Daemon:
    """One session on the profile's models, for as long as the device runs."""

    def __init__(self, models: Models, profile: Profile, options: DaemonOptions, open_source: OpenSource,
                 device: str, write: Callable[[np.ndarray], None] | None = None) -> None:
        self.models, self.profile, self.options = models, profile, options
        self.bus = Bus()
        self.bus.subscribe(_event_logger)
        self.write = write
        self.timeline = WavRecorder(options.record_wav) if options.record_wav else None
        self.watch = AudioWatch(open_source, device, self.bus, lambda: self.core.now if self.core is not None else 0.0,
                                options.watchdog)
        self.api: HostApi | None = None
        self.core: DuplexCore | None = None
        self.started = time.monotonic()
        self.ready = asyncio.Event()  # the API listens and the core runs
        self._switched = asyncio.Event()  # the profile changed: the session ends, the next one opens

    def health(self) -> dict[str, object]:
        m = self.profile.models
        return {"ok": self.watch.state == "open", "profile": self.profile.name, "sessions": 1 if self.core else 0,
                "models": {"llm": m.llm if not m.remote_url else m.remote_url, "asr": "whisper tiny.en",
                           "tts": "piper joe", "monitor": m.monitor, "loaded": True},
                "audio": self.watch.health(), "uptime_s": round(time.monotonic() - self.started, 1),
                "rss_mb": round(rss_mb(), 1)}

    def _out(self, pcm: np.ndarray) -> None:
        if self.write is not None:
            self.write(pcm)
        if self.timeline is not None:
            self.timeline.write(pcm)

    async def run(self, stop: asyncio.Event) -> None:
        """Sessions on the profile until `stop`; a profile switch (`switch_profile`) ends one and opens
        the next on the same models, keeping the host's functions, enrolled voices and the mute."""
        pinger = asyncio.get_running_loop().create_task(self._ping())
        try:
            while not stop.is_set():
                self._switched = asyncio.Event()
                async with open_core(self.models, self.profile, self.bus) as core:
                    self._carry_over(self.core, core)
                    self.core = core
                    if self.api is None and self.options.api is not None:
                        self.api = HostApi(core, self.options.api, self.health, self.switch_profile)
                        await self.api.start()
                    elif self.api is not None:
                        self.api.core = core
                    if self.api is not None:
                        self._declare(self.api)
                    if not self.ready.is_set():
                        self.ready.set()
                        _notify("READY=1")
                    await self._serve(core, stop)
        finally:
            _notify("STOPPING=1")
            pinger.cancel()
            await asyncio.gather(pinger, return_exceptions=True)
            if self.api is not None:
                await self.api.close()
            if self.timeline is not None:
                self.timeline.close()

    async def _serve(self, core: DuplexCore, stop: asyncio.Event) -> None:
        """One session's loop until `stop` or a profile switch (its failure is raised)."""
        loop = asyncio.get_running_loop().create_task(run_loop(core, self.watch.frames(), self._out))
        ended = [asyncio.create_task(stop.wait()), asyncio.create_task(self._switched.wait())]
        try:
            await asyncio.wait([loop, *ended], return_when=asyncio.FIRST_COMPLETED)
            if loop.done() and loop.exception() is not None:
                raise loop.exception()  # type: ignore[misc]
        finally:
            for t in (loop, *ended):
                t.cancel()
            _, late = await asyncio.wait([loop, *ended], timeout=LOOP_STOP_S)
            if late:  # a task that swallows its cancel must not hold the daemon (nor the next session)
                log.error("the session's loop did not end within %.0f s of its cancel; going on without it", LOOP_STOP_S)
                self.bus.publish(Error(core.now, f"the session's loop did not end within {LOOP_STOP_S:.0f} s of its cancel"))

    def _declare(self, api: HostApi) -> None:
        """The profile's host functions ([host] tools); a bad file costs them, never the session."""
        try:
            api.declare(self.profile.host.declared(), self.profile.host.tool_timeout_s)
        except (ValueError, HostToolError) as e:
            log.error("[host] tools: %s", e)
            self.bus.publish(Error(self.core.now if self.core else 0.0, f"[host] tools: {e}"))

    @staticmethod
    def _carry_over(old: DuplexCore | None, new: DuplexCore) -> None:
        if old is None:
            return
        new.answers.tools = old.answers.tools
        new.controls.speakers = old.controls.speakers
        new.controls.muted = old.controls.muted

    def switch_profile(self, name: str) -> None:
        """Go on with profile `name` (same models; raises ProfileError otherwise): the current session
        ends, its history with it, and the next opens at once."""
        profile = load_profile(name)
        if profile.models != self.profile.models or profile.language != self.profile.language:
            raise ProfileError(f"profile {name!r} runs other models ({profile.models.llm}, monitor {profile.models.monitor}): "
                               f"restart the daemon with --profile {name}")
        if profile.knowledge != self.profile.knowledge:
            self.models = dataclasses.replace(self.models, knowledge=load_knowledge(profile))
        log.info("profile %s → %s", self.profile.name, profile.name)
        self.profile = profile
        self._switched.set()

    async def _ping(self) -> None:
        while True:
            _notify("WATCHDOG=1")
            await asyncio.sleep(WATCHDOG_PING_S)


async def serve_forever(profile: Profile, options: DaemonOptions, headless: bool) -> int:
    """The daemon's life: open the edges, load the models, run until SIGTERM / SIGINT."""
    import signal

    from assistant.core.runtime import load_models
    from audio.devices import NoAudioDeviceError
    from audio.sinks import SpeakerSink

    open_source, device = default_source(options)
    speaker: SpeakerSink | None = None
    if not headless:
        try:
            speaker = SpeakerSink(options.output_device)
        except NoAudioDeviceError as e:
            if options.output_device:
                raise
            log.warning("%s: running headless (nothing plays)", e)
    models = load_models(profile)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    daemon = Daemon(models, profile, options, open_source, device, speaker.write if speaker else None)
    try:
        await daemon.run(stop)
    finally:
        if speaker is not None:
            speaker.close()
        models.close()
    return 0
