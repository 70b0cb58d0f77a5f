"""A whole cluster on this machine, on loopback: M llama.cpp servers behind vllm-router, a Ray head,
N worker nodes (S session slots each) and the `SessionHost` deployment behind Serve's proxy.

Every process is started in its own process group and stopped by it (never `ray stop`). Worker
nodes start one after another (simultaneous joins race here and one times out).
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from assistant.cluster.layout import LOOPBACK, ClusterOptions, cluster_python, head_args, worker_args
from assistant.cluster.procs import ClusterError, Proc, port_open, spawn, tree, wait_until

log = logging.getLogger(__name__)
LLM_START_S = 60.0  # s for a llama.cpp server to load its model and listen
NODE_START_S = 60.0  # s for a Ray node to join
DEPLOY_S = 240.0  # s for every replica to load its models
NODE_READY = "block forever"  # what `ray start --block` prints once its node is up
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_DEDUP_LOGS": "0"}


class LocalCluster:
    def __init__(self, options: ClusterOptions, token: str | None = None) -> None:
        self.options = options
        self.token = token or secrets.token_urlsafe(18)
        self.dir = Path(tempfile.mkdtemp(prefix="dxc-"))  # short: Ray's socket paths must fit 107 bytes
        self.python = cluster_python()
        self.router: Proc | None = None
        self.llms: list[Proc] = []
        self.head: Proc | None = None
        self.workers: dict[int, Proc] = {}
        self._next_worker = 0
        self.started: list[Proc] = []  # everything ever started, for `stop` and leak checks

    @property
    def page_url(self) -> str:
        return f"{self.options.http_url}/?token={self.token}"

    @property
    def session_url(self) -> str:
        return f"ws://{LOOPBACK}:{self.options.http_port}/session?token={self.token}"

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Proc:
        p = spawn(name, argv, self.dir, env)
        self.started.append(p)
        return p

    # the LLM service
    def start_llm(self, k: int) -> Proc:
        o = self.options
        p = self._spawn(f"llm-{k}", [self.python, "-m", "assistant.cluster.llm_server", "--port", str(o.llm_port(k)),
                                     "--name", f"llm-{k}", "--llm", o.llm, "--threads", str(o.llm_threads),
                                     "--parallel", str(o.llm_parallel)])
        wait_until(p, lambda: port_open(o.llm_port(k)), LLM_START_S, "listening port")
        return p

    def start_router(self) -> Proc:
        o = self.options
        router = str(Path(self.python).parent / "vllm-router")
        if not Path(router).exists():
            raise ClusterError(f"vllm-router not found next to {self.python}: run `make cluster-setup`")
        p = self._spawn("router", [router, "--host", LOOPBACK, "--port", str(o.router_port),
                                   "--worker-urls", *[f"http://{LOOPBACK}:{o.llm_port(k)}" for k in range(o.llm_servers)],
                                   "--policy", o.policy, "--prometheus-host", LOOPBACK,
                                   "--prometheus-port", str(o.router_metrics_port),
                                   "--worker-startup-check-interval", "1", "--health-check-interval-secs", "2",
                                   "--health-failure-threshold", "1",
                                   "--retry-max-retries", "1", "--log-level", "warning"])
        wait_until(p, lambda: port_open(o.router_port), NODE_START_S, "listening port")
        return p

    # Ray
    def _ray(self, name: str, args: list[str]) -> Proc:
        p = self._spawn(name, [self.python, "-m", "assistant.cluster.raynode", *args], RAY_ENV)
        wait_until(p, lambda: NODE_READY in p.tail(40), NODE_START_S, "node up")
        return p

    def start_head(self) -> Proc:
        self.head = self._ray("head", head_args(self.options, str(self.dir / "ray")))
        return self.head

    def add_worker(self) -> int:
        """Start the next worker node; returns its index."""
        i = self._next_worker
        self._next_worker += 1
        self.workers[i] = self._ray(f"worker-{i}", worker_args(self.options, i))
        return i

    def deploy(self) -> None:
        o = self.options
        config = {"profile": o.profile, "router_url": o.router_url, "threads": o.host_threads, "slots": o.slots,
                  "token": self.token, "ice_host": LOOPBACK, "http_port": o.http_port,
                  "origins": [o.http_url, f"http://localhost:{o.http_port}"], "turn": list(o.turn)}
        p = self._spawn("deploy", [self.python, "-m", "assistant.cluster.deploy", "--address", o.gcs_address,
                                   "--http-port", str(o.http_port), "--replicas", str(o.workers),
                                   "--config", json.dumps(config)], RAY_ENV)
        try:
            p.popen.wait(timeout=DEPLOY_S)
        except subprocess.TimeoutExpired:
            p.kill()
            raise ClusterError(f"deploy: replicas not ready within {DEPLOY_S:.0f} s:\n{p.tail()}") from None
        if p.popen.returncode != 0:
            raise ClusterError(f"deploy failed ({p.popen.returncode}):\n{p.tail()}")

    def start(self) -> None:
        o = self.options
        t0 = time.monotonic()
        try:
            self.llms = [self.start_llm(k) for k in range(o.llm_servers)]
            self.router = self.start_router()
            self.start_head()
            for _ in range(o.workers):
                self.add_worker()
            self.deploy()
        except BaseException:
            self.stop()
            raise
        log.info("cluster up in %.0f s: %s", time.monotonic() - t0, self.page_url)

    def kill_worker(self, i: int) -> None:
        """SIGKILL worker node `i`: its ray start, raylet and every worker process of it."""
        self.workers.pop(i).kill()

    def pids(self) -> set[int]:
        """Every process of the cluster now (each started process and its descendants)."""
        return set().union(*(tree(p.pgid) for p in self.started if p.alive()))

    def worker_of(self, node: str) -> int:
        """The worker node hosting the replica `node` ("host:pid", as a session's `welcome` names it)."""
        pid = int(node.rsplit(":", 1)[1])
        for i, p in self.workers.items():
            if pid in tree(p.pgid):
                return i
        raise ClusterError(f"no worker node hosts {node}")

    def kill_llm(self, k: int) -> None:
        self.llms[k].kill()

    def stop(self) -> None:
        for p in reversed(self.started):
            p.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def survivors(self) -> dict[str, set[int]]:
        """Processes of this cluster still running, by the process that started them (none after `stop`)."""
        return {p.name: left for p in self.started if (left := p.survivors())}
