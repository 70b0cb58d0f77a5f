// duplex page: mic + camera over WebRTC; offer, answer, ICE and events over one WebSocket per session
// (its close, or 3 s without a heartbeat, is "session lost": the page says so and offers to reconnect).
"use strict";
const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get("token") || "";
// latencies: ms from the end of the user's speech (mic level) to the first answer audio the page plays
const duplex = { heardAudio: false, events: [], state: "new", latencies: [], statuses: [] };
const LOUD = 0.02, QUIET_OUT = 0.01, END_MS = 300;  // mic / output RMS levels; ms of mic silence that end a turn
let micLoudAt = 0, turnEndAt = 0;
window.duplex = duplex;
let pc = null, stream = null, meterTimer = null, ws = null, beatTimer = null, lastBeat = 0, stopping = false;
const LOST_AFTER_MS = 3000;  // no heartbeat for this long: the session is lost

function showError(msg) { $("error").textContent = msg; $("error").hidden = !msg; }
function setState(s) { duplex.state = s; $("state").textContent = s; }
function add(list, cls, text) {
  const li = document.createElement("li");
  li.className = cls; li.textContent = text;
  $(list).appendChild(li); li.scrollIntoView({ block: "nearest" });
  return li;
}

let replyLi = {};
function onEvent(ev) {
  duplex.events.push(ev);
  switch (ev.type) {
    case "status":  // the same state word a kiosk's host screen shows
      duplex.statuses.push(ev.state);
      $("status").textContent = ev.detail ? `${ev.state}: ${ev.detail}` : ev.state;
      $("status").dataset.state = ev.state; break;
    case "user_turn": add("transcript", "user", "you: " + ev.text); break;
    case "language":  // what the session hears: en, zh or auto (each segment's language read as it is said)
      duplex.language = ev.language; $("language").value = ev.language; break;
    case "segment":
      if (ev.final) $("heard-language").textContent = ev.language === "zh" ? "中文" : "English"; break;
    case "reply_text":
      if (!replyLi[ev.reply]) replyLi[ev.reply] = add("transcript", "assistant", "assistant:");
      replyLi[ev.reply].textContent += " " + ev.text; break;
    case "state_token": {
      const label = ev.token === "query" ? "query" : ev.token === "noise" ? "ignored: noise" : "ignored: not addressed";
      add("verdicts", ev.token, `${label} ${ev.p.toFixed(2)}${ev.final ? "" : " (partial)"} at ${ev.t.toFixed(1)} s`);
      break;
    }
    case "paused": add("verdicts", "paused", `paused: query ${ev.p.toFixed(2)} (partial) at ${ev.t.toFixed(1)} s`); break;
    case "interrupt": add("verdicts", "interrupt", `interrupted at ${ev.t.toFixed(1)} s`);
      add("transcript", "interrupt", "— interrupted —"); break;
    case "resumed": add("verdicts", "interrupt", `going on with the answer it was cut in (${ev.t.toFixed(1)} s)`); break;
    case "withdrawn": add("verdicts", "interrupt", `let go: another voice took the question up at ${ev.t.toFixed(1)} s`);
      add("transcript", "interrupt", "— not for me: someone else answered —"); break;
    case "seen": add("verdicts", "seen", `${ev.text} (${ev.t.toFixed(1)} s)`); break;
    case "error":
      showError(ev.code === "at_capacity" ? "The assistant is at capacity: try again in a moment." : ev.message);
      break;
  }
}

function level(analyser, buf) {
  analyser.getFloatTimeDomainData(buf);
  let s = 0; for (const v of buf) s += v * v;
  return Math.sqrt(s / buf.length);
}

