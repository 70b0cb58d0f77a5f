"""`assistant run`: the live edge — mic or a paced wav in, speaker or a wav out, events printed."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator

from assistant.core.clock import Clock
from assistant.core.events import Bus
from assistant.core.loop import open_core, paced_file_frames, run_loop
from assistant.core.options import Profile
from assistant.core.runtime import load_models
from assistant.run.printer import printer
from assistant.run.video_in import LocalCamera
from audio.devices import NoAudioDeviceError
from audio.frames import AudioFrame
from audio.sinks import SpeakerSink, TimelineSink
from audio.sources import FileSource, MicSource


async def run_live(profile: Profile, input_wav: str | None, input_device: str | None,
                   output_device: str | None, output_wav: str | None, camera: int | None = None) -> int:
    # open the edges first: a missing device fails in a second, not after model loading
    cam = LocalCamera(camera) if camera is not None else None
    src = FileSource(input_wav) if input_wav else None
    mic = None if src else MicSource(input_device)
    sink: SpeakerSink | TimelineSink
    if output_wav:
        sink = TimelineSink()
    else:
        try:
            sink = SpeakerSink(output_device)
        except NoAudioDeviceError as e:
            if output_device:
                raise
            output_wav = "assistant-out.wav"
            print(f"note: {e}; answers go to {output_wav}", file=sys.stderr)
            sink = TimelineSink()
    models = load_models(profile, vision=cam is not None)
    bus = Bus()
    bus.subscribe(printer())
    clock = Clock()
    frames: AsyncIterator[AudioFrame] = paced_file_frames(src, clock) if src else mic.frames()  # type: ignore[union-attr]
    try:
        async with open_core(models, profile, bus, camera=cam is not None) as core:
            print("listening — speak any time (Ctrl-C to stop)", file=sys.stderr)
            clock.start()
            feed = asyncio.get_running_loop().create_task(cam.feed(clock, core.on_video)) if cam else None
            try:
                await run_loop(core, frames, sink.write, input_end_s=src.duration if src else None)
            finally:
                if feed is not None:
                    feed.cancel()
                    await asyncio.gather(feed, return_exceptions=True)
    finally:
        if cam is not None:
            cam.close()
        sink.close()
        if isinstance(sink, TimelineSink) and output_wav:
            sink.save(output_wav)
            print(f"wrote {output_wav}", file=sys.stderr)
        models.close()
    return 0
