// The gate scanner: camera or hardware scanner or typed codes, a +1 tally, offline checks.
//
// The page is an app shell, the same for every person and language (field-lang.js shows the
// language chosen on this phone). Its data comes from the server once online and is kept on
// the phone: a bearer token (a provisioned phone's device token, or a signed-in volunteer's),
// the open editions with their sites, gates and public keys.
//
// Every scan is first checked on the phone (Ed25519 signature with the edition's public key
// through WebCrypto, revocation list, edition), so that a forged code is refused at once even
// without network; then it is queued in IndexedDB (field-queue.js) and sent to
// POST /api/v1/scans, whose answer replaces the phone's verdict when it arrives.

import { showAttention } from "./field-attention.js";
import { FieldQueue, newId } from "./field-queue.js";
import { openAt } from "./field-window.js";

const config = JSON.parse(document.getElementById("scanner-config").textContent);
const field = window.soukField;
const t = field.t;
const $ = (id) => document.getElementById(id);
const GREEN = new Set(["accepted", "exhibitor", "queued", "offlineExhibitor", "tallied"]);
const AMBER = new Set(["reentry", "queuedReentry", "unchecked"]);
const HELP = { revoked: "revokedHelp", invalid: "invalidHelp", wrong_site: "wrongSiteHelp", wrong_edition: "wrongEditionHelp", not_open: "notOpenHelp" };
const PLACE_KEY = "souk-scanner-place";
const TOKEN_KEY = "souk-scanner-token";
const DEVICE_TOKEN_KEY = "souk-device-token";
const DEVICE_KEY = "souk-device";
const KEYS_KEY = "souk-scanner-editions";
const SETTINGS_KEY = "souk-scanner-settings";
const SYNC_KEY = "souk-scanner-sync";

// ------------------------------------------------------------------ state

