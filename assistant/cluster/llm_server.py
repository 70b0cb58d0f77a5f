"""`python -m assistant.cluster.llm_server --port P --name N`: one llama.cpp server on 127.0.0.1.

It serves OpenAI-compatible completions to the router, answers under the model name `N` (so a
client can tell which server answered), and caches prompts in `--parallel` slots; the server picks
the slot holding the longest matching prefix (no slot ids: they would collide between hosts).
"""

from __future__ import annotations

import argparse
import signal
import threading

from models.weights import gguf_path

# llama.cpp's default (0.5) lets a request take another session's slot: early in a conversation two
# sessions' prompts share the system prompt and little else, half of it. 0.8 keeps a session on its
# own slots (its next prompt extends the cached one) and sends others to the least recently used.
SLOT_SIMILARITY = 0.8


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--llm", default="qwen-0.5b")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--parallel", type=int, default=8, help="KV-cache slots (two per session served, one for tools)")
    ap.add_argument("--ctx", type=int, default=2048, help="tokens of context per slot")
    ap.add_argument("--similarity", type=float, default=SLOT_SIMILARITY,
                    help="a request reuses an idle slot only if this much of it matches (else the least recently used)")
    args = ap.parse_args()
    import xllamacpp as xl

    p = xl.CommonParams()
    p.model.path = str(gguf_path(args.llm, progress=False))
    p.model_alias = {args.name}
    p.n_parallel = args.parallel
    p.n_ctx = args.parallel * args.ctx
    p.cpuparams.n_threads = p.cpuparams_batch.n_threads = args.threads
    p.cpuparams.poll = p.cpuparams_batch.poll = 0
    p.cache_prompt = True
    p.slot_prompt_similarity = args.similarity
    p.warmup = False
    p.hostnames = ["127.0.0.1"]
    p.port = args.port
    p.endpoint_metrics = True
    p.verbosity = -1
    server = xl.Server(p)
    print(f"llm server {args.name} listening on {server.listening_address}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    done.wait()


if __name__ == "__main__":
    main()
