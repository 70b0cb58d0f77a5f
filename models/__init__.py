"""The real models, loaded from packages: Whisper (shared audio encoder + ASR), Qwen2.5 on llama.cpp,
Piper TTS. Knows nothing of the duplex policy."""
