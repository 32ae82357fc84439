// A queue of JSON requests kept in IndexedDB and sent when the network allows.
//
// Generic: used by the gate scanner (scans and tallies, sent in batches) and usable by any
// field page (e.g. the point of sale, one request per sale). Every entry carries a client
// UUID in `body.id`, so that sending it again is harmless: the server answers a replay with
// the first result. An entry leaves the queue only when the server has accepted it.
//
//   import { FieldQueue, newId } from "/static/js/field-queue.js";
//   const queue = new FieldQueue({
//     name: "souk-scanner",                       // IndexedDB database name
//     headers: () => ({ Authorization: "Bearer " + token }),
//     onResult: (entry, result) => {},            // server's answer for one entry
//     onChange: (count, attentionCount) => {},    // after every add / sync
//     onAttention: (entries) => {},               // entries that need a person (see below)
//     onAuthError: () => {},                      // 401: the token must be renewed
//     reportUrl: "/api/v1/field-attention",       // optional: tell the organiser as well
//     adoptPrefix: "souk-pos:",                   // optional: take over older queues' entries
//   });
//   await queue.add({ url: "/api/v1/scans", batch: "scans", body: { code, ... } });
//   await queue.add({ url: "/api/v1/sales", body: { ... } });   // sent on its own
//   queue.start();                                // sync now, when online, and every 15 s
//
// Batched entries ({url, batch}) are sent together as {"<batch>": [body, ...]} and the
// server answers {"results": [{"id": ..., ...}, ...]}. Single entries are POSTed as they are.
//
// Nothing that happened in the real world is ever dropped (issue 10):
// * a 4xx answer other than 401/408/429 is handed to onResult as {failed: true, httpStatus,
//   error} and the entry moves to the persistent "needs attention" state: it stays in
//   IndexedDB, is shown to the volunteer or cashier (field-attention.js) and reported to the
//   organiser, until a person retries or settles it;
// * a 5xx answer counts an attempt on each entry sent: entries that failed are sent again in
//   smaller and smaller batches, so one entry the server keeps failing on is soon sent alone,
//   and after `maxAttempts` it needs attention too and no longer holds the others back;
// * network errors, 408 and 429 keep everything and retry later, with a growing delay and
//   jitter that the regular sync interval does not override.

const STORE = "requests";
const PENDING = "pending";
const ATTENTION = "attention";

// A UUID version 7 (RFC 9562): the phone's clock in milliseconds, then 74 random bits. Unique
// like a random UUID, but the ids of one day sort together: the server's unique index on them
// takes each new batch at its right edge instead of in thousands of scattered pages (at a
// national salon's two million scans that made a batch of 500 scans a third slower).
export function newId(now = Date.now()) {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = Math.max(0, Math.floor(now));
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
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
  return promised(request).then((database) => {
    database.onversionchange = () => database.close(); // let another tab delete or upgrade it
    return database;
  });
}

function stateOf(entry) {
  return entry.state || PENDING;
}

export class FieldQueue {
  constructor(options = {}) {
    this.name = options.name || "souk-field-queue";
    this.headers = options.headers || (() => ({}));
    this.batchSize = options.batchSize || 200;
    this.maxAttempts = options.maxAttempts || 6;
    this.onResult = options.onResult || (() => {});
    this.onChange = options.onChange || (() => {});
    this.onAttention = options.onAttention || (() => {});
    this.onAuthError = options.onAuthError || (() => {});
    this.reportUrl = options.reportUrl || null;
    this.retryDelays = options.retryDelays || [2000, 5000, 15000, 30000, 60000];
    this.random = options.random || Math.random;
    this.failures = 0;
    this.retryAt = 0;
    this.syncing = null;
    this.timer = null;
    this.database = openDatabase(this.name);
    this.adopted = options.adoptPrefix ? this.adopt(options.adoptPrefix) : Promise.resolve(0);
  }

