// node --test tests/js: the phones' queue survives a server that misbehaves (issue 10).
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import { FieldQueue, newId } from "../../static/js/field-queue.js";

let databaseNumber = 0;
const made = [];
let requests = [];
let answer = () => ({ status: 200, body: { results: [] } });

globalThis.fetch = async (url, init) => {
  const body = JSON.parse(init.body);
  requests.push({ url, body });
  const reply = await answer(url, body);
  if (reply === "network") throw new TypeError("Failed to fetch");
  return { status: reply.status, ok: reply.status < 300, json: async () => reply.body };
};

function echo(body, status = "accepted") {
  return { status: 200, body: { results: body.scans.map((scan) => ({ id: scan.id, status })) } };
}

function queue(options = {}) {
  databaseNumber += 1;
  const results = [];
  const created = new FieldQueue({
    name: `test-queue-${databaseNumber}`,
    batchSize: 64,
    onResult: (entry, result) => results.push([entry.id, result]),
    ...options,
  });
  created.results = results;
  made.push(created);
  return created;
}

afterEach(() => {
  for (const created of made.splice(0)) created.stop();
});

function scan(queueObject, code, id) {
  return queueObject.add({ url: "/api/v1/scans", batch: "scans", body: { id, code } });
}

beforeEach(() => {
  requests = [];
  answer = (url, body) => (body.scans ? echo(body) : { status: 201, body: { id: body.id } });
});

test("a 4xx never deletes a sale: it needs attention, survives a reload and can be retried", async () => {
  const sales = queue();
  answer = () => ({ status: 422, body: { error: { code: "price_changed", message: "The price changed." } } });
  await sales.add({ url: "/api/v1/sales", body: { id: "sale-1", lines: [] } });
  await sales.sync();
  assert.equal(await sales.count(), 1);
  const [waiting] = await sales.attention();
  assert.equal(waiting.id, "sale-1");
  assert.equal(waiting.lastStatus, 422);
  assert.equal(waiting.lastError.code, "price_changed");
  assert.deepEqual(sales.results[0][1], { failed: true, httpStatus: 422, error: waiting.lastError });
  // Another sync does not send it again on its own (it would be refused the same way).
  await sales.sync();
  assert.equal(requests.length, 1);
  // A reload (a new queue on the same database) still holds it.
  const reloaded = new FieldQueue({ name: sales.name });
  assert.deepEqual((await reloaded.attention()).map((entry) => entry.id), ["sale-1"]);
  // The cashier retries once the catalogue is right.
  answer = (url, body) => ({ status: 201, body: { id: body.id, total_centimes: 0 } });
  await reloaded.retry("sale-1");
  assert.equal(await reloaded.count(), 0);
});

test("a scan the server keeps failing on never blocks the scans behind it", async () => {
  const scans = queue({ maxAttempts: 4 });
  answer = (url, body) =>
    body.scans.some((item) => item.code === "poison") ? { status: 500, body: {} } : echo(body);
  await scan(scans, "good-1", "g1");
  await scan(scans, "poison", "p1");
  for (let n = 2; n <= 40; n += 1) await scan(scans, `good-${n}`, `g${n}`);
  let rounds = 0;
  while ((await scans.count()) > 1 || (await scans.attention()).length === 0) {
    await scans.sync();
    rounds += 1;
    assert.ok(rounds < 12, "the poisonous scan was never isolated");
  }
  const left = await scans.entries();
  assert.deepEqual(left.map((entry) => [entry.id, entry.state]), [["p1", "attention"]]);
  assert.equal(left[0].attempts, 4);
  assert.equal(scans.results.filter(([, result]) => result.status === "accepted").length, 40);
  // Once it needs attention, a new scan goes through at the first sync, in one request.
  requests = [];
  await scan(scans, "good-41", "g41");
  await scans.sync();
  assert.equal(requests.length, 1);
  assert.deepEqual(requests[0].body.scans.map((item) => item.id), ["g41"]);
});

