// The card on Today that says questionnaires are due. Kept apart from outcomes.js and
// loaded only when something is due, so the first load of Today stays small.
import { h } from "../dom.js";
import { plural } from "../format.js";

/** The card for Today, given the due questionnaires (today.js fetches them first and
 * imports this module only when some are due and not already waiting to send). */
export function dueCard(items) {
  return h(
    "section",
    { class: "card due-questionnaires", "aria-labelledby": "due-q-title" },
    h("h2", { id: "due-q-title" }, "How are things going?"),
    h("p", {}, `${plural(items.length, "short questionnaire")} to answer, about a minute each. Your answers show whether things are getting better.`),
    h(
      "ul",
      { class: "plain-list" },
      items.map((i) => h("li", {}, h("a", { href: `/questionnaires/${i.questionnaire.slug}`, class: "btn btn-primary" }, `Answer: ${i.questionnaire.name}`))),
    ),
  );
}
