"""`from assistant import Duplex`: the daemon's session inside a host's own Python process.

    async with Duplex("cockpit", input_wav="drive.wav", headless=True) as duplex:
        duplex.on_event(lambda e: print(e.to_dict()))
        duplex.register_tool("set_temperature", "Set the cabin temperature.",
                             {"type": "object", "properties": {"celsius": {"type": "number"}},
                              "required": ["celsius"]},
                             lambda args: f"Cabin set to {args['celsius']} degrees.")
        await duplex.wait()  # until duplex.stop() (or Ctrl-C)

The same core, watchdog and functions as `assistant daemon`; the WebSocket host API is optional
(`api=True`). A function runs in the LLM's worker thread: it returns what to say (a sentence, or
{"say": …}, or anything else for "Done: …") and raises `ToolFailed` to have its failure said.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from assistant.core.events import Event
from assistant.core.options import Profile, load_profile
from assistant.core.runtime import Models, load_models
from assistant.host.api import HostApiOptions
from assistant.host.daemon import Daemon, DaemonOptions, default_source
from assistant.tools.host import HostTool


class Duplex:
    def __init__(self, profile: str | Profile = "embedded", *, input_wav: str | None = None,
                 input_device: str | None = None, output_device: str | None = None, headless: bool = False,
                 api: HostApiOptions | None = None, models: Models | None = None) -> None:
        self.profile = load_profile(profile) if isinstance(profile, str) else profile
        self.options = DaemonOptions(api, input_device, output_device, input_wav)
        self.headless, self._models, self._own_models = headless, models, models is None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._speaker: Any = None
        self.daemon: Daemon | None = None

    async def __aenter__(self) -> Duplex:
        open_source, device = default_source(self.options)  # a missing device fails before the models load
        if not self.headless:
            from audio.sinks import SpeakerSink

            self._speaker = SpeakerSink(self.options.output_device)
        if self._models is None:
            self._models = await asyncio.to_thread(load_models, self.profile)
        self.daemon = Daemon(self._models, self.profile, self.options, open_source, device,
                             self._speaker.write if self._speaker else None)
        self._task = asyncio.create_task(self.daemon.run(self._stop))
        await asyncio.wait([self._task, asyncio.create_task(self.daemon.ready.wait())],
                           return_when=asyncio.FIRST_COMPLETED)
        if self._task.done():
            self._task.result()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        if self._speaker is not None:
            self._speaker.close()
        if self._own_models and self._models is not None:
            self._models.close()

    @property
    def _core(self) -> Any:
        assert self.daemon is not None and self.daemon.core is not None, "use `async with Duplex(...)`"
        return self.daemon.core

    def on_event(self, fn: Callable[[Event], None]) -> None:
        """`fn` is called (on the event loop) with every event the session publishes."""
        self._core.bus.subscribe(fn)

    def register_tool(self, name: str, description: str, parameters: dict[str, Any],
                      fn: Callable[[dict[str, Any]], Any]) -> None:
        self._core.answers.tools.register_host(HostTool(name, description, parameters, fn))

    def ask(self, text: str) -> None:
        self._core.ask(text)

    def say(self, text: str) -> None:
        self._core.say(text)

    def stop_speaking(self) -> None:
        self._core.stop_speaking()

    def mute(self, on: bool = True) -> None:
        self._core.mute(on)

    def push_to_talk(self, on: bool) -> None:
        self._core.push_to_talk(on)

    def enrol(self, name: str, seconds: float = 6.0) -> None:
        """The next `seconds` of speech are `name`'s voice (the profile's speaker gate serves only enrolled voices)."""
        self._core.enrol(name, seconds)

    @property
    def status(self) -> str:
        return str(self._core.status[0])

    def health(self) -> dict[str, object]:
        assert self.daemon is not None
        return self.daemon.health()

    async def wait(self) -> None:
        """Until `stop()` (or the session fails: then its error is raised here)."""
        if self._task is not None:
            await self._task

    def stop(self) -> None:
        self._stop.set()
