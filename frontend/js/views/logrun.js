// Log run: one screen, thumbs only, done in seconds. The run goes through the
// outbox, so it is kept on the device even with no signal.
import { chips, checkedValue, checkedValues, field, formErrors, h, notice } from "../dom.js";
import {
  ADVICE, AREAS, RED_FLAGS, SURFACES, WORKOUTS, addDays, distanceUnit, formatDistance, formatDuration, formatRange,
  formatWeight, localDateTimeValue, paceProblem, parseDuration, parseNumber, toKm, triage,
} from "../format.js";
import * as outbox from "../outbox.js";
import { api } from "../api.js";
import { callCard, helpCard, numberToCall } from "./help.js";

export const title = "Log run";

const LAST = "limber-last-run";

export async function render(root, ctx) {
  const user = ctx.user;
  const last = JSON.parse(localStorage.getItem(LAST) || "{}");
  const unit = distanceUnit(user);

  const when = field("When", { type: "datetime-local", name: "started_at", value: localDateTimeValue(), required: true });
  const distance = field("Distance", { name: "distance_km", inputmode: "decimal", autocomplete: "off", required: true, placeholder: unit === "mi" ? "3.1" : "5.0" }, { suffix: unit === "mi" ? "miles" : "km" });
  const duration = field("Duration", { name: "duration_s", inputmode: "decimal", autocomplete: "off", required: true, placeholder: "32:15" }, { hint: "Minutes, or min:sec, or h:mm:ss" });
  const surface = chips("Surface", "surface", SURFACES, { value: last.surface });
  const workout = chips("Workout", "workout_type", WORKOUTS, { value: last.workout_type });
  const stiffness = chips("Stiffness", "stiffness", Array.from({ length: 11 }, (_, i) => [String(i), String(i)]), { columns: 11 });
  stiffness.classList.add("scale");
  stiffness.appendChild(h("p", { class: "hint scale-ends" }, h("span", {}, "0 = loose"), h("span", {}, "10 = can't bend")));
  const areas = chips("Where is it stiff? (optional)", "stiffness_areas", AREAS, { type: "checkbox" });
  const flags = h(
    "fieldset",
    { class: "flags" },
    h("legend", {}, "Since the run, have you had any of these?"),
    h("p", { class: "hint" }, "Leave them unticked if not."),
    RED_FLAGS.map(([value, label]) =>
      h("div", { class: "check" }, h("input", { type: "checkbox", name: "red_flags", value, id: `flag-${value}` }), h("label", { for: `flag-${value}` }, label)),
    ),
  );
  const notes = field("Notes (optional)", { tag: "textarea", name: "notes", rows: 2, maxlength: 2000 });
  const message = h("div", { class: "form-message", "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "btn btn-primary btn-block btn-save" }, "Save run");

  const form = h(
    "form",
    { class: "form run-form", novalidate: true },
    h("div", { class: "grid-2" }, distance.wrap, duration.wrap),
    surface,
    workout,
    stiffness,
    areas,
    flags,
    h("details", { class: "more" }, h("summary", {}, "Date, time and notes"), when.wrap, notes.wrap),
    message,
    save,
  );
  const section = h("section", {}, h("h1", {}, "Log run"), form);
  root.append(section);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.replaceChildren();
    const errors = {};
    const dist = parseNumber(distance.input.value);
    const secs = parseDuration(duration.input.value);
    const stiff = checkedValue(form, "stiffness");
    if (dist === null || dist <= 0) errors.distance_km = ["Enter how far you ran, e.g. 5 or 5.2."];
    else if (toKm(dist, user) > 300) errors.distance_km = ["That is more than 300 km."];
    if (!secs) errors.duration_s = ["Enter how long it took, e.g. 32 or 32:15."];
    if (!checkedValue(form, "surface")) errors.surface = ["Pick a surface."];
    if (!checkedValue(form, "workout_type")) errors.workout_type = ["Pick the kind of run."];
    if (stiff === null) errors.stiffness = ["Pick how stiff you feel, 0 to 10."];
    const startedLocal = when.input.value ? new Date(when.input.value) : new Date();
    if (Number.isNaN(startedLocal.getTime())) errors.started_at = ["Enter a date and time."];
    else if (startedLocal.getTime() > Date.now() + 86400000) errors.started_at = ["The start time is more than a day ahead; check the date."];
    if (!errors.distance_km && !errors.duration_s && !errors.workout_type) {
      const problem = paceProblem(toKm(dist, user), secs, checkedValue(form, "workout_type"));
      if (problem) errors.duration_s = [problem];
    }
    if (Object.keys(errors).length) {
      const first = formErrors(form, { fields: errors });
      message.appendChild(notice("error", "Some answers are missing or need a look. They are marked below."));
      if (first) first.focus();
      return;
    }
    formErrors(form, null);
    const body = {
      id: outbox.newId(),
      started_at: startedLocal.toISOString(),
      distance_km: Math.round(toKm(dist, user) * 1000) / 1000,
      duration_s: secs,
      surface: checkedValue(form, "surface"),
      workout_type: checkedValue(form, "workout_type"),
      stiffness: Number(stiff),
      stiffness_areas: checkedValues(form, "stiffness_areas"),
      red_flags: checkedValues(form, "red_flags"),
    };
    if (notes.input.value.trim()) body.notes = notes.input.value.trim();
    localStorage.setItem(LAST, JSON.stringify({ surface: body.surface, workout_type: body.workout_type }));
    save.disabled = true;
    const res = await outbox.submit("run", "/runs", body, user.id);
    if (!ctx.isCurrent()) return;
    save.disabled = false;
    if (res.outcome === "refused") {
      const first = formErrors(form, res.error);
      message.appendChild(notice("error", `The run was not saved: ${res.error.message}`));
      if (first) first.focus();
      return;
    }
    section.replaceChildren(result(body, res, user));
    section.querySelector("h1").focus();
  });
}

