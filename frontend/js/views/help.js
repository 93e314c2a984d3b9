// "When to get help": always one tap away on Today and after logging a run.
import { h } from "../dom.js";

export function helpCard() {
  return h(
    "section",
    { class: "card help", "aria-labelledby": "help-title" },
    h("h2", { id: "help-title" }, "When to get help"),
    h(
      "div",
      { class: "tier tier-emergency" },
      h("h3", {}, "Emergency — now"),
      h("p", {}, "Numbness around the groin or buttocks, new trouble with your bladder or bowels, or symptoms in both legs: call your local emergency number or go to an emergency department."),
    ),
    h(
      "div",
      { class: "tier tier-urgent" },
      h("h3", {}, "See a doctor today or tomorrow"),
      h("p", {}, "Back pain with a fever, weight loss you can't explain, or pain that wakes you at night."),
    ),
    h(
      "div",
      { class: "tier tier-soon" },
      h("h3", {}, "Get assessed soon"),
      h("p", {}, "Sharp pain, pain shooting down a leg, or a leg that feels numb or weak: see a physical therapist, athletic trainer or orthopaedic doctor."),
    ),
    h("p", { class: "muted" }, "Stiffness after a run is usually your body guarding, not damage. Pain like the above is different."),
  );
}
