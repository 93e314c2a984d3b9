// The run form, shared by "Log run" and "Edit run": the same fields, the same checks,
// the same plain messages. Each part is built by its own small function.
import { chips, checkedValue, checkedValues, field, h, uid } from "../dom.js";
import { summaryBox } from "../formerrors.js";
import {
  AREAS,
  RED_FLAGS,
  SURFACES,
  WORKOUTS,
  KM_PER_MILE,
  distanceUnit,
  localDateTimeValue,
  paceProblem,
  parseNumber,
  toKm,
} from "../format.js";

/** A distance in km shown as a number in the runner's units. */
export function fromKm(km, user) {
  return distanceUnit(user) === "mi" ? km / KM_PER_MILE : km;
}

/** "1:05:30" style parts of a number of seconds, as the three fields show them. */
export function durationParts(seconds) {
  if (!seconds && seconds !== 0) return { h: "", m: "", s: "" };
  const total = Math.round(seconds);
  const hrs = Math.floor(total / 3600);
  return {
    h: hrs ? String(hrs) : "",
    m: String(Math.floor((total % 3600) / 60)),
    s: String(total % 60).padStart(2, "0"),
  };
}

/**
 * Seconds from the three fields, or {error}. Digits only (a phone's number pad);
 * "32:15" or "1:05:30" pasted into the minutes field is read too.
 */
export function readDuration(hText, mText, sText) {
  const [hv, mv, sv] = [hText, mText, sText].map((t) => String(t || "").trim());
  if (!hv && !sv && /^\d+(:\d{1,2}){1,2}$/.test(mv)) {
    const nums = mv.split(":").map(Number);
    if (nums.slice(1).some((n) => n > 59)) return { error: "Minutes and seconds go up to 59." };
    return {
      seconds: nums.length === 2 ? nums[0] * 60 + nums[1] : nums[0] * 3600 + nums[1] * 60 + nums[2],
    };
  }
  if ([hv, mv, sv].some((t) => t && !/^\d+$/.test(t)))
    return { error: "Use whole numbers, e.g. 32 minutes 15 seconds." };
  const [hrs, mins, secs] = [hv, mv, sv].map((t) => (t ? Number(t) : 0));
  if (secs > 59) return { error: "Seconds go up to 59." };
  if (hv && mins > 59) return { error: "With hours given, minutes go up to 59." };
  const seconds = hrs * 3600 + mins * 60 + secs;
  if (!seconds) return { error: "Enter how long it took, e.g. 32 minutes." };
  return { seconds };
}

function durationGroup(run) {
  const parts = durationParts(run && run.duration_s);
  const hintId = uid("dur-hint");
  const box = (label, name, value, placeholder) => {
    const id = uid(name);
    return h(
      "div",
      { class: "duration-part" },
      h("input", {
        id,
        name,
        value,
        placeholder,
        inputmode: "numeric",
        pattern: "[0-9]*",
        autocomplete: "off",
        maxlength: 5,
        "aria-describedby": hintId,
      }),
      h("label", { for: id }, label),
    );
  };
  return h(
    "fieldset",
    { class: "duration", dataset: { field: "duration_s" } },
    h("legend", {}, "Duration"),
    h(
      "div",
      { class: "duration-parts" },
      box("Hours", "duration_h", parts.h, "0"),
      box("Minutes", "duration_m", parts.m, "32"),
      box("Seconds", "duration_sec", parts.s, "00"),
    ),
    h("p", { class: "hint", id: hintId }, "Minutes alone is fine."),
  );
}

function distanceField(user, run) {
  const unit = distanceUnit(user);
  const value = run ? String(Math.round(fromKm(run.distance_km, user) * 100) / 100) : "";
  return field(
    "Distance",
    {
      name: "distance_km",
      inputmode: "decimal",
      autocomplete: "off",
      required: true,
      value,
      placeholder: unit === "mi" ? "3.1" : "5.0",
    },
    { suffix: unit === "mi" ? "miles" : "km" },
  );
}

function choiceGroups(run, last) {
  const surface = chips("Surface", "surface", SURFACES, {
    value: run ? run.surface : last.surface,
  });
  const workout = chips("Workout", "workout_type", WORKOUTS, {
    value: run ? run.workout_type : last.workout_type,
  });
  const stiffness = chips(
    "Stiffness",
    "stiffness",
    Array.from({ length: 11 }, (_, i) => [String(i), String(i)]),
    { columns: 11, value: run ? run.stiffness : undefined },
  );
  stiffness.classList.add("scale");
  stiffness.appendChild(
    h(
      "p",
      { class: "hint scale-ends" },
      h("span", {}, "0 = loose"),
      h("span", {}, "10 = can't bend"),
    ),
  );
  const areas = chips("Where is it stiff? (optional)", "stiffness_areas", AREAS, {
    type: "checkbox",
    values: run ? run.stiffness_areas : [],
  });
  return [surface, workout, stiffness, areas];
}

