// Organisers' live pages (phones at the gates, live gate operations): every 15 s (or the
// container's data-live-seconds, FIELD_LIVE_SECONDS in the app's config) the page reads its JSON
// (data-live-url) and updates in place each element marked data-live="<kind>:<id>:<field>"
// (or a top-level field such as data-live="updated_at"). Times (fields ending in _at) are shown in
// Moroccan time in the page's language; a status uses the labels in its data-labels.

const SECONDS = 15;
const number = new Intl.NumberFormat(document.documentElement.lang);
const time = new Intl.DateTimeFormat(document.documentElement.lang, {
  timeZone: "Africa/Casablanca",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

function flatten(answer) {
  const values = new Map();
  for (const [key, value] of Object.entries(answer)) {
    if (!Array.isArray(value)) values.set(key, value);
  }
  const rows = [
    ["device", answer.devices && answer.sites === undefined ? answer.devices : [], (row) => row.id],
    ["phone", answer.sites !== undefined ? answer.devices || [] : [], (row) => row.id],
    ["site", answer.sites || [], (row) => row.site],
    ["gate", answer.gates || [], (row) => `${row.site}/${row.gate}`],
  ];
  for (const [kind, list, key] of rows) {
    for (const row of list) {
      for (const [field, value] of Object.entries(row)) values.set(`${kind}:${key(row)}:${field}`, value);
    }
  }
  return values;
}

function show(element, name, value) {
  if (value === null || value === undefined) return "–";
  if (element.dataset.labels) return JSON.parse(element.dataset.labels)[value] || "";
  if (name.endsWith("_at")) return time.format(new Date(value));
  if (typeof value === "number") return number.format(value);
  return String(value);
}

async function refresh(container) {
  let answer;
  try {
    const response = await fetch(container.dataset.liveUrl, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) return;
    answer = await response.json();
  } catch (error) {
    return; // offline for a moment: the next round will do
  }
  const values = flatten(answer);
  for (const element of container.querySelectorAll("[data-live]")) {
    const name = element.dataset.live;
    if (!values.has(name)) continue;
    const text = show(element, name, values.get(name));
    if (element.textContent !== text) element.textContent = text;
  }
  container.dataset.refreshed = String(Number(container.dataset.refreshed || 0) + 1);
}

for (const container of document.querySelectorAll("[data-live-url]")) {
  for (const element of container.querySelectorAll("[data-live$='_at']")) {
    if (element.textContent.trim().endsWith("Z")) element.textContent = show(element, element.dataset.live, element.textContent.trim());
  }
  const seconds = Number(container.dataset.liveSeconds) || SECONDS;
  setInterval(() => refresh(container), seconds * 1000);
  container.addEventListener("souk:refresh", () => refresh(container));
}
