// Form errors said once and plainly: each field's message next to it, a summary above
// the form, and marshmallow's stock wording put in plain words. Loaded with the forms.
import { h, notice, uid } from "./dom.js";

// Field names the API speaks, as the forms label them (a refusal shown away from its form).
const FIELD_LABELS = {
  distance_km: "Distance",
  duration_s: "Duration",
  started_at: "When",
  surface: "Surface",
  workout_type: "Workout",
  stiffness: "Stiffness",
  stiffness_areas: "Where is it stiff",
  red_flags: "Warning signs",
  notes: "Notes",
  morning_stiffness: "This morning",
  morning_at: "Answer time",
};

export function fieldLabel(name) {
  return FIELD_LABELS[name] || String(name).replace(/_/g, " ");
}

// Marshmallow's stock wording, said plainly, for any message a schema has not worded itself.
const PLAIN = [
  [/^Missing data for required field\.?$/, "This is needed."],
  [/^Field may not be null\.?$/, "This is needed."],
  [/^Not a valid (number|integer)\.?$/, "Enter a number."],
  [/^Not a valid email address\.?$/, "Enter an email address like name@example.com."],
  [/^Not a valid (datetime|date)\.?$/, "Enter a date."],
  [/^Must be one of: .*$/, "Pick one of the choices."],
  [/^Length must be between 1 and (\d+)\.?$/, (m) => `Fill this in (up to ${m[1]} characters).`],
  [/^Shorter than minimum length (\d+)\.?$/, (m) => `Use at least ${m[1]} characters.`],
  [/^Longer than maximum length (\d+)\.?$/, (m) => `Use at most ${m[1]} characters.`],
  [
    /^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.?$/,
    (m) => `Enter a number from ${m[1]} to ${m[2]}.`,
  ],
  [/^Unknown field\.?$/, "This is not something the form can send."],
];

export function plainMessage(text) {
  const t = String(text);
  for (const [re, out] of PLAIN) {
    const m = re.exec(t);
    if (m) return typeof out === "function" ? out(m) : out;
  }
  return t;
}

/** The box above a form where showErrors writes its summary (and showSaved its thanks). */
export const summaryBox = () => h("div", { class: "form-summary", tabindex: "-1" });

/** A refusal to show: the error itself, or, offline, what the action needs. */
export const offlineOr = (err, needs) =>
  err.offline ? { message: `You're offline. ${needs}` } : err;

/** Says on the summary box that the form was saved, and clears any earlier marks. */
export function showSaved(form, summary, text) {
  showErrors(form, summary, null);
  summary.appendChild(notice("success", text));
}

function fieldTarget(form, name) {
  const el = form.querySelector(`[data-field="${name}"], [name="${name}"]`);
  if (!el) return null;
  const box = el.matches("fieldset") ? el : el.closest(".field, fieldset") || el.parentElement;
  const input = el.matches("input, select, textarea")
    ? el
    : box.querySelector("input, select, textarea");
  return { box, input };
}

// {first, placed, unplaced}: the first input marked, the fields marked, and the
// messages naming no field on this form (showErrors puts those in its summary).
function markFields(form, err, plain = String) {
  form.querySelectorAll(".field-error").forEach((e) => e.remove());
  form.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
  form.querySelectorAll("[data-plain-describedby]").forEach((e) => {
    if (e.dataset.plainDescribedby) e.setAttribute("aria-describedby", e.dataset.plainDescribedby);
    else e.removeAttribute("aria-describedby");
    delete e.dataset.plainDescribedby;
  });
  const fields = err && err.fields ? err.fields : {};
  const placed = [];
  const unplaced = [];
  for (const [name, msgs] of Object.entries(fields)) {
    const text = [].concat(msgs).map(plain).join(" ");
    const target = fieldTarget(form, name);
    if (!target) {
      unplaced.push(text);
      continue;
    }
    // A screen reader hears the message with the field, not only the red text.
    const errorId = uid("err");
    target.box.appendChild(h("p", { class: "field-error", id: errorId }, text));
    target.box.querySelectorAll("input, select, textarea").forEach((i) => {
      if (i.type === "checkbox" || i.type === "radio") return;
      i.setAttribute("aria-invalid", "true");
      const before = i.getAttribute("aria-describedby") || "";
      i.dataset.plainDescribedby = before;
      i.setAttribute("aria-describedby", `${before} ${errorId}`.trim());
    });
    placed.push({ name, input: target.input, box: target.box });
  }
  // In the order the form asks, whatever order the server named them in.
  placed.sort((a, b) =>
    a.box.compareDocumentPosition(b.box) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
  );
  const first = placed.length ? placed[0].input : null;
  return { first, placed, unplaced };
}

function labelFor(box) {
  const label = box.querySelector(":scope > legend, :scope > label");
  return label ? label.textContent.replace(/\s*\(optional\)\s*$/, "") : "This answer";
}

/**
 * Shows an error on a form once: each field's message next to it, and above the form a
 * summary naming those fields (a button moves to each) plus any message that belongs
 * to no field, so a 422 naming no field still says why. `failed` opens the summary
 * when the server refused ("The run was not saved").
 */
export function showErrors(form, summary, err, failed = "") {
  const { first, placed, unplaced } = markFields(form, err, plainMessage);
  summary.replaceChildren();
  if (!err) return null;
  const general =
    err.message && !placed.length && !unplaced.length ? [plainMessage(err.message)] : [];
  const messages = [...unplaced, ...general];
  const why = placed.length
    ? "Some answers need a look:"
    : messages.shift() || "Something needs a look.";
  const lead = failed ? `${failed}${placed.length ? "." : ":"} ${why}` : why;
  summary.appendChild(
    notice(
      "error",
      h("p", { class: "summary-lead" }, lead),
      placed.length
        ? h(
            "ul",
            { class: "summary-fields" },
            placed.map((p) =>
              h(
                "li",
                {},
                h(
                  "button",
                  {
                    type: "button",
                    class: "link-button",
                    onclick: () => p.input && p.input.focus(),
                  },
                  labelFor(p.box),
                ),
              ),
            ),
          )
        : null,
      messages.length
        ? h(
            "ul",
            {},
            messages.map((m) => h("li", {}, m)),
          )
        : null,
    ),
  );
  if (first) first.focus();
  else summary.focus();
  return first;
}
