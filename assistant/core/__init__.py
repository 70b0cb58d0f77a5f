"""One conversation: frames in, events and audio out. No argparse, no files, no devices.

The face of the core (imported lazily, so `assistant.core.options` stays light):
`DuplexCore`, `open_core`, `run_loop`, `paced_file_frames`, `Models`, `load_models`, `Profile`,
`load_profile`, `Bus`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_FACE = {
    "DuplexCore": "duplex", "open_core": "loop", "run_loop": "loop", "paced_file_frames": "loop",
    "Models": "runtime", "load_models": "runtime", "Profile": "options", "load_profile": "options", "Bus": "events",
}


def __getattr__(name: str) -> Any:
    if name in _FACE:
        return getattr(import_module(f"assistant.core.{_FACE[name]}"), name)
    raise AttributeError(name)
