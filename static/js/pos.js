// Point of sale: a small client of the field API that keeps selling while the network is away.
//
// The page is rendered by the server with a bearer token, the edition, site and register in
// data attributes of #pos. Products come from GET /api/v1/products and are kept in
// localStorage for offline use; each finished sale gets a client UUID and goes through the
// shared IndexedDB queue (field-queue.js) to POST /api/v1/sales, so a sale sent twice after a
// dropped connection is recorded once. Barcodes come from a keyboard-wedge scanner (typed
// digits + Enter) or the camera (BarcodeDetector, where the browser has it).

import { showAttention } from "/static/js/field-attention.js";
import { FieldQueue, newId } from "/static/js/field-queue.js";

const root = document.getElementById("pos");
const config = root.dataset;
const text = JSON.parse(document.getElementById("pos-text").textContent);
const productsKey = `souk-pos-products:${config.edition}:${config.site}`;
const basket = new Map(); // sku -> quantity
let products = [];
let locale = document.documentElement.lang || "fr";

const $ = (selector) => root.querySelector(selector);

function money(centimes) {
  return new Intl.NumberFormat(locale === "ar" ? "ar-MA" : `${locale}-MA`, {
    style: "currency",
    currency: "MAD",
  }).format(centimes / 100);
}

function parseAmount(value) {
  const cleaned = String(value || "").replace(/\s/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(parseFloat(cleaned) * 100);
}

// ------------------------------------------------------------------ products

function loadStoredProducts() {
  try {
    const stored = JSON.parse(localStorage.getItem(productsKey) || "null");
    if (stored && Array.isArray(stored.products)) {
      products = stored.products;
      $("#products-age").textContent = text.products_from.replace("%(time)s", new Date(stored.at).toLocaleTimeString(locale));
    }
  } catch (error) {
    products = [];
  }
}

async function refreshProducts() {
  try {
    const response = await fetch(config.productsUrl, {
      headers: { Authorization: `Bearer ${config.token}`, Accept: "application/json" },
      cache: "no-store",
    });
    if (!response.ok) return;
    const answer = await response.json();
    const pendingSold = await pendingQuantities();
    products = answer.products.map((product) => ({ ...product, stock: product.stock - (pendingSold.get(product.sku) || 0) }));
    const at = Date.now();
    localStorage.setItem(productsKey, JSON.stringify({ at, products }));
    $("#products-age").textContent = text.products_from.replace("%(time)s", new Date(at).toLocaleTimeString(locale));
    renderResults();
    renderBasket();
  } catch (error) {
    // offline: keep the stored copy
  }
}

function findProduct(sku) {
  return products.find((product) => product.sku === sku);
}

function matches(query) {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  return products
    .filter((product) =>
      product.barcode === needle ||
      product.sku.toLowerCase().includes(needle) ||
      Object.values(product.names || { name: product.name }).some((name) => String(name).toLowerCase().includes(needle)) ||
      String(product.cooperative || "").toLowerCase().includes(needle),
    )
    .slice(0, 30);
}

function productName(product) {
  return (product.names && (product.names[locale] || product.names.fr || product.names.ar)) || product.name;
}

function renderResults() {
  const list = $("#results");
  list.replaceChildren();
  for (const product of matches($("#search").value)) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "pos-product";
    button.dataset.sku = product.sku;
    button.disabled = product.blocked || product.stock <= 0;
    button.innerHTML = "";
    const name = document.createElement("span");
    name.textContent = `${productName(product)} · ${product.sku}`;
    const detail = document.createElement("small");
    detail.textContent = `${money(product.price_centimes)} · ${text.in_stock.replace("%(count)s", product.stock)}${product.blocked ? " · " + text.blocked : ""}`;
    button.append(name, detail);
    button.addEventListener("click", () => addToBasket(product.sku));
    item.append(button);
    list.append(item);
  }
}

// ------------------------------------------------------------------ basket

function addToBasket(sku, quantity = 1) {
  const product = findProduct(sku);
  if (!product) {
    showMessage(text.unknown_product.replace("%(code)s", sku), "error");
    return;
  }
  if (product.blocked) {
    showMessage(text.blocked_product, "error");
    return;
  }
  const wanted = (basket.get(sku) || 0) + quantity;
  if (wanted > product.stock) {
    showMessage(text.not_enough.replace("%(sku)s", sku), "error");
    return;
  }
  if (wanted <= 0) basket.delete(sku);
  else basket.set(sku, wanted);
  showMessage("");
  renderBasket();
}

function basketTotal() {
  let total = 0;
  for (const [sku, quantity] of basket) total += findProduct(sku).price_centimes * quantity;
  return total;
}

