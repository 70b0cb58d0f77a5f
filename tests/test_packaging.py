"""The profiles and the page ship inside the wheel: an installed duplex works outside a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow  # builds a wheel (~5 s)


def test_profiles_load_from_an_installed_wheel(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("duplex-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"configs/embedded.toml", "configs/kiosk.toml", "web/static/index.html", "models/state_head.npz"} <= names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("import configs; from assistant.core.options import load_profile; "
             "print(configs.__file__); print(load_profile('cockpit').name)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, check=True).stdout.split()
    assert out[0].startswith(str(site)) and out[1] == "cockpit"
