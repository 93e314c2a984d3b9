// Pieces a saved run shows wherever it appears: its advice and its estimated load.
import { h } from "../dom.js";
import {
  ADVICE,
  KM_PER_MILE,
  addDays,
  distanceUnit,
  formatRange,
  formatWeight,
  paceText,
  triage,
} from "../format.js";
import { api } from "../api.js";

/** Minutes per km or per mile, as the runner chose. */
export function formatPace(km, seconds, user) {
  if (!km || !seconds) return "–";
  const mi = distanceUnit(user) === "mi";
  return `${paceText((seconds / km) * (mi ? KM_PER_MILE : 1))} min/${mi ? "mile" : "km"}`;
}

/** The advice tier and its words: the server's when it answered, else worked out here. */
export function adviceOf(run, body) {
  const level = run && run.advice ? run.advice.level : triage((body || run).red_flags || []);
  const advice = ADVICE[level] || ADVICE.none;
  const message = run && run.advice && run.advice.message ? run.advice.message : advice.text;
  return {
    level,
    title: advice.title,
    message,
    serious: level === "emergency" || level === "urgent",
  };
}

export function estimateCard(run, user) {
  const est = run.estimate;
  const rows = [
    ["Steps", `about ${formatRange(est.steps)}`],
    [
      "Impact per step",
      est.force_per_step_kg
        ? `${formatWeight(est.force_per_step_kg, user)} (${fmtX(est.force_per_step_bw)} your body weight)`
        : `${fmtX(est.force_per_step_bw)} your body weight`,
    ],
  ];
  const compare = h("dd", {}, "Working it out…");
  rows.push(["Compared with your usual", compare]);
  usualComparison(run).then((text) => compare.replaceChildren(text));
  return h(
    "section",
    { class: "card estimate", "aria-labelledby": "est-title" },
    h("h2", { id: "est-title" }, "Estimated load"),
    h(
      "dl",
      { class: "facts" },
      rows.map(([k, v]) => [h("dt", {}, k), v instanceof Node ? v : h("dd", {}, v)]),
    ),
    h(
      "p",
      { class: "muted" },
      "Estimates, shown as a range: steps follow your pace, and real figures depend on stride and surface. The impact is ground force with each step, spread through your legs, hips and back. Stiffness afterwards is your body protecting itself, not damage.",
    ),
    est.force_per_step_kg
      ? null
      : h(
          "p",
          { class: "muted" },
          "Add your body weight in Settings to see the impact in kg or lb.",
        ),
  );
}

/** This run's load (steps x impact, in body weights) against the average run of 4 weeks. */
async function usualComparison(run) {
  const units = (r) =>
    ((r.estimate.steps.low + r.estimate.steps.high) / 2) *
    ((r.estimate.force_per_step_bw.low + r.estimate.force_per_step_bw.high) / 2);
  try {
    const to = addDays(run.local_date, -1);
    const others = (await api.all("/runs", { from: addDays(run.local_date, -28), to })).filter(
      (r) => r.id !== run.id,
    );
    if (others.length < 3) return "Not enough runs in the last 4 weeks to compare yet.";
    const usual = others.reduce((sum, r) => sum + units(r), 0) / others.length;
    const pct = Math.round((units(run) / usual - 1) * 100);
    if (Math.abs(pct) < 5) return "About the same as your average run over the last 4 weeks.";
    return `About ${Math.abs(pct)} % ${pct > 0 ? "more" : "less"} than your average run over the last 4 weeks.`;
  } catch {
    return "Not available offline.";
  }
}

export function fmtX(r) {
  if (!r) return "–";
  const f = (n) => (Math.round(n * 10) / 10).toString();
  return r.low === r.high ? `${f(r.low)}×` : `${f(r.low)}–${f(r.high)}×`;
}
