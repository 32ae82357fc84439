// Live pages (attendance, dashboard): the figures update in place from a small JSON endpoint,
// never by reloading the page; a button pauses and resumes the updates.
// Markup: an element with data-live-url (and data-live-every, seconds) around elements with
// data-live="key" (text replaced), data-live-bar="key" (a progressbar) and data-live-bar-text="key".
(function () {
  "use strict";
  const root = document.querySelector("[data-live-url]");
  if (!root) return;
  const url = root.dataset.liveUrl;
  const every = (Number(root.dataset.liveEvery) || 30) * 1000;
  const toggle = root.querySelector("[data-live-toggle]");
  let paused = false;
  let timer = null;

  function each(selector, key, action) {
    root.querySelectorAll(`[${selector}="${CSS.escape(key)}"]`).forEach(action);
  }

  function show(data) {
    for (const [key, text] of Object.entries(data.figures || {})) {
      each("data-live", key, (element) => { element.textContent = text; });
    }
    for (const [key, bar] of Object.entries(data.bars || {})) {
      each("data-live-bar", key, (element) => {
        element.setAttribute("aria-valuenow", String(bar.value));
        const fill = element.querySelector("span");
        if (fill) fill.style.width = `${Math.min(bar.share, 100)}%`;
      });
      each("data-live-bar-text", key, (element) => { element.textContent = bar.text; });
    }
    root.dataset.liveUpdated = String(Date.now());
  }

  async function refresh() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) show(await response.json());
    } catch (error) {
      // Offline or the server restarting: the next tick tries again.
    }
  }

  function schedule() {
    clearInterval(timer);
    timer = paused ? null : setInterval(refresh, every);
  }

  if (toggle) {
    toggle.addEventListener("click", () => {
      paused = !paused;
      toggle.setAttribute("aria-pressed", String(paused));
      toggle.textContent = paused ? toggle.dataset.resume : toggle.dataset.pause;
      if (!paused) refresh();
      schedule();
    });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) clearInterval(timer);
    else if (!paused) { refresh(); schedule(); }
  });
  schedule();
})();
