// A queue of JSON requests kept in IndexedDB and sent when the network allows.
//
// Generic: used by the gate scanner (scans and tallies, sent in batches) and usable by any
// field page (e.g. the point of sale, one request per sale). Every entry carries a client
// UUID in `body.id`, so that sending it again is harmless: the server answers a replay with
// the first result. An entry leaves the queue only when the server has answered it.
//
//   import { FieldQueue, newId } from "/static/js/field-queue.js";
//   const queue = new FieldQueue({
//     name: "souk-scanner",                       // IndexedDB database name
//     headers: () => ({ Authorization: "Bearer " + token }),
//     onResult: (entry, result) => {},            // server's answer for one entry
//     onChange: (pendingCount) => {},             // after every add / sync
//     onAuthError: () => {},                      // 401: the token must be renewed
//   });
//   await queue.add({ url: "/api/v1/scans", batch: "scans", body: { code, ... } });
//   await queue.add({ url: "/api/v1/sales", body: { ... } });   // sent on its own
//   queue.start();                                // sync now, when online, and every 15 s
//
// Batched entries ({url, batch}) are sent together as {"<batch>": [body, ...]} and the
// server answers {"results": [{"id": ..., ...}, ...]}. Single entries are POSTed as they are.
// A 4xx answer other than 401/408/429 is final: the entry is handed to onResult with
// {failed: true, httpStatus, error} and removed (it would never succeed). Network errors,
// 5xx, 408 and 429 keep the entries and retry with a growing delay.

const STORE = "requests";

export function newId() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDatabase(name) {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    const store = request.result.createObjectStore(STORE, { keyPath: "id" });
    store.createIndex("created", "created");
  };
  return promised(request);
}

export class FieldQueue {
  constructor(options = {}) {
    this.name = options.name || "souk-field-queue";
    this.headers = options.headers || (() => ({}));
    this.batchSize = options.batchSize || 200;
    this.onResult = options.onResult || (() => {});
    this.onChange = options.onChange || (() => {});
    this.onAuthError = options.onAuthError || (() => {});
    this.retryDelays = options.retryDelays || [2000, 5000, 15000, 30000, 60000];
    this.failures = 0;
    this.syncing = null;
    this.timer = null;
    this.database = openDatabase(this.name);
  }

  async transaction(mode, work) {
    const database = await this.database;
    const transaction = database.transaction(STORE, mode);
    const result = await work(transaction.objectStore(STORE));
    await new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
    return result;
  }

  // Queue one request; returns the stored entry (its body has an `id`).
  async add({ url, body, batch = null }) {
    const entry = {
      id: (body && body.id) || newId(),
      url,
      batch,
      body: { ...body },
      created: Date.now(),
    };
    entry.body.id = entry.id;
    await this.transaction("readwrite", (store) => promised(store.put(entry)));
    this.changed();
    return entry;
  }

  async entries() {
    return this.transaction("readonly", (store) => promised(store.index("created").getAll()));
  }

  async count() {
    return this.transaction("readonly", (store) => promised(store.count()));
  }

  async remove(ids) {
    if (!ids.length) return;
    await this.transaction("readwrite", async (store) => {
      for (const id of ids) store.delete(id);
    });
  }

  async changed() {
    try {
      this.onChange(await this.count());
    } catch (error) {
      console.warn("field queue: count failed", error);
    }
  }

  // Send what is queued; resolves to the number of entries still waiting.
  sync() {
    if (!this.syncing) {
      this.syncing = this.sendAll().finally(() => {
        this.syncing = null;
        this.changed();
      });
    }
    return this.syncing;
  }

  async sendAll() {
    if (typeof navigator !== "undefined" && navigator.onLine === false) {
      return this.count();
    }
    const groups = this.group(await this.entries());
    for (const group of groups) {
      const outcome = await this.send(group);
      if (outcome === "stop") {
        this.scheduleRetry();
        return this.count();
      }
    }
    this.failures = 0;
    return this.count();
  }

  group(entries) {
    const groups = [];
    const open = new Map();
    for (const entry of entries) {
      if (!entry.batch) {
        groups.push([entry]);
        continue;
      }
      const key = `${entry.url} ${entry.batch}`;
      let group = open.get(key);
      if (!group || group.length >= this.batchSize) {
        group = [];
        open.set(key, group);
        groups.push(group);
      }
      group.push(entry);
    }
    return groups;
  }

  async send(group) {
    const first = group[0];
    const body = first.batch ? { [first.batch]: group.map((entry) => entry.body) } : first.body;
    let response;
    try {
      response = await fetch(first.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...this.headers() },
        body: JSON.stringify(body),
        cache: "no-store",
      });
    } catch (error) {
      return "stop"; // offline or the connection dropped: the server rolled back or answered; retry
    }
    if (response.status === 401) {
      this.onAuthError();
      return "stop";
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      return "stop";
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = null;
    }
    if (!response.ok) {
      for (const entry of group) {
        this.onResult(entry, { failed: true, httpStatus: response.status, error: answer && answer.error });
      }
      await this.remove(group.map((entry) => entry.id));
      return "next";
    }
    const done = [];
    if (first.batch) {
      const results = new Map(((answer && answer.results) || []).map((result) => [result.id, result]));
      for (const entry of group) {
        if (results.has(entry.id)) {
          this.onResult(entry, results.get(entry.id));
          done.push(entry.id);
        }
      }
    } else {
      this.onResult(first, answer);
      done.push(first.id);
    }
    await this.remove(done);
    return "next";
  }

  scheduleRetry() {
    const delay = this.retryDelays[Math.min(this.failures, this.retryDelays.length - 1)];
    this.failures += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.sync(), delay);
  }

  // Sync now, whenever the browser comes back online, and every `interval` ms.
  start(interval = 15000) {
    this.onlineListener = () => {
      this.failures = 0;
      this.sync();
    };
    window.addEventListener("online", this.onlineListener);
    this.timer = setInterval(() => this.sync(), interval);
    this.changed();
    return this.sync();
  }

  stop() {
    window.removeEventListener("online", this.onlineListener);
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
  }
}
