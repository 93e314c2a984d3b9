// One client: alerts, charts, triggers, load, adherence, runs, assignments, notes.
import { api } from "../api.js";
import { chips, checkedValues, field, h, notice } from "../dom.js";
import { offlineOr, showErrors, summaryBox } from "../formerrors.js";
import { WEEKDAYS, formatDate, formatDateTime, isoDate } from "../format.js";
import { clientName, loadClient, notShared } from "./clientdata.js";
import { chartLines, outcomesSection, scheduleForm, weeklyOutcomes } from "./outcomes.js";
import { adherenceCalendar, byWorkout, bySurface, loadSection, morningSection, runsTable, summaryCards, triggersSection } from "./parts.js";

export const title = "Client";

const LEVEL_TEXT = {
  emergency: "Emergency",
  urgent: "Urgent",
  see_professional: "Needs assessment",
  warning: "Warning",
};

async function alertsSection(clientId) {
  const box = h("section", { class: "card", "aria-labelledby": "alerts-title" }, h("h2", { id: "alerts-title" }, "Open alerts"));
  let items = [];
  try {
    items = await api.all(`/clients/${clientId}/alerts`, { status: "open" });
  } catch (err) {
    box.append(h("p", { class: "muted" }, err.message));
    return box;
  }
  if (!items.length) {
    box.append(h("p", { class: "muted" }, "No open alerts."));
    return box;
  }
  const ul = h("ul", { class: "plain-list" });
  // The most serious first; beyond a few, the rest fold away so the charts stay in view.
  const rank = { emergency: 0, urgent: 1, see_professional: 2, warning: 3 };
  items.sort((x, y) => rank[x.level] - rank[y.level]);
  const more = h("ul", { class: "plain-list" });
  for (const [i, a] of items.entries()) {
    const list = i < 3 ? ul : more;
    const level = a.level;
    const li = h(
      "li",
      { class: `alert-item alert-${level}` },
      h("div", {}, h("strong", {}, LEVEL_TEXT[level]), " · ", a.message, h("p", { class: "muted" }, formatDateTime(a.created_at))),
      h("button", {
        type: "button",
        class: "btn btn-secondary btn-small",
        onclick: async (e) => {
          e.target.disabled = true;
          try {
            await api.post(`/alerts/${a.id}/ack`);
            li.replaceChildren(h("p", { class: "muted" }, `Acknowledged: ${a.message}`));
          } catch (err) {
            e.target.disabled = false;
            li.appendChild(notice("error", err.message));
          }
        },
      }, "Acknowledge"),
    );
    list.appendChild(li);
  }
  box.append(ul);
  if (items.length > 3) box.append(h("details", {}, h("summary", {}, `${items.length - 3} more`), more));
  return box;
}

function assignmentsSection(clientId, assignments, routines, onChange) {
  const box = h("section", { class: "card", "aria-labelledby": "assign-title" }, h("h2", { id: "assign-title" }, "Assigned routines"));
  const ul = h("ul", { class: "plain-list" });
  for (const a of assignments) {
    const days = a.weekdays.slice().sort().map((d) => WEEKDAYS[d]).join(", ");
    const routineName = a.routine.name;
    ul.appendChild(
      h(
        "li",
        { class: "lib-item" },
        h("div", {}, h("strong", {}, routineName), h("p", { class: "muted" }, `${days || "no days"} · from ${formatDate(a.starts_on)}${a.ends_on ? ` to ${formatDate(a.ends_on)}` : ""}`)),
        h("button", {
          type: "button",
          class: "btn btn-danger btn-small",
          "aria-label": `Remove ${routineName}`,
          onclick: async () => {
            if (!confirm(`Remove ${routineName} from this client's plan?`)) return;
            await api.del(`/assignments/${a.id}`);
            onChange();
          },
        }, "Remove"),
      ),
    );
  }
  box.append(assignments.length ? ul : h("p", { class: "muted" }, "Nothing assigned yet."));

  const routineSel = field("Routine", { tag: "select", name: "routine_id", required: true });
  for (const r of routines) routineSel.input.appendChild(h("option", { value: r.id }, `${r.name}${r.builtin === false ? " (yours)" : ""}`));
  const days = chips("On these days", "weekdays", WEEKDAYS.map((d, i) => [String(i), d]), { type: "checkbox", values: ["0", "1", "2", "3", "4", "5", "6"] });
  days.classList.add("weekday-picker");
  const today = isoDate();
  const starts = field("Starts on", { type: "date", name: "starts_on", value: today, required: true });
  const ends = field("Ends on (optional)", { type: "date", name: "ends_on" });
  const summary = summaryBox();
  const form = h("form", { class: "form no-print", novalidate: true }, h("h3", {}, "Assign a routine"), summary, routineSel.wrap, days, h("div", { class: "grid-2" }, starts.wrap, ends.wrap), h("button", { type: "submit", class: "btn btn-primary" }, "Assign"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showErrors(form, summary, null);
    const body = {
      routine_id: routineSel.input.value,
      weekdays: checkedValues(form, "weekdays").map(Number),
      starts_on: starts.input.value,
    };
    if (ends.input.value) body.ends_on = ends.input.value;
    if (!body.weekdays.length) {
      showErrors(form, summary, { fields: { weekdays: ["Pick at least one day."] } });
      return;
    }
    try {
      await api.post(`/clients/${clientId}/assignments`, body);
      onChange();
    } catch (err) {
      showErrors(form, summary, offlineOr(err, "Assigning needs a connection."), "Not assigned");
    }
  });
  box.append(form);
  return box;
}

