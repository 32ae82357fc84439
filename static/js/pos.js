// Point of sale: a small client of the field API that keeps selling while the network is away.
//
// The page is rendered by the server with a bearer token, the edition, site and till in data
// attributes of #pos. Products come from GET /api/v1/products and are kept in localStorage for
// offline use; each finished sale gets a client UUID and goes through the shared IndexedDB queue
// (field-queue.js) to POST /api/v1/sales, so a sale sent twice after a dropped connection is
// recorded once. The receipt is drawn at once from the local basket (printable on 80 mm paper,
// with a QR code to the digital receipt) and the device's recent sales live in IndexedDB with
// their sync state, across reloads. Barcodes come from a keyboard-wedge scanner (typed digits +
// Enter) or the camera (BarcodeDetector, where the browser has it).

import { showAttention } from "/static/js/field-attention.js";
import { FieldQueue, newId } from "/static/js/field-queue.js";

const root = document.getElementById("pos");
const config = root.dataset;
const text = JSON.parse(document.getElementById("pos-text").textContent);
const receiptText = JSON.parse(document.getElementById("receipt-text").textContent);
const scope = `${config.edition}:${config.site}`;
const productsKey = `souk-pos-products:${scope}`;
const favouritesKey = `souk-pos-favourites:${scope}`;
const PAGE = 60;
const basket = new Map(); // sku -> quantity
const parts = []; // split payment parts already added: {method, amount_centimes, reference, phone}
let products = [];
let shownLimit = PAGE;
let deviceFavourites = new Set(JSON.parse(localStorage.getItem(favouritesKey) || "[]"));
const locale = document.documentElement.lang || "fr";

const $ = (selector) => document.querySelector(selector);

function money(centimes, language = locale) {
  return new Intl.NumberFormat(language === "ar" ? "ar-MA" : `${language}-MA`, {
    style: "currency",
    currency: "MAD",
    numberingSystem: "latn",
  }).format(centimes / 100);
}

function parseAmount(value) {
  const cleaned = String(value || "").replace(/\s/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(parseFloat(cleaned) * 100);
}

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_match, key) => String(values[key] ?? ""));
}

// ------------------------------------------------------------------ products

