"""`python -m assistant.cluster.deploy …`: put `SessionHost` on a running cluster and return when
every replica has loaded its models (run with the cluster's interpreter, `.venv-cluster`)."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from assistant.cluster.raynode import keep_loopback

HTTP_HOST = "127.0.0.1"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--address", required=True, help="the head's GCS address, host:port")
    ap.add_argument("--http-host", default=HTTP_HOST, help="where Serve's proxy listens (the page and /session)")
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--replicas", type=int, required=True)
    ap.add_argument("--config", required=True, help="SessionHost config as JSON")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    keep_loopback()
    import ray
    from ray import serve

    from assistant.cluster.host import deployment

    ray.init(address=args.address, log_to_driver=False, logging_level=logging.WARNING)
    serve.start(http_options={"host": args.http_host, "port": args.http_port, "location": "HeadOnly"})
    serve.run(deployment(json.loads(args.config), args.replicas), name="duplex", route_prefix="/")
    print("deployed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
