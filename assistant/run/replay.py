"""`assistant replay MIC.wav --out DIR`: the whole duplex loop on a recording, in real time.

Writes DIR/assistant.wav (16 kHz mono; sample 0 = mic t=0), DIR/events.jsonl and DIR/timeline.png.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.clock import Clock
from assistant.core.events import Bus, Event, to_json
from assistant.core.loop import open_core, paced_file_frames, run_loop
from assistant.core.options import Profile
from assistant.core.prompt import Turn
from assistant.core.runtime import Models
from assistant.run.video_in import feed_still, feed_video
from audio.echo import EchoPath, EchoSpec
from audio.sinks import TimelineSink
from audio.sources import FileSource


@dataclass
class ReplayResult:
    out_dir: Path
    events: list[Event]
    assistant: np.ndarray  # 16 kHz, on the mic timeline
    mic: np.ndarray
    history: list[Turn]
    encode_calls: int  # Whisper encoder runs during the replay


async def replay_async(models: Models, profile: Profile, mic_wav: str | Path, out_dir: str | Path,
                       bus: Bus | None = None, echo: EchoSpec | None = None,
                       image: np.ndarray | None = None, video: str | Path | None = None) -> ReplayResult:
    """`image` (H×W×3 RGB) or `video` (a file) is what the camera films during the replay."""
    src = FileSource(mic_wav)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    bus = bus or Bus()
    clock = Clock()
    events: list[Event] = []  # every event of the replay (the bus keeps only a window)
    sink = TimelineSink()
    enc0 = models.encoder.encode_calls if models.encoder else 0
    with open(out / "events.jsonl", "w") as events_file:
        def log(ev: Event) -> None:
            events.append(ev)
            events_file.write(to_json(ev) + "\n")

        bus.subscribe(log)
        async with open_core(models, profile, bus, camera=image is not None or video is not None) as core:
            clock.start()
            feed = None
            if image is not None and core.camera is not None:
                core.on_video(0.0, image)  # the camera has been on before the recording starts:
                await core.camera.sample()  # its first report exists at t = 0, however busy the CPU
                feed = asyncio.get_running_loop().create_task(feed_still(image, clock, core.on_video, src.duration))
            elif video is not None:
                feed = asyncio.get_running_loop().create_task(feed_video(video, clock, core.on_video))
            try:
                await run_loop(core, paced_file_frames(src, clock), sink.write, input_end_s=src.duration,
                               echo=EchoPath(echo) if echo else None)
            finally:
                if feed is not None:
                    feed.cancel()
                    await asyncio.gather(feed, return_exceptions=True)
            history = list(core.conversation.turns)
    sink.save(out / "assistant.wav")
    result = ReplayResult(out, events, sink.pcm, src.pcm, history,
                          (models.encoder.encode_calls if models.encoder else 0) - enc0)
    try:
        from assistant.run.timeline import plot_timeline

        plot_timeline(result.mic, result.assistant, result.events, out / "timeline.png")
    except Exception as e:  # a plot must never cost the replay
        logging.getLogger(__name__).warning("timeline plot skipped: %s", e)
    return result


def replay(models: Models, profile: Profile, mic_wav: str | Path, out_dir: str | Path,
           bus: Bus | None = None, echo: EchoSpec | None = None,
           image: np.ndarray | None = None, video: str | Path | None = None) -> ReplayResult:
    return asyncio.run(replay_async(models, profile, mic_wav, out_dir, bus, echo, image, video))

