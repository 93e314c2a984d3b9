// The card on Today that says questionnaires are due. Kept apart from outcomes.js so the
// first load of Today stays small.
import { api } from "../api.js";
import { h } from "../dom.js";
import { plural } from "../format.js";
import * as outbox from "../outbox.js";

/** A card for Today when questionnaires are due (null when none are). */
export async function dueCard(user, today) {
  let due;
  try {
    due = await api.get("/me/questionnaires/due", { date: today });
  } catch {
    return null;
  }
  const waiting = new Set(
    (await outbox.pending(user.id)).filter((p) => p.kind === "questionnaire").map((p) => p.body.questionnaire_id),
  );
  const items = (due.items || []).filter((i) => !waiting.has(i.questionnaire.id));
  if (!items.length) return null;
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
