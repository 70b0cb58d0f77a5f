"""The language model behind one small interface, with two real backends.

- `LocalEngine`: llama.cpp embedded through xllamacpp (the default; runs offline here).
- `RemoteEngine`: any OpenAI-compatible `/v1/completions` server (llama.cpp server, vLLM), so
  many sessions can share a GPU box.

Both take raw prompts (the caller renders the chat template) and offer two calls: `stream`
(text deltas until done or told to stop) and `next_token_probs` (the distribution over a few
candidate first tokens — how a replica's state token is read). `slot` pins a request to one
KV-cache slot, so each replica keeps its own cached context.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from httpx_sse import EventSource
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_fixed

from models.progress import step

TOP_LOGPROBS = 40  # candidates read from the model's first-token distribution
FLOOR_LOGPROB = -30.0  # log-probability given to a candidate outside the top list
log = logging.getLogger(__name__)


class EngineError(Exception):
    """The engine failed (remote unreachable, bad answer); one line for the user."""


OnText = Callable[[str], bool]  # called with each text delta; return True to stop generating


class Engine(Protocol):
    name: str

    def stream(self, prompt: str, *, slot: int, max_tokens: int, on_text: OnText,
               temperature: float = 0.3, stop: Sequence[str] = ()) -> str: ...

    def next_token_probs(self, prompt: str, *, slot: int, candidates: Sequence[str]) -> dict[str, float]: ...

    def complete_json(self, prompt: str, *, slot: int, schema: dict[str, Any], max_tokens: int) -> str: ...

    def close(self) -> None: ...


# llama.cpp threads sleep instead of spinning between graph steps (default poll level 50): on 2
# cores shared with Whisper, Piper and the monitor's LM state, spinning threads burn the core the
# others need (first token 0.166 -> 0.146 s alone; 8 tokens next to the LM state 0.48 -> 0.44 s).
# Their price: a server whose threads never ran hangs in its destructor (5 of 5 here, 0 of 5 at poll
# 50), so `close` runs one token first on a server that was never used (doctor loads and closes).
SPIN_POLL = 0


@dataclass(frozen=True)
class LocalEngineOptions:
    gguf: str  # path of the model file
    n_ctx: int = 4096  # tokens of context per slot
    threads: int = 2  # CPU threads for decoding and prompt processing
    slots: int = 2  # parallel KV-cache slots: one per replica


def _candidate_probs(top: list[tuple[str, float]], candidates: Sequence[str]) -> dict[str, float]:
    """Renormalise the first-token distribution over the candidates (log-probs in, probs out)."""
    lp = {c: FLOOR_LOGPROB for c in candidates}
    for tok, logprob in top:
        t = tok.strip()
        if t in lp:
            lp[t] = max(lp[t], logprob) if lp[t] != FLOOR_LOGPROB else logprob
    m = max(lp.values())
    z = sum(math.exp(v - m) for v in lp.values())
    return {c: math.exp(v - m) / z for c, v in lp.items()}


def _top_logprobs(choice: dict[str, Any]) -> list[tuple[str, float]]:
    """First-token top log-probs from llama.cpp's or OpenAI/vLLM's response format."""
    lp = choice.get("logprobs") or {}
    if "content" in lp and lp["content"]:  # llama.cpp
        return [(t["token"], float(t["logprob"])) for t in lp["content"][0].get("top_logprobs", [])]
    if lp.get("top_logprobs"):  # OpenAI legacy completions / vLLM
        return [(k, float(v)) for k, v in lp["top_logprobs"][0].items()]
    return []


class LocalEngine:
    def __init__(self, options: LocalEngineOptions, quiet: bool = False) -> None:
        import xllamacpp as xl

        p = xl.CommonParams()
        p.model.path = options.gguf
        p.n_ctx = options.n_ctx * options.slots
        p.n_parallel = options.slots
        p.cpuparams.n_threads = options.threads
        p.cpuparams_batch.n_threads = options.threads
        p.cpuparams.poll = p.cpuparams_batch.poll = SPIN_POLL
        p.warmup = False
        p.cache_prompt = True
        # xllamacpp always opens its HTTP listener (127.0.0.1, random port); lock it with a random key
        p.api_keys = [secrets.token_urlsafe(24)]
        p.verbosity = -1
        with step(f"loading LLM {options.gguf.rsplit('/', 1)[-1]} (llama.cpp, {options.threads} threads)",
                  quiet) as info:
            self._server = xl.Server(p)
        self.load_s = info["seconds"]
        self.name = "local"
        self.listening_address = str(self._server.listening_address)
        self.api_key = p.api_keys[0]

    def stream(self, prompt: str, *, slot: int, max_tokens: int, on_text: OnText,
               temperature: float = 0.3, stop: Sequence[str] = ()) -> str:
        parts: list[str] = []

        def cb(chunk: dict[str, Any]) -> bool:
            text = chunk.get("content") or (chunk.get("choices") or [{}])[0].get("text") or ""
            if text:
                parts.append(text)
                return bool(on_text(text))
            return False

        req = {"prompt": prompt, "n_predict": max_tokens, "stream": True, "id_slot": slot,
               "cache_prompt": True, "temperature": temperature, "stop": list(stop)}
        self._used = True
        res = self._server.handle_completions(req, cb)
        if isinstance(res, dict) and "error" in res:
            raise EngineError(f"LLM error: {res['error']}")
        return "".join(parts)

    def next_token_probs(self, prompt: str, *, slot: int, candidates: Sequence[str]) -> dict[str, float]:
        req = {"prompt": prompt, "n_predict": 1, "n_probs": TOP_LOGPROBS, "id_slot": slot,
               "cache_prompt": True, "temperature": 0.0}
        self._used = True
        res = self._server.handle_completions(req)
        if "error" in res:
            raise EngineError(f"LLM error: {res['error']}")
        return _candidate_probs(_top_logprobs(res["choices"][0]), candidates)

    def complete_json(self, prompt: str, *, slot: int, schema: dict[str, Any], max_tokens: int) -> str:
        """Greedy text constrained to `schema` (llama.cpp turns it into a grammar)."""
        req = {"prompt": prompt, "n_predict": max_tokens, "id_slot": slot, "cache_prompt": True,
               "temperature": 0.0, "json_schema": schema}
        self._used = True
        res = self._server.handle_completions(req)
        if "error" in res:
            raise EngineError(f"LLM error: {res['error']}")
        return str(res["choices"][0]["text"])

    def close(self) -> None:
        if not getattr(self, "_used", False):  # see SPIN_POLL: an idle server's threads must have run once
            self._server.handle_completions({"prompt": " ", "n_predict": 1, "cache_prompt": False})
        del self._server


@dataclass(frozen=True)
class RemoteEngineOptions:
    base_url: str  # e.g. http://gpu-box:8080 (the /v1 prefix is added)
    model: str = ""  # model name the server expects ("" = server default)
    api_key: str = ""  # sent as a Bearer token when set
    timeout_s: float = 30.0  # s per request
    # a server shared by many processes (behind a router): the per-process slot ids would collide,
    # so none is sent and the server picks the slot holding the longest matching prefix
    shared: bool = False


SESSION_HEADER = "x-session-id"  # vllm-router's consistent_hash / sticky policies key on it
RETRY_STATUS = 500  # a status at or above this is retried once (the router answers 500 for a dead server)
# s before that retry: vllm-router answers 500 at once for ~1.5–2 s after a server dies, then routes the
# session to a live one (measured here); an immediate retry would fail the same way and lose the turn
RETRY_AFTER_S = 2.5


@dataclass(frozen=True)
class Usage:
    """One completion as the server reported it: which server, how much of the prompt was cached."""

    server: str  # the answering server's model name (each cluster server carries its own alias)
    prompt_tokens: int
    cached_tokens: int

    @property
    def cached_share(self) -> float:
        return self.cached_tokens / self.prompt_tokens if self.prompt_tokens else 0.0


OnUsage = Callable[[Usage], None]


def _usage(res: dict[str, Any]) -> Usage | None:
    u = res.get("usage") or {}
    timings = res.get("timings") or {}
    if not u and not timings:
        return None
    prompt = int(u.get("prompt_tokens") or (timings.get("prompt_n", 0) + timings.get("cache_n", 0)))
    cached = int((u.get("prompt_tokens_details") or {}).get("cached_tokens") or timings.get("cache_n") or 0)
    return Usage(str(res.get("model", "")), prompt, cached)


class RemoteEngine:
    """OpenAI-compatible completions over HTTP (httpx; the stream read with httpx-sse).

    `for_session` gives a view that sends the session's header, so a session-affine router keeps
    all of a session's completions on the server that caches its prefix, and reports each
    completion's `Usage`. A reset connection or a 5xx answer is retried once (tenacity; the router
    moves the session to a live server); a stream that already spoke is not replayed.
    """

    def __init__(self, options: RemoteEngineOptions, session: str = "", on_usage: OnUsage | None = None,
                 http: httpx.Client | None = None) -> None:
        self.options = options
        self.retry_after_s = RETRY_AFTER_S
        self.name = "remote"
        self.load_s = 0.0
        self.session = session
        self.on_usage = on_usage
        self._owns_http = http is None
        self._http = http or httpx.Client(timeout=options.timeout_s)  # (pooled connections, shared by the views)
        self._url = options.base_url.rstrip("/") + "/v1/completions"

    def for_session(self, session: str, on_usage: OnUsage | None = None) -> RemoteEngine:
        view = RemoteEngine(self.options, session, on_usage, self._http)
        view.retry_after_s = self.retry_after_s
        return view

    def _body(self, body: dict[str, Any], slot: int) -> dict[str, Any]:
        if self.options.model:
            body["model"] = self.options.model
        if not self.options.shared:
            body["id_slot"] = slot
        body["cache_prompt"] = True
        return body

    def _headers(self) -> dict[str, str]:
        headers = {}
        if self.options.api_key:
            headers["Authorization"] = f"Bearer {self.options.api_key}"
        if self.session:
            headers[SESSION_HEADER] = self.session
        return headers

    def _send(self, body: dict[str, Any], stream: bool = False) -> httpx.Response:
        """POST the completion; a reset connection or a 5xx answer once more after `retry_after_s`."""
        request = self._http.build_request("POST", self._url, json=body, headers=self._headers())
        try:
            for attempt in Retrying(stop=stop_after_attempt(2), wait=wait_fixed(self.retry_after_s),
                                    retry=retry_if_exception(_retryable), before_sleep=self._retrying, reraise=True):
                with attempt:
                    r = self._http.send(request, stream=stream)
                    if r.is_error:
                        r.close()
                        r.raise_for_status()
        except httpx.HTTPError as e:
            raise EngineError(f"remote LLM at {self.options.base_url} failed: {e}") from None
        return r

    def _retrying(self, state: RetryCallState) -> None:
        e = state.outcome.exception() if state.outcome else None
        log.warning("remote LLM failed (%s); retrying once in %.1f s", e, self.retry_after_s)

    def _report(self, res: dict[str, Any]) -> None:
        u = _usage(res)
        if u is not None and self.on_usage is not None:
            self.on_usage(u)

    def _json(self, body: dict[str, Any]) -> dict[str, Any]:
        r = self._send(body)
        try:
            res: dict[str, Any] = r.json()
        except ValueError as e:  # not JSON
            raise EngineError(f"remote LLM at {self.options.base_url} failed: {e}") from None
        self._report(res)
        return res

    def stream(self, prompt: str, *, slot: int, max_tokens: int, on_text: OnText,
               temperature: float = 0.3, stop: Sequence[str] = ()) -> str:
        parts: list[str] = []
        body = self._body({"prompt": prompt, "max_tokens": max_tokens, "stream": True, "temperature": temperature,
                           "stop": list(stop), "stream_options": {"include_usage": True}}, slot)
        r = self._send(body, stream=True)
        try:
            for sse in EventSource(r).iter_sse():
                if sse.data == "[DONE]":
                    break
                chunk = json.loads(sse.data)
                if "usage" in chunk or "timings" in chunk:
                    self._report(chunk)
                text = (chunk.get("choices") or [{}])[0].get("text") or ""
                if text:
                    parts.append(text)
                    if on_text(text):
                        break
        except (httpx.HTTPError, ValueError) as e:  # the server died mid-answer: this turn is lost, not the session
            raise EngineError(f"remote LLM at {self.options.base_url} failed mid-answer: {e}") from None
        finally:
            r.close()
        return "".join(parts)

    def next_token_probs(self, prompt: str, *, slot: int, candidates: Sequence[str]) -> dict[str, float]:
        res = self._json(self._body({"prompt": prompt, "max_tokens": 1, "logprobs": min(TOP_LOGPROBS, 20),
                                     "temperature": 0.0}, slot))
        return _candidate_probs(_top_logprobs(res["choices"][0]), candidates)

    def complete_json(self, prompt: str, *, slot: int, schema: dict[str, Any], max_tokens: int) -> str:
        """llama.cpp's server reads `json_schema`, vLLM `guided_json`: both are sent."""
        res = self._json(self._body({"prompt": prompt, "max_tokens": max_tokens, "temperature": 0.0,
                                     "json_schema": schema, "guided_json": schema}, slot))
        return str(res["choices"][0].get("text") or "")

    def close(self) -> None:
        if self._owns_http:  # (a session's view leaves the shared client open)
            self._http.close()


def _retryable(e: BaseException) -> bool:
    """A reset or refused connection, or a server-side failure (the router answers 500 for a dead server)."""
    if isinstance(e, httpx.HTTPStatusError):
        return e.response.status_code >= RETRY_STATUS
    return isinstance(e, httpx.TransportError)