function loadStoredProducts() {
  try {
    const stored = JSON.parse(localStorage.getItem(productsKey) || "null");
    if (stored && Array.isArray(stored.products)) {
      products = stored.products;
      $("#products-age").textContent = format(text.products_from, { time: new Date(stored.at).toLocaleTimeString(locale) });
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
    $("#products-age").textContent = format(text.products_from, { time: new Date(at).toLocaleTimeString(locale) });
    renderFilters();
    renderTiles();
    renderBasket();
  } catch (error) {
    // offline: keep the stored copy
  }
}

const bySku = () => new Map(products.map((product) => [product.sku, product]));
let skuIndex = new Map();

function findProduct(sku) {
  if (skuIndex.size !== products.length) skuIndex = bySku();
  return skuIndex.get(sku) || products.find((product) => product.sku === sku);
}

function productName(product, language = locale) {
  return (product.names && (product.names[language] || product.names.fr || product.names.ar)) || product.name;
}

function cooperativeName(product) {
  return locale === "ar" ? product.cooperative_ar || product.cooperative : product.cooperative;
}

function filtered() {
  const needle = $("#search").value.trim().toLowerCase();
  const sector = $("#filter-sector").value;
  const cooperative = $("#filter-cooperative").value;
  return products.filter(
    (product) =>
      (!sector || product.sector === sector) &&
      (!cooperative || String(product.cooperative_id) === cooperative) &&
      (!needle ||
        product.barcode === needle ||
        product.sku.toLowerCase().includes(needle) ||
        Object.values(product.names || { name: product.name }).some((name) => String(name).toLowerCase().includes(needle)) ||
        String(product.cooperative || "").toLowerCase().includes(needle) ||
        String(product.cooperative_ar || "").includes(needle)),
  );
}

function isFavourite(product) {
  return product.favourite !== null && product.favourite !== undefined ? true : deviceFavourites.has(product.sku);
}

function tile(product) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "pos-tile";
  button.dataset.sku = product.sku;
  button.disabled = product.blocked || product.stock <= 0;
  if (product.photo_url) {
    const photo = document.createElement("img");
    photo.src = product.photo_url;
    photo.alt = "";
    photo.loading = "lazy";
    photo.width = 64;
    photo.height = 64;
    button.append(photo);
  } else {
    const initial = document.createElement("span");
    initial.className = "pos-tile-initial";
    initial.setAttribute("aria-hidden", "true");
    initial.textContent = productName(product).slice(0, 1);
    button.append(initial);
  }
  const name = document.createElement("span");
  name.className = "pos-tile-name";
  name.textContent = productName(product);
  const cooperative = document.createElement("span");
  cooperative.className = "pos-tile-coop";
  cooperative.textContent = cooperativeName(product);
  const price = document.createElement("strong");
  price.className = "pos-tile-price";
  price.textContent = money(product.price_centimes);
  const stock = document.createElement("small");
  stock.className = "pos-tile-stock";
  stock.textContent = product.blocked ? text.blocked : format(text.in_stock, { count: product.stock });
  button.append(name, cooperative, price, stock);
  button.addEventListener("click", () => addToBasket(product.sku));
  const star = document.createElement("button");
  star.type = "button";
  star.className = "pos-star link";
  const pinnedBySite = product.favourite !== null && product.favourite !== undefined;
  star.setAttribute("aria-pressed", String(pinnedBySite || deviceFavourites.has(product.sku)));
  star.textContent = pinnedBySite ? "★" : deviceFavourites.has(product.sku) ? "☆✓" : "☆";
  star.title = pinnedBySite ? text.pinned_site : text.pin_device;
  star.setAttribute("aria-label", `${star.title}: ${productName(product)}`);
  star.addEventListener("click", () => toggleFavourite(product));
  item.append(button, star);
  if (config.role === "organiser") {
    const pin = document.createElement("button");
    pin.type = "button";
    pin.className = "pos-pin link";
    pin.textContent = pinnedBySite ? text.unpin_site : text.pin_site;
    pin.addEventListener("click", () => pinForSite(product, !pinnedBySite));
    item.append(pin);
  }
  return item;
}

function renderTiles() {
  const favourites = products
    .filter(isFavourite)
    .sort((a, b) => (a.favourite ?? 1e6) - (b.favourite ?? 1e6) || productName(a).localeCompare(productName(b)));
  $("#favourites").replaceChildren(...favourites.map(tile));
  $("#favourites-title").hidden = favourites.length === 0;
  const found = filtered();
  $("#results").replaceChildren(...found.slice(0, shownLimit).map(tile));
  $("#more").hidden = found.length <= shownLimit;
  $("#shown-count").textContent = format(text.shown, { shown: Math.min(found.length, shownLimit), total: found.length });
}

function renderFilters() {
  const select = $("#filter-cooperative");
  const chosen = select.value;
  const cooperatives = new Map();
  for (const product of products) cooperatives.set(String(product.cooperative_id), cooperativeName(product));
  const options = [...cooperatives].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => new Option(name, id));
  select.replaceChildren(select.options[0], ...options);
  select.value = chosen;
}

function toggleFavourite(product) {
  if (deviceFavourites.has(product.sku)) deviceFavourites.delete(product.sku);
  else deviceFavourites.add(product.sku);
  localStorage.setItem(favouritesKey, JSON.stringify([...deviceFavourites]));
  renderTiles();
}

async function pinForSite(product, pinned) {
  const response = await fetch(config.favouritesUrl, {
    method: "POST",
    headers: { Authorization: `Bearer ${config.token}`, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ edition: config.edition, site: config.site, product: product.sku, pinned }),
  }).catch(() => null);
  if (!response || !response.ok) {
    showMessage(text.pin_failed, "error");
    return;
  }
  const answer = await response.json();
  product.favourite = answer.favourite;
  localStorage.setItem(productsKey, JSON.stringify({ at: Date.now(), products }));
  renderTiles();
}

// ------------------------------------------------------------------ basket

