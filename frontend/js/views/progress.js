import { api } from "../api.js";
import { h, nextTask } from "../dom.js";
import { LAST_PROGRESS, PROGRESS_DAYS } from "../warm.js";
import { outcomesSection } from "./outcomes.js";
import { byWorkout, bySurface, loadSection, morningSection, rangeQuery, runsTable, summaryCards, triggersSection } from "./parts.js";

export const title = "Progress";

const RANGES = [
  [28, "4 weeks"],
  [84, "12 weeks"],
  [182, "6 months"],
];

export async function render(root, ctx) {
  // The period last chosen here, which sign-in also keeps for offline (warm.js).
  let days = Number(ctx.query.get("days")) || Number(localStorage.getItem(LAST_PROGRESS)) || PROGRESS_DAYS;
  let dispose = null;
  const body = h("div", { class: "progress-body" });
  const picker = h(
    "div",
    { class: "segmented", role: "group", "aria-label": "Period" },
    RANGES.map(([d, label]) => h("button", { type: "button", "aria-pressed": String(d === days), dataset: { days: String(d) } }, label)),
  );
  root.append(h("section", {}, h("div", { class: "view-head" }, h("h1", {}, "Progress"), picker), body));

  async function load() {
    if (dispose) dispose();
    dispose = null;
    body.replaceChildren(h("p", { class: "loading" }, "Loading…"));
    const q = rangeQuery(days, ctx.user && ctx.user.timezone);
    // The chart's module comes with the data, so the chart is laid out with the rest.
    const [progress, runs, outcomes, { stiffnessChart }] = await Promise.all([
      api.get("/progress", q),
      api.all("/runs", q),
      api.get("/me/outcomes").catch(() => ({ instruments: [] })),
      import("../chart.js"),
    ]);
    if (!ctx.isCurrent()) return;
    // The cards and the chart's frame first, then the plot and each section below in
    // tasks of their own, so no single block of work holds the page. Nothing above moves:
    // sections go below, and the plot's box keeps its height until drawn.
    const chartBox = h("div", {});
    body.replaceChildren(summaryCards(progress), chartBox);
    const drawn = stiffnessChart(chartBox, runs, { user: ctx.user });
    const sections = [
      () => morningSection(progress, { who: "your" }),
      () => outcomesSection(outcomes, { who: "your", heading: "How you are doing", restart: (qid) => api.post(`/me/questionnaires/${qid}/restart`, {}) }),
      () => triggersSection(progress.triggers, { who: "your", since: progress.triggers_from, load: (outcome) => api.get("/progress", { ...q, outcome }).then((p) => p.triggers) }),
      () => h("div", { class: "grid-2" }, byWorkout(progress), bySurface(progress)),
      () => loadSection(progress.load, ctx.user),
      () => (runs.length ? recentRuns(runs, ctx.user) : null),
    ];
    for (const section of sections) {
      await nextTask();
      // Left, or another period chosen meanwhile: this load's chart is no longer shown.
      if (!ctx.isCurrent() || !chartBox.isConnected) {
        drawn.then((stop) => stop && stop());
        return;
      }
      const el = section();
      if (el) body.append(el);
    }
    dispose = await drawn;
  }

  picker.addEventListener("click", (event) => {
    const btn = event.target.closest("button");
    if (!btn) return;
    days = Number(btn.dataset.days);
    localStorage.setItem(LAST_PROGRESS, String(days));
    picker.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === btn)));
    load().catch((err) => body.replaceChildren(h("p", { class: "notice notice-error", role: "alert" }, err.message)));
  });

  await load();
  return () => dispose && dispose();
}

function recentRuns(runs, user) {
  return h(
    "section",
    { class: "card", "aria-labelledby": "recent-runs-title" },
    h("h2", { id: "recent-runs-title" }, "Recent runs"),
    runsTable(runs, user, { limit: 10 }),
    h("p", {}, h("a", { href: "/runs" }, "All your runs, to correct or delete one")),
  );
}
