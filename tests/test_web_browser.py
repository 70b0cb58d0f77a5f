"""The page in headless Chromium: fake mic (a spoken question) + fake camera → answer audio back."""

from __future__ import annotations

import asyncio
import shutil
import statistics
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from aiohttp import web

from audio import synth
from audio.frames import SAMPLE_RATE
from audio.io import write_wav
from web.server import DuplexServer, ServeOptions

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
QUESTIONS = 6  # one question per 12 s of fake mic
TIMED = 5  # answers the page times (speech end → first answer audio), when as many are answered


class ServerThread(threading.Thread):
    """The real server on 127.0.0.1 in its own event loop, so Playwright can drive the browser here."""

    def __init__(self, server: DuplexServer) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.port = 0
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()

    def run(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(self.server.app())
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.loop.run_until_complete(self.server.warm())  # as `assistant serve`: the URL once the slots are warm
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.join(timeout=20)


def test_browser_question_is_answered_with_audio(models, profile, artifacts, vision, monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed here (make apt installs the Debian package)")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    question = synth.at_level(synth.espeak("What is the capital of France?"), -20)
    mic = np.zeros(SAMPLE_RATE * 12 * QUESTIONS, np.float32)  # the question every 12 s
    for k in range(QUESTIONS):
        synth.place(mic, question, 1.0 + 12 * k)
    wav = artifacts / "fake-mic.wav"
    write_wav(wav, synth.to_rate(mic, 48_000), 48_000)

    monkeypatch.setattr(models, "vision", vision)  # as `assistant serve` loads it: the camera is seen
    opts = ServeOptions()
    server = DuplexServer(models, profile, opts)
    th = ServerThread(server)
    th.start()
    assert th.ready.wait(20)
    url = f"http://127.0.0.1:{th.port}/?token={opts.token}"
    flags = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
             f"--use-file-for-fake-audio-capture={wav}", "--allow-loopback-in-peer-connection",
             "--disable-features=WebRtcHideLocalIpsWithMdns", "--autoplay-policy=no-user-gesture-required"]
    stats: list[dict[str, int]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
            page = browser.new_page()
            t0 = time.perf_counter()
            page.goto(url)
            page.click("#start")
            page.wait_for_function(
                "window.duplex.heardAudio && document.querySelectorAll('#verdicts li.query').length > 0"
                " && document.querySelectorAll('#transcript li.assistant').length > 0"
                " && document.querySelectorAll('#verdicts li.seen').length > 0", timeout=60_000)
            seconds = time.perf_counter() - t0
            first_audio_ms = page.evaluate("window.duplex.firstAudioMs")
            # the question comes again every 12 s; the page times each answer
            try:  # a measurement, not a condition: as many as the fake mic's questions got answered
                page.wait_for_function(f"window.duplex.latencies.length >= {TIMED}", timeout=12_000 * QUESTIONS)
            except PlaywrightTimeout:
                pass
            latencies = page.evaluate("window.duplex.latencies")
            timeline = page.evaluate("window.duplex.events.filter(e => e.type !== 'reply_audio')"
                                     ".map(e => e.type + ' ' + e.t.toFixed(2)).join('\\n')")
            stats = [dict(s.stats) for s in list(server.sessions.values())]
            transcript = page.inner_text("#transcript")
            verdicts = page.inner_text("#verdicts")
            statuses = page.evaluate("window.duplex.statuses")
            page.screenshot(path=str(artifacts / "browser.png"), full_page=True)
            report = (f"speech end → first answer audio on the page, camera on: p50 "
                      f"{statistics.median(latencies) / 1000:.2f} s over {len(latencies)} questions "
                      f"({', '.join(f'{x / 1000:.2f}' for x in latencies)} s)")
            print(report)
            (artifacts / "timing.txt").write_text(
                f"{report}\npage load → answer audio on the page: {first_audio_ms / 1000:.2f} s (test clock {seconds:.2f} s)\n"
                f"events (mic time since the session started):\n{timeline}\n")
            browser.close()
    finally:
        th.stop()
    assert stats and stats[0].get("audio_frames", 0) > 50, stats
    assert stats[0].get("video_frames", 0) > 0, "the fake camera's frames did not reach the server"
    assert "camera:" in verdicts, "what the camera saw is shown on the page"
    assert "you:" in transcript and "assistant:" in transcript
    assert "query" in verdicts
    assert {"listening", "hearing", "speaking"} <= set(statuses), f"the page shows the session's state: {statuses}"
    assert (artifacts / "browser.png").stat().st_size > 0
    assert latencies and all(x > 0 for x in latencies), f"the page timed no answer: {latencies}"


def test_the_page_says_when_its_session_is_lost_and_reconnects(artifacts):
    """The host ends the session (as when its node dies, its socket closes): the page says so and
    offers Reconnect, which lands on the freed slot (test doubles for the models: no speech needed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed here (make apt installs the Debian package)")
    from fakes import fake_models
    from fakes import profile as fake_profile
    from playwright.sync_api import sync_playwright

    wav = artifacts / "quiet-mic.wav"
    write_wav(wav, np.zeros(48_000 * 30, np.float32), 48_000)
    opts = ServeOptions(max_sessions=1)
    server = DuplexServer(fake_models(), fake_profile(), opts)
    th = ServerThread(server)
    th.start()
    assert th.ready.wait(20)
    flags = ["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
             f"--use-file-for-fake-audio-capture={wav}", "--allow-loopback-in-peer-connection",
             "--disable-features=WebRtcHideLocalIpsWithMdns"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{th.port}/?token={opts.token}")
            page.click("#start")
            page.wait_for_function("window.duplex.node && window.duplex.state === 'connected'", timeout=30_000)
            sid = next(iter(server.sessions))
            asyncio.run_coroutine_threadsafe(server.close(sid), th.loop).result(10)
            page.wait_for_function("window.duplex.lost === 1", timeout=10_000)
            error = page.inner_text("#error")
            button = page.inner_text("#start")
            assert page.is_enabled("#start")
            page.click("#start")
            page.wait_for_function("window.duplex.node && window.duplex.state === 'connected'", timeout=30_000)
            reconnected = len(server.sessions)
            browser.close()
    finally:
        th.stop()
    assert "Session lost" in error and button == "Reconnect"
    assert reconnected == 1, "Reconnect opened a new session on the freed slot"
