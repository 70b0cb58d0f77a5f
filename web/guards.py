"""Guards of the `/offer` endpoint: one function per rule, each raising `Rejected(status, reason)`."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

MAX_SDP_BYTES = 32 * 1024  # bytes of an offer body; a browser offer is ~3–8 KB


@dataclass
class Rejected(Exception):
    status: int
    reason: str


def check_token(request: web.Request, token: str) -> None:
    """`Authorization: Bearer T` or `?token=T`; wrong or missing → 401."""
    header = request.headers.get("Authorization", "")
    token_matches(header[7:] if header.startswith("Bearer ") else request.query.get("token", ""), token)


def token_matches(given: str, token: str) -> None:
    """The token a client gave (from any transport) against the session token → 401 if wrong or missing."""
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise Rejected(401, "missing or wrong session token")


def check_origin(request: web.Request, allowed: frozenset[str]) -> None:
    origin_allowed(request.headers.get("Origin"), allowed)


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> None:
    """A browser's Origin must be on the allow-list (default: the server's own origin) → else 403.

    Clients that send no Origin (not a browser, so no cross-site request) still need the token.
    """
    if origin is not None and origin not in allowed:
        raise Rejected(403, f"origin {origin} is not allowed")


async def read_offer(request: web.Request, max_bytes: int = MAX_SDP_BYTES) -> tuple[str, str]:
    """The offer's (sdp, type), or 400 with the reason."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise Rejected(400, f"offer larger than {max_bytes} bytes")
    body = await request.content.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise Rejected(400, f"offer larger than {max_bytes} bytes")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Rejected(400, "offer is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("sdp"), str) or data.get("type") != "offer":
        raise Rejected(400, 'offer must be {"sdp": "...", "type": "offer"}')
    return check_sdp(data["sdp"]), "offer"


def check_sdp(sdp: object) -> str:
    """An offer's SDP text, or 400 with the reason."""
    if not isinstance(sdp, str) or not sdp.startswith("v=0") or "\nm=" not in sdp:
        raise Rejected(400, "sdp is malformed (needs v=0 and at least one m= line)")
    if len(sdp.encode()) > MAX_SDP_BYTES:
        raise Rejected(400, f"offer larger than {MAX_SDP_BYTES} bytes")
    if "\nm=audio" not in sdp:
        raise Rejected(400, "sdp offers no audio")
    return sdp


MAX_MESSAGE_BYTES = 2048  # bytes of one data-channel message from the page
MESSAGE_TYPES = frozenset({"ping", "hello", "set_language"})


def parse_typed(message: object, max_bytes: int, types: frozenset[str], what: str) -> dict[str, Any]:
    """A client message: JSON text of at most `max_bytes`, an object whose `type` is one of `types`."""
    if not isinstance(message, str):
        raise Rejected(400, f"{what} must be text")
    if len(message.encode()) > max_bytes:
        raise Rejected(400, f"{what} larger than {max_bytes} bytes")
    try:
        data = json.loads(message)
    except json.JSONDecodeError:
        raise Rejected(400, f"{what} is not JSON") from None
    if not isinstance(data, dict) or data.get("type") not in types:
        raise Rejected(400, f"{what} type must be one of {sorted(types)}")
    return data


def parse_message(message: object) -> dict[str, Any]:
    """A data-channel message from the page: JSON text, small, of a known type."""
    return parse_typed(message, MAX_MESSAGE_BYTES, MESSAGE_TYPES, "data-channel message")
