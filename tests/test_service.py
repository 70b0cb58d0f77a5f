"""The daemon as a systemd service: a unit `systemd-analyze verify` accepts without a word, written where
a user unit goes, and the notify protocol (READY, WATCHDOG) spoken to a real datagram socket."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess

import numpy as np
import pytest
from fakes import fake_models, profile
from hostkit import Replayed, daemon, running

from assistant.cli import main
from assistant.host.service import ServiceOptions, unit_text


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed (make apt)")
@pytest.mark.parametrize("system", [False, True])
def test_the_unit_passes_systemd_analyze_verify(tmp_path, system):
    unit = tmp_path / "duplex.service"
    unit.write_text(unit_text(ServiceOptions("cockpit", 9000, system=system)))
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
    text = unit.read_text()
    assert "--profile cockpit daemon --port 9000" in text and "Type=notify" in text
    bad = tmp_path / "bad.service"
    bad.write_text(text.replace("ExecStart=/", "ExecStart=/nowhere/"))
    done = subprocess.run(["systemd-analyze", "verify", str(bad)], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "not executable" in done.stderr, "verify would catch a unit that cannot start"


def test_install_writes_a_user_unit(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert main(["--profile", "kiosk", "service", "--install"]) == 0
    unit = tmp_path / "systemd" / "user" / "duplex.service"
    assert "--profile kiosk daemon" in unit.read_text() and "WantedBy=default.target" in unit.read_text()
    assert f"wrote {unit}" in capsys.readouterr().out
    assert main(["--profile", "nosuch", "service"]) == 2, "a profile that does not load fails at install, not at boot"


def test_the_daemon_tells_systemd_it_is_ready_and_alive(tmp_path, monkeypatch):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    d = daemon(fake_models(), profile(), Replayed(np.zeros(0, np.float32)))

    async def body():
        await asyncio.sleep(0.2)

    asyncio.run(running(d, body))
    said = set()
    while True:
        try:
            said.add(sock.recv(256).decode())
        except TimeoutError:
            break
        if {"READY=1", "WATCHDOG=1", "STOPPING=1"} <= said:
            break
    sock.close()
    assert {"READY=1", "WATCHDOG=1", "STOPPING=1"} <= said
