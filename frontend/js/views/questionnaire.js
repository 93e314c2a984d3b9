// Answering one due questionnaire: fixed questions on a scale, or activities the runner
// names the first time and rates again later. Saved through the outbox, so it works offline.
import { api } from "../api.js";
import { chips, checkedValue, field, h, notice } from "../dom.js";
import { isoDate } from "../format.js";
import * as outbox from "../outbox.js";

export const title = "Questionnaire";

function range(low, high) {
  const out = [];
  for (let v = low; v <= high; v += 1) out.push([String(v), v > 0 && low < 0 ? `+${v}` : String(v)]);
  return out;
}

function scaleGroup(legend, name, scale) {
  const group = chips(legend, name, range(scale.min, scale.max), { columns: 11 });
  group.classList.add("scale");
  if (scale.min_label || scale.max_label) {
    group.appendChild(
      h("p", { class: "hint scale-ends" }, h("span", {}, `${scale.min} = ${scale.min_label || ""}`), h("span", {}, `${scale.max} = ${scale.max_label || ""}`)),
    );
  }
  return group;
}

function markError(form, name, text) {
  const input = form.querySelector(`[name="${name}"]`);
  if (!input) return null;
  const box = input.closest("fieldset, .field") || input.parentElement;
  box.appendChild(h("p", { class: "field-error" }, text));
  box.querySelectorAll("input").forEach((i) => i.setAttribute("aria-invalid", "true"));
  return input;
}

function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((e) => e.remove());
  form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
}

function notDue() {
  return h(
    "section",
    {},
    h("h1", {}, "Nothing to answer"),
    h("p", { class: "card" }, "This questionnaire is not due right now. It comes back on Today when it is."),
    h("a", { href: "/", class: "btn btn-primary" }, "Back to Today"),
  );
}

/** The scales to answer; for activities the runner names, their name fields too. */
function questionGroups(q, named, nameInputs) {
  const groups = [];
  if (q.format === "activities") {
    const scale = q.activity_scale;
    if (named) {
      named.forEach((name, i) => groups.push(scaleGroup(`How well can you do this today: ${name}?`, `activity-${i}`, scale)));
    } else {
      const count = q.activity_count;
      for (let i = 0; i < count.max; i += 1) {
        const optional = i >= count.min;
        const f = field(`Activity ${i + 1}${optional ? " (optional)" : ""}`, { name: `activity-name-${i}`, maxlength: 80, autocomplete: "off" }, i === 0 ? { hint: q.activity_prompt } : {});
        nameInputs.push(f.input);
        const group = scaleGroup(`How well can you do activity ${i + 1} today?`, `activity-${i}`, scale);
        groups.push(h("div", { class: "activity" }, f.wrap, group));
      }
    }
  } else {
    for (const it of q.items) groups.push(scaleGroup(it.text, `item-${it.key}`, it));
  }
  return groups;
}

/** Puts the answers into body; returns the first field marked as missing, if any. */
function collectAnswers(form, q, named, nameInputs, body) {
  let first = null;
  if (q.format === "activities") {
    const activities = [];
    const count = named ? named.length : q.activity_count.max;
    for (let i = 0; i < count; i += 1) {
      const name = named ? named[i] : nameInputs[i].value.trim();
      const value = checkedValue(form, `activity-${i}`);
      if (!named && !name) {
        if (value !== null) first = first || markError(form, `activity-name-${i}`, "Name this activity, or leave its rating empty.");
        else if (i < q.activity_count.min) first = first || markError(form, `activity-name-${i}`, "Name an activity your back makes hard.");
        continue;
      }
      if (value === null) {
        first = first || markError(form, `activity-${i}`, "Pick a number.");
        continue;
      }
      activities.push({ name, rating: Number(value) });
    }
    body.activities = activities;
  } else {
    body.answers = {};
    for (const it of q.items) {
      const value = checkedValue(form, `item-${it.key}`);
      if (value === null) first = first || markError(form, `item-${it.key}`, "Pick a number.");
      else body.answers[it.key] = Number(value);
    }
  }
  return first;
}

/** Marks the fields the server refused; returns the first. */
function markRefused(form, error) {
  let first = null;
  const errors = (error.body && error.body.errors && error.body.errors.json) || {};
  for (const [key, msgs] of Object.entries(errors.answers || {})) first = first || markError(form, `item-${key}`, [].concat(msgs).join(" "));
  for (const [index, errs] of Object.entries(errors.activities || {})) {
    if (index === "_schema") continue;
    const text = Object.values(errs).flat().join(" ");
    first = first || markError(form, `activity-${index}`, text);
  }
  return first;
}

export async function render(root, ctx) {
  const user = ctx.user;
  const slug = ctx.params.slug;
  const today = isoDate(new Date(), user.timezone);
  const due = await api.get("/me/questionnaires/due", { date: today });
  if (!ctx.isCurrent()) return;
  const item = (due.items || []).find((i) => i.questionnaire.slug === slug);
  if (!item) {
    root.append(notDue());
    return;
  }
  const q = item.questionnaire;
  const named = item.named_activities;
  const nameInputs = [];
  const groups = questionGroups(q, named, nameInputs);
  const message = h("div", { class: "form-message" });
  const save = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Save answers");
  const form = h("form", { class: "form questionnaire-form", novalidate: true }, groups, message, save);
  const section = h(
    "section",
    {},
    h("p", { class: "crumb" }, h("a", { href: "/" }, "← Today")),
    h("h1", {}, q.name),
    q.intro ? h("p", {}, q.intro) : null,
    form,
    h("p", { class: "muted" }, `Source: ${q.source}`),
  );
  root.append(section);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    message.replaceChildren();
    const body = { id: outbox.newId(), questionnaire_id: q.id, answered_at: new Date().toISOString() };
    let first = collectAnswers(form, q, named, nameInputs, body);
    if (first) {
      message.appendChild(notice("error", "Some answers are missing. They are marked above."));
      first.focus();
      return;
    }
    save.disabled = true;
    const res = await outbox.submit("questionnaire", "/questionnaire-responses", body, user.id, { local_date: today, slug });
    if (!ctx.isCurrent()) return;
    save.disabled = false;
    if (res.outcome === "refused") {
      first = markRefused(form, res.error);
      message.appendChild(notice("error", `Not saved: ${res.error.message}`));
      if (first) first.focus();
      return;
    }
    const saved = res.outcome === "sent" && res.data;
    section.replaceChildren(
      h("h1", { tabindex: "-1" }, "Thank you"),
      saved
        ? notice("success", `${q.name}: saved. Your score is ${Math.round(saved.score * 10) / 10}.`)
        : notice("info", "Saved on this device. It will be sent when you're back online."),
      h("div", { class: "row" }, h("a", { href: "/", class: "btn btn-primary" }, "Back to Today"), h("a", { href: "/progress", class: "btn btn-secondary" }, "See your progress")),
    );
    section.querySelector("h1").focus();
  });
}
