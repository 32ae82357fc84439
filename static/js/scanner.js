// The gate scanner: camera or hardware scanner or typed codes, a +1 tally, offline checks.
//
// Every scan is first checked on the phone (Ed25519 signature with the edition's public key
// through WebCrypto, revocation list, edition), so that a forged code is refused at once even
// without network; then it is queued in IndexedDB (field-queue.js) and sent to
// POST /api/v1/scans, whose answer replaces the phone's verdict when it arrives.

import { showAttention } from "./field-attention.js";
import { FieldQueue, newId } from "./field-queue.js";

const config = JSON.parse(document.getElementById("scanner-config").textContent);
const messages = config.messages;
const $ = (id) => document.getElementById(id);
const GREEN = new Set(["accepted", "exhibitor", "queued", "offlineExhibitor"]);
const AMBER = new Set(["reentry", "queuedReentry", "unchecked"]);
const PLACE_KEY = "souk-scanner-place";
const TOKEN_KEY = "souk-scanner-token";
const KEYS_KEY = "souk-scanner-editions";

// ------------------------------------------------------------------ state

if (config.token) localStorage.setItem(TOKEN_KEY, config.token);
const token = () => localStorage.getItem(TOKEN_KEY) || "";
let editions = config.editions.length ? config.editions : JSON.parse(localStorage.getItem(KEYS_KEY) || "[]");
localStorage.setItem(KEYS_KEY, JSON.stringify(editions));
let place = JSON.parse(localStorage.getItem(PLACE_KEY) || "null");
let lastScanId = null;
const publicKeys = new Map(); // kid -> CryptoKey (or null when WebCrypto lacks Ed25519)

const queue = new FieldQueue({
  name: "souk-scanner",
  headers: () => ({ Authorization: `Bearer ${token()}` }),
  batchSize: 500,
  onChange: showPending,
  onResult: serverAnswered,
  onAttention: (entries) => showAttention(queue, entries),
  reportUrl: "/api/v1/field-attention",
  onAuthError: () => say("rejected", messages.authError),
});

// ------------------------------------------------------------------ tokens (offline check)

function fromBase64url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(base64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function parseCode(code) {
  if (typeof code !== "string" || !code.startsWith("SK1.") || code.length > 200) return null;
  let raw;
  try {
    raw = fromBase64url(code.slice(4).trim());
  } catch (error) {
    return null;
  }
  if (raw.length !== 79 || raw[0] !== 1) return null;
  const kind = String.fromCharCode(raw[1]);
  if (kind !== "V" && kind !== "E") return null;
  return { kind, kid: hex(raw.slice(2, 6)), tokenId: hex(raw.slice(6, 14)), payload: raw.slice(0, 15), signature: raw.slice(15) };
}

async function importKey(key) {
  if (!publicKeys.has(key.kid)) {
    try {
      publicKeys.set(key.kid, await crypto.subtle.importKey("raw", fromBase64url(key.public_key), { name: "Ed25519" }, false, ["verify"]));
    } catch (error) {
      publicKeys.set(key.kid, null); // this browser cannot check Ed25519: the server will
    }
  }
  return publicKeys.get(key.kid);
}

// Returns {status, kind, tokenId}: invalid | revoked | wrong_edition | valid | unchecked.
async function checkLocally(code) {
  const parsed = parseCode(code);
  if (!parsed) return { status: "invalid", kind: null };
  const kind = parsed.kind === "V" ? "visitor" : "exhibitor";
  const edition = currentEdition();
  const owner = editions.find((item) => item.keys.some((key) => key.kid === parsed.kid));
  if (!owner) return { status: "invalid", kind: null };
  const key = await importKey(owner.keys.find((item) => item.kid === parsed.kid));
  if (key) {
    let good = false;
    try {
      good = await crypto.subtle.verify({ name: "Ed25519" }, key, parsed.signature, parsed.payload);
    } catch (error) {
      good = false;
    }
    if (!good) return { status: "invalid", kind: null };
  }
  if (owner.slug !== edition.slug) return { status: "wrong_edition", kind };
  if (owner.revoked.includes(parsed.tokenId)) return { status: "revoked", kind };
  return { status: key ? "valid" : "unchecked", kind, tokenId: parsed.tokenId };
}

// Whether the chosen site is open now, by its dates and daily hours in Moroccan time.
function siteOpenNow(moment = new Date()) {
  const site = currentEdition().sites.find((item) => item.slug === place.site);
  if (!site || site.opens_minute === undefined) return true;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Africa/Casablanca",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(moment)
      .map((part) => [part.type, part.value]),
  );
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  return site.opens_on <= day && day <= site.closes_on && site.opens_minute <= minute && minute < site.closes_minute;
}

function seenKey() {
  return `souk-scanner-seen:${place.edition}:${place.site}`;
}

