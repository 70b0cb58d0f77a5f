"""Profiles: frozen option sets read from configs/<name>.toml (embedded, desktop, kiosk, cockpit)."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from assistant.core.policy import PolicyOptions
from audio.aec import CANCELLERS
from audio.segmenter import SegmenterOptions

CONFIG_DIR = Path(str(resources.files("configs")))  # package data: works from a wheel and a checkout


@dataclass(frozen=True)
class ModelOptions:
    llm: str = "qwen-0.5b"  # embedded GGUF (see models/weights.py), or ignored when remote_url is set
    remote_url: str = ""  # OpenAI-compatible server; empty = embedded llama.cpp
    remote_model: str = ""  # model name on the remote server
    threads: int = 2  # CPU threads for the LLM and Whisper
    vad: str = "silero"  # silero (default) or webrtc
    monitor: str = "head"  # head: the trained state head (models/state_head.npz); lm: the untrained LM judge
    asr_beam: int = 5  # Whisper beam width (1 = greedy: 4-5 points more WER on the QA voices, 25 ms faster)
    asr_context: bool = True  # give Whisper the conversation's last turns as its previous text
    # English words tiny.en was unsure of (mean token log-probability below this) at a pause are heard again
    # by Whisper base, whose words are kept when it is surer (assistant/core/ears.py); -inf: never (and
    # base is then loaded only by profiles that hear Mandarin). On the QA voices' tune half (62 questions):
    # -0.25 heard 28 again, -0.3 22 (WER 13.8 % → 11.1 % either way), -0.4 15 (12.0 %)
    second_ear_below: float = -0.3


@dataclass(frozen=True)
class VisionOptions:
    fps: float = 0.5  # frames per second encoded while a camera is on (plus one at each speech onset)
    objects: bool = True  # COCO objects (CenterNet)
    faces: bool = True  # faces, head pose, gaze, raised hands (MediaPipe)
    text: bool = True  # OCR (PP-OCRv4)
    text_on_demand: bool = True  # OCR only for words that ask what is written (~1.5 s a frame here), not every frame
    max_age_s: float = 3.0  # s; an older report is not shown to the generator or the monitor
    gaze_weight: float = 1.0  # log-odds a face looking at the device adds to p(query); none looking: subtracts
    seen_every_s: float = 5.0  # s between "seen" events when nothing changes


@dataclass(frozen=True)
class AudioOptions:
    # "speex" (the default on every speaker path: CLI, kiosk, cockpit; the browser cancels its own, see
    # web/session.py): Speex MDF + residual suppression on the mic, fed the exact samples played, the
    # own-voice gate behind it. "none": the gate alone (headphones). On `make bench-echo` (2026-12-06,
    # 26 scenes at -6 dB) the canceller heard its own voice as speech 0 times (the gate alone: 89) and
    # answered 8/10 questions asked over the echo (7/10), words of them heard 0.73 (0.60)
    echo_canceller: str = "speex"

    def __post_init__(self) -> None:
        if self.echo_canceller not in CANCELLERS:
            raise ValueError(f"echo_canceller must be one of {', '.join(CANCELLERS)}, got {self.echo_canceller!r}")


@dataclass(frozen=True)
class KnowledgeOptions:
    # a folder of the operator's documents (.md sections / .txt paragraphs), absolute or relative to
    # configs/; "" = none. Questions that find a passage are answered from it (assistant/tools/knowledge.py)
    folder: str = ""
    strict: bool = False  # a question that finds nothing is told so (no LLM answer): a service kiosk
    # "quote": say the passage's sentences that answer best (the operator's words, nothing invented);
    # "generate": the LLM answers from the passage (more natural; the 0.5B invented a window number and
    # a login in 3 of 9 held-half answers, README)
    answer: str = "quote"
    # a passage answers only with a BM25 score ≥ min_score and ≥ min_shared content words in common;
    # chosen on the tune half of tests/data/kiosk_questions.json (in scope ≥ 3.6, out of scope ≤ 3.1)
    min_score: float = 3.3
    min_shared: int = 2

    def __post_init__(self) -> None:
        if self.answer not in ("quote", "generate"):
            raise ValueError(f"answer must be quote or generate, got {self.answer!r}")

    def path(self) -> Path | None:
        if not self.folder:
            return None
        p = Path(self.folder).expanduser()
        return p if p.is_absolute() else CONFIG_DIR / p


@dataclass(frozen=True)
class HostOptions:
    # a JSON file ({"tools": [{name, description, parameters}, …]}, absolute or relative to configs/) of
    # the functions the device's host software runs: offered from boot, called over the host API
    tools: str = ""
    tool_timeout_s: float = 5.0  # s a host has to answer a call of one of them

    def declared(self) -> list[dict[str, Any]]:
        """The declared functions' specs (ValueError with one line if the file is unusable)."""
        if not self.tools:
            return []
        p = Path(self.tools).expanduser()
        path = p if p.is_absolute() else CONFIG_DIR / p
        try:
            specs = json.loads(path.read_text())["tools"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ValueError(f"tools file {path}: {e}") from None
        if not isinstance(specs, list) or not all(isinstance(x, dict) for x in specs):
            raise ValueError(f"tools file {path}: 'tools' must be a list of objects")
        return specs


@dataclass(frozen=True)
class LanguageOptions:
    """What the assistant hears and speaks. English only, or Mandarin and English (each turn answered in
    the language it was said in; a segment's language is read while the user talks)."""

    hear: tuple[str, ...] = ("en",)  # "en", "zh", or both (Mandarin needs Whisper base multilingual)
    # the Mandarin voice: "baker" (FastSpeech2 + MB-MelGAN, natural; its DataBaker CSMSC training data is
    # NON-COMMERCIAL) or "espeak" (espeak-ng's cmn: robotic and hard to follow, but free of those terms)
    zh_voice: str = "baker"

    def __post_init__(self) -> None:
        hear = tuple(self.hear)
        object.__setattr__(self, "hear", hear)
        if not hear or any(x not in ("en", "zh") for x in hear):
            raise ValueError(f"hear must list 'en' and/or 'zh', got {list(hear)}")
        if self.zh_voice not in ("baker", "espeak"):
            raise ValueError(f"zh_voice must be 'baker' or 'espeak', got {self.zh_voice!r}")

    @property
    def chinese(self) -> bool:
        return "zh" in self.hear


@dataclass(frozen=True)
class Profile:
    name: str = "embedded"
    models: ModelOptions = field(default_factory=ModelOptions)
    policy: PolicyOptions = field(default_factory=PolicyOptions)
    segmenter: SegmenterOptions = field(default_factory=SegmenterOptions)
    vision: VisionOptions = field(default_factory=VisionOptions)
    audio: AudioOptions = field(default_factory=AudioOptions)
    knowledge: KnowledgeOptions = field(default_factory=KnowledgeOptions)
    host: HostOptions = field(default_factory=HostOptions)
    language: LanguageOptions = field(default_factory=LanguageOptions)


class ProfileError(Exception):
    """A profile that cannot be read; one line for the user."""


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ProfileError(f"{where}: unknown option(s) {', '.join(sorted(unknown))}")
    try:
        return cls(**data)
    except (TypeError, ValueError) as e:
        raise ProfileError(f"{where}: {e}") from None


def load_profile(name_or_path: str = "embedded", **overrides: Any) -> Profile:
    p = Path(name_or_path)
    path = p if p.suffix == ".toml" else CONFIG_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        have = ", ".join(sorted(x.stem for x in CONFIG_DIR.glob("*.toml")))
        raise ProfileError(f"no profile {name_or_path!r} (have {have})")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{path}: {e}") from None
    sections = {"models": ModelOptions, "policy": PolicyOptions, "segmenter": SegmenterOptions,
                "vision": VisionOptions, "audio": AudioOptions, "knowledge": KnowledgeOptions,
                "host": HostOptions, "language": LanguageOptions}
    kw: dict[str, Any] = {"name": data.pop("name", path.stem)}
    for key, cls in sections.items():
        kw[key] = _build(cls, {**data.pop(key, {}), **overrides.get(key, {})}, f"{path.name} [{key}]")
    if data:
        raise ProfileError(f"{path.name}: unknown section(s) {', '.join(sorted(data))}")
    return Profile(**kw)