function renderBasket() {
  const body = $("#basket tbody");
  body.replaceChildren();
  for (const [sku, quantity] of basket) {
    const product = findProduct(sku);
    if (!product) continue;
    const row = document.createElement("tr");
    row.dataset.sku = sku;
    const name = document.createElement("td");
    name.textContent = productName(product);
    const count = document.createElement("td");
    count.className = "pos-qty";
    const minus = document.createElement("button");
    minus.type = "button";
    minus.className = "secondary";
    minus.textContent = "−";
    minus.setAttribute("aria-label", text.less);
    minus.addEventListener("click", () => addToBasket(sku, -1));
    const plus = document.createElement("button");
    plus.type = "button";
    plus.className = "secondary";
    plus.textContent = "+";
    plus.setAttribute("aria-label", text.more);
    plus.addEventListener("click", () => addToBasket(sku, 1));
    const shown = document.createElement("output");
    shown.textContent = quantity;
    count.append(minus, shown, plus);
    const amount = document.createElement("td");
    amount.className = "num";
    amount.textContent = money(product.price_centimes * quantity);
    row.append(name, count, amount);
    body.append(row);
  }
  $("#total").textContent = money(basketTotal());
  $("#finish").disabled = basket.size === 0;
  renderChange();
}

function payment() {
  const chosen = root.querySelector("input[name=payment]:checked");
  return chosen ? chosen.value : "cash";
}

function renderChange() {
  const cash = payment() === "cash";
  $("#cash-box").hidden = !cash;
  const received = parseAmount($("#received").value);
  const total = basketTotal();
  if (!cash || received === null) {
    $("#change").textContent = "—";
    return;
  }
  $("#change").textContent = received >= total ? money(received - total) : text.short;
}

// ------------------------------------------------------------------ sales queue

const queue = new FieldQueue({
  // One queue per phone, whatever the register: the sales of another register opened on this
  // phone earlier (older queues were named per register) are taken over and still sent.
  name: "souk-pos",
  adoptPrefix: "souk-pos:",
  reportUrl: "/api/v1/field-attention",
  onAttention: (entries) => showAttention(queue, entries),
  headers: () => ({ Authorization: `Bearer ${config.token}` }),
  onResult: (entry, result) => {
    if (result && result.failed) {
      rejected(entry, result);
    } else {
      markSynced(entry.id);
    }
  },
  onChange: (count) => {
    $("#pending").textContent = String(count);
    root.classList.toggle("has-pending", count > 0);
  },
  onAuthError: () => showMessage(text.session_expired, "error"),
});

async function pendingQuantities() {
  const sold = new Map();
  for (const entry of await queue.entries()) {
    if (entry.body.site && entry.body.site !== config.site) continue; // one queue per phone
    for (const line of entry.body.lines || []) sold.set(line.product, (sold.get(line.product) || 0) + line.quantity);
  }
  return sold;
}

function rejected(entry, result) {
  const item = document.createElement("li");
  const reason = (result.error && result.error.message) || text.refused;
  item.textContent = `${new Date(entry.body.sold_at).toLocaleTimeString(locale)} · ${money(entry.body.lines.reduce((sum, line) => sum + line.quantity * line.unit_price_centimes, 0))} · ${reason}`;
  $("#rejected").append(item);
  $("#rejected-box").hidden = false;
  refreshProducts();
}

function markSynced(id) {
  const link = root.querySelector(`[data-sale="${id}"]`);
  if (link) {
    link.classList.add("synced");
    link.querySelector(".sync-state").textContent = text.recorded;
    for (const anchor of link.querySelectorAll("a")) anchor.hidden = false;
  }
}

