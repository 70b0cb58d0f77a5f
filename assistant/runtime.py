"""Loading the real models of a profile once; sessions share them."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.options import Profile
from models.llm import Engine, LocalEngine, LocalEngineOptions, RemoteEngine, RemoteEngineOptions
from models.tts import PiperTts
from models.weights import gguf_path
from models.whisper import SharedAudioEncoder


@dataclass
class Models:
    encoder: SharedAudioEncoder
    engine: Engine
    tts: PiperTts

    def close(self) -> None:
        self.engine.close()


def load_models(profile: Profile, quiet: bool = False, sessions: int = 1) -> Models:
    """The models of `profile`; the LLM gets two KV-cache slots per concurrent session."""
    m = profile.models
    encoder = SharedAudioEncoder(threads=m.threads, quiet=quiet)
    tts = PiperTts(quiet=quiet)
    engine: Engine
    if m.remote_url:
        engine = RemoteEngine(RemoteEngineOptions(m.remote_url, m.remote_model))
    else:
        opts = LocalEngineOptions(str(gguf_path(m.llm, progress=not quiet)), threads=m.threads, slots=2 * sessions,
                                  n_ctx=4096 if sessions == 1 else 2048)
        engine = LocalEngine(opts, quiet=quiet)
    return Models(encoder, engine, tts)
