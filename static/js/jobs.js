// Job pages: poll the job's JSON and update its progress bar, status, download link and error in
// place, until the job is done or failed.
(function () {
  "use strict";
  const POLL_MS = 1000;

  function show(section, job) {
    section.dataset.status = job.status;
    const field = (name) => section.querySelector(`[data-job-field="${name}"]`);
    field("status_label").textContent = job.status_label;
    field("progress").value = job.progress;
    field("progress").textContent = `${Math.round(job.progress * 100)}%`;
    field("percent").firstElementChild.textContent = String(Math.round(job.progress * 100));
    section.querySelector("[data-job-waiting]").hidden = !job.waiting_for_worker;
    section.querySelector("[data-job-done]").hidden = job.status !== "done";
    section.querySelector("[data-job-failed]").hidden = job.status !== "failed";
    if (job.result_url) field("result_url").href = job.result_url;
    field("error").textContent = job.error || "";
  }

  async function poll(section) {
    try {
      const response = await fetch(section.dataset.jobUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const body = await response.json();
        show(section, body.job);
        if (body.job.status === "done" && "reloadWhenDone" in section.dataset) {
          window.location.reload(); // the page then shows what the job found (server-rendered)
          return;
        }
        if (body.job.status === "done" || body.job.status === "failed") return;
      }
    } catch (error) {
      // Offline for a moment: try again at the next tick.
    }
    window.setTimeout(() => poll(section), POLL_MS);
  }

  document.querySelectorAll("section.job[data-job-url]").forEach((section) => {
    if (section.dataset.status !== "done" && section.dataset.status !== "failed") poll(section);
  });
})();
