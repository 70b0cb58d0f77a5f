"""Beyond one machine: session hosts on Ray Serve, the LLM on llama.cpp servers behind vllm-router.

`layout` plans the processes and ports, `procs` starts and stops them by PID, `raynode` and
`llm_server` are the processes, `host` is the Serve deployment, `deploy` puts it on a running
cluster, `local` starts a whole cluster on loopback, `client` and `load` talk to it.

Ray and vllm-router live in a second virtualenv (`.venv-cluster`, `make cluster-setup`): Ray needs
protobuf ≥ 5, the face mesh (mediapipe) < 5. That venv layers over the main one (a .pth line), so
the duplex core and models are the same files; only its protobuf is newer (faces stay off there).
"""
