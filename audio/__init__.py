"""Audio front end and back end: frames, sources, VAD, segmenter, playout, sinks, synthetic sound.

Knows nothing of the duplex policy, the models or the transports.
"""