const deviceToken = () => localStorage.getItem(DEVICE_TOKEN_KEY) || "";
const token = () => deviceToken() || localStorage.getItem(TOKEN_KEY) || "";
let editions = JSON.parse(localStorage.getItem(KEYS_KEY) || "[]");
let device = JSON.parse(localStorage.getItem(DEVICE_KEY) || "null");
let place = JSON.parse(localStorage.getItem(PLACE_KEY) || "null");
let settings = { displaySeconds: config.displaySeconds, sound: true, ...JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") };
let lastScanId = null;
let revoked = false;
const publicKeys = new Map(); // kid -> CryptoKey (or null when WebCrypto lacks Ed25519)

const queue = new FieldQueue({
  name: "souk-scanner",
  headers: () => ({ Authorization: `Bearer ${token()}` }),
  batchSize: 500,
  onChange: showPending,
  onResult: serverAnswered,
  onAttention: (entries) => showAttention(queue, entries),
  reportUrl: "/api/v1/field-attention",
  onAuthError: () => loadSession(),
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

// Whether the chosen site is open now, by the opening windows the server sent (Site's rules).
// A session kept from an older version of the app has no windows: the server will judge.
function siteOpenNow(moment = new Date()) {
  const site = currentEdition().sites.find((item) => item.slug === place.site);
  if (!site || !Array.isArray(site.windows)) return true;
  return openAt(site.windows, moment);
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
  if (revoked) return say("rejected", t("deviceRevoked"));
  if (!place) return say("rejected", t("chooseSite"));
  const local = await checkLocally(code);
  let verdict = local.status;
  if ((verdict === "valid" || verdict === "unchecked") && !siteOpenNow()) {
    verdict = "not_open";
  } else if (verdict === "valid" && local.kind === "visitor") {
    verdict = place.direction === "out" || !markSeen(local.tokenId) ? "queued" : "queuedReentry";
  } else if (verdict === "valid") {
    verdict = "offlineExhibitor";
  }
  const id = newId();
  lastScanId = id;
  const body = { id, code, edition: place.edition, site: place.site, checkpoint: place.gate, direction: place.direction || "in", scanned_at: new Date().toISOString() };
  if (device && deviceToken()) body.device = device.id;
  try {
    await queue.add({ url: config.urls.scans, batch: "scans", body });
  } catch (error) {
    // Not stored, so not counted: never show a green verdict for it (issue 10).
    console.warn("scan not stored", error);
    return say("rejected", t("failed"));
  }
  say(verdict, t(verdict), { detail: HELP[verdict] ? t(HELP[verdict]) : "" });
  history(id, verdict);
  if (navigator.onLine) sync();
}

function detailOf(result) {
  if (result.status === "exhibitor" && result.exhibitor) {
    const exhibitor = result.exhibitor;
    return t("exhibitorDetail", { cooperative: exhibitor.cooperative || "", stall: exhibitor.stall || "–", site: field.localized(exhibitor.site_names) });
  }
  if (result.status === "reentry" && result.first_entry_at) {
    return t("firstEntryAt", { time: showTime(result.first_entry_at) });
  }
  if (result.status === "wrong_site" && result.exhibitor) {
    return `${t("wrongSiteHelp")} (${field.localized(result.exhibitor.site_names)})`;
  }
  return HELP[result.status] ? t(HELP[result.status]) : "";
}

function serverAnswered(entry, result) {
  const status = result.failed ? "rejected" : result.status;
  countResult(result.failed || status === "rejected");
  const row = document.querySelector(`[data-scan="${entry.id}"]`);
  if (row) {
    row.dataset.status = status;
    row.querySelector(".status").textContent = t(status);
  }
  if (entry.id === lastScanId && entry.batch === "scans") {
    const text = result.failed ? (result.error && result.error.message) || t("failed") : t(status);
    say(status, text, { signal: false, detail: result.failed ? "" : detailOf(result) });
  }
}

function showTime(iso) {
  return new Intl.DateTimeFormat(field.language(), { timeZone: "Africa/Casablanca", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

// ------------------------------------------------------------------ answer on screen

function colour(status) {
  if (GREEN.has(status)) return "green";
  if (AMBER.has(status)) return "amber";
  return "red";
}

let resetTimer = null;
function say(status, text, { signal: withSignal = true, detail = "" } = {}) {
  const verdict = $("verdict");
  verdict.dataset.status = status;
  verdict.className = `verdict ${colour(status)}`;
  verdict.textContent = text;
  $("verdict-detail").textContent = detail;
  if (withSignal) signal(colour(status));
  clearTimeout(resetTimer);
  const seconds = Number(settings.displaySeconds);
  if (seconds > 0) resetTimer = setTimeout(ready, seconds * 1000);
}

// Back to the scan field: the verdict fades to "ready" after the chosen display time.
function ready() {
  const verdict = $("verdict");
  verdict.dataset.status = "";
  verdict.className = "verdict";
  verdict.textContent = t("ready");
  $("verdict-detail").textContent = "";
  if (!$("scanning").hidden && document.activeElement !== $("display-time")) $("code-input").focus();
}

let audio = null;
function signal(tone) {
  if (!settings.sound) return;
  try {
    audio = audio || new AudioContext();
    const notes = tone === "green" ? [880] : tone === "amber" ? [660, 660] : [220, 180, 220];
    notes.forEach((frequency, index) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.3;
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

function history(id, status) {
  const list = $("history");
  const item = document.createElement("li");
  item.dataset.scan = id;
  item.dataset.status = status;
  const time = document.createElement("time");
  time.textContent = showTime(new Date().toISOString());
  const label = document.createElement("span");
  label.className = "status";
  label.textContent = t(status);
  item.append(time, " ", label);
  list.prepend(item);
  while (list.children.length > 12) list.lastChild.remove();
}

// ------------------------------------------------------------------ sync summary

let pendingCount = 0;
function syncState() {
  const today = new Date().toDateString();
  const state = JSON.parse(localStorage.getItem(SYNC_KEY) || "{}");
  return state.day === today ? state : { day: today, sent: 0, errors: 0, last: state.last || null };
}

function countResult(failed) {
  const state = syncState();
  state.sent += 1;
  if (failed) state.errors += 1;
  state.last = new Date().toISOString();
  localStorage.setItem(SYNC_KEY, JSON.stringify(state));
  showSummary();
}

function showSummary() {
  const state = syncState();
  $("sent-today").textContent = String(state.sent);
  $("sync-errors").textContent = String(state.errors);
  $("waiting").textContent = String(pendingCount);
  $("last-sync").textContent = state.last ? showTime(state.last) : "–";
}

function showPending(count) {
  pendingCount = count;
  const pending = $("pending");
  pending.dataset.count = String(count);
  pending.textContent = count ? t("pending", { count }) : t("synced");
  showSummary();
}

function showDevice() {
  const label = $("device-name");
  label.hidden = !(device && deviceToken());
  label.textContent = device ? t("devicePhone", { name: device.name }) : "";
}

function showConnection() {
  showDevice();
  const connection = $("connection");
  connection.dataset.online = String(navigator.onLine);
  connection.textContent = navigator.onLine ? t("online") : t("offline");
}

// What a provisioned phone tells the organisers after each sync: version and queue.
async function oldestUnsent() {
  const entries = await queue.entries();
  return entries.length ? new Date(entries[0].created).toISOString() : null;
}

async function sync() {
  await queue.sync();
  const left = (await queue.entries()).length;
  if (device && deviceToken() && navigator.onLine && !revoked) {
    try {
      const response = await fetch(config.urls.heartbeat, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${deviceToken()}` },
        body: JSON.stringify({ app_version: config.appVersion, queue_size: left, oldest_unsent_at: await oldestUnsent() }),
        cache: "no-store",
      });
      if (response.status === 401) await loadSession();
    } catch (error) {
      /* offline: next time */
    }
  }
  return left;
}

// ------------------------------------------------------------------ tally

async function tally() {
  if (revoked) return say("rejected", t("deviceRevoked"));
  if (!place) return say("rejected", t("chooseSite"));
  await queue.add({
    url: config.urls.tallies,
    batch: "tallies",
    body: { edition: place.edition, site: place.site, checkpoint: place.gate, count: 1, counted_at: new Date().toISOString() },
  });
  const key = `souk-scanner-tally:${place.edition}:${place.site}:${new Date().toDateString()}`;
  const total = Number(localStorage.getItem(key) || 0) + 1;
  localStorage.setItem(key, String(total));
  $("tally-count").textContent = String(total);
  say("tallied", t("tallied"));
  if (navigator.onLine) sync();
}

// ------------------------------------------------------------------ site and gate

function currentEdition() {
  return editions.find((edition) => edition.slug === (place && place.edition)) || editions[0];
}

function checkpointsOf(site) {
  const gates = site.gates.map((gate) => {
    const role = gate.role === "entry" ? ` (${t("roleEntry")})` : gate.role === "exit" ? ` (${t("roleExit")})` : "";
    return [gate.code, field.localized(gate.names) + role];
  });
  const doors = (site.doors || []).map((door) => [door.checkpoint, field.localized(door.labels)]);
  return gates.concat(doors);
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

function refreshPlaceForm() {
  const editionSelect = $("edition");
  const siteSelect = $("site");
  const gateSelect = $("gate");
  const chosenEdition = editionSelect.value || (place && place.edition);
  fillSelect(editionSelect, editions.map((edition) => [edition.slug, field.localized(edition.names)]), chosenEdition);
  const edition = editions.find((item) => item.slug === editionSelect.value) || editions[0];
  if (!edition) return;
  fillSelect(siteSelect, edition.sites.map((site) => [site.slug, field.localized(site.names)]), siteSelect.value || (place && place.site));
  const site = edition.sites.find((item) => item.slug === siteSelect.value) || edition.sites[0];
  if (site) fillSelect(gateSelect, checkpointsOf(site), gateSelect.value || (place && place.gate));
}

function gateOf(edition, siteSlug, code) {
  const site = edition && edition.sites.find((item) => item.slug === siteSlug);
  return site && site.gates.find((gate) => gate.code === code);
}

function showPlace() {
  const ready = Boolean(place && editions.some((edition) => edition.slug === place.edition));
  $("access").hidden = Boolean(editions.length) && !revoked;
  $("place-form").hidden = ready || !editions.length;
  $("scanning").hidden = !ready;
  if (!ready) return refreshPlaceForm();
  const edition = currentEdition();
  const site = edition.sites.find((item) => item.slug === place.site);
  const checkpoint = site && checkpointsOf(site).find(([code]) => code === place.gate);
  $("place").textContent = `${site ? field.localized(site.names) : ""} · ${checkpoint ? checkpoint[1] : ""}`;
  const gate = gateOf(edition, place.site, place.gate);
  const both = !gate || gate.role === "both";
  $("direction").hidden = !both || place.gate.startsWith("workshop:");
  if (gate && !both) place.direction = gate.role === "exit" ? "out" : "in";
  $("direction-in").setAttribute("aria-pressed", String(place.direction !== "out"));
  $("direction-out").setAttribute("aria-pressed", String(place.direction === "out"));
  const key = `souk-scanner-tally:${place.edition}:${place.site}:${new Date().toDateString()}`;
  $("tally-count").textContent = localStorage.getItem(key) || "0";
  $("code-form").querySelector("button").disabled = revoked;
  $("code-input").disabled = revoked;
  if (!revoked) $("code-input").focus();
}

function choosePlace(event) {
  event.preventDefault();
  place = { edition: $("edition").value, site: $("site").value, gate: $("gate").value, direction: "in" };
  localStorage.setItem(PLACE_KEY, JSON.stringify(place));
  showPlace();
}

function setDirection(direction) {
  place.direction = direction;
  localStorage.setItem(PLACE_KEY, JSON.stringify(place));
  showPlace();
}

// ------------------------------------------------------------------ session (token and editions)

function keepEditions(list) {
  editions = list;
  localStorage.setItem(KEYS_KEY, JSON.stringify(editions));
}

function showAccess(message) {
  $("access-message").textContent = message;
  $("access").hidden = false;
  $("access").dataset.reason = revoked ? "revoked" : "none";
}

async function askSession(url, options) {
  try {
    return await fetch(url, { cache: "no-store", credentials: "same-origin", ...options });
  } catch (error) {
    return null; // offline: keep what the phone has
  }
}

async function loadSession() {
  if (!navigator.onLine) return showPlace();
  if (deviceToken()) {
    const response = await askSession(config.urls.deviceSession, { headers: { Authorization: `Bearer ${deviceToken()}`, Accept: "application/json" } });
    if (response && response.ok) {
      const answer = await response.json();
      revoked = false;
      device = answer.device;
      localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
      showDevice();
      keepEditions(answer.editions);
      if (device.site && (!place || place.edition !== device.edition)) {
        place = { edition: device.edition, site: device.site, gate: device.gate || "", direction: "in" };
        if (!place.gate) place = null;
        localStorage.setItem(PLACE_KEY, JSON.stringify(place));
      }
      return showPlace();
    }
    if (response && response.status === 401) {
      const answer = await response.json().catch(() => null);
      revoked = true;
      document.body.dataset.device = "revoked";
      // An organiser may sign in on this phone to hand over the scans kept in its queue.
      const signedIn = await askSession(config.urls.session, { headers: { Accept: "application/json" } });
      if (signedIn && signedIn.ok && (await signedIn.clone().json()).role === "organiser") {
        return useSignedIn(signedIn);
      }
      showAccess((answer && answer.error && answer.error.message) || t("deviceRevoked"));
      return showPlace();
    }
    return showPlace();
  }
  const response = await askSession(config.urls.session, { headers: { Accept: "application/json" } });
  if (response && response.ok) return useSignedIn(response);
  if (response && (response.status === 401 || response.status === 403 || response.redirected)) {
    localStorage.removeItem(TOKEN_KEY);
    if (!editions.length || response.status === 403) showAccess(t("noAccess"));
  }
  return showPlace();
}

async function useSignedIn(response) {
  const answer = await response.json();
  localStorage.setItem(TOKEN_KEY, answer.token);
  if (revoked) {
    // Hand-over: the organiser's token sends the revoked phone's queue; the phone stays revoked.
    localStorage.removeItem(DEVICE_TOKEN_KEY);
    device = null;
    revoked = false;
  }
  keepEditions(answer.editions);
  showPlace();
  sync();
}

// ------------------------------------------------------------------ camera (zxing-wasm, loaded on demand)

let scanning = false;
let lastCamera = { text: "", at: 0 };

async function startCamera() {
  let zxing;
  try {
    // Only now: a volunteer with a hardware scanner never downloads the decoder.
    zxing = await import(config.urls.zxing);
    zxing.prepareZXingModule({
      overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? `${config.urls.zxingWasm}${path}?v=${config.urls.zxingVersion}` : prefix + path) },
      fireImmediately: true,
    });
  } catch (error) {
    return say("rejected", t("cameraError"));
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (error) {
    return say("rejected", t("cameraError"));
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

// ------------------------------------------------------------------ keys refresh

async function refreshKeys() {
  if (!navigator.onLine || !token()) return;
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

// ------------------------------------------------------------------ start

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register(config.urls.worker, { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      document.body.dataset.offlineReady = "true";
    })
    .catch((error) => console.warn("service worker", error));
}

function keepSettings() {
  settings = { displaySeconds: Number($("display-time").value), sound: $("sound").checked };
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

$("code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("code-input");
  const code = input.value;
  input.value = "";
  handleCode(code);
  input.focus();
});
$("place-form").addEventListener("submit", choosePlace);
for (const id of ["edition", "site"]) $(id).addEventListener("change", refreshPlaceForm);
$("tally-button").addEventListener("click", tally);
$("camera-button").addEventListener("click", startCamera);
$("direction-in").addEventListener("click", () => setDirection("in"));
$("direction-out").addEventListener("click", () => setDirection("out"));
$("change-place").addEventListener("click", () => {
  $("place-form").hidden = false;
  $("scanning").hidden = true;
  refreshPlaceForm();
});
$("display-time").value = String(settings.displaySeconds);
$("sound").checked = settings.sound;
$("display-time").addEventListener("change", keepSettings);
$("sound").addEventListener("change", keepSettings);
window.addEventListener("online", () => {
  showConnection();
  loadSession().then(refreshKeys);
});
window.addEventListener("offline", showConnection);
field.onLanguage(() => {
  showConnection();
  showPlace();
  showPending(pendingCount);
});

showConnection();
showPlace();
registerWorker();
await loadSession();
queue.start(5000);
setInterval(() => navigator.onLine && sync(), 15000);
refreshKeys();
setInterval(refreshKeys, 5 * 60 * 1000);
document.body.dataset.scannerReady = "true";
