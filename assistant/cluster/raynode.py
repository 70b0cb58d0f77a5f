"""`python -m assistant.cluster.raynode start …`: `ray start`, kept on loopback.

Ray turns a node address of 127.0.0.1 into the machine's LAN address
(`ray._private.services.resolve_ip_for_localhost`), so a "loopback" cluster would listen on the
network with no authentication. Here a loopback address stays what it is: every Ray process of
the node binds 127.0.0.1 (checked by tests/test_cluster.py). Multi-machine clusters give each
node its private address instead and need no patch.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def keep_loopback() -> None:
    """Make Ray keep loopback addresses (in this process: a node launcher or a driver)."""
    import ray._private.services as services

    original = services.resolve_ip_for_localhost

    def resolve(host: str) -> str:
        return host if host in LOOPBACK_HOSTS else original(host)

    services.resolve_ip_for_localhost = resolve


def keep_replica_on_loopback() -> None:
    """Ray Serve 2.60 opens each replica's inter-deployment gRPC server on [::]:0 (every interface,
    no auth); on a loopback cluster, bind it to 127.0.0.1. Call in the replica before it finishes
    initialising (its constructor)."""
    import ray.serve._private.replica as replica

    original = getattr(replica, "add_port_to_grpc_server", None)
    if original is None:
        log.warning("ray.serve changed: cannot keep the replica's gRPC server on loopback")
        return

    def add(server: object, address: str) -> int:
        return int(original(server, address.replace("[::]", "127.0.0.1")))

    replica.add_port_to_grpc_server = add


def main() -> None:
    keep_loopback()
    from ray.scripts.scripts import main as ray_main

    sys.argv = ["ray", *sys.argv[1:]]
    ray_main()


if __name__ == "__main__":
    main()
