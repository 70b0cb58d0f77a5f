"""What a local cluster runs and on which ports (all ≥ 20000, all on 127.0.0.1)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
MIN_PORT = 20000  # Ray's own worker ports default to 10002–19999: ours stay above
ROOT = Path(__file__).resolve().parents[2]
CLUSTER_VENV = ROOT / ".venv-cluster"
SLOT_RESOURCE = "duplex_session_slots"  # a worker node advertises how many sessions it can host
PORTS_PER_NODE = 100


@dataclass(frozen=True)
class ClusterOptions:
    workers: int = 2  # worker nodes, one SessionHost replica each
    slots: int = 2  # sessions per worker node
    llm_servers: int = 2  # llama.cpp servers behind the router
    llm: str = "qwen-0.5b"  # the GGUF every LLM server loads
    llm_threads: int = 1  # CPU threads per LLM server
    llm_parallel: int = 8  # KV-cache slots per LLM server: two per session it serves (a hash may send it all four), spare
    profile: str = "embedded"  # the session hosts' profile (its LLM is replaced by the router)
    host_threads: int = 1  # CPU threads per session host for Whisper and the monitor's LM reading
    base_port: int = 20000
    policy: str = "consistent_hash"  # vllm-router policy keyed on the session header
    turn: tuple[str, ...] = ()  # (url, username, credential) of a TURN server (coturn) for peers beyond the LAN

    def __post_init__(self) -> None:
        if self.base_port < MIN_PORT:
            raise ValueError(f"base_port must be ≥ {MIN_PORT} (Ray's default worker ports lie below)")

    # ports, all relative to base_port
    @property
    def router_port(self) -> int:
        return self.base_port

    @property
    def router_metrics_port(self) -> int:
        return self.base_port + 1

    def llm_port(self, k: int) -> int:
        return self.base_port + 10 + k

    @property
    def http_port(self) -> int:
        return self.base_port + 30

    @property
    def gcs_port(self) -> int:
        return self.base_port + 40

    @property
    def router_url(self) -> str:
        return f"http://{LOOPBACK}:{self.router_port}"

    @property
    def http_url(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}"

    @property
    def gcs_address(self) -> str:
        return f"{LOOPBACK}:{self.gcs_port}"


def cluster_python() -> str:
    """The interpreter with Ray installed: `.venv-cluster`, or this one if it has Ray (DUPLEX_CLUSTER_PYTHON overrides)."""
    override = os.environ.get("DUPLEX_CLUSTER_PYTHON")
    if override:
        return override
    candidate = CLUSTER_VENV / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def head_args(o: ClusterOptions, temp_dir: str) -> list[str]:
    b = o.base_port + 40
    return ["start", "--head", "--block", f"--node-ip-address={LOOPBACK}", f"--port={o.gcs_port}",
            "--include-dashboard=false", "--num-cpus=0", "--disable-usage-stats", f"--temp-dir={temp_dir}",
            f"--node-manager-port={b + 1}", f"--object-manager-port={b + 2}", f"--ray-client-server-port={b + 3}",
            f"--dashboard-agent-listen-port={b + 4}", f"--dashboard-agent-grpc-port={b + 5}",
            f"--metrics-export-port={b + 6}", f"--runtime-env-agent-port={b + 7}",
            f"--min-worker-port={o.base_port + 100}", f"--max-worker-port={o.base_port + 199}"]


def worker_args(o: ClusterOptions, index: int) -> list[str]:
    """Worker node `index` (0, 1, …; a replacement node takes the next unused index)."""
    b = o.base_port + 200 + index * PORTS_PER_NODE
    return ["start", f"--address={o.gcs_address}", "--block", f"--num-cpus={o.slots}", "--disable-usage-stats",
            f"--resources={{\"{SLOT_RESOURCE}\": {o.slots}}}",
            f"--node-manager-port={b}", f"--object-manager-port={b + 1}", f"--dashboard-agent-listen-port={b + 2}",
            f"--dashboard-agent-grpc-port={b + 3}", f"--metrics-export-port={b + 4}",
            f"--runtime-env-agent-port={b + 5}", f"--min-worker-port={b + 10}", f"--max-worker-port={b + 90}"]