function flagGroup(run) {
  const ticked = run ? run.red_flags : [];
  return h(
    "fieldset",
    { class: "flags" },
    h("legend", {}, "Since the run, have you had any of these?"),
    h("p", { class: "hint" }, "Leave them unticked if not."),
    RED_FLAGS.map(([value, label]) => {
      const id = uid(`flag-${value}`);
      return h(
        "div",
        { class: "check" },
        h("input", {
          type: "checkbox",
          name: "red_flags",
          value,
          id,
          checked: ticked.includes(value),
        }),
        h("label", { for: id }, label),
      );
    }),
  );
}

function moreGroup(run) {
  const when = field("When", {
    type: "datetime-local",
    name: "started_at",
    value: localDateTimeValue(run ? new Date(run.started_at) : new Date()),
    required: true,
  });
  const notes = field("Notes (optional)", {
    tag: "textarea",
    name: "notes",
    rows: 2,
    maxlength: 2000,
  });
  if (run && run.notes) notes.input.value = run.notes;
  return h(
    "details",
    { class: "more", open: Boolean(run) },
    h("summary", {}, "Date, time and notes"),
    when.wrap,
    notes.wrap,
  );
}

/**
 * The form's fields, a message box above the button, and the button.
 * `run` fills it for an edit; `last` is the surface and workout logged last time.
 */
export function runForm(user, { run = null, last = {}, submitLabel = "Save run" } = {}) {
  const distance = distanceField(user, run);
  const summary = summaryBox();
  const form = h(
    "form",
    { class: "form run-form", novalidate: true },
    summary,
    h("div", { class: "grid-2" }, distance.wrap, durationGroup(run)),
    choiceGroups(run, last),
    flagGroup(run),
    moreGroup(run),
    h("div", { class: "form-message", "aria-live": "polite" }),
    h("button", { type: "submit", class: "btn btn-primary btn-block btn-save" }, submitLabel),
  );
  return { form, summary, save: form.querySelector("button[type=submit]") };
}

function value(form, name) {
  const el = form.querySelector(`[name="${name}"]`);
  return el ? el.value : "";
}

function checkMeasures(form, user, errors) {
  const dist = parseNumber(value(form, "distance_km"));
  const dur = readDuration(
    value(form, "duration_h"),
    value(form, "duration_m"),
    value(form, "duration_sec"),
  );
  if (dist === null || dist <= 0) errors.distance_km = ["Enter how far you ran, e.g. 5 or 5.2."];
  else if (toKm(dist, user) > 300)
    errors.distance_km = [
      `That is more than ${distanceUnit(user) === "mi" ? "186 miles" : "300 km"}.`,
    ];
  if (dur.error) errors.duration_s = [dur.error];
  return { km: dist === null ? null : toKm(dist, user), seconds: dur.seconds };
}

/** The raw state of each field, to send only what an edit changed. */
export function snapshot(form) {
  return {
    distance_km: value(form, "distance_km").trim(),
    duration_s: ["duration_h", "duration_m", "duration_sec"]
      .map((n) => value(form, n).trim())
      .join("|"),
    surface: checkedValue(form, "surface"),
    workout_type: checkedValue(form, "workout_type"),
    stiffness: checkedValue(form, "stiffness"),
    stiffness_areas: checkedValues(form, "stiffness_areas").join(","),
    red_flags: checkedValues(form, "red_flags").join(","),
    started_at: value(form, "started_at"),
    notes: value(form, "notes").trim(),
  };
}

/** Reads and checks the form: {errors} when something needs a look, else {values}. */
export function readRunForm(form, user) {
  const errors = {};
  const { km, seconds } = checkMeasures(form, user, errors);
  const stiff = checkedValue(form, "stiffness");
  if (!checkedValue(form, "surface")) errors.surface = ["Pick a surface."];
  if (!checkedValue(form, "workout_type")) errors.workout_type = ["Pick the kind of run."];
  if (stiff === null) errors.stiffness = ["Pick how stiff you feel, 0 to 10."];
  const whenText = value(form, "started_at");
  const started = whenText ? new Date(whenText) : new Date();
  if (Number.isNaN(started.getTime())) errors.started_at = ["Enter a date and time."];
  else if (started.getTime() > Date.now() + 86400000)
    errors.started_at = ["The start time is more than a day ahead; check the date."];
  if (!errors.distance_km && !errors.duration_s && !errors.workout_type) {
    const problem = paceProblem(km, seconds, checkedValue(form, "workout_type"), user);
    if (problem) errors.duration_s = [problem];
  }
  if (Object.keys(errors).length) return { errors };
  return {
    values: {
      started_at: started.toISOString(),
      distance_km: Math.round(km * 1000) / 1000,
      duration_s: seconds,
      surface: checkedValue(form, "surface"),
      workout_type: checkedValue(form, "workout_type"),
      stiffness: Number(stiff),
      stiffness_areas: checkedValues(form, "stiffness_areas"),
      red_flags: checkedValues(form, "red_flags"),
      notes: value(form, "notes").trim(),
    },
  };
}