function result(body, res, user) {
  const run = res.outcome === "sent" && res.data ? res.data : null;
  const level = run && run.advice ? run.advice.level : triage(body.red_flags);
  const advice = ADVICE[level] || ADVICE.none;
  const message = run && run.advice && run.advice.message ? run.advice.message : advice.text;
  const serious = level === "emergency" || level === "urgent";
  const saved =
    res.outcome === "sent"
      ? notice(serious ? "info" : "success", `${formatDistance(body.distance_km, user)} in ${formatDuration(body.duration_s)}, stiffness ${body.stiffness}/10.`)
      : notice("info", "Saved on this device. It will be sent when you're back online, and the estimate will follow.");
  if (serious) {
    // Getting help comes first: no load figures, no invitation to train.
    return h(
      "div",
      { class: "run-result" },
      callCard(level, message, numberToCall(run && run.advice)),
      h("h2", {}, "Run saved"),
      saved,
      helpCard(),
    );
  }
  const parts = [h("h1", { tabindex: "-1" }, "Run saved")];
  if (level !== "none") {
    parts.push(h("div", { class: `advice advice-${level}`, role: "status" }, h("h2", {}, advice.title), h("p", {}, message)));
  }
  parts.push(saved);
  if (run && run.estimate) parts.push(estimateCard(run, user));
  if (level === "none") {
    parts.push(
      h("p", { class: "card" }, body.stiffness >= 7
        ? `That's a lot of stiffness. Your body may be guarding after this run: a gentle routine today helps, and if it keeps coming back, tell your practitioner. ${ADVICE.none.text}`
        : run ? message : `Stiffness after a run is usually your body protecting itself, not damage. Your routine today helps it let go. ${ADVICE.none.text}`),
    );
  }
  parts.push(
    h("div", { class: "row" }, h("a", { href: "/", class: "btn btn-primary" }, "Go to today's routine"), h("a", { href: "/log", class: "btn btn-secondary" }, "Log another run")),
  );
  if (run) parts.push(h("p", {}, h("a", { href: `/messages?run=${run.id}` }, "Ask your practitioner about this run")));
  if (level !== "none") parts.push(helpCard());
  return h("div", { class: "run-result" }, parts);
}

function estimateCard(run, user) {
  const est = run.estimate;
  const rows = [
    ["Steps", `about ${formatRange(est.steps)}`],
    ["Impact per step", est.force_per_step_kg ? `${formatWeight(est.force_per_step_kg, user)} (${fmtX(est.force_per_step_bw)} your body weight)` : `${fmtX(est.force_per_step_bw)} your body weight`],
  ];
  const compare = h("dd", {}, "Working it out…");
  rows.push(["Compared with your usual", compare]);
  usualComparison(run).then((text) => compare.replaceChildren(text));
  return h(
    "section",
    { class: "card estimate", "aria-labelledby": "est-title" },
    h("h2", { id: "est-title" }, "Estimated load"),
    h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), v instanceof Node ? v : h("dd", {}, v)])),
    h("p", { class: "muted" }, "Estimates, shown as a range: steps follow your pace, and real figures depend on stride and surface. The impact is ground force with each step, spread through your legs, hips and back. Stiffness afterwards is your body protecting itself, not damage."),
    est.force_per_step_kg ? null : h("p", { class: "muted" }, "Add your body weight in Settings to see the impact in kg or lb."),
  );
}

/** This run's load (steps x impact, in body weights) against the average run of the 4 weeks before. */
async function usualComparison(run) {
  const units = (r) => ((r.estimate.steps.low + r.estimate.steps.high) / 2) * ((r.estimate.force_per_step_bw.low + r.estimate.force_per_step_bw.high) / 2);
  try {
    const to = addDays(run.local_date, -1);
    const others = (await api.all("/runs", { from: addDays(run.local_date, -28), to })).filter((r) => r.id !== run.id);
    if (others.length < 3) return "Not enough runs in the last 4 weeks to compare yet.";
    const usual = others.reduce((sum, r) => sum + units(r), 0) / others.length;
    const pct = Math.round((units(run) / usual - 1) * 100);
    if (Math.abs(pct) < 5) return "About the same as your average run over the last 4 weeks.";
    return `About ${Math.abs(pct)} % ${pct > 0 ? "more" : "less"} than your average run over the last 4 weeks.`;
  } catch {
    return "Not available offline.";
  }
}

function fmtX(r) {
  if (!r) return "–";
  const f = (n) => (Math.round(n * 10) / 10).toString();
  return r.low === r.high ? `${f(r.low)}×` : `${f(r.low)}–${f(r.high)}×`;
}
