"""The daemon as a systemd service: the unit text, written and enabled by `make install-service`.

Type=notify (the daemon says READY once the API listens and pings the watchdog, assistant/host/
daemon.py), restarted whatever ends it, logs to the journal through stdout. A user unit by default
(the user's sound session, the model cache under ~/.cache/duplex); a system unit when run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from assistant.host.daemon import WATCHDOG_PING_S

UNIT_NAME = "duplex.service"


@dataclass(frozen=True)
class ServiceOptions:
    profile: str = "kiosk"
    port: int = 8765
    executable: str = ""  # the `assistant` script ("" = the one next to this Python)
    system: bool = False  # a system unit (/etc/systemd/system, multi-user.target) instead of a user unit


def executable() -> str:
    here = Path(sys.executable).with_name("assistant")
    return str(here) if here.exists() else shutil.which("assistant") or str(here)


def unit_text(o: ServiceOptions) -> str:
    exe = o.executable or executable()
    return f"""[Unit]
Description=duplex voice assistant (profile {o.profile})
Documentation=file://{Path(__file__).resolve().parents[2] / "README.md"}
After=sound.target
StartLimitIntervalSec=0

[Service]
Type=notify
NotifyAccess=main
ExecStart={exe} --profile {o.profile} daemon --port {o.port}
Restart=always
RestartSec=2
WatchdogSec={int(3 * WATCHDOG_PING_S)}
TimeoutStartSec=300
Environment=PYTHONUNBUFFERED=1
NoNewPrivileges=yes

[Install]
WantedBy={"multi-user.target" if o.system else "default.target"}
"""


def unit_path(system: bool) -> Path:
    if system:
        return Path("/etc/systemd/system") / UNIT_NAME
    return Path(os.environ.get("XDG_CONFIG_HOME", "~/.config")).expanduser() / "systemd" / "user" / UNIT_NAME


def install(o: ServiceOptions) -> int:
    """Write the unit; enable and start it where systemd runs (else say how)."""
    path = unit_path(o.system)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(o))
    print(f"wrote {path}")
    ctl = ["systemctl"] + ([] if o.system else ["--user"])
    if not Path("/run/systemd/system").is_dir():
        print(f"systemd is not running here: enable it later with `{' '.join(ctl)} enable --now {UNIT_NAME}`")
        return 0
    for args in (["daemon-reload"], ["enable", "--now", UNIT_NAME]):
        done = subprocess.run(ctl + args, capture_output=True, text=True, timeout=60)
        if done.returncode:
            print(f"error: {' '.join(ctl + args)}: {done.stderr.strip()}", file=sys.stderr)
            return 1
    print(f"enabled and started; logs: journalctl {'' if o.system else '--user '}-u {UNIT_NAME} -f")
    return 0
