"""Sound devices through sounddevice/PortAudio, with one-line errors when there are none."""

from __future__ import annotations

from dataclasses import dataclass


class NoAudioDeviceError(Exception):
    """No usable input/output device; the message says what to do instead."""


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    inputs: int
    outputs: int
    default_rate: float


def list_devices() -> list[Device]:
    try:
        import sounddevice as sd

        raw = sd.query_devices()
    except (OSError, ImportError) as e:  # libportaudio2 missing
        raise NoAudioDeviceError(f"PortAudio is not available ({e}); install libportaudio2") from None
    return [
        Device(i, d["name"], d["max_input_channels"], d["max_output_channels"], d["default_samplerate"])
        for i, d in enumerate(raw)
    ]


def pick(device: str | int | None, kind: str) -> Device:
    """The device to use for `kind` ('input' or 'output'): by index, by name part, or the first one."""
    devs = [d for d in list_devices() if (d.inputs if kind == "input" else d.outputs) > 0]
    if not devs:
        raise NoAudioDeviceError(f"no audio {kind} device found")
    if device is None:
        return devs[0]
    for d in devs:
        if str(d.index) == str(device) or str(device).lower() in d.name.lower():
            return d
    names = ", ".join(f"{d.index}: {d.name}" for d in devs)
    raise NoAudioDeviceError(f"unknown {kind} device {device!r} (have {names})")
