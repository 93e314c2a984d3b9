// The practitioner's conversation with one client, on the client page: their runs
// inline, and a reply that can suggest a routine for them to accept.
import { api } from "../api.js";
import { checkedValues, chips, field, formErrors, h, notice } from "../dom.js";
import { WEEKDAYS } from "../format.js";
import * as outbox from "../outbox.js";
import { liveThread } from "./thread.js";

const MAX = 4000;

export async function mount(box, { clientId, user, name, routines }) {
  const path = `/clients/${clientId}/messages`;
  const list = h("ol", { class: "thread", "aria-label": `Conversation with ${name}`, "aria-live": "polite" });
  box.append(list);
  const thread = liveThread(list, { path, viewer: "practitioner", user, otherName: name });
  try {
    const page = await thread.reload();
    if (!page.items.length) list.replaceWith(h("p", { class: "muted", id: "no-messages" }, `No messages yet. ${name} can write to you from the app.`), list);
  } catch (err) {
    box.append(notice("error", err.message));
    return () => thread.stop();
  }
  const { wrap, input } = field(`Reply to ${name}`, { tag: "textarea", name: "body", maxlength: String(MAX), required: true, rows: "3" });
  const suggest = h("details", {}, h("summary", {}, "Suggest a routine"));
  const routineField = field("Routine", { tag: "select", name: "routine_id" });
  routineField.input.append(h("option", { value: "" }, "No suggestion"), ...routines.map((r) => h("option", { value: r.id }, r.name)));
  suggest.append(routineField.wrap, chips("On these days", "weekdays", WEEKDAYS.map((d, i) => [String(i), d]), { type: "checkbox", values: ["0", "3"] }));
  const status = h("div", {});
  const send = h("button", { type: "submit", class: "btn btn-primary" }, "Send");
  const form = h("form", { class: "composer", novalidate: true, "aria-label": `Write to ${name}` }, wrap, suggest, status, send);
  box.append(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.replaceChildren();
    if (!input.value.trim()) {
      status.append(notice("error", "Write something first."));
      input.focus();
      return;
    }
    const body = { id: outbox.newId(), body: input.value };
    if (routineField.input.value) body.suggestion = { routine_id: routineField.input.value, weekdays: checkedValues(form, "weekdays").map(Number) };
    send.disabled = true;
    try {
      const sent = await api.post(path, body);
      input.value = "";
      routineField.input.value = "";
      const empty = box.querySelector("#no-messages");
      if (empty) empty.remove();
      thread.add(sent);
    } catch (err) {
      const first = formErrors(form, err);
      status.append(notice("error", `Not sent: ${err.message}`));
      if (first) first.focus();
    } finally {
      send.disabled = false;
    }
  });
  return () => thread.stop();
}