function markSeen(tokenId) {
  const seen = new Set(JSON.parse(localStorage.getItem(seenKey()) || "[]"));
  const before = seen.has(tokenId);
  seen.add(tokenId);
  localStorage.setItem(seenKey(), JSON.stringify([...seen].slice(-20000)));
  return before;
}

// ------------------------------------------------------------------ scanning

async function handleCode(raw) {
  const code = (raw || "").trim();
  if (!code) return;
  if (!place) return say("rejected", messages.chooseSite);
  const local = await checkLocally(code);
  let verdict = local.status;
  if ((verdict === "valid" || verdict === "unchecked") && !siteOpenNow()) {
    verdict = "not_open";
  } else if (verdict === "valid" && local.kind === "visitor") {
    verdict = markSeen(local.tokenId) ? "queuedReentry" : "queued";
  } else if (verdict === "valid") {
    verdict = "offlineExhibitor";
  }
  const id = newId();
  lastScanId = id;
  try {
    await queue.add({
      url: config.urls.scans,
      batch: "scans",
      body: { id, code, edition: place.edition, site: place.site, checkpoint: place.gate, direction: "in", scanned_at: new Date().toISOString() },
    });
  } catch (error) {
    // Not stored, so not counted: never show a green verdict for it (issue 10).
    console.warn("scan not stored", error);
    return say("rejected", messages.failed);
  }
  say(verdict, messages[verdict] || messages.queued);
  history(id, code, verdict);
  if (navigator.onLine) queue.sync();
}

function serverAnswered(entry, result) {
  const status = result.failed ? "rejected" : result.status;
  const row = document.querySelector(`[data-scan="${entry.id}"]`);
  if (row) {
    row.dataset.status = status;
    row.querySelector(".status").textContent = messages[status] || status;
  }
  if (entry.id === lastScanId && entry.batch === "scans") {
    say(status, result.failed ? messages.failed : messages[status] || status, false);
  }
}

// ------------------------------------------------------------------ answer on screen

function colour(status) {
  if (GREEN.has(status)) return "green";
  if (AMBER.has(status)) return "amber";
  return "red";
}

function say(status, text, withSignal = true) {
  const verdict = $("verdict");
  verdict.dataset.status = status;
  verdict.className = `verdict ${colour(status)}`;
  verdict.textContent = text;
  if (withSignal) signal(colour(status));
}

let audio = null;
function signal(tone) {
  try {
    audio = audio || new AudioContext();
    const notes = tone === "green" ? [880] : tone === "amber" ? [660, 660] : [220, 180, 220];
    notes.forEach((frequency, index) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.2;
      oscillator.connect(gain).connect(audio.destination);
      const start = audio.currentTime + index * 0.18;
      oscillator.start(start);
      oscillator.stop(start + 0.14);
    });
  } catch (error) {
    /* no sound on this phone */
  }
  if (navigator.vibrate) navigator.vibrate(tone === "green" ? 120 : tone === "amber" ? [100, 80, 100] : [300, 100, 300]);
}

function history(id, code, status) {
  const list = $("history");
  const item = document.createElement("li");
  item.dataset.scan = id;
  item.dataset.status = status;
  const time = document.createElement("time");
  time.textContent = new Date().toLocaleTimeString();
  const label = document.createElement("span");
  label.className = "status";
  label.textContent = messages[status] || status;
  item.append(time, " ", label);
  list.prepend(item);
  while (list.children.length > 12) list.lastChild.remove();
}

function showPending(count) {
  const pending = $("pending");
  pending.dataset.count = String(count);
  pending.textContent = count ? messages.pending.replace("{count}", count) : messages.synced;
}

function showConnection() {
  const connection = $("connection");
  connection.dataset.online = String(navigator.onLine);
  connection.textContent = navigator.onLine ? messages.online : messages.offline;
}

// ------------------------------------------------------------------ tally

async function tally() {
  if (!place) return say("rejected", messages.chooseSite);
  await queue.add({
    url: config.urls.tallies,
    batch: "tallies",
    body: { edition: place.edition, site: place.site, checkpoint: place.gate, count: 1, counted_at: new Date().toISOString() },
  });
  const key = `souk-scanner-tally:${place.edition}:${place.site}:${new Date().toDateString()}`;
  const total = Number(localStorage.getItem(key) || 0) + 1;
  localStorage.setItem(key, String(total));
  $("tally-count").textContent = String(total);
  say("accepted", messages.tallied);
  if (navigator.onLine) queue.sync();
}

// ------------------------------------------------------------------ site and gate

function currentEdition() {
  return editions.find((edition) => edition.slug === (place && place.edition)) || editions[0];
}

function fillSelect(select, items, chosen) {
  select.replaceChildren(
    ...items.map(([value, label]) => {
      const option = new Option(label, value);
      option.selected = value === chosen;
      return option;
    }),
  );
}

