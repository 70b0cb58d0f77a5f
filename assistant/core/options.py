"""Profiles: frozen option sets read from configs/<name>.toml (embedded, desktop, kiosk, cockpit)."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

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
class PolicyOptions:
    barge_in_min_speech_ms: int = 300  # ms of user speech before a partial segment may interrupt
    barge_in_min_p_query: float = 0.8  # p(query) a verdict needs to interrupt the assistant while it speaks
    # p(query) an idle segment's verdict needs to be answered; below it (leaning to query, not sure) it is
    # ignored as "unsure": on real meetings near the idle assistant the false answers came at 0.44–0.59,
    # real people's orders at 0.74 and more (make bench-people)
    idle_min_p_query: float = 0.6
    # ... and this much while people have been talking nearby: `talk_segments` idle segments ignored as side
    # talk (or unsure) within `talk_window_s` before the speech began (someone who then turns to the
    # assistant asks it clearly; a meeting's next remark reads as a request now and then)
    talk_min_p_query: float = 0.8
    talk_window_s: float = 20.0
    talk_segments: int = 3
    # p(query) a query verdict needs once a confident partial paused the answer ("can we talk about
    # something else?" at 0.95, then the whole "…, what is two plus two?" at 0.65 was ignored as
    # unsure). At 0.5 the scene bench's side talk during an answer was interrupted and answered in
    # 2 of 10 scenes (it paused on a partial, then its whole passed 0.5): kept at the barge-in bar
    barge_in_paused_min_p_query: float = 0.8
    max_reply_tokens: int = 120  # tokens per answer
    read_partials: bool = True  # while idle, read the user's words into the generator as they come
    read_min_speech_ms: int = 600  # ms of speech before a partial is worth reading
    draft_before_verdict: bool = True  # while idle, start the answer as soon as the words are known
    unfinished_hangover_ms: int = 1200  # ms of silence that end a sentence whose words sound unfinished
    first_clause_words: int = 4  # words before a comma or a joining word ("in", "of", …) may end the first TTS clause
    temperature: float = 0.3  # sampling temperature of answers
    tts_hold_s: float = 1.5  # s TTS pauses at a barge-in onset (playout goes on) until the verdict
    # dB playout gain from a speech onset while talking until the verdict (at -30 dB the loud
    # passages of an answer, ~-13 dBFS, stayed above the -45 dBFS "audible" line of the bench)
    duck_db: float = -40.0
    duck_max_s: float = 1.5  # s; with no verdict by then the answer plays on (softly while the speech goes on)
    # "hold": at a speech onset over the answer the playout stops and keeps its place, and resumes
    # `resume_rewind_ms` back (the word talked over is said again): the listener loses no word.
    # "duck": it plays on at `duck_db` (words under the duck are lost)
    duck_mode: str = "hold"
    resume_rewind_ms: int = 300
    # dB: speech over the answer that is judged not a query while it goes on: the answer plays on
    # this much lower (heard, and never back at full volume before the utterance is judged whole)
    talk_over_db: float = -10.0
    # s: when that speech ends, the clause it began over and those played softly since are said again at
    # full volume (the latest of them, up to this much): the listener loses no word to the talk. 0: go on
    say_again_max_s: float = 12.0
    # s it stays soft after such speech's final (segments split inside one long talk; another person may answer):
    # speech beginning meanwhile holds it again, and what played softly is said again only after
    say_again_after_s: float = 0.6
    # a barge-in that cut the answer, then taken up by another voice (people talking to each other): the cut
    # answer's rest is said ("As I was saying, …"), from the sentence it was cut in
    resume_cut_answer: bool = True
    # an idle user who speaks within `followup_window_s` of the end of an answer is likely to follow
    # it up ("and how tall is it?"): `followup_log_odds` is added to p(query), like a face looking
    followup_window_s: float = 8.0
    followup_log_odds: float = 1.5
    # words that ask nothing (thanks, "okay", fillers alone: assistant/core/backchannel.py) from an idle user
    # outside that window subtract this from p(query)'s log-odds: people say them to each other
    backchannel_log_odds: float = 3.0
    # words that refer back to the last answer ("and its population?", "why?", "could you repeat that?":
    # assistant/core/refers_back.py) said within `followup_window_s` add this to p(query)'s log-odds
    refers_back_log_odds: float = 2.0
    # a turn judged for the assistant whose transcript Whisper was unsure of (mean token log-probability
    # below this) or that stops on a word needing more ("what is the") is asked back, not answered
    # (assistant/core/unclear.py); -inf: never ask back
    ask_back_min_logprob: float = -0.7
    # ... and only when p(query) reaches this ("most likely for the assistant"): below it such a turn is
    # ignored as `unsure` (a radio's one caught word is not asked back about)
    ask_back_min_p_query: float = 0.8
    # words that name someone else as their addressee ("Sam, when does your train leave?") subtract
    # this from p(query)'s log-odds, words that name the assistant ("Duplex, …") add it
    addressee_log_odds: float = 3.0
    # speech that begins within `exchange_window_s` after other speech ended (the assistant silent
    # since) in another voice (a speaker d-vector) is a reply between people: minus `exchange_log_odds`
    exchange_window_s: float = 2.0
    exchange_log_odds: float = 2.0
    # and this much more once that other speech itself answered speech before it (a conversation of
    # three turns or more between voices: "Mia, what did the doctor say?" "Rest for a week." "That's a relief.")
    conversation_log_odds: float = 2.0
    # log-odds subtracted from p(query) of speech in none of the enrolled voices, once someone has
    # enrolled (`enrol_speaker`): the cockpit serves its driver, not the passengers. 0 = no gate
    speaker_gate_log_odds: float = 0.0
    # a question that another voice takes up (at its level, within `exchange_window_s`, not a query
    # itself) was asked of that person: its answer is held back until the reply's voice is known, and
    # let go (or cut, if already playing) — "Dad, how much was the petrol?" "About fifty pounds."
    taken_up_withdraws: bool = True
    # an idle segment with no pause at all until the segmenter's cap (max_segment_ms) is babble or a
    # TV going on, not a turn: ignored ("endless")
    ignore_endless: bool = True
    confirm_on_final: bool = True  # a confident `query` partial pauses the answer (kept, silent);
    # the whole utterance's verdict then interrupts it, or resumes it where it paused


    def __post_init__(self) -> None:
        if self.duck_mode not in ("hold", "duck"):
            raise ValueError(f"duck_mode must be hold or duck, got {self.duck_mode!r}")


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
