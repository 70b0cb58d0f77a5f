"""`assistant` — run | replay | serve | daemon | service | devices | doctor | bench."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from assistant.core.options import Profile, ProfileError, load_profile
from assistant.run.video_in import VideoInputError
from audio.devices import NoAudioDeviceError
from audio.io import AudioInputError
from models.llm import EngineError
from models.weights import MissingModelError

NO_MIC_HINT = ("no microphone on this machine. Try a recording instead:\n"
               "  assistant run --input-wav question.wav        (paced in real time)\n"
               "  assistant replay question.wav --out out/      (writes out/assistant.wav + events)")


def _profile(args: argparse.Namespace) -> Profile:
    return load_profile(args.profile)


def cmd_run(args: argparse.Namespace) -> int:
    from assistant.run.live import run_live

    profile = _profile(args)
    return asyncio.run(run_live(profile, args.input_wav, args.input_device, args.output_device, args.output_wav,
                                args.camera))


def cmd_replay(args: argparse.Namespace) -> int:
    from assistant.core.events import Bus
    from assistant.core.runtime import load_models
    from assistant.run.printer import printer
    from assistant.run.replay import replay
    from assistant.run.video_in import VideoInputError, load_image
    from audio.echo import EchoSpec
    from audio.io import read_audio

    read_audio(args.mic_wav)  # fail fast, before loading models
    try:
        echo = EchoSpec.parse(args.echo) if args.echo else None
        image = load_image(args.image) if args.image else None
        if args.video and not Path(args.video).is_file():
            raise VideoInputError(f"no video file {args.video}")
    except (ValueError, VideoInputError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    profile = _profile(args)
    models = load_models(profile, vision=image is not None or bool(args.video))
    bus = Bus()
    if not args.quiet:
        bus.subscribe(printer())
    r = replay(models, profile, args.mic_wav, args.out, bus, echo, image, args.video)
    print(f"wrote {r.out_dir / 'assistant.wav'}, {r.out_dir / 'events.jsonl'}, {r.out_dir / 'timeline.png'}")
    models.close()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    # the browser edge lives in web/ (it imports the core, never the reverse); loaded on demand
    from aiortc import RTCIceServer

    from assistant.core.runtime import load_models
    from web.server import ServeOptions, serve

    turn = (RTCIceServer(args.turn, args.turn_user, args.turn_credential),) if args.turn else ()
    opts = ServeOptions(host=args.host, port=args.port, max_sessions=args.max_sessions,
                        allowed_origins=tuple(args.allow_origin or ()), ice_servers=turn)
    profile = _profile(args)
    serve(load_models(profile, sessions=opts.max_sessions, vision=True), profile, opts)
    return 0


def cmd_cluster(args: argparse.Namespace) -> int:
    """A local cluster on loopback (`up`), or a load test against one (`load`, started for it)."""
    import signal
    import time

    from assistant.cluster.layout import ClusterOptions
    from assistant.cluster.local import LocalCluster
    from assistant.cluster.procs import ClusterError

    turn = (args.turn, args.turn_user or "", args.turn_credential or "") if args.turn else ()
    opts = ClusterOptions(workers=args.workers, slots=args.slots, llm_servers=args.llm_servers,
                          profile=args.profile, base_port=args.base_port, turn=turn)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally`: every process is stopped
    cluster = LocalCluster(opts)
    try:
        print(f"starting a local cluster: {opts.llm_servers} LLM servers, head + {opts.workers} nodes x {opts.slots} "
              f"sessions (logs in {cluster.dir}) …", flush=True)
        cluster.start()
        if args.action == "up":
            print(f"duplex cluster is listening: {cluster.page_url}", flush=True)
            while True:
                time.sleep(3600)
        from assistant.cluster.load import run_load, table, write

        steps = [int(n) for n in args.steps.split(",")]
        result = asyncio.run(run_load(cluster.session_url, steps))
        print(table(result))
        meta = {"workers": opts.workers, "slots": opts.slots, "llm_servers": opts.llm_servers, "profile": opts.profile}
        print(f"wrote {write(result, Path(args.out), meta)}")
    except ClusterError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


def cmd_daemon(args: argparse.Namespace) -> int:
    # the kiosk / cockpit edge lives in assistant/host (it imports the core, never the reverse)
    from assistant.host.api import HostApiOptions
    from assistant.host.daemon import DaemonOptions, host_token, serve_forever

    profile = _profile(args)
    api = HostApiOptions(host=args.host, port=args.port, token=host_token())
    opts = DaemonOptions(api, args.input_device, args.output_device, args.input_wav, args.record_wav)
    return asyncio.run(serve_forever(profile, opts, args.headless))


def cmd_service(args: argparse.Namespace) -> int:
    from assistant.host.service import ServiceOptions, install, unit_text

    _profile(args)  # a profile that does not load fails here, not at boot
    opts = ServiceOptions(args.profile, args.port, system=args.system)
    if not args.install:
        print(unit_text(opts), end="")
        return 0
    return install(opts)


def cmd_devices(_args: argparse.Namespace) -> int:
    from audio.devices import list_devices

    devs = list_devices()
    if not devs:
        print("no audio devices found (PortAudio sees none)")
        return 1
    for d in devs:
        print(f"{d.index:3d}  in={d.inputs} out={d.outputs}  {d.default_rate:.0f} Hz  {d.name}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from assistant.run.doctor import doctor

    return doctor(_profile(args))


def _room_kinds(kinds: str | None) -> dict[str, int] | None:
    """The real-room scenes per half to run: only `kinds` (all if None)."""
    from assistant.bench.rooms import PER_HALF

    if not kinds:
        return None
    wanted = [k.strip() for k in kinds.split(",") if k.strip()]
    unknown = [k for k in wanted if k not in PER_HALF]
    if unknown:
        raise ProfileError(f"unknown room kind(s) {', '.join(unknown)}; known: {', '.join(PER_HALF)}")
    return {k: PER_HALF[k] for k in wanted}


def cmd_bench(args: argparse.Namespace) -> int:
    from assistant.bench.bench import bench
    from assistant.bench.echo_rooms import bench_echo
    from assistant.bench.qa import bench_qa
    from assistant.bench.rooms_run import bench_rooms

    out = Path(args.out)
    kinds = tuple(k for k in (args.qa_kinds or "").split(",") if k)
    if args.qa_only:
        return bench_qa(_profile(args), out / "qa", args.qa_limit, kinds)
    if args.rooms_only:
        return bench_rooms(_profile(args), out / "rooms", _room_kinds(args.rooms_kinds))
    if args.echo_only:
        return bench_echo(_profile(args), out / "echo")
    if args.embedded_only:
        from assistant.bench.embedded import bench_embedded

        return bench_embedded(_profile(args), out / "embedded")
    if args.mandarin_only:
        from assistant.bench.mandarin import KINDS, bench_mandarin

        wanted = tuple(k for k in (args.mandarin_kinds or ",".join(KINDS)).split(",") if k)
        if set(wanted) - set(KINDS):
            raise ProfileError(f"--mandarin-kinds: known kinds are {', '.join(KINDS)}")
        return bench_mandarin(_profile(args), out / "mandarin", wanted)
    rc = bench(_profile(args), out, args.scenes, args.barge_ins, camera=not args.no_camera)
    rc = rc or (0 if args.no_rooms else bench_rooms(_profile(args), out / "rooms"))
    rc = rc or (0 if args.no_rooms else bench_echo(_profile(args), out / "echo"))
    return rc or (0 if args.no_qa else bench_qa(_profile(args), out / "qa", args.qa_limit, kinds))


def _turn_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--turn", help="a TURN server for peers behind NAT, e.g. turn:turn.example.org:3478 (coturn)")
    p.add_argument("--turn-user", help="TURN username")
    p.add_argument("--turn-credential", help="TURN password")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="assistant", description="duplex: a full-duplex voice assistant")
    ap.add_argument("--profile", default="embedded", help="configs/<name>.toml or a path (default embedded)")
    ap.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                    help="server-side log to stderr (one logger per package: assistant, audio, models, web)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run", help="live: mic (or --input-wav) → speaker (or --output-wav)")
    p.add_argument("--input-wav", help="use a recording paced in real time instead of the mic")
    p.add_argument("--input-device", help="mic by index or name part")
    p.add_argument("--output-device", help="speaker by index or name part")
    p.add_argument("--output-wav", help="write the answers to this wav (mic timeline) instead of a speaker")
    p.add_argument("--camera", type=int, metavar="INDEX", help="a local camera (OpenCV index) the assistant sees")
    p.set_defaults(fn=cmd_run)
    p = sub.add_parser("replay", help="run the duplex loop on a recording; write assistant.wav + events")
    p.add_argument("mic_wav")
    p.add_argument("--out", required=True)
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--echo", metavar="DELAY_MS:GAIN_DB[:LOWPASS_HZ[:RT60_S[:JITTER_MS]]]",
                   help="mix the assistant's output back into the mic (speaker → room → mic)")
    cam = p.add_mutually_exclusive_group()
    cam.add_argument("--image", help="the camera films this still image during the replay")
    cam.add_argument("--video", help="the camera films this video file during the replay")
    p.set_defaults(fn=cmd_replay)
    p = sub.add_parser("serve", help="browser demo: the page + WebRTC on http://HOST:PORT/?token=…")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default loopback only)")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--max-sessions", type=int, default=2)
    p.add_argument("--allow-origin", action="append", help="another allowed page origin (repeatable)")
    _turn_args(p)
    p.set_defaults(fn=cmd_serve)
    p = sub.add_parser("cluster", help="a loopback cluster: Ray Serve session hosts, llama.cpp servers behind vllm-router")
    p.add_argument("action", choices=("up", "load"), help="up: run until Ctrl-C; load: a load test, then stop")
    p.add_argument("--workers", type=int, default=2, help="worker nodes (one session host each)")
    p.add_argument("--slots", type=int, default=2, help="sessions per worker node")
    p.add_argument("--llm-servers", type=int, default=2)
    p.add_argument("--base-port", type=int, default=20000, help="first of the cluster's ports (all >= 20000)")
    p.add_argument("--steps", default="1,2,4,5", help="load: session counts to try, in order")
    p.add_argument("--out", default="bench-out/cluster", help="load: where the table and JSON go")
    _turn_args(p)
    p.set_defaults(fn=cmd_cluster)
    p = sub.add_parser("daemon", help="headless kiosk / cockpit assistant: mic → speaker, host API on ws://HOST:PORT")
    p.add_argument("--host", default="127.0.0.1", help="host API bind address (default loopback only)")
    p.add_argument("--port", type=int, default=8765, help="host API port (also GET /healthz)")
    p.add_argument("--input-device", help="mic by index or name part")
    p.add_argument("--output-device", help="speaker by index or name part")
    p.add_argument("--input-wav", help="replay a recording (paced in real time) instead of a mic")
    p.add_argument("--record-wav", help="write what the assistant said to this wav on exit (default: nothing recorded)")
    p.add_argument("--headless", action="store_true", help="no speaker: answers are events only")
    p.set_defaults(fn=cmd_daemon)
    p = sub.add_parser("service", help="print the systemd unit of the daemon (--install: write and enable it)")
    p.add_argument("--install", action="store_true", help="write the unit (a user unit unless --system) and enable it")
    p.add_argument("--system", action="store_true", help="a system unit in /etc/systemd/system (as root)")
    p.add_argument("--port", type=int, default=8765, help="the daemon's host API port")
    p.set_defaults(fn=cmd_service)
    sub.add_parser("devices", help="list audio devices").set_defaults(fn=cmd_devices)
    sub.add_parser("doctor", help="check models and dependencies").set_defaults(fn=cmd_doctor)
    p = sub.add_parser("bench", help="synthesise scenes, replay them, print + write metrics")
    p.add_argument("--out", default="bench-out")
    p.add_argument("--scenes", type=int, default=12, help="number of quiet-question scenes")
    p.add_argument("--barge-ins", type=int, default=6, help="number of barge-in scenes")
    p.add_argument("--no-camera", action="store_true", help="skip the camera-on column")
    qa = p.add_mutually_exclusive_group()
    qa.add_argument("--qa-only", action="store_true", help="only the spoken-QA bench (are the answers right?)")
    qa.add_argument("--no-qa", action="store_true", help="skip the spoken-QA bench")
    qa.add_argument("--rooms-only", action="store_true",
                    help="only the real-room scenes (side talk and a TV quiz while idle, far and babble requests)")
    qa.add_argument("--echo-only", action="store_true",
                    help="only the own-voice scenes: the answer at -6 dB through a reverberant room, barge-ins over it")
    qa.add_argument("--embedded-only", action="store_true",
                    help="only the kiosk's and cockpit's questions: the driver gate under road noise, local knowledge")
    qa.add_argument("--mandarin-only", action="store_true",
                    help="only the Mandarin scenes (with --profile mandarin): requests, facts, side talk, barge-ins")
    p.add_argument("--mandarin-kinds", help="with --mandarin-only: only these kinds, comma-separated (quiet,side,barge_in)")
    p.add_argument("--no-rooms", action="store_true", help="skip the real-room and own-voice-in-a-room scenes")
    p.add_argument("--qa-limit", type=int, help="only the first N requests of each half (a quick look)")
    p.add_argument("--qa-kinds", help="only these kinds, comma-separated (fact,arithmetic,time,units,definition,"
                                      "howto,story,explanation,followup,command,pause)")
    p.add_argument("--rooms-kinds", help="with --rooms-only: only these kinds, comma-separated (quiet_request,"
                                         "far_request,request_over_babble,idle_side_talk,tv_quiz,babble_20s)")
    p.set_defaults(fn=cmd_bench)
    args = ap.parse_args(argv)
    daemon = args.cmd == "daemon"  # a service logs its events (INFO) to stdout, which journald keeps
    logging.basicConfig(level=min(logging.getLevelName(args.log_level), logging.INFO if daemon else logging.ERROR),
                        stream=sys.stdout if daemon else sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.fn(args))
    except NoAudioDeviceError as e:
        msg = str(e)
        print(f"error: {msg}" + (f"; {NO_MIC_HINT}" if "input" in msg else ""), file=sys.stderr)
        return 2
    except (AudioInputError, ProfileError, MissingModelError, EngineError, VideoInputError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