test("a batch that is too large is split, never dropped", async () => {
  const scans = queue();
  answer = (url, body) => (body.scans.length > 16 ? { status: 413, body: {} } : echo(body));
  for (let n = 0; n < 40; n += 1) await scan(scans, `c${n}`, `s${n}`);
  await scans.sync();
  await scans.sync();
  assert.equal(await scans.count(), 0);
  assert.equal((await scans.attention()).length, 0);
});

test("network errors count no attempt and keep everything", async () => {
  const scans = queue({ maxAttempts: 2 });
  answer = () => "network";
  await scan(scans, "c", "s1");
  for (let n = 0; n < 5; n += 1) await scans.sync();
  const [entry] = await scans.entries();
  assert.equal(entry.attempts, 0);
  assert.equal(entry.state, "pending");
});

test("back-off has jitter and the fixed interval does not override it", async () => {
  const scans = queue({ retryDelays: [10000], random: () => 0 });
  assert.equal(scans.scheduleRetry(), 5000);
  scans.random = () => 0.999;
  assert.equal(scans.scheduleRetry(), 14990);
  await scan(scans, "c", "s1");
  requests = [];
  assert.equal(scans.tick(), null);
  assert.equal(requests.length, 0);
  scans.stop();
  scans.retryAt = 0;
  await scans.tick();
  assert.equal(requests.length, 1);
});

test("add resolves only once IndexedDB holds the entry, and fails loudly otherwise", async () => {
  const scans = queue();
  await scan(scans, "c", "s1");
  const reader = new FieldQueue({ name: scans.name });
  assert.deepEqual((await reader.entries()).map((entry) => entry.id), ["s1"]);
  await assert.rejects(scans.add({ url: "/x", body: { id: "bad", callback: () => 1 } }));
  assert.equal(await scans.count(), 1);
});

test("the sales of another register on this phone are still synced", async () => {
  const older = new FieldQueue({ name: "souk-pos:fes:meknes:till-1" });
  await older.add({ url: "/api/v1/sales", body: { id: "sold-at-till-1", register: "till-1" } });
  const now = queue({ name: "souk-pos", adoptPrefix: "souk-pos:" });
  await now.add({ url: "/api/v1/sales", body: { id: "sold-at-till-2", register: "till-2" } });
  await now.sync();
  assert.deepEqual(requests.map((request) => request.body.id).sort(), ["sold-at-till-1", "sold-at-till-2"]);
  assert.equal(await now.count(), 0);
});

test("entries that need attention are reported to the organiser", async () => {
  const sales = queue({ reportUrl: "/api/v1/field-attention" });
  answer = (url) => (url === "/api/v1/sales" ? { status: 409, body: { error: { code: "conflict", message: "x" } } } : { status: 200, body: { results: [] } });
  await sales.add({ url: "/api/v1/sales", body: { id: "sale-9" } });
  await sales.sync();
  const report = requests.find((request) => request.url === "/api/v1/field-attention");
  assert.ok(report);
  assert.equal(report.body.reports[0].id, "sale-9");
  assert.equal(report.body.reports[0].http_status, 409);
});

test("ids are version 7 UUIDs: the clock first, so a phone's ids sort in the order it made them", () => {
  const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const moment = Date.UTC(2026, 10, 29, 14, 5, 0, 123);
  const id = newId(moment);
  assert.match(id, pattern);
  assert.equal(id.slice(0, 13), `${moment.toString(16).padStart(12, "0").slice(0, 8)}-${moment.toString(16).padStart(12, "0").slice(8)}`);
  const later = [1, 2, 1000, 86_400_000].map((step) => newId(moment + step));
  assert.deepEqual([...later].sort(), later);
  assert.ok(later.every((next) => next > id));
  const many = new Set(Array.from({ length: 5000 }, () => newId(moment)));
  assert.equal(many.size, 5000); // the same millisecond: told apart by the 74 random bits
  assert.match(newId(), pattern);
});
