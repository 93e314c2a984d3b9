// The practitioner's conversation with one client, on the client page: their runs
// inline, and a reply that can suggest a routine for them to accept.
import { api } from "../api.js";
import { checkedValues, chips, field, h, notice } from "../dom.js";
import { offlineOr, showErrors, summaryBox } from "../formerrors.js";
import { WEEKDAYS } from "../format.js";
import * as outbox from "../outbox.js";
import { liveThread } from "./thread.js";

const MAX = 4000;

function suggestionPicker(routines) {
  const suggest = h("details", {}, h("summary", {}, "Suggest a routine"));
  const routineField = field("Routine", { tag: "select", name: "routine_id" });
  const options = routines.map((r) => h("option", { value: r.id }, r.name));
  routineField.input.append(h("option", { value: "" }, "No suggestion"), ...options);
  const days = WEEKDAYS.map((d, i) => [String(i), d]);
  const picker = chips("On these days", "weekdays", days, { type: "checkbox", values: ["0", "3"] });
  suggest.append(routineField.wrap, picker);
  return { suggest, select: routineField.input };
}

/** The reply form; a reply is sent straight away (this page is not an offline screen). */
function replyForm(box, path, name, routines, thread) {
  const attrs = {
    tag: "textarea",
    name: "body",
    maxlength: String(MAX),
    required: true,
    rows: "3",
  };
  const { wrap, input } = field(`Reply to ${name}`, attrs);
  const { suggest, select } = suggestionPicker(routines);
  const status = summaryBox();
  const send = h("button", { type: "submit", class: "btn btn-primary" }, "Send");
  const formAttrs = { class: "composer", novalidate: true, "aria-label": `Write to ${name}` };
  const form = h("form", formAttrs, status, wrap, suggest, send);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showErrors(form, status, null);
    if (!input.value.trim()) {
      showErrors(form, status, { fields: { body: ["Write something first."] } });
      return;
    }
    const body = { id: outbox.newId(), body: input.value };
    if (select.value) {
      const weekdays = checkedValues(form, "weekdays").map(Number);
      body.suggestion = { routine_id: select.value, weekdays };
    }
    send.disabled = true;
    try {
      const sent = await api.post(path, body);
      input.value = "";
      select.value = "";
      const empty = box.querySelector("#no-messages");
      if (empty) empty.remove();
      thread.add(sent);
    } catch (err) {
      showErrors(form, status, offlineOr(err, "Sending needs a connection."), "Not sent");
    } finally {
      send.disabled = false;
    }
  });
  return form;
}

export async function mount(box, { clientId, user, name, routines }) {
  const path = `/clients/${clientId}/messages`;
  const label = `Conversation with ${name}`;
  const list = h("ol", { class: "thread", "aria-label": label, "aria-live": "polite" });
  box.append(list);
  const thread = liveThread(list, { path, viewer: "practitioner", user, otherName: name });
  try {
    const page = await thread.reload();
    if (!page.items.length) {
      const none = `No messages yet. ${name} can write to you from the app.`;
      list.before(h("p", { class: "muted", id: "no-messages" }, none));
    }
  } catch (err) {
    box.append(notice("error", err.message));
    return () => thread.stop();
  }
  box.append(replyForm(box, path, name, routines, thread));
  return () => thread.stop();
}
