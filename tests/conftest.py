"""Shared fixtures (the real models, loaded once per test session; an artefact folder) and the tiers.

Tiers: a test that takes a model fixture (`models`, `vision`) is marked `slow` here, whatever its
file says, so `-m "not slow"` (make test-fast) loads no model; a test outside the slow tier that
loads one anyway (Whisper, llama.cpp, an ONNX session, the face models) fails at once with the name
of what it loaded. `soak` tests (make soak) run only when asked for by `-m`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
MODEL_FIXTURES = frozenset({"models", "vision"})  # fixtures that load real models


@pytest.fixture(scope="session")
def profile():
    from assistant.core.options import load_profile

    return load_profile("embedded")


@pytest.fixture(scope="session")
def models(profile):
    from assistant.core.runtime import load_models

    m = load_models(profile, quiet=True)
    yield m
    m.close()


@pytest.fixture(scope="session")
def vision():
    """The real vision encoders (objects, faces, OCR), shared like the server shares them."""
    from models.vision import VisionEncoder

    return VisionEncoder()


@pytest.fixture
def artifacts(request) -> Path:
    d = ARTIFACTS / request.node.name
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects: the marks added here count
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    if "soak" not in (config.getoption("markexpr") or ""):
        kept = [i for i in items if i.get_closest_marker("soak") is None]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[i for i in items if i.get_closest_marker("soak") is not None])
            items[:] = kept


class ModelInFastTier(AssertionError):
    pass


def _refuse(what: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ModelInFastTier(f"this test loads {what} but is not marked slow (take the `models` fixture or mark it)")
    return refuse


@pytest.fixture(autouse=True)
def _no_model_outside_the_slow_tier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the slow tier, loading a real model is a failure (the fast tier must stay fast)."""
    if request.node.get_closest_marker("slow") is not None:
        return
    import faster_whisper
    import onnxruntime
    import xllamacpp

    import models.faces

    monkeypatch.setattr(faster_whisper.WhisperModel, "__init__", _refuse("Whisper (faster-whisper)"))
    monkeypatch.setattr(onnxruntime.InferenceSession, "__init__", _refuse("an ONNX model (onnxruntime)"))
    monkeypatch.setattr(xllamacpp, "Server", _refuse("an LLM (llama.cpp)"))
    monkeypatch.setattr(models.faces.FaceReader, "__init__", _refuse("the face models (mediapipe)"))
