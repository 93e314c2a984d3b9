// Settings → Import: send watch or app files, watch the job, see what became of each file.
import { api, upload } from "../api.js";
import { h, notice } from "../dom.js";
import { plural } from "../format.js";

export const title = "Import runs";

const SHARE_CACHE = "limber-shared-files";
const OUTCOME = {
  pending: "Waiting",
  imported: "Imported",
  merged: "Added to a run you logged",
  duplicate: "Already in Limber",
  skipped: "Skipped",
  failed: "Not imported",
};

function summary(job) {
  const c = job.counts || {};
  const parts = [];
  if (c.imported) parts.push(`${plural(c.imported, "run")} imported`);
  if (c.merged) parts.push(`${c.merged} added to runs you logged`);
  if (c.duplicate) parts.push(`${c.duplicate} already in Limber`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.failed) parts.push(`${c.failed} not imported`);
  return parts.join(", ") || "Nothing to import.";
}

function results(job) {
  return h(
    "ul",
    { class: "import-files", "aria-label": "What became of each file" },
    (job.files || []).map((f) =>
      h(
        "li",
        { class: `import-file is-${f.outcome}` },
        h("span", { class: "import-name" }, f.name),
        h("span", { class: `badge${f.outcome === "failed" ? " badge-bad" : f.outcome === "imported" || f.outcome === "merged" ? " badge-done" : ""}` }, OUTCOME[f.outcome] || f.outcome),
        f.reason ? h("span", { class: "muted import-reason" }, f.reason) : null,
      ),
    ),
  );
}

async function sharedFiles() {
  if (!("caches" in self)) return [];
  const cache = await caches.open(SHARE_CACHE);
  const files = [];
  for (const req of await cache.keys()) {
    const res = await cache.match(req);
    if (res) {
      const name = decodeURIComponent(res.headers.get("X-File-Name") || "shared-file");
      files.push(new File([await res.blob()], name, { type: res.headers.get("Content-Type") || "" }));
    }
    await cache.delete(req);
  }
  return files;
}

function privacyCard() {
  return h(
    "section",
    { class: "card", "aria-labelledby": "import-privacy" },
    h("h2", { id: "import-privacy" }, "What Limber keeps"),
    h("p", {}, "Only the figures: when the run started, distance, moving and total time, climb and descent, terrain, and cadence where the watch recorded it."),
    h("p", {}, "The GPS track itself is not stored. Its start and end would show where you live, so it is read once and dropped."),
    h("p", {}, "Imported runs arrive without a stiffness score. Today asks how your back felt, and they count in your stiffness figures once you answer."),
  );
}

/** Shows the job as it runs, until it ends or the view closes. */
async function follow(job, status, ctx) {
  const bar = h("progress", { max: Math.max(job.total, 1), value: job.processed, "aria-label": "Import progress" });
  const line = h("p", {}, "Starting…");
  const list = h("div");
  status.replaceChildren(bar, line, list);
  while (ctx.isCurrent()) {
    bar.max = Math.max(job.total, 1);
    bar.value = job.processed;
    line.textContent = job.status === "done"
      ? `Done: ${summary(job)}`
      : job.status === "failed"
        ? job.message || "The import stopped."
        : `${job.processed} of ${job.total || "?"} files read…`;
    list.replaceChildren(results(job));
    if (job.status === "done" || job.status === "failed") break;
    await new Promise((resolve) => setTimeout(resolve, 700));
    try {
      job = await api.get(`/imports/${job.id}`);
    } catch (err) {
      line.textContent = err.offline ? "No connection; the import goes on and shows here when you return." : err.message;
      break;
    }
  }
}

export async function render(root, ctx) {
  const input = h("input", { type: "file", id: "import-files", name: "files", multiple: true, accept: ".gpx,.tcx,.fit,.gz,.zip" });
  const button = h("button", { type: "submit", class: "btn btn-primary" }, "Import");
  const status = h("div", { class: "import-status", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "card form", "aria-labelledby": "import-title" },
    h("h2", { id: "import-title" }, "Runs from your watch or app"),
    h("p", {}, "Choose GPX, TCX or FIT files (also .gz), or the zip of a Strava bulk export. Runs and walks come in; other activities are skipped."),
    h("label", { for: "import-files" }, "Files"),
    input,
    h("p", { class: "hint" }, "Up to 25 MB a file and 200 MB for an archive."),
    button,
    status,
  );
  const privacy = privacyCard();
  root.append(
    h("section", {}, h("div", { class: "view-head" }, h("h1", {}, "Import runs"), h("a", { href: "/settings" }, "Back to settings")), form, privacy),
  );

  async function send(files) {
    if (!files.length) {
      status.replaceChildren(notice("error", "Choose a file to import."));
      return;
    }
    const data = new FormData();
    for (const f of files) data.append("files", f, f.name);
    button.disabled = true;
    status.replaceChildren(h("p", {}, `Sending ${plural(files.length, "file")}…`));
    try {
      await follow(await upload("/imports", data), status, ctx);
      button.disabled = false;
    } catch (err) {
      button.disabled = false;
      status.replaceChildren(notice("error", err.message));
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    send([...input.files]);
  });
  if (new URLSearchParams(location.search).has("shared")) {
    const files = await sharedFiles();
    if (ctx.isCurrent()) send(files);
  }
}