  // One IndexedDB transaction; its completion handlers are attached before any work starts,
  // so that a transaction that completes (or fails) quickly is never missed.
  async transaction(mode, work) {
    const database = await this.database;
    const transaction = database.transaction(STORE, mode);
    const finished = new Promise((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error("transaction aborted"));
    });
    let result;
    try {
      result = await work(transaction.objectStore(STORE));
    } catch (error) {
      try {
        transaction.abort();
      } catch (ignored) {
        /* already finished */
      }
      await finished.catch(() => {});
      throw error;
    }
    await finished;
    return result;
  }

  // Queue one request; resolves to the stored entry (its body has an `id`) once IndexedDB
  // has it: show a verdict only after this resolves.
  async add({ url, body, batch = null }) {
    const entry = {
      id: (body && body.id) || newId(),
      url,
      batch,
      body: { ...body },
      created: Date.now(),
      state: PENDING,
      attempts: 0,
    };
    entry.body.id = entry.id;
    await this.transaction("readwrite", (store) => promised(store.put(entry)));
    this.changed();
    return entry;
  }

  // Every entry not yet accepted by the server (waiting or needing attention), oldest first.
  async entries() {
    return this.transaction("readonly", (store) => promised(store.index("created").getAll()));
  }

  async attention() {
    return (await this.entries()).filter((entry) => stateOf(entry) === ATTENTION);
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

  async save(entries) {
    if (!entries.length) return;
    await this.transaction("readwrite", async (store) => {
      for (const entry of entries) store.put(entry);
    });
  }

  // A person asks to send an entry that needs attention again.
  async retry(id) {
    const entry = (await this.entries()).find((candidate) => candidate.id === id);
    if (!entry) return null;
    Object.assign(entry, { state: PENDING, attempts: 0, lastStatus: null, lastError: null });
    await this.save([entry]);
    this.retryAt = 0;
    this.changed();
    return this.sync();
  }

  // A person has settled an entry by other means (e.g. recorded by hand): forget it.
  async settle(id) {
    await this.remove([id]);
    this.changed();
  }

  async changed() {
    try {
      const entries = await this.entries();
      const attention = entries.filter((entry) => stateOf(entry) === ATTENTION);
      this.onChange(entries.length, attention.length);
      this.onAttention(attention);
    } catch (error) {
      console.warn("field queue: count failed", error);
    }
  }

  // Move the entries of older queues (e.g. another register's) into this one.
  async adopt(prefix) {
    if (typeof indexedDB.databases !== "function") return 0;
    let moved = 0;
    for (const info of await indexedDB.databases()) {
      if (!info.name || info.name === this.name || !info.name.startsWith(prefix)) continue;
      const other = await openDatabase(info.name);
      const found = await new Promise((resolve, reject) => {
        const transaction = other.transaction(STORE, "readonly");
        const request = transaction.objectStore(STORE).getAll();
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = () => reject(transaction.error);
      });
      await this.save(found);
      // Only once they are safe here: empty the old queue (another tab may still hold it open,
      // so its deletion is asked for, never waited on).
      await new Promise((resolve, reject) => {
        const transaction = other.transaction(STORE, "readwrite");
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
        const store = transaction.objectStore(STORE);
        for (const entry of found) store.delete(entry.id);
      });
      other.close();
      indexedDB.deleteDatabase(info.name);
      moved += found.length;
    }
    return moved;
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
    await this.adopted.catch(() => 0);
    if (typeof navigator !== "undefined" && navigator.onLine === false) {
      return this.count();
    }
    const entries = await this.entries();
    const groups = this.group(entries.filter((entry) => stateOf(entry) === PENDING));
    for (const group of groups) {
      const outcome = await this.send(group);
      if (outcome === "stop") {
        this.scheduleRetry();
        return this.count();
      }
    }
    this.failures = 0;
    this.retryAt = 0;
    return this.count();
  }

  // How many entries may travel together: fewer each time they failed, down to one.
  groupLimit(attempts) {
    return Math.max(1, Math.floor(this.batchSize / 4 ** (attempts || 0)));
  }

  group(entries) {
    const groups = [];
    const open = new Map();
    for (const entry of entries) {
      if (!entry.batch) {
        groups.push([entry]);
        continue;
      }
      const attempts = entry.attempts || 0;
      const key = `${entry.url} ${entry.batch} ${attempts}`;
      let group = open.get(key);
      if (!group || group.length >= this.groupLimit(attempts)) {
        group = [];
        open.set(key, group);
        groups.push(group);
      }
      group.push(entry);
    }
    // Entries that never failed go first: a suspect never holds back the others.
    return groups.sort((a, b) => (a[0].attempts || 0) - (b[0].attempts || 0));
  }

  async post(first, body) {
    return fetch(first.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...this.headers() },
      body: JSON.stringify(body),
      cache: "no-store",
    });
  }

  async send(group) {
    const first = group[0];
    const body = first.batch ? { [first.batch]: group.map((entry) => entry.body) } : first.body;
    let response;
    try {
      response = await this.post(first, body);
    } catch (error) {
      return "stop"; // offline or the connection dropped: the server rolled back or answered; retry
    }
    if (response.status === 401) {
      this.onAuthError();
      return "stop";
    }
    if (response.status === 408 || response.status === 429) {
      return "stop";
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = null;
    }
    if (response.status >= 500 || (response.status === 413 && group.length > 1)) {
      return this.failedAttempt(group, response.status, answer);
    }
    if (!response.ok) {
      await this.needAttention(group, response.status, answer && answer.error);
      return "next";
    }
    return this.answered(group, answer);
  }

  async failedAttempt(group, status, answer) {
    const stuck = [];
    for (const entry of group) {
      entry.attempts = (entry.attempts || 0) + 1;
      entry.lastStatus = status;
      if (entry.attempts >= this.maxAttempts) stuck.push(entry);
    }
    await this.save(group);
    if (stuck.length) {
      await this.needAttention(stuck, status, (answer && answer.error) || null);
    }
    // A batch that failed is split next time; a suspect sent alone does not stop the others.
    return group.length === 1 && group[0].attempts > 1 ? "next" : "stop";
  }

  async needAttention(entries, status, error) {
    for (const entry of entries) {
      entry.state = ATTENTION;
      entry.lastStatus = status;
      entry.lastError = error || null;
      entry.attentionSince = entry.attentionSince || Date.now();
      this.onResult(entry, { failed: true, httpStatus: status, error: error || null });
    }
    await this.save(entries);
    await this.report(entries);
  }

  // Best effort: the organiser sees what the phones could not deliver.
  async report(entries) {
    if (!this.reportUrl || !entries.length) return;
    try {
      await fetch(this.reportUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...this.headers() },
        body: JSON.stringify({
          reports: entries.map((entry) => ({
            id: entry.id,
            url: entry.url,
            batch: entry.batch,
            body: entry.body,
            http_status: entry.lastStatus,
            error: entry.lastError,
            attempts: entry.attempts || 0,
          })),
        }),
        cache: "no-store",
      });
    } catch (error) {
      /* reported again next time it is retried */
    }
  }

  async answered(group, answer) {
    const first = group[0];
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

  // Back off with jitter (0.5x to 1.5x the step), so that the phones of a market that lost
  // the server do not all come back in the same second.
  scheduleRetry() {
    const step = this.retryDelays[Math.min(this.failures, this.retryDelays.length - 1)];
    const delay = Math.round(step * (0.5 + this.random()));
    this.failures += 1;
    this.retryAt = Date.now() + delay;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryAt = 0;
      this.sync();
    }, delay);
    return delay;
  }

  // The regular sync, which waits while a back-off is running.
  tick() {
    if (Date.now() < this.retryAt) return null;
    return this.sync();
  }

  // Sync now, whenever the browser comes back online, and every `interval` ms.
  start(interval = 15000) {
    this.onlineListener = () => {
      this.failures = 0;
      this.retryAt = 0;
      this.sync();
    };
    window.addEventListener("online", this.onlineListener);
    this.timer = setInterval(() => this.tick(), interval);
    this.changed();
    return this.sync();
  }

  stop() {
    if (typeof window !== "undefined" && this.onlineListener) {
      window.removeEventListener("online", this.onlineListener);
    }
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
  }
}
