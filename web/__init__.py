"""The browser edge (aiohttp + aiortc): a thin adapter over the same duplex core."""
