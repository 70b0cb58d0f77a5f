"""A cluster's processes are stopped by PID, children that left the process group included (as Ray's
workers do), and a node killed at once; the local cluster's ports stay ≥ 20000 and never overlap."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.cluster.layout import MIN_PORT, ClusterOptions, head_args, worker_args
from assistant.cluster.procs import ClusterError, port_open, running, spawn, tree, wait_until

# a leader with one child in its group and one that moved to its own session (like a Ray worker)
TREE_SCRIPT = "sleep 300 & setsid sleep 300 & wait"


def _grown(pid: int, n: int) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if len(tree(pid)) >= n:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("how", ["stop", "kill"])
def test_a_process_tree_is_ended_whole_even_what_left_its_group(tmp_path: Path, how: str):
    p = spawn("node", ["bash", "-c", TREE_SCRIPT], tmp_path)
    assert _grown(p.pgid, 3), tree(p.pgid)
    pids = tree(p.pgid)
    getattr(p, how)()
    assert p.survivors() == set()
    assert not any(running(pid) for pid in pids)


def test_waiting_for_a_process_that_dies_says_why(tmp_path: Path):
    p = spawn("broken", ["bash", "-c", "echo cannot bind; exit 3"], tmp_path)
    with pytest.raises(ClusterError, match="cannot bind"):
        wait_until(p, lambda: port_open(1), 5, "listening port")


def _ports(args: list[str]) -> set[int]:
    out = set()
    for a in args:
        if a.startswith("--") and "port" in a and "=" in a:
            out.add(int(a.split("=", 1)[1]))
    return out


def test_ports_stay_above_rays_defaults_and_apart():
    o = ClusterOptions(base_port=MIN_PORT)
    fixed = {o.router_port, o.router_metrics_port, o.http_port, *(o.llm_port(k) for k in range(o.llm_servers))}
    head = _ports(head_args(o, "/tmp/x"))
    workers = [_ports(worker_args(o, i)) for i in range(4)]
    groups = [fixed, head, *workers]
    assert min(min(g) for g in groups) >= MIN_PORT
    for i, a in enumerate(groups):
        for b in groups[i + 1:]:
            assert not a & b
    with pytest.raises(ValueError):
        ClusterOptions(base_port=10000)
