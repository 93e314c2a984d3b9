// A progress report laid out for paper: the print stylesheet hides the app chrome.
import { h } from "../dom.js";
import { formatDate, isoDate } from "../format.js";
import { clientName, loadClient, notShared } from "./clientdata.js";
import { outcomesSection, weeklyOutcomes } from "./outcomes.js";
import { adherenceCalendar, byWorkout, bySurface, loadSection, runsTable, summaryCards, triggersSection } from "./parts.js";

export const title = "Progress report";

export async function render(root, ctx) {
  const id = ctx.params.id;
  let data;
  try {
    data = await loadClient(id);
  } catch (err) {
    if (err.status !== 404) throw err;
    if (ctx.isCurrent()) root.append(notShared());
    return;
  }
  if (!ctx.isCurrent()) return;
  const { client, progress, runs, sessions, assignments, outcomes, range } = data;
  const name = clientName(client);
  document.title = `Progress report: ${name} · Limber`;
  const chartBox = h("div", {});
  const printBtn = h("button", { type: "button", class: "btn btn-primary", onclick: () => window.print() }, "Print");
  root.append(
    h(
      "article",
      { class: "report" },
      h("p", { class: "crumb no-print" }, h("a", { href: `/clients/${id}` }, `← ${name}`)),
      h(
        "header",
        {},
        h("div", { class: "view-head" }, h("h1", {}, `Progress report: ${name}`), h("div", { class: "row no-print" }, printBtn)),
        h("p", { class: "muted" }, `${formatDate(range.from, { day: "numeric", month: "long", year: "numeric" })} to ${formatDate(range.to, { day: "numeric", month: "long", year: "numeric" })} · prepared by ${ctx.user.display_name} on ${formatDate(isoDate(), { day: "numeric", month: "long", year: "numeric" })}`),
      ),
      summaryCards(progress),
      chartBox,
      outcomesSection(outcomes, { who: "their", heading: "Questionnaire scores" }),
      weeklyOutcomes(progress, sessions, assignments, outcomes, range),
      triggersSection(progress.triggers, { who: "their", since: progress.triggers_from }),
      h("div", { class: "grid-2" }, byWorkout(progress), bySurface(progress)),
      h("div", { class: "grid-2" }, loadSection(progress.load, ctx.user), adherenceCalendar(sessions, assignments, isoDate())),
      h("section", { class: "card" }, h("h2", {}, "Runs"), runsTable(runs, ctx.user, { limit: 60 })),
      h("p", { class: "muted" }, "Loads are estimates shown as ranges. Stiffness is self-reported from 0 (loose) to 10 (can't bend)."),
    ),
  );
  const { stiffnessChart } = await import("../chart.js");
  if (!ctx.isCurrent()) return;
  return stiffnessChart(chartBox, runs, { user: ctx.user });
}
