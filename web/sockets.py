"""The session socket (web/signalling.py `Socket`) over aiohttp's and Starlette's WebSockets."""

from __future__ import annotations

from typing import Any

from aiohttp import WSMsgType, web


class AiohttpSocket:
    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws

    async def send_text(self, text: str) -> None:
        if not self.ws.closed:
            await self.ws.send_str(text)

    async def receive_text(self) -> str | None:
        msg = await self.ws.receive()
        if msg.type == WSMsgType.TEXT:
            return str(msg.data)
        if msg.type == WSMsgType.BINARY:
            return ""  # not JSON text: the caller answers with an error
        return None  # close, closing, error

    async def close(self, code: int, reason: str) -> None:
        await self.ws.close(code=code, message=reason.encode())


class StarletteSocket:
    """Starlette's WebSocket (FastAPI, Ray Serve ingress); imported lazily, only in the cluster."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    async def send_text(self, text: str) -> None:
        await self.ws.send_text(text)

    async def receive_text(self) -> str | None:
        msg = await self.ws.receive()
        if msg["type"] == "websocket.disconnect":
            return None
        return msg.get("text") if msg.get("text") is not None else ""

    async def close(self, code: int, reason: str) -> None:
        await self.ws.close(code=code, reason=reason)