function nowWithOffset() {
  const now = new Date();
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (value) => String(Math.floor(Math.abs(value))).padStart(2, "0");
  const local = new Date(now.getTime() + offset * 60000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

async function finishSale() {
  const total = basketTotal();
  const received = parseAmount($("#received").value);
  if (payment() === "cash" && received !== null && received < total) {
    showMessage(text.short, "error");
    return;
  }
  const body = {
    id: newId(),
    edition: config.edition,
    site: config.site,
    register: config.register,
    channel: "store",
    payment: payment(),
    sold_at: nowWithOffset(),
    lines: [...basket].map(([sku, quantity]) => ({
      product: sku,
      quantity,
      unit_price_centimes: findProduct(sku).price_centimes,
    })),
  };
  if (payment() === "cash" && received !== null) body.cash_received_centimes = received;
  await queue.add({ url: "/api/v1/sales", body });
  for (const [sku, quantity] of basket) findProduct(sku).stock -= quantity;
  localStorage.setItem(productsKey, JSON.stringify({ at: Date.now(), products }));
  addLastSale(body, total, received);
  basket.clear();
  $("#received").value = "";
  $("#search").value = "";
  renderBasket();
  renderResults();
  showMessage(text.sale_done, "success");
  queue.sync();
  $("#search").focus();
}

function addLastSale(body, total, received) {
  const item = document.createElement("li");
  item.dataset.sale = body.id;
  const summary = document.createElement("span");
  const change = body.payment === "cash" && received !== null ? ` · ${text.change} ${money(received - total)}` : "";
  summary.textContent = `${new Date().toLocaleTimeString(locale)} · ${money(total)}${change} · `;
  const state = document.createElement("span");
  state.className = "sync-state";
  state.textContent = text.waiting;
  item.append(summary, state);
  for (const language of ["fr", "ar"]) {
    const link = document.createElement("a");
    link.href = config.receiptUrl.replace("CLIENT_ID", body.id) + `?lang=${language}`;
    link.target = "_blank";
    link.textContent = ` ${text.receipt} (${language})`;
    link.hidden = true;
    item.append(link);
  }
  $("#last-sales").prepend(item);
}

function showMessage(message, kind = "") {
  const box = $("#message");
  box.textContent = message;
  box.className = kind ? `flash flash-${kind}` : "";
  box.hidden = !message;
}

// ------------------------------------------------------------------ scanning

async function scanWithCamera() {
  if (!("BarcodeDetector" in window)) return;
  const detector = new window.BarcodeDetector();
  const video = $("#camera");
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  const stop = () => {
    for (const track of stream.getTracks()) track.stop();
    video.hidden = true;
  };
  const look = async () => {
    if (video.hidden) return;
    const codes = await detector.detect(video).catch(() => []);
    const product = codes.map((code) => products.find((p) => p.barcode === code.rawValue)).find(Boolean);
    if (product) {
      addToBasket(product.sku);
      stop();
      return;
    }
    requestAnimationFrame(look);
  };
  video.addEventListener("click", stop, { once: true });
  look();
}

function onSearchKey(event) {
  if (event.key !== "Enter") return;
  event.preventDefault();
  const value = event.target.value.trim();
  const exact = products.find((product) => product.barcode === value || product.sku.toLowerCase() === value.toLowerCase());
  if (exact) {
    addToBasket(exact.sku);
    event.target.value = "";
    renderResults();
  } else {
    const found = matches(value);
    if (found.length === 1) {
      addToBasket(found[0].sku);
      event.target.value = "";
      renderResults();
    } else if (!found.length) {
      showMessage(text.unknown_product.replace("%(code)s", value), "error");
    }
  }
}

function renderNetwork() {
  const online = navigator.onLine !== false;
  $("#network").textContent = online ? text.online : text.offline;
  root.classList.toggle("offline", !online);
}

// ------------------------------------------------------------------ start

function start() {
  loadStoredProducts();
  $("#search").addEventListener("input", renderResults);
  $("#search").addEventListener("keydown", onSearchKey);
  $("#received").addEventListener("input", renderChange);
  for (const radio of root.querySelectorAll("input[name=payment]")) radio.addEventListener("change", renderChange);
  $("#finish").addEventListener("click", finishSale);
  $("#clear").addEventListener("click", () => {
    basket.clear();
    renderBasket();
  });
  $("#sync").addEventListener("click", () => queue.sync());
  if ("BarcodeDetector" in window) {
    $("#camera-button").hidden = false;
    $("#camera-button").addEventListener("click", () => scanWithCamera().catch(() => showMessage(text.no_camera, "error")));
  }
  window.addEventListener("online", () => {
    renderNetwork();
    refreshProducts();
  });
  window.addEventListener("offline", renderNetwork);
  renderNetwork();
  renderBasket();
  refreshProducts();
  setInterval(refreshProducts, 60000);
  queue.start();
  if ("serviceWorker" in navigator && config.serviceWorker) {
    navigator.serviceWorker.register(config.serviceWorker, { scope: "/" }).then(() =>
      navigator.serviceWorker.ready.then((registration) =>
        registration.active &&
        registration.active.postMessage({ type: "precache", urls: [location.pathname + location.search, "/static/js/pos.js", "/static/js/field-queue.js", "/static/js/field-attention.js", "/static/js/page.js", "/static/css/pos.css", "/static/css/souk.css", "/static/css/pages.css"] }),
      ),
    ).catch(() => {});
  }
  root.dataset.ready = "1";
}

start();
