"""The duplex core: events, clock, replicas, monitor, and the CLI edge over them."""
