"""`SessionHost`: the Ray Serve deployment hosting duplex sessions, one replica per worker node.

A replica loads the models once (Whisper, Piper, the monitor's state reading; the LLM is the shared
service behind the router) and hosts up to `slots` sessions with the same `DuplexServer` as
`assistant serve`. Its node advertises `slots` of the session-slot resource and the replica claims
them all, so Ray places one replica per node. Serve's proxy forwards each WebSocket to a replica;
the replica itself answers "at capacity" (close 1013) when its slots are taken — Serve's queue
is no admission control for WebSockets. Media (WebRTC) goes directly between browser and replica.

No `from __future__ import annotations` here: FastAPI must see `WebSocket` itself on the handler
(as a string it takes `ws` for a query parameter and refuses every socket with 403).
"""


import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from aiortc import RTCIceServer
from fastapi import FastAPI, WebSocket
from fastapi.responses import FileResponse, JSONResponse, Response
from ray import serve

from assistant.cluster.raynode import LOOPBACK_HOSTS, keep_replica_on_loopback
from assistant.core.options import load_profile
from assistant.core.runtime import load_models
from web.guards import Rejected, origin_allowed, token_matches
from web.server import STATIC, DuplexServer, ServeOptions
from web.signalling import CLOSE_POLICY, converse
from web.sockets import StarletteSocket

log = logging.getLogger(__name__)
api = FastAPI()
STATIC_FILES = frozenset(p.name for p in Path(STATIC).iterdir() if p.is_file())


@serve.ingress(api)
class SessionHost:
    def __init__(self, config: dict[str, Any]) -> None:
        logging.basicConfig(level=logging.INFO)
        if config["ice_host"] in LOOPBACK_HOSTS:
            keep_replica_on_loopback()
        base = load_profile(config["profile"])
        models_opts = replace(base.models, remote_url=config["router_url"], threads=config["threads"])
        self.profile = replace(base, models=models_opts)
        turn = config.get("turn") or []
        self.options = ServeOptions(host=config["ice_host"], port=config["http_port"], token=config["token"],
                                    max_sessions=config["slots"], allowed_origins=tuple(config["origins"]),
                                    ice_servers=(RTCIceServer(*turn),) if turn else ())
        self.models = load_models(self.profile, quiet=True, sessions=config["slots"])
        self.server = DuplexServer(self.models, self.profile, self.options)
        self.server.ready.set()  # nothing to warm: the LLM servers cache prefixes themselves
        self.node = f"{os.uname().nodename}:{os.getpid()}"
        log.info("session host %s ready: %d slots", self.node, config["slots"])

    @api.get("/")
    def index(self) -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @api.get("/static/{name}")
    def static(self, name: str) -> Response:
        if name not in STATIC_FILES:
            return JSONResponse({"error": "not found"}, status_code=404)
        return FileResponse(STATIC / name)

    @api.get("/readyz")
    def readyz(self) -> JSONResponse:
        free = self.server.slots.free
        return JSONResponse({"ready": free > 0, "node": self.node, "free": free, "sessions": len(self.server.sessions)},
                            status_code=200 if free else 503)

    @api.websocket("/session")
    async def session(self, ws: WebSocket) -> None:
        self.server.start_reaper()
        await ws.accept()
        try:
            self._check(ws)
        except Rejected as e:  # said on the socket, so a client knows why (a refused handshake says only 403)
            log.warning("session refused: %s", e.reason)
            await ws.send_json({"type": "error", "code": "unauthorized", "message": e.reason})
            await ws.close(code=CLOSE_POLICY, reason=e.reason)
            return
        await converse(StarletteSocket(ws), self.server, node=self.node)

    def _check(self, ws: WebSocket) -> None:
        """The token (query `token`) and, from a browser, the Origin: as `assistant serve` checks them."""
        token_matches(ws.query_params.get("token", ""), self.options.token)
        origin_allowed(ws.headers.get("origin"), self.options.origins())


def deployment(config: dict[str, Any], replicas: int) -> Any:
    """The bound application: `replicas` hosts, each claiming all of one node's session slots."""
    from assistant.cluster.layout import SLOT_RESOURCE

    d = serve.deployment(SessionHost, name="SessionHost", num_replicas=replicas,
                         max_ongoing_requests=config["slots"] * 4 + 8,  # sockets + page loads; admission is ours
                         health_check_period_s=2, health_check_timeout_s=10,
                         ray_actor_options={"num_cpus": 0, "resources": {SLOT_RESOURCE: config["slots"]}})
    return d.bind(config)