async function notesSection(clientId) {
  const box = h("section", { class: "card no-print", "aria-labelledby": "notes-title" }, h("h2", { id: "notes-title" }, "Private notes"), h("p", { class: "muted" }, "Only you can see these."));
  const ul = h("ul", { class: "plain-list notes-list" });
  const addNote = (n) =>
    ul.prepend(h("li", {}, h("p", { class: "muted" }, formatDateTime(n.created_at)), h("p", {}, n.body)));
  try {
    const data = await api.get(`/clients/${clientId}/notes`, { limit: 50 });
    [...data.items].reverse().forEach(addNote);
  } catch (err) {
    box.append(h("p", { class: "muted" }, err.message));
  }
  const text = field("New note", { tag: "textarea", name: "body", rows: 3, maxlength: 5000 });
  const summary = summaryBox();
  const form = h("form", { class: "form", novalidate: true }, summary, text.wrap, h("button", { type: "submit", class: "btn btn-primary" }, "Save note"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showErrors(form, summary, null);
    if (!text.input.value.trim()) {
      showErrors(form, summary, { fields: { body: ["Write the note first."] } });
      return;
    }
    try {
      const note = await api.post(`/clients/${clientId}/notes`, { body: text.input.value.trim() });
      addNote(note);
      text.input.value = "";
    } catch (err) {
      showErrors(form, summary, offlineOr(err, "Saving a note needs a connection."), "The note was not saved");
    }
  });
  box.append(form, ul);
  return box;
}

/** The conversation with this client, loaded with its own module once the page is drawn. */
function messagesBox(id, ctx, name, routines, keep) {
  const box = h("section", { class: "card no-print", id: "messages", "aria-labelledby": "messages-title" }, h("h2", { id: "messages-title" }, "Messages"));
  import("./clientmessages.js").then(async (m) => {
    if (!ctx.isCurrent()) return;
    keep(await m.mount(box, { clientId: id, user: ctx.user, name, routines }));
  });
  return box;
}

/** The client's data and the routines to assign, or null when they no longer share (404). */
async function loadPage(id, section, ctx) {
  try {
    return await Promise.all([loadClient(id), api.all("/routines").catch(() => [])]);
  } catch (err) {
    if (err.status !== 404) throw err;
    if (ctx.isCurrent()) section.replaceChildren(notShared());
    return null;
  }
}

export async function render(root, ctx) {
  const id = ctx.params.id;
  let dispose = null;
  let stopMessages = null;
  const section = h("section", {});
  root.append(section);

  async function draw() {
    if (dispose) dispose();
    if (stopMessages) stopMessages();
    dispose = stopMessages = null;
    const loaded = await loadPage(id, section, ctx);
    if (!loaded || !ctx.isCurrent()) return;
    const [data, routines] = loaded;
    const { client, progress, runs, sessions, assignments, outcomes } = data;
    const name = clientName(client);
    document.title = `${name} · Limber`;
    const chartBox = h("div", {});
    const [alerts, notes] = await Promise.all([alertsSection(id), notesSection(id)]);
    const messages = messagesBox(id, ctx, name, routines, (stop) => (stopMessages = stop));
    if (!ctx.isCurrent()) return;
    section.replaceChildren(
      h("p", { class: "crumb" }, h("a", { href: "/clients" }, "← Clients")),
      h(
        "div",
        { class: "view-head" },
        h("h1", {}, name),
        h(
          "div",
          { class: "row" },
          h("a", { href: `/clients/${id}/report`, class: "btn btn-secondary" }, "Progress report"),
          h("a", { href: `/api/v1/clients/${id}/export.csv`, class: "btn btn-secondary", download: "" }, "Download CSV"),
        ),
      ),
      alerts,
      messages,
      summaryCards(progress),
      chartBox,
      morningSection(progress, { who: "their" }),
      weeklyOutcomes(progress, sessions, assignments, outcomes, data.range),
      outcomesSection(outcomes, { who: "their", heading: "Questionnaire scores", restart: (qid) => api.post(`/clients/${id}/questionnaires/${qid}/restart`, {}) }),
      outcomes.schedule ? scheduleForm(id, outcomes.schedule) : null,
      triggersSection(progress.triggers, { who: "their", since: progress.triggers_from, load: (outcome) => api.get(`/clients/${id}/progress`, { ...data.range, outcome }).then((p) => p.triggers) }),
      h("div", { class: "grid-2" }, byWorkout(progress), bySurface(progress)),
      h("div", { class: "grid-2" }, loadSection(progress.load, ctx.user), adherenceCalendar(sessions, assignments, isoDate())),
      assignmentsSection(id, assignments, routines, () => draw()),
      h("section", { class: "card", "aria-labelledby": "runs-title" }, h("h2", { id: "runs-title" }, "Recent runs"), runs.length ? runsTable(runs, ctx.user) : h("p", { class: "muted" }, "No runs in the last 12 weeks.")),
      notes,
    );
    const { stiffnessChart } = await import("../chart.js");
    if (!ctx.isCurrent()) return;
    dispose = await stiffnessChart(chartBox, runs, { title: "Stiffness after each run (last 12 weeks)", scores: chartLines(outcomes), user: ctx.user });
  }

  await draw();
  return () => {
    if (dispose) dispose();
    if (stopMessages) stopMessages();
  };
}
