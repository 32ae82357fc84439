// The "needs attention" list of the field pages (scanner, point of sale): entries of the
// field queue (field-queue.js) that the server refused or kept failing on. They are never
// dropped on their own: the volunteer or cashier sends them again or settles them by hand.
// Texts come translated from templates/_field_attention.html (data-* attributes).
//
//   import { showAttention } from "/static/js/field-attention.js";
//   new FieldQueue({ ..., onAttention: (entries) => showAttention(queue, entries) });

function kindOf(entry, box) {
  const key = entry.batch || (entry.url === "/api/v1/sales" ? "sale" : "other");
  return box.dataset[`kind${key.charAt(0).toUpperCase()}${key.slice(1)}`] || box.dataset.kindOther || key;
}

function reasonOf(entry, box) {
  if (entry.lastError && entry.lastError.message) return entry.lastError.message;
  return entry.lastStatus >= 500 ? box.dataset.serverFailing : box.dataset.refused;
}

function button(label, className, action) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = label;
  element.addEventListener("click", action);
  return element;
}

export function showAttention(queue, entries, box = document.getElementById("field-attention")) {
  if (!box) return;
  const list = box.querySelector("ul");
  list.replaceChildren(
    ...entries.map((entry) => {
      const item = document.createElement("li");
      item.dataset.entry = entry.id;
      const when = document.createElement("time");
      const moment = new Date(entry.body.scanned_at || entry.body.sold_at || entry.body.counted_at || entry.created);
      when.dateTime = moment.toISOString();
      when.textContent = moment.toLocaleString(document.documentElement.lang || undefined);
      const what = document.createElement("strong");
      what.textContent = kindOf(entry, box);
      const why = document.createElement("span");
      why.className = "reason";
      why.textContent = reasonOf(entry, box);
      const retry = button(box.dataset.retry, "secondary", () => queue.retry(entry.id));
      const settle = button(box.dataset.settle, "link", () => {
        if (window.confirm(box.dataset.confirmSettle)) queue.settle(entry.id);
      });
      item.append(when, " · ", what, " · ", why, " ", retry, " ", settle);
      return item;
    }),
  );
  box.hidden = entries.length === 0;
}
