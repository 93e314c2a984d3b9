// The practitioner's own exercises and routines: list, write, edit, delete.
import { api } from "../api.js";
import { clear, field, h, notice } from "../dom.js";
import { offlineOr, showErrors, summaryBox } from "../formerrors.js";

export const title = "Library";

const lines = (text) => text.split("\n").map((t) => t.trim()).filter(Boolean);
const intOrNull = (v) => (v === "" || v === null || v === undefined ? null : Number.parseInt(v, 10));

// Create or update one library item; on a refusal, mark the fields and say why.
async function saveItem(form, summary, path, existing, body, onDone) {
  try {
    if (existing) await api.patch(`${path}/${existing.id}`, body);
    else await api.post(path, body);
    onDone(true);
  } catch (err) {
    showErrors(form, summary, offlineOr(err, "Saving to the library needs a connection."), "Not saved");
  }
}

function exerciseForm(exercise, onDone) {
  const e = exercise || {};
  const name = field("Name", { name: "name", value: e.name || "", required: true });
  const summary = field("Summary", { name: "summary", value: e.summary || "" });
  const instructions = field("Instructions", { tag: "textarea", name: "instructions", rows: 4 }, { hint: "One step per line." });
  instructions.input.value = (e.instructions || []).join("\n");
  const cues = field("Cues", { tag: "textarea", name: "cues", rows: 2 }, { hint: "One per line." });
  cues.input.value = (e.cues || []).join("\n");
  const safety = field("Stop if…", { tag: "textarea", name: "safety", rows: 2 }, { hint: "One per line." });
  safety.input.value = (e.safety || []).join("\n");
  const errors = summaryBox();
  const form = h(
    "form",
    { class: "card form", novalidate: true },
    h("h2", { tabindex: "-1" }, exercise ? `Edit ${e.name}` : "New exercise"),
    errors, name.wrap, summary.wrap, instructions.wrap, cues.wrap, safety.wrap,
    h("div", { class: "row" }, h("button", { type: "submit", class: "btn btn-primary" }, "Save exercise"), h("button", { type: "button", class: "btn btn-secondary", onclick: () => onDone(false) }, "Cancel")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showErrors(form, errors, null);
    const body = { name: name.input.value.trim(), summary: summary.input.value.trim(), instructions: lines(instructions.input.value), cues: lines(cues.input.value), safety: lines(safety.input.value) };
    await saveItem(form, errors, "/exercises", exercise, body, onDone);
  });
  return form;
}

function stepRow(exercises, step, index) {
  const s = step || {};
  const exId = (s.exercise && s.exercise.id) || s.exercise_id || "";
  const ex = field("Exercise", { tag: "select", name: "exercise_id" });
  for (const x of exercises) ex.input.appendChild(h("option", { value: x.id, selected: x.id === exId }, x.name));
  const num = (label, key, hint) => field(label, { name: key, inputmode: "numeric", value: s[key] ?? "" }, hint ? { hint } : {});
  const side = field("Side", { tag: "select", name: "side" });
  for (const [v, l] of [["both", "Both sides together"], ["each", "Each side in turn"], ["left", "Left only"], ["right", "Right only"]]) side.input.appendChild(h("option", { value: v, selected: (s.side || "both") === v }, l));
  const row = h(
    "fieldset",
    { class: "step-row" },
    h("legend", {}, `Step ${index + 1}`),
    ex.wrap,
    h("div", { class: "grid-dose" }, num("Sets", "sets").wrap, num("Reps", "reps").wrap, num("Seconds", "seconds").wrap, num("Breaths", "breaths").wrap, num("Rest (s)", "rest_s").wrap),
    h("p", { class: "hint" }, "Give one of reps, seconds or breaths."),
    side.wrap,
    h("button", { type: "button", class: "btn btn-danger btn-small", dataset: { remove: "1" } }, `Remove step ${index + 1}`),
  );
  return row;
}

/** The steps of a routine: rows to edit, a button to add one, and what they hold now. */
function stepsEditor(exercises, initial) {
  const stepsBox = h("div", {});
  const steps = [...initial].sort((a, b) => a.position - b.position);
  const redraw = () => {
    clear(stepsBox);
    steps.forEach((s, i) => stepsBox.appendChild(stepRow(exercises, s, i)));
  };
  const collect = () =>
    [...stepsBox.querySelectorAll(".step-row")].map((row) => {
      const val = (n) => row.querySelector(`[name="${n}"]`).value;
      const step = { exercise_id: val("exercise_id"), side: val("side") };
      for (const k of ["sets", "reps", "seconds", "breaths", "rest_s"]) {
        const v = intOrNull(val(k));
        if (v !== null && !Number.isNaN(v)) step[k] = v;
      }
      return step;
    });
  stepsBox.addEventListener("click", (e) => {
    const btn = e.target.closest("[data-remove]");
    if (!btn) return;
    const all = collect();
    const idx = [...stepsBox.querySelectorAll(".step-row")].indexOf(btn.closest(".step-row"));
    all.splice(idx, 1);
    steps.splice(0, steps.length, ...all);
    redraw();
  });
  const add = h("button", { type: "button", class: "btn btn-secondary" }, "Add a step");
  add.addEventListener("click", () => {
    steps.splice(0, steps.length, ...collect(), { exercise_id: exercises[0] && exercises[0].id, sets: 1, reps: 8 });
    redraw();
    stepsBox.lastElementChild.querySelector("select").focus();
  });
  redraw();
  return { stepsBox, add, collect };
}

