"""The host API: a WebSocket server (the `websockets` package) a kiosk screen or a car's software talks to.

Out: every event of the session's bus as JSON (`{"type": "status", "state": "speaking", …}`,
`user_turn`, `reply_text`, `tool_call`, …), and `tool_request`s (`call` id, `name`, `arguments`) for the host's functions.
In: the commands of assistant/host/protocol.py, each answered `{"type": "ok", "command": …}` or
`{"type": "error", "message": …}`. `GET /healthz` answers the daemon's health as JSON.

Loopback and a token by default: a connection without the token (`Authorization: Bearer …` or
`?token=…`) is refused with HTTP 401 before it opens; a message over `max_message_bytes` closes
the connection with code 1009; neither touches the session. A host's functions go when it does.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from assistant.core.duplex import DuplexCore
from assistant.core.events import Event
from assistant.core.options import ProfileError
from assistant.host.protocol import Command, CommandError, parse
from assistant.tools.host import HostTool, HostToolError, ToolFailed

log = logging.getLogger(__name__)

OUTBOX_MESSAGES = 2000  # events queued for a slow host before the oldest are dropped (it is told how many)


@dataclass(frozen=True)
class HostApiOptions:
    host: str = "127.0.0.1"  # loopback: only software on this device may connect
    port: int = 8765
    token: str = ""  # required from every host ("" = a random one, see HostApi.token)
    max_message_bytes: int = 64 * 1024  # a larger message closes its connection (1009)


Health = Callable[[], dict[str, Any]]


class _Host:
    """One connected host: its outbox, its functions and the calls it has not answered yet."""

    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.outbox: asyncio.Queue[str] = asyncio.Queue(OUTBOX_MESSAGES)
        self.dropped = 0
        self.tools: set[str] = set()
        self.calls: dict[str, Future[Any]] = {}

    def post(self, text: str) -> None:
        if self.outbox.full():
            self.outbox.get_nowait()
            self.dropped += 1
        self.outbox.put_nowait(text)


class HostApi:
    def __init__(self, core: DuplexCore, options: HostApiOptions = HostApiOptions(), health: Health | None = None,
                 switch: Callable[[str], None] | None = None) -> None:
        self.core, self.options = core, options  # (`core` is replaced when the profile is switched)
        self.switch = switch  # go on with another profile (raises ProfileError)
        self.token = options.token or secrets.token_urlsafe(24)
        self.health = health or (lambda: {"ok": True})
        self.hosts: dict[_Host, None] = {}  # connected hosts, oldest first
        self._server: Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        core.bus.subscribe(self._on_event)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1]) if self._server.sockets else self.options.port

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._server = await serve(self._serve, self.options.host, self.options.port,
                                   process_request=self._http, max_size=self.options.max_message_bytes)
        log.info("host API on ws://%s:%d (token required)", self.options.host, self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    # -- HTTP before the upgrade: /healthz, and the token --
    def _http(self, conn: ServerConnection, request: Request) -> Response | None:
        path = urlsplit(request.path).path
        if path == "/healthz":
            body = json.dumps({**self.health(), "hosts": len(self.hosts), "status": self.core.status[0]}).encode()
            return Response(200, "OK", Headers([("Content-Type", "application/json"),
                                                ("Content-Length", str(len(body)))]), body)
        if not self._authorised(request):
            log.warning("host API: refused a connection without the right token")
            return conn.respond(HTTPStatus.UNAUTHORIZED, "wrong or missing token\n")
        return None

    def _authorised(self, request: Request) -> bool:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not given:
            given = (parse_qs(urlsplit(request.path).query).get("token") or [""])[0]
        return hmac.compare_digest(given.encode(), self.token.encode())

    # -- a host's connection --
    async def _serve(self, ws: ServerConnection) -> None:
        host = _Host(ws)
        self.hosts[host] = None
        sender = asyncio.create_task(self._send(host))
        host.post(json.dumps({"type": "hello", "status": self.core.status[0], "commands": "see assistant/host/protocol.py"}))
        try:
            async for raw in ws:
                self._command(host, raw)
        except ConnectionClosed as e:
            log.info("host API: a host left (%s)", e.rcvd.code if e.rcvd else "no close frame")
        finally:
            self.hosts.pop(host, None)
            sender.cancel()
            for name in host.tools:
                self.core.answers.tools.unregister_host(name)
            for fut in host.calls.values():
                if not fut.done():
                    fut.set_exception(ToolFailed("the host that offers it is gone"))

    async def _send(self, host: _Host) -> None:
        try:
            while True:
                text = await host.outbox.get()
                if host.dropped:
                    await host.ws.send(json.dumps({"type": "dropped", "events": host.dropped}))
                    host.dropped = 0
                await host.ws.send(text)
        except ConnectionClosed:
            pass

    def _on_event(self, e: Event) -> None:
        if self.hosts:
            text = json.dumps(e.to_dict(), default=str)
            for host in list(self.hosts):
                host.post(text)

    def _command(self, host: _Host, raw: str | bytes) -> None:
        try:
            cmd = parse(raw)
            extra = self._run(host, cmd)
        except (CommandError, HostToolError) as e:
            host.post(json.dumps({"type": "error", "message": str(e)}))
            return
        host.post(json.dumps({"type": "ok", "command": cmd.type, "id": cmd.id, **extra}))

    def _run(self, host: _Host, cmd: Command) -> dict[str, Any]:
        core = self.core
        match cmd.type:
            case "mute":
                core.mute(cmd.on)
            case "push_to_talk":
                core.push_to_talk(cmd.on)
            case "stop_speaking":
                core.stop_speaking()
            case "say":
                core.say(cmd.text)
            case "ask":
                core.ask(cmd.text)
            case "register_tool":
                assert cmd.parameters is not None
                core.answers.tools.register_host(HostTool(cmd.name, cmd.description, cmd.parameters,
                                                          self._caller(host, cmd.name, cmd.timeout_s)))
                host.tools.add(cmd.name)
            case "unregister_tool":
                if cmd.name not in host.tools:
                    raise CommandError(f"unregister_tool: {cmd.name!r} is not one of this host's functions")
                core.answers.tools.unregister_host(cmd.name)
                host.tools.discard(cmd.name)
            case "tool_result":
                fut = host.calls.pop(cmd.call, None)
                if fut is None:
                    raise CommandError(f"tool_result: no call {cmd.call!r} is waiting (answered, timed out or never made)")
                if cmd.error:
                    fut.set_exception(ToolFailed(cmd.error))
                else:
                    fut.set_result(cmd.result)
            case "set_profile":
                if self.switch is None:
                    raise CommandError("set_profile: this session cannot switch profiles")
                try:
                    self.switch(cmd.name)
                except ProfileError as e:
                    raise CommandError(f"set_profile: {e}") from None
            case "set_language":
                try:
                    core.set_language(cmd.language)
                except ValueError as e:
                    raise CommandError(f"set_language: {e}") from None
            case "enrol_speaker":
                if core.profile.policy.speaker_gate_log_odds <= 0:
                    raise CommandError("enrol_speaker: this profile gates on no speaker's voice "
                                       "([policy] speaker_gate_log_odds = 0)")
                core.enrol(cmd.name, cmd.seconds)
            case "status":
                return {"status": core.status[0], "detail": core.status[1], "health": self.health()}
        return {}

    def declare(self, tools: list[dict[str, Any]], timeout_s: float) -> None:
        """The profile's functions (`[host] tools`): offered from the start, run by the host connected
        longest when they are called. Each is checked like a registration (HostToolError)."""
        for spec in tools:
            name, params = str(spec.get("name")), spec.get("parameters")
            self.core.answers.tools.register_host(HostTool(name, str(spec.get("description", "")),
                                                           params if isinstance(params, dict) else {},
                                                           self._caller(None, name, timeout_s)))

    def _caller(self, owner: _Host | None, name: str, timeout_s: float) -> Callable[[dict[str, Any]], Any]:
        """The function the LLM's choice calls (in the LLM lane's thread): ask the host that offered
        it (`owner`; None: the host connected longest), wait for its answer."""
        def call(args: dict[str, Any]) -> Any:
            host = owner if owner is not None else next(iter(self.hosts), None)
            if host is None or host not in self.hosts or self._loop is None:
                raise ToolFailed("the host that offers it is gone" if owner else "no host is connected to do it")
            call_id = secrets.token_hex(6)
            fut: Future[Any] = Future()
            message = json.dumps({"type": "tool_request", "call": call_id, "name": name, "arguments": args})

            def send() -> None:  # (on the loop: the outbox is the loop's)
                host.calls[call_id] = fut
                host.post(message)
            self._loop.call_soon_threadsafe(send)
            try:
                return fut.result(timeout_s)
            except FutureTimeout:
                self._loop.call_soon_threadsafe(host.calls.pop, call_id, None)
                raise ToolFailed(f"no answer in {timeout_s:g} seconds") from None
        return call
