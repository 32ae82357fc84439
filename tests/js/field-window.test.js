// node --test tests/js: the phone's "is the site open?" only compares a moment with the windows
// the server sent (tests/visitors/test_open_window.py checks it against Site.is_open_at).
import assert from "node:assert/strict";
import { test } from "node:test";

import { openAt } from "../../static/js/field-window.js";

const windows = [
  ["2026-03-21T10:00:00Z", "2026-03-21T22:00:00Z"],
  ["2026-03-22T09:00:00Z", "2026-03-22T21:00:00Z"],
];

test("opening is inside, closing is outside", () => {
  assert.equal(openAt(windows, new Date("2026-03-21T10:00:00Z")), true);
  assert.equal(openAt(windows, new Date("2026-03-21T09:59:59Z")), false);
  assert.equal(openAt(windows, new Date("2026-03-21T21:59:59Z")), true);
  assert.equal(openAt(windows, new Date("2026-03-21T22:00:00Z")), false);
});

test("each day has its own window, whatever the clock did in between", () => {
  assert.equal(openAt(windows, new Date("2026-03-22T09:30:00Z")), true);
  assert.equal(openAt(windows, new Date("2026-03-22T21:30:00Z")), false);
  assert.equal(openAt(windows, new Date("2026-03-23T12:00:00Z")), false);
});

test("no window: never open", () => {
  assert.equal(openAt([], new Date("2026-03-21T12:00:00Z")), false);
});
