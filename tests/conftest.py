"""Shared fixtures: the real models, loaded once per test session, and an artefact folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


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
