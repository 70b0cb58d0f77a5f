"""Loading the real models of a profile once; sessions share them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from assistant.core.judge import HeadJudge, Judge, LmJudge
from assistant.core.options import Profile, ProfileError
from assistant.core.speaker import Tts
from assistant.tools.knowledge import Knowledge, KnowledgeError
from models.llm import Engine, LocalEngine, LocalEngineOptions, RemoteEngine, RemoteEngineOptions
from models.lm_state import STATE_MODEL, LmStateEncoder
from models.state_head import ZH_HEAD_PATH, StateHead
from models.tts import PiperTts
from models.vision import VisionEncoder
from models.voices import VoiceEmbedder
from models.weights import gguf_path
from models.whisper import SharedAudioEncoder
from models.whisper_multi import MultilingualWhisper
from models.zh_tts import BakerVoice, BilingualVoice, EspeakMandarin


@dataclass
class Models:
    """What a session runs on: shared by every session of a process (tests put doubles here)."""

    engine: Engine  # the LLM both replicas read and write through
    tts: Tts
    judge: Judge  # encode → transcribe → verdict for one segment version
    encoder: SharedAudioEncoder | None = None  # Whisper (inside the judge), for tools that transcribe
    vision: VisionEncoder | None = None  # the shared vision encoders, loaded when a camera may be used
    tool_slot: int | None = None  # the engine slot that picks host functions (off the replicas' cached prompts)
    knowledge: Knowledge | None = None  # the operator's documents, indexed (profile [knowledge])
    multilingual: MultilingualWhisper | None = None  # Whisper base: Mandarin hearing (profile [language] hear)

    @property
    def lm_judge(self) -> bool:
        """The replicas' LM gives the verdicts (their prompt then carries the state rules)."""
        return isinstance(self.judge, LmJudge)

    def close(self) -> None:
        self.engine.close()
        if isinstance(self.judge, HeadJudge):
            self.judge.state.close()


def load_models(profile: Profile, quiet: bool = False, sessions: int = 1, vision: bool = False) -> Models:
    """The models of `profile`; the LLM gets two KV-cache slots per concurrent session and one for
    picking host functions; with `vision`, the camera's encoders too."""
    m = profile.models
    encoder = SharedAudioEncoder(threads=m.threads, quiet=quiet, beam_size=m.asr_beam)
    lang = profile.language
    second = m.second_ear_below > -math.inf  # Whisper base hears unsure English words again (assistant/core/ears.py)
    base = MultilingualWhisper(threads=m.threads, quiet=quiet, beam_size=m.asr_beam) if lang.chinese or second else None
    multi = base if lang.chinese else None  # (Mandarin hearing: only profiles that hear it)
    below = m.second_ear_below if second else None
    tts: Tts = PiperTts(quiet=quiet)
    if lang.chinese:
        chinese = BakerVoice(quiet=quiet) if lang.zh_voice == "baker" else EspeakMandarin()
        tts = BilingualVoice(chinese, tts)
    engine: Engine
    if m.remote_url:
        # a remote server is shared (other processes, a router): per-process slot ids would collide
        engine = RemoteEngine(RemoteEngineOptions(m.remote_url, m.remote_model, shared=True))
    else:
        opts = LocalEngineOptions(str(gguf_path(m.llm, progress=not quiet)), threads=m.threads, slots=2 * sessions + 1,
                                  n_ctx=4096 if sessions == 1 else 2048)
        engine = LocalEngine(opts, quiet=quiet)
    judge: Judge
    if m.monitor == "head":  # always the 0.5B's states: the head was trained on them
        head = StateHead.load()
        zh_head = StateHead.load(ZH_HEAD_PATH) if lang.chinese else None
        judge = HeadJudge(encoder, LmStateEncoder(str(gguf_path(STATE_MODEL, progress=not quiet)), m.threads, quiet), head,
                          VoiceEmbedder(), multi, zh_head, base, below)
    elif m.monitor == "lm":
        judge = LmJudge(encoder, multi, base, below)
    else:
        raise ProfileError(f"[models] monitor must be 'head' or 'lm', got {m.monitor!r}")
    seen = None
    if vision:
        v = profile.vision
        seen = VisionEncoder(objects=v.objects, faces=v.faces, text=v.text)
    return Models(engine, tts, judge, encoder, seen, tool_slot=2 * sessions, knowledge=load_knowledge(profile),
                  multilingual=multi)


def load_knowledge(profile: Profile) -> Knowledge | None:
    k = profile.knowledge
    folder = k.path()
    if folder is None:
        return None
    try:
        return Knowledge.load(folder, k.min_score, k.min_shared)
    except KnowledgeError as e:
        raise ProfileError(f"[knowledge] {e}") from None
