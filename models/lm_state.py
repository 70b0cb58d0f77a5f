"""The language model's last hidden state for a transcript: the words channel of the monitor.

The monitor's trained head (models/state_head.py) reads what the 0.5B LM "thinks" at the
position where it would emit the state token: the final hidden state after a one-line judge
template around the transcript (llama.cpp pooling LAST, 896 numbers, L2-normalised).

It runs in its own small llama.cpp context over the same GGUF file (weights are mmapped, so the
pages are shared with the replicas' engine): llama.cpp's embedding requests pick a slot by
prompt similarity and ignore `id_slot`, so sharing the replicas' server would evict their caches.
The head is trained on this model's states, so it always uses the 0.5B, whatever LLM answers.

States are kept by text: the judge computes the words heard at a pause at once, before they are read
ahead into the answering replica (both on the CPU together, the verdict waited 0.42 s for one), and the
version that ends the turn finds it. `prefetch(text)` starts one on a thread of its own instead (no wait);
`state(text)` then waits for it rather than computing it again.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from models.llm import SPIN_POLL
from models.progress import step

STATE_MODEL = "qwen-0.5b"  # the LM whose hidden states the head was trained on
STATE_CTX = 256  # tokens: one short template around one transcript
MAX_CHARS = 400  # transcript characters kept (a partial or final segment is far shorter)
KEPT = 8  # recent states kept (prefetched or computed)
TEMPLATE = "<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n"  # the judge position


class LmStateEncoder:
    def __init__(self, gguf: str, threads: int = 2, quiet: bool = False) -> None:
        import xllamacpp as xl

        p = xl.CommonParams()
        p.model.path = gguf
        p.n_ctx = STATE_CTX
        p.n_parallel = 1
        p.cpuparams.n_threads = threads
        p.cpuparams_batch.n_threads = threads
        p.cpuparams.poll = p.cpuparams_batch.poll = SPIN_POLL  # (models/llm.py: no spinning on shared cores)
        p.warmup = False
        p.embedding = True
        p.pooling_type = xl.llama_pooling_type.LLAMA_POOLING_TYPE_LAST
        p.api_keys = [secrets.token_urlsafe(24)]  # xllamacpp's 127.0.0.1 listener: locked
        p.verbosity = -1
        with step("loading the monitor's LM state encoder (llama.cpp, pooling LAST)", quiet) as info:
            self._server = xl.Server(p)
        self.load_s = info["seconds"]
        self._lock = threading.Lock()  # the cache
        self._run = threading.Lock()  # one llama.cpp request at a time
        self._states: OrderedDict[str, Future[np.ndarray]] = OrderedDict()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="lm-state")
        self.computed = 0  # states really computed (a prefetched one is computed once)

    def prefetch(self, text: str) -> None:
        """Start the state of `text` on the encoder's own thread (no wait)."""
        with self._lock:
            if text not in self._states:
                self._keep(text, self._pool.submit(self._compute, text))

    def state(self, text: str) -> np.ndarray:
        """The LM's final hidden state at the judge position after `text` (float32, unit length)."""
        with self._lock:
            known = self._states.get(text)
        if known is not None:
            return known.result()
        fut: Future[np.ndarray] = Future()
        fut.set_result(self._compute(text))
        with self._lock:
            self._keep(text, fut)
        return fut.result()

    def _keep(self, text: str, fut: Future[np.ndarray]) -> None:
        self._states[text] = fut
        while len(self._states) > KEPT:
            self._states.popitem(last=False)

    def _compute(self, text: str) -> np.ndarray:
        prompt = TEMPLATE.format(text=text.strip()[:MAX_CHARS] or "…")
        with self._run:
            self.computed += 1
            res = self._server.handle_embeddings({"input": prompt})
        if "data" not in res:
            raise RuntimeError(f"LM state encoder failed: {res.get('error', res)}")
        return np.asarray(res["data"][0]["embedding"], np.float32)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if not self.computed:  # an idle server hangs in its destructor (models/llm.py SPIN_POLL)
            self._server.handle_embeddings({"input": " "})
        del self._server