function addToBasket(sku, quantity = 1) {
  const product = findProduct(sku);
  if (!product) {
    showMessage(format(text.unknown_product, { code: sku }), "error");
    return;
  }
  if (product.blocked) {
    showMessage(text.blocked_product, "error");
    return;
  }
  const wanted = (basket.get(sku) || 0) + quantity;
  if (wanted > product.stock) {
    showMessage(format(text.not_enough, { sku: productName(product) }), "error");
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

function basketCount() {
  let count = 0;
  for (const quantity of basket.values()) count += quantity;
  return count;
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
    const coop = document.createElement("small");
    coop.className = "muted pos-basket-coop";
    coop.textContent = cooperativeName(product);
    name.append(document.createElement("br"), coop);
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
  $("#bar-total").textContent = money(basketTotal());
  $("#bar-count").textContent = String(basketCount());
  $("#finish").disabled = basket.size === 0;
  $("#bar-pay").disabled = basket.size === 0;
  renderPayment();
}

// ------------------------------------------------------------------ payment

function method() {
  const chosen = root.querySelector("input[name=payment]:checked");
  return chosen ? chosen.value : "cash";
}

function remaining() {
  return basketTotal() - parts.reduce((sum, part) => sum + part.amount_centimes, 0);
}

// The part being entered: its amount (what is left when none is typed) and its reference.
function currentPart() {
  const typed = parseAmount($("#part-amount").value);
  const amount = typed === null ? remaining() : typed;
  const chosen = method();
  const part = { method: chosen, amount_centimes: amount };
  if (chosen === "card") part.reference = $("#approval").value.trim();
  if (chosen === "mobile") {
    part.reference = $("#wallet-reference").value.trim();
    part.phone = $("#payer-phone").value.trim();
  }
  return part;
}

function cashDue() {
  const pending = method() === "cash" ? currentPart().amount_centimes : 0;
  return parts.filter((part) => part.method === "cash").reduce((sum, part) => sum + part.amount_centimes, 0) + Math.max(pending, 0);
}

function renderPayment() {
  const chosen = method();
  $("#cash-box").hidden = chosen !== "cash" && !parts.some((part) => part.method === "cash");
  $("#card-box").hidden = chosen !== "card";
  $("#mobile-box").hidden = chosen !== "mobile";
  const list = $("#parts");
  list.replaceChildren(
    ...parts.map((part, index) => {
      const item = document.createElement("li");
      item.textContent = `${text.methods[part.method]} · ${money(part.amount_centimes)}${part.reference ? ` · ${part.reference}` : ""}`;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = text.remove;
      remove.addEventListener("click", () => {
        parts.splice(index, 1);
        renderPayment();
      });
      item.append(" ", remove);
      return item;
    }),
  );
  $("#remaining-box").hidden = parts.length === 0;
  $("#remaining").textContent = money(remaining());
  const received = parseAmount($("#received").value);
  const due = cashDue();
  if (received === null || !due) $("#change").textContent = "—";
  else $("#change").textContent = received >= due ? money(received - due) : text.short;
}

function validPart(part) {
  if (!Number.isInteger(part.amount_centimes) || part.amount_centimes <= 0) return text.bad_amount;
  if (part.amount_centimes > remaining()) return text.too_much;
  if (part.method === "card" && !part.reference) return text.approval_required;
  if (part.method === "mobile" && part.phone && part.phone.replace(/\D/g, "").length < 6) return text.bad_phone;
  return null;
}

function clearPartFields() {
  for (const id of ["#part-amount", "#approval", "#wallet-reference", "#payer-phone"]) $(id).value = "";
}

function addPart() {
  const part = currentPart();
  const problem = validPart(part);
  if (problem) {
    showMessage(problem, "error");
    return;
  }
  parts.push(part);
  clearPartFields();
  showMessage("");
  renderPayment();
}

function quickCash(value) {
  const due = cashDue();
  $("#received").value = ((value === "exact" ? due : Number(value)) / 100).toFixed(2);
  renderPayment();
}

// ------------------------------------------------------------------ recent sales (IndexedDB)

const recent = {
  database: new Promise((resolve, reject) => {
    const request = indexedDB.open(`souk-pos-recent:${scope}:${config.register}`, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("sales", { keyPath: "id" }).createIndex("created", "created");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }),
  async run(mode, work) {
    const database = await this.database;
    return new Promise((resolve, reject) => {
      const transaction = database.transaction("sales", mode);
      const request = work(transaction.objectStore("sales"));
      transaction.oncomplete = () => resolve(request && request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  },
  put(sale) {
    return this.run("readwrite", (store) => store.put(sale));
  },
  get(id) {
    return this.run("readonly", (store) => store.get(id));
  },
  all() {
    return this.run("readonly", (store) => store.index("created").getAll());
  },
};

async function setState(id, state, error = null) {
  const sale = await recent.get(id);
  if (!sale) return;
  sale.state = state;
  sale.error = error;
  await recent.put(sale);
  renderRecent();
}

async function renderRecent() {
  const sales = (await recent.all()).reverse().slice(0, 20);
  $("#last-sales").replaceChildren(
    ...sales.map((sale) => {
      const item = document.createElement("li");
      item.dataset.sale = sale.id;
      item.className = sale.state;
      const summary = document.createElement("span");
      summary.textContent = `${new Date(sale.created).toLocaleTimeString(locale)} · ${money(sale.total)} · `;
      const state = document.createElement("span");
      state.className = "sync-state";
      state.textContent = sale.state === "synced" ? text.recorded : sale.state === "refused" ? `${text.refused}: ${sale.error || ""}` : text.waiting;
      const open = document.createElement("button");
      open.type = "button";
      open.className = "link";
      open.textContent = text.receipt;
      open.addEventListener("click", () => showReceipt(sale));
      item.append(summary, state, " ", open);
      return item;
    }),
  );
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
    if (result && result.failed) rejected(entry, result);
    else setState(entry.id, "synced");
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
  const reason = (result.error && result.error.message) || text.refused;
  setState(entry.id, "refused", reason);
  showMessage(format(text.sale_refused, { reason }), "error");
  refreshProducts();
}

function nowWithOffset() {
  const now = new Date();
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (value) => String(Math.floor(Math.abs(value))).padStart(2, "0");
  const local = new Date(now.getTime() + offset * 60000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

function paymentsOfSale() {
  const all = [...parts];
  if (remaining() > 0) {
    const last = currentPart();
    const problem = validPart(last);
    if (problem) return { problem };
    all.push(last);
  }
  if (!all.length || all.reduce((sum, part) => sum + part.amount_centimes, 0) !== basketTotal()) return { problem: text.mismatch };
  return { payments: all };
}

async function finishSale() {
  const total = basketTotal();
  const { payments, problem } = paymentsOfSale();
  if (problem) {
    showMessage(problem, "error");
    return;
  }
  const received = parseAmount($("#received").value);
  const cash = payments.filter((part) => part.method === "cash").reduce((sum, part) => sum + part.amount_centimes, 0);
  if (cash && received !== null && received < cash) {
    showMessage(text.short, "error");
    return;
  }
  const methods = new Set(payments.map((part) => part.method));
  const body = {
    id: newId(),
    edition: config.edition,
    site: config.site,
    register: config.register,
    channel: "store",
    payment: methods.size === 1 ? payments[0].method : payments[0].method,
    payments: payments.map((part) => ({ ...part })),
    sold_at: nowWithOffset(),
    lines: [...basket].map(([sku, quantity]) => ({
      product: sku,
      quantity,
      unit_price_centimes: findProduct(sku).price_centimes,
    })),
  };
  if (cash && received !== null) body.cash_received_centimes = received;
  await queue.add({ url: "/api/v1/sales", body });
  const sale = {
    id: body.id,
    created: Date.now(),
    total,
    received: cash && received !== null ? received : null,
    cash,
    payments: payments.map((part) => ({ method: part.method, amount_centimes: part.amount_centimes, reference: part.reference || null, phone: part.phone ? maskPhone(part.phone) : null })),
    lines: [...basket].map(([sku, quantity]) => {
      const product = findProduct(sku);
      return { sku, quantity, unit_price_centimes: product.price_centimes, names: product.names || { fr: product.name }, cooperative: product.cooperative, cooperative_ar: product.cooperative_ar };
    }),
    state: "pending",
  };
  await recent.put(sale);
  for (const [sku, quantity] of basket) findProduct(sku).stock -= quantity;
  localStorage.setItem(productsKey, JSON.stringify({ at: Date.now(), products }));
  basket.clear();
  parts.length = 0;
  clearPartFields();
  $("#received").value = "";
  $("#search").value = "";
  root.querySelector("input[name=payment][value=cash]").checked = true;
  renderBasket();
  renderTiles();
  renderRecent();
  showMessage(text.sale_done, "success");
  showReceipt(sale);
  queue.sync();
}

function maskPhone(phone) {
  const digits = phone.replace(/\D/g, "");
  return "•".repeat(Math.max(digits.length - 2, 0)) + digits.slice(-2);
}

// ------------------------------------------------------------------ receipt (from the local basket)

let receiptSale = null;
let receiptLanguage = locale === "ar" ? "ar" : "fr";
let writer = null;

async function qrSvg(value) {
  try {
    if (!writer) {
      writer = await import(config.zxing);
      writer.prepareZXingModule({
        overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? config.zxingWasm + path : prefix + path) },
      });
    }
    const written = await writer.writeBarcode(value, { format: "QRCode", ecLevel: "M", scale: 3 });
    return written.svg || null;
  } catch (error) {
    return null;
  }
}

function receiptLine(parent, tag, content, className = "") {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  parent.append(element);
  return element;
}

async function showReceipt(sale) {
  receiptSale = sale;
  const words = receiptText[receiptLanguage];
  const paper = $("#receipt");
  paper.replaceChildren();
  paper.lang = receiptLanguage;
  paper.dir = receiptLanguage === "ar" ? "rtl" : "ltr";
  receiptLine(paper, "h1", words.store);
  const head = receiptLine(paper, "p", `${words.edition} · ${words.site} · ${words.till}`, "receipt-head");
  head.append(document.createElement("br"), new Date(sale.created).toLocaleString(receiptLanguage === "ar" ? "ar-MA-u-nu-latn" : "fr-MA"));
  const table = document.createElement("table");
  for (const line of sale.lines) {
    const row = table.insertRow();
    const what = row.insertCell();
    what.textContent = productName(line, receiptLanguage);
    what.append(document.createElement("br"));
    receiptLine(what, "small", `${receiptLanguage === "ar" ? line.cooperative_ar || line.cooperative : line.cooperative} · ${line.quantity} × ${money(line.unit_price_centimes, receiptLanguage)}`, "muted");
    const amount = row.insertCell();
    amount.className = "num";
    amount.textContent = money(line.quantity * line.unit_price_centimes, receiptLanguage);
  }
  paper.append(table);
  receiptLine(paper, "p", `${words.total}: ${money(sale.total, receiptLanguage)}`, "total");
  for (const part of sale.payments) {
    const extra = part.reference ? ` · ${part.method === "card" ? words.approval : words.reference} ${part.reference}` : "";
    receiptLine(paper, "p", `${words.methods[part.method]}: ${money(part.amount_centimes, receiptLanguage)}${extra}${part.phone ? ` · ${part.phone}` : ""}`);
  }
  if (sale.received !== null && sale.received !== undefined) {
    receiptLine(paper, "p", `${words.cash_received}: ${money(sale.received, receiptLanguage)} · ${words.change}: ${money(sale.received - sale.cash, receiptLanguage)}`);
  }
  const url = config.receiptUrl.replace("CLIENT_ID", sale.id) + `?language=${receiptLanguage}`;
  const qr = document.createElement("figure");
  qr.className = "receipt-qr";
  const caption = document.createElement("figcaption");
  caption.textContent = sale.state === "synced" ? words.scan : words.being_synced;
  qr.append(caption);
  paper.append(qr);
  receiptLine(paper, "p", words.thanks, "receipt-thanks");
  $("#receipt-view").hidden = false;
  document.body.classList.add("showing-receipt");
  $("#receipt-print").focus();
  const svg = await qrSvg(url);
  if (svg && receiptSale === sale) {
    const holder = document.createElement("div");
    holder.className = "receipt-qr-code";
    holder.innerHTML = svg; // the SVG drawn by zxing-wasm from our own URL
    qr.prepend(holder);
  }
}

function closeReceipt() {
  $("#receipt-view").hidden = true;
  document.body.classList.remove("showing-receipt");
  receiptSale = null;
  $("#search").focus();
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
  const found = exact ? [exact] : filtered();
  if (found.length === 1) {
    addToBasket(found[0].sku);
    event.target.value = "";
    renderTiles();
  } else if (!found.length) {
    showMessage(format(text.unknown_product, { code: value }), "error");
  }
}

function renderNetwork() {
  const online = navigator.onLine !== false;
  $("#network").textContent = online ? text.online : text.offline;
  root.classList.toggle("offline", !online);
}

// ------------------------------------------------------------------ start

// The page's own scripts and styles, as the page names them (static URLs may carry a version).
function assetUrls() {
  return [
    ...[...document.querySelectorAll("script[src]")].map((script) => script.src),
    ...[...document.querySelectorAll("link[rel=stylesheet]")].map((link) => link.href),
  ];
}

function start() {
  loadStoredProducts();
  renderFilters();
  $("#search").addEventListener("input", () => {
    shownLimit = PAGE;
    renderTiles();
  });
  $("#search").addEventListener("keydown", onSearchKey);
  for (const id of ["#filter-sector", "#filter-cooperative"]) {
    $(id).addEventListener("change", () => {
      shownLimit = PAGE;
      renderTiles();
    });
  }
  $("#more").addEventListener("click", () => {
    shownLimit += PAGE * 2;
    renderTiles();
  });
  for (const id of ["#received", "#part-amount"]) $(id).addEventListener("input", renderPayment);
  for (const radio of root.querySelectorAll("input[name=payment]")) radio.addEventListener("change", renderPayment);
  for (const button of root.querySelectorAll("[data-cash]")) button.addEventListener("click", () => quickCash(button.dataset.cash));
  $("#add-part").addEventListener("click", addPart);
  $("#finish").addEventListener("click", finishSale);
  $("#bar-pay").addEventListener("click", () => {
    $("#payment").scrollIntoView({ block: "start" });
    $("#payment").focus({ preventScroll: true });
  });
  $("#clear").addEventListener("click", () => {
    basket.clear();
    parts.length = 0;
    renderBasket();
  });
  $("#sync").addEventListener("click", () => queue.sync());
  for (const button of document.querySelectorAll("[data-receipt-language]")) {
    button.addEventListener("click", async () => {
      receiptLanguage = button.dataset.receiptLanguage;
      if (receiptSale) showReceipt((await recent.get(receiptSale.id)) || receiptSale);
    });
  }
  $("#receipt-print").addEventListener("click", () => window.print());
  $("#receipt-close").addEventListener("click", closeReceipt);
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
  renderTiles();
  renderBasket();
  renderRecent();
  refreshProducts();
  setInterval(refreshProducts, 60000);
  queue.start();
  if ("serviceWorker" in navigator && config.serviceWorker) {
    // The worker answers once it keeps the page and its files: the till then reopens offline.
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "precached") root.dataset.offlineReady = "1";
    });
    navigator.serviceWorker.register(config.serviceWorker, { scope: "/" }).then(() =>
      navigator.serviceWorker.ready.then((registration) =>
        registration.active &&
        registration.active.postMessage({ type: "precache", urls: [location.pathname + location.search, ...assetUrls(), "/static/js/pos.js", "/static/js/field-queue.js", "/static/js/field-attention.js", "/static/js/page.js", "/static/css/pos.css", "/static/css/souk.css", "/static/css/pages.css", config.zxing, `${config.zxingWasm}zxing_writer.wasm`] }),
      ),
    ).catch(() => {});
  }
  root.dataset.ready = "1";
}

start();