function routineForm(routine, exercises, onDone) {
  const r = routine || {};
  const name = field("Name", { name: "name", value: r.name || "", required: true });
  const purpose = field("Purpose", { name: "purpose", value: r.purpose || "" }, { hint: "One line: what it is for." });
  const description = field("Description", { tag: "textarea", name: "description", rows: 2 });
  description.input.value = r.description || "";
  const minutes = field("Minutes", { name: "estimated_minutes", inputmode: "numeric", value: r.estimated_minutes ?? "" });
  const safety = field("Before you start", { tag: "textarea", name: "safety", rows: 2 }, { hint: "Safety notes, one per line." });
  safety.input.value = (r.safety || []).join("\n");
  const { stepsBox, add, collect } = stepsEditor(exercises, r.steps || []);
  const errors = summaryBox();
  const form = h(
    "form",
    { class: "card form", novalidate: true },
    h("h2", { tabindex: "-1" }, routine ? `Edit ${r.name}` : "New routine"),
    errors, name.wrap, purpose.wrap, description.wrap, minutes.wrap, safety.wrap,
    h("h3", {}, "Steps"), stepsBox, add,
    h("div", { class: "row" }, h("button", { type: "submit", class: "btn btn-primary" }, "Save routine"), h("button", { type: "button", class: "btn btn-secondary", onclick: () => onDone(false) }, "Cancel")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showErrors(form, errors, null);
    const body = {
      name: name.input.value.trim(),
      purpose: purpose.input.value.trim(),
      description: description.input.value.trim(),
      safety: lines(safety.input.value),
      steps: collect(),
    };
    const m = intOrNull(minutes.input.value);
    if (m !== null && !Number.isNaN(m)) body.estimated_minutes = m;
    if (!body.steps.length) {
      showErrors(form, errors, { message: "Add at least one step." }, "Not saved");
      return;
    }
    await saveItem(form, errors, "/routines", routine, body, onDone);
  });
  return form;
}

export async function render(root, ctx) {
  const section = h("section", {});
  root.append(section);

  async function draw(focusSel) {
    const [exercises, routines] = await Promise.all([api.all("/exercises"), api.all("/routines")]);
    if (!ctx.isCurrent()) return;
    const mine = (x) => x.builtin === false;
    const editor = h("div", {});
    const open = (form) => {
      editor.replaceChildren(form);
      form.querySelector("h2").focus();
    };
    const done = (changed) => (changed ? draw() : editor.replaceChildren());
    const item = (x, kind) =>
      h(
        "li",
        { class: "lib-item" },
        h("div", {}, h("strong", {}, x.name), x.summary || x.purpose ? h("p", { class: "muted" }, x.summary || x.purpose) : null),
        mine(x)
          ? h(
              "div",
              { class: "row" },
              h("button", {
                type: "button",
                class: "btn btn-secondary btn-small",
                "aria-label": `Edit ${x.name}`,
                onclick: async () => {
                  const full = kind === "routine" ? await api.get(`/routines/${x.id}`) : x;
                  open(kind === "routine" ? routineForm(full, exercises, done) : exerciseForm(full, done));
                },
              }, "Edit"),
              h("button", {
                type: "button",
                class: "btn btn-danger btn-small",
                "aria-label": `Delete ${x.name}`,
                onclick: async () => {
                  if (!confirm(`Delete ${x.name}?`)) return;
                  try {
                    await api.del(`/${kind === "routine" ? "routines" : "exercises"}/${x.id}`);
                    draw();
                  } catch (err) {
                    editor.replaceChildren(notice("error", err.message));
                  }
                },
              }, "Delete"),
            )
          : h("span", { class: "badge" }, "Built in"),
      );
    section.replaceChildren(
      h("div", { class: "view-head" }, h("h1", {}, "Library"), h("div", { class: "row" },
        h("button", { type: "button", class: "btn btn-primary", onclick: () => open(routineForm(null, exercises, done)) }, "New routine"),
        h("button", { type: "button", class: "btn btn-secondary", onclick: () => open(exerciseForm(null, done)) }, "New exercise"))),
      editor,
      h("section", { class: "card", "aria-labelledby": "lib-routines" }, h("h2", { id: "lib-routines" }, "Routines"), h("ul", { class: "plain-list" }, [...routines.filter(mine), ...routines.filter((x) => !mine(x))].map((x) => item(x, "routine")))),
      h("section", { class: "card", "aria-labelledby": "lib-exercises" }, h("h2", { id: "lib-exercises" }, "Exercises"), h("ul", { class: "plain-list" }, [...exercises.filter(mine), ...exercises.filter((x) => !mine(x))].map((x) => item(x, "exercise")))),
    );
    if (focusSel) section.querySelector(focusSel)?.focus();
  }

  await draw();
}
