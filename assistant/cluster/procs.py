"""Processes of a cluster: each started in its own session, watched, and stopped by PID.

`ray stop` would kill every Ray process on the machine; here a node is its `ray start --block`
process and everything it spawned (GCS, raylet, agents, workers, replicas). Ray's workers move to
process groups of their own, so a node is stopped by walking its process tree, not by
its group alone (psutil); every PID ever seen is remembered, so a test can check that none survives.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

log = logging.getLogger(__name__)
POLL_S = 0.2  # s between readiness checks
STOP_GRACE_S = 5.0  # s a process group gets after SIGTERM before SIGKILL


class ClusterError(Exception):
    """A cluster process failed to start or answer; one line plus its log's tail."""


def tree(pid: int) -> set[int]:
    """`pid` and all its descendants, now."""
    try:
        return {pid} | {c.pid for c in psutil.Process(pid).children(recursive=True)}
    except psutil.Error:  # (gone meanwhile)
        return {pid}


def running(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _signal(pids: set[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    seen: set[int] = field(default_factory=set)  # every PID of its tree ever seen

    @property
    def pgid(self) -> int:
        return self.popen.pid  # start_new_session: the leader's PID is the group's id

    def alive(self) -> bool:
        return self.popen.poll() is None

    def survivors(self) -> set[int]:
        """PIDs of its tree (as ever seen) still running."""
        self.seen |= tree(self.pgid) if self.alive() else set()
        return {p for p in self.seen if running(p)}

    def kill(self) -> None:
        """SIGKILL it and every descendant at once (a node failing)."""
        self.seen |= tree(self.pgid)
        _signal(self.seen, signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        """SIGTERM the tree, SIGKILL what is left after the grace period."""
        self.seen |= tree(self.pgid)
        _signal(self.seen, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        while self.survivors() and time.monotonic() < deadline:
            time.sleep(POLL_S)
        _signal(self.survivors(), signal.SIGKILL)
        self._reap()

    def _reap(self) -> None:
        try:
            self.popen.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            log.error("%s (pid %d) did not exit after SIGKILL", self.name, self.pgid)
        deadline = time.monotonic() + STOP_GRACE_S  # grandchildren are reaped by init
        while self.survivors() and time.monotonic() < deadline:
            time.sleep(POLL_S)

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def spawn(name: str, argv: list[str], log_dir: Path, env: dict[str, str] | None = None) -> Proc:
    log_path = log_dir / f"{name}.log"
    with log_path.open("ab") as out:
        popen = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 start_new_session=True, env={**os.environ, **(env or {})})
    log.info("started %s (pid %d): %s", name, popen.pid, " ".join(argv[:4]))
    return Proc(name, popen, log_path)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def wait_until(proc: Proc, ready: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ready():
            return
        if not proc.alive():
            raise ClusterError(f"{proc.name} exited ({proc.popen.returncode}) before {what}:\n{proc.tail()}")
        time.sleep(POLL_S)
    raise ClusterError(f"{proc.name}: no {what} within {timeout_s:.0f} s:\n{proc.tail()}")
