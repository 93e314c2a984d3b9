// "When to get help": always one tap away on Today and after logging a run.
import { h } from "../dom.js";
import { ADVICE, NOT_MEDICAL_ADVICE, emergencyNumber } from "../format.js";

const LAST_NUMBER = "limber-emergency-number";

/** The number to call: the server's setting (remembered for offline), else the region's. */
export function numberToCall(advice) {
  if (advice && advice.emergency_number) localStorage.setItem(LAST_NUMBER, advice.emergency_number);
  return emergencyNumber((advice && advice.emergency_number) || localStorage.getItem(LAST_NUMBER));
}

/** The first thing after an emergency or urgent answer: what to do, and a button to call. */
export function callCard(level, message, number) {
  const advice = ADVICE[level];
  const call =
    level === "emergency"
      ? number
        ? h("a", { class: "btn btn-call btn-block", href: `tel:${number}` }, `Call ${number}`)
        : h("p", { class: "call-fallback" }, "Call your local emergency number now.")
      : h("p", {}, "Call your doctor, or an urgent care or out-of-hours service.");
  return h(
    "section",
    { class: `advice advice-${level}`, role: level === "emergency" ? "alert" : "status", "aria-labelledby": "advice-title" },
    h("h1", { id: "advice-title", tabindex: "-1" }, advice.title),
    h("p", {}, message || advice.text),
    call,
    level === "urgent" && number
      ? h("p", {}, "If it gets worse, or you notice numbness around the groin, bladder or bowel changes or symptoms in both legs: ", h("a", { href: `tel:${number}` }, `call ${number}`), ".")
      : null,
  );
}

export function helpCard() {
  return h(
    "section",
    { class: "card help", "aria-labelledby": "help-title" },
    h("h2", { id: "help-title" }, "When to get help"),
    h(
      "div",
      { class: "tier tier-emergency" },
      h("h3", {}, "Emergency — now"),
      h("p", {}, "Numbness around the groin or buttocks, new trouble with your bladder or bowels, or numbness, tingling or weakness in both legs: call your local emergency number or go to an emergency department."),
    ),
    h(
      "div",
      { class: "tier tier-urgent" },
      h("h3", {}, "See a doctor today or tomorrow"),
      h("p", {}, "Back pain with a fever, weight loss you can't explain, pain that wakes you at night, or leg weakness that is getting worse (a foot that drags)."),
    ),
    h(
      "div",
      { class: "tier tier-soon" },
      h("h3", {}, "Get assessed soon"),
      h("p", {}, "Sharp pain, pain shooting down a leg, or a leg that feels numb or weak: see a physical therapist, athletic trainer or orthopaedic doctor."),
    ),
    h("p", { class: "muted" }, `Stiffness after a run is usually your body guarding, not damage. Pain like the above is different. ${NOT_MEDICAL_ADVICE}`),
  );
}