function showPlaceForm() {
  const editionSelect = $("edition");
  const siteSelect = $("site");
  const gateSelect = $("gate");
  const refresh = () => {
    const edition = editions.find((item) => item.slug === editionSelect.value) || editions[0];
    if (!edition) return;
    fillSelect(siteSelect, edition.sites.map((site) => [site.slug, site.name]), siteSelect.value || (place && place.site));
    const site = edition.sites.find((item) => item.slug === siteSelect.value) || edition.sites[0];
    // Gates of the site, then the doors of its workshops (checkpoint workshop:<id>).
    const checkpoints = site.gates.map((gate) => [gate, gate]).concat(site.doors || []);
    fillSelect(gateSelect, checkpoints, gateSelect.value || (place && place.gate));
  };
  fillSelect(editionSelect, editions.map((edition) => [edition.slug, edition.name]), place && place.edition);
  editionSelect.onchange = () => {
    siteSelect.value = "";
    refresh();
  };
  siteSelect.onchange = () => {
    gateSelect.value = "";
    refresh();
  };
  refresh();
  $("place-form").onsubmit = (event) => {
    event.preventDefault();
    place = { edition: editionSelect.value, site: siteSelect.value, gate: gateSelect.value };
    localStorage.setItem(PLACE_KEY, JSON.stringify(place));
    showPlace();
  };
}

function showPlace() {
  const ready = Boolean(place && editions.some((edition) => edition.slug === place.edition));
  $("place-form").hidden = ready;
  $("scanning").hidden = !ready;
  if (ready) {
    const edition = currentEdition();
    const site = edition.sites.find((item) => item.slug === place.site);
    const door = site && (site.doors || []).find(([checkpoint]) => checkpoint === place.gate);
    $("place").textContent = `${site ? site.name : place.site} · ${door ? door[1] : place.gate}`;
    const key = `souk-scanner-tally:${place.edition}:${place.site}:${new Date().toDateString()}`;
    $("tally-count").textContent = localStorage.getItem(key) || "0";
    $("code-input").focus();
  }
}

// ------------------------------------------------------------------ keys refresh

async function refreshKeys() {
  if (!navigator.onLine) return;
  for (const edition of editions) {
    try {
      const response = await fetch(config.urls.keys.replace("EDITION", edition.slug), {
        headers: { Authorization: `Bearer ${token()}`, Accept: "application/json" },
        cache: "no-store",
      });
      if (response.ok) {
        const answer = await response.json();
        edition.keys = answer.keys;
        edition.revoked = answer.revoked;
      }
    } catch (error) {
      return; // offline again: keep the copy we have
    }
  }
  localStorage.setItem(KEYS_KEY, JSON.stringify(editions));
}

// ------------------------------------------------------------------ camera (zxing-wasm)

let scanning = false;
let lastCamera = { text: "", at: 0 };

async function startCamera() {
  let zxing;
  try {
    zxing = await import(config.urls.zxing);
    zxing.prepareZXingModule({
      overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? config.urls.zxingWasm + path : prefix + path) },
      fireImmediately: true,
    });
  } catch (error) {
    return say("rejected", messages.cameraError);
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (error) {
    return say("rejected", messages.cameraError);
  }
  const video = $("camera");
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  scanning = true;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const tick = async () => {
    if (!scanning) return;
    if (video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      try {
        const found = await zxing.readBarcodes(context.getImageData(0, 0, canvas.width, canvas.height), {
          formats: ["QRCode"],
          maxNumberOfSymbols: 1,
          tryHarder: true,
        });
        const text = found.length && found[0].isValid ? found[0].text : "";
        const now = Date.now();
        if (text && (text !== lastCamera.text || now - lastCamera.at > 3000)) {
          lastCamera = { text, at: now };
          await handleCode(text);
        }
      } catch (error) {
        console.warn("QR decoding failed", error);
      }
    }
    setTimeout(tick, 200);
  };
  tick();
  $("camera-button").hidden = true;
}

// ------------------------------------------------------------------ start

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "precached") document.body.dataset.offlineReady = "true";
  });
  navigator.serviceWorker
    .register(config.urls.worker, { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const urls = [location.pathname, ...config.precache];
      registration.active.postMessage({ type: "precache", urls });
    })
    .catch((error) => console.warn("service worker", error));
}

$("code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("code-input");
  const code = input.value;
  input.value = "";
  handleCode(code);
  input.focus();
});
$("tally-button").addEventListener("click", tally);
$("camera-button").addEventListener("click", startCamera);
$("change-place").addEventListener("click", () => {
  $("place-form").hidden = false;
  $("scanning").hidden = true;
});
window.addEventListener("online", () => {
  showConnection();
  refreshKeys();
});
window.addEventListener("offline", showConnection);

showConnection();
showPlaceForm();
showPlace();
registerWorker();
queue.start(5000);
refreshKeys();
setInterval(refreshKeys, 5 * 60 * 1000);
document.body.dataset.scannerReady = "true";