async function start() {
  showError("");
  $("start").disabled = true;
  try {
    // a small, slow camera stream: the server decodes every frame on a 2-core CPU next to the models
    const video = { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 5, max: 10 } };
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video })
      .catch(() => navigator.mediaDevices.getUserMedia({ audio: true }));
  } catch (e) {
    showError(e.name === "NotAllowedError" ? "Microphone permission was denied: allow it and press Start again."
                                            : "No microphone available: " + e.message);
    $("start").disabled = false; return;
  }
  $("camera").srcObject = stream;
  $("start").textContent = "Start";
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  stopping = false;
  ws = new WebSocket(`${scheme}//${location.host}/session?token=${encodeURIComponent(token)}`);
  duplex.channel = ws;
  ws.onmessage = (m) => {
    let ev; try { ev = JSON.parse(m.data); } catch (e) { return; }
    if (ev.type === "heartbeat") { lastBeat = performance.now(); return; }
    if (ev.type === "welcome") {
      duplex.node = ev.node; lastBeat = performance.now();
      beatTimer = setInterval(() => { if (performance.now() - lastBeat > LOST_AFTER_MS) lost(); }, 500);
      offer(ev.ice_servers || []).catch((e) => { showError("Could not start the call: " + e); stop(); });
      return;
    }
    if (ev.type === "answer") { pc.setRemoteDescription({ type: "answer", sdp: ev.sdp }); $("stop").disabled = false; return; }
    onEvent(ev);
  };
  ws.onerror = () => showError("The assistant server is unreachable.");
  ws.onclose = () => { if (!stopping) lost(); };
}

async function offer(iceServers) {  // the peer connection, with the host's STUN/TURN servers (none on loopback)
  pc = new RTCPeerConnection({ iceServers });
  pc.onconnectionstatechange = () => {
    setState(pc.connectionState);
    if (pc.connectionState === "failed") showError("Connection to the assistant failed.");
  };
  for (const t of stream.getTracks()) pc.addTrack(t, stream);
  if (!stream.getVideoTracks().length) pc.addTransceiver("video", { direction: "recvonly" });
  pc.ontrack = (e) => {
    if (e.track.kind !== "audio") return;
    const remote = new MediaStream([e.track]);
    $("reply").srcObject = remote;
    const ctx = new AudioContext();
    const out = ctx.createAnalyser(); ctx.createMediaStreamSource(remote).connect(out);
    const mic = ctx.createAnalyser(); ctx.createMediaStreamSource(stream).connect(mic);
    const buf = new Float32Array(1024);
    meterTimer = setInterval(() => {
      const o = level(out, buf), m = level(mic, buf);
      $("out-level").value = Math.min(1, o * 8); $("mic-level").value = Math.min(1, m * 8);
      const now = performance.now();
      if (o > QUIET_OUT && !duplex.heardAudio) { duplex.heardAudio = true; duplex.firstAudioMs = now; }
      if (m > LOUD) { micLoudAt = now; turnEndAt = 0; }
      else if (micLoudAt && !turnEndAt && now - micLoudAt >= END_MS && o <= QUIET_OUT) turnEndAt = micLoudAt;
      if (turnEndAt && o > QUIET_OUT) {  // the answer is heard: the user's speech ended turnEndAt
        duplex.latencies.push(Math.round(now - turnEndAt)); turnEndAt = 0; micLoudAt = 0;
      }
    }, 50);
  };
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((ok) => {
    if (pc.iceGatheringState === "complete") return ok();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && ok();
    setTimeout(ok, 3000);
  });
  if (!ws || ws.readyState !== WebSocket.OPEN) return;
  ws.send(JSON.stringify({ type: "offer", sdp: pc.localDescription.sdp }));
  pc.onicecandidate = (e) => e.candidate && ws && ws.send(JSON.stringify({  // late candidates trickle
    type: "candidate", candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid,
    sdpMLineIndex: e.candidate.sdpMLineIndex }));
}

function lost() {  // the host went away (or refused): say so, keep the transcript, offer to reconnect
  const refused = duplex.events.some((e) => e.type === "error" && e.code === "at_capacity") && !duplex.node;
  if (!refused) showError("Session lost: the assistant's host went away. Press Reconnect to start a new session.");
  duplex.lost = (duplex.lost || 0) + 1;
  stop();
  $("start").textContent = "Reconnect";
}

function stop() {
  stopping = true;
  if (meterTimer) clearInterval(meterTimer);
  if (beatTimer) clearInterval(beatTimer);
  if (ws && ws.readyState <= 1) ws.close();
  ws = null; duplex.node = "";
  if (pc) pc.close();
  if (stream) stream.getTracks().forEach((t) => t.stop());
  pc = null; stream = null;
  setState("stopped");
  $("start").disabled = false; $("stop").disabled = true;
}

$("start").onclick = start;
$("stop").onclick = stop;

$("language").addEventListener("change", (e) => {  // the server answers with a "language" event, or an error
  if (duplex.channel && duplex.channel.readyState === WebSocket.OPEN)
    duplex.channel.send(JSON.stringify({ type: "set_language", language: e.target.value }));
});
