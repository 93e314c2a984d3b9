// Messages with my practitioner: the thread, a composer that reminds where warning
// signs belong, "about this run" from a run's screen, and suggestions to accept.
import { api } from "../api.js";
import { field, h, notice } from "../dom.js";
import { showErrors, summaryBox } from "../formerrors.js";
import { formatDate, formatDistance } from "../format.js";
import * as outbox from "../outbox.js";
import { numberToCall } from "./help.js";
import { liveThread } from "./thread.js";

export const title = "Messages";
const MAX = 4000;

function safetyNote() {
  const number = numberToCall(null);
  return h(
    "div",
    { class: "notice notice-info safety-note", role: "note" },
    h(
      "p",
      {},
      "Messages are not read straight away. Warning signs (numbness, bladder or bowel changes, symptoms in both legs, fever) go in the ",
      h("a", { href: "/log" }, "run log"),
      ", which alerts your practitioner at once.",
    ),
    h(
      "p",
      {},
      number
        ? h("a", { href: `tel:${number}` }, `In an emergency, call ${number}`)
        : "In an emergency, call your local emergency number.",
    ),
  );
}

async function attachment(query, user) {
  const runId = query.get("run");
  const sessionId = query.get("session");
  if (runId) {
    try {
      const run = await api.get(`/runs/${encodeURIComponent(runId)}`);
      return {
        key: "run_id",
        id: run.id,
        text: `About this run: ${formatDate(run.local_date)}, ${formatDistance(run.distance_km, user)}`,
      };
    } catch {
      return { key: "run_id", id: runId, text: "About this run" };
    }
  }
  if (sessionId) return { key: "session_id", id: sessionId, text: "About this routine session" };
  return null;
}

function headText(t) {
  if (!t) return "Once you share your data with a practitioner, you can write to them here.";
  const who = t.practitioner_name;
  if (t.open) return `With ${who || "your practitioner"}.`;
  return `Your link with ${who || "this practitioner"} has ended: you can read this conversation, not write to it.`;
}

function pendingCopy(body, createdAt) {
  return { ...body, author: "runner", created_at: createdAt, read_at: null };
}

function attachmentChip(about) {
  if (!about) return null;
  const remove = h("button", { type: "button", class: "btn btn-secondary btn-small" }, "Remove");
  const chip = h("p", { class: "msg-attachment" }, about.text, " ", remove);
  remove.addEventListener("click", () => {
    chip.remove();
    about.removed = true;
  });
  return chip;
}

/** The composer: safety note, the attachment, the text; sent through the outbox. */
function composer(user, thread, about) {
  const { wrap, input } = field(
    "Message to your practitioner",
    { tag: "textarea", name: "body", maxlength: String(MAX), required: true, rows: "4" },
    { hint: `Up to ${MAX} characters.` },
  );
  const status = summaryBox();
  const chip = attachmentChip(about);
  const send = h("button", { type: "submit", class: "btn btn-primary" }, "Send");
  const attrs = { class: "card composer", novalidate: true, "aria-label": "Write a message" };
  const form = h("form", attrs, safetyNote(), chip, status, wrap, send);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showErrors(form, status, null);
    if (!input.value.trim()) {
      showErrors(form, status, { fields: { body: ["Write something first."] } });
      return;
    }
    const body = { id: outbox.newId(), body: input.value };
    if (about && !about.removed) body[about.key] = about.id;
    send.disabled = true;
    const res = await outbox.submit("message", "/me/messages", body, user.id);
    send.disabled = false;
    if (res.outcome === "refused") {
      showErrors(form, status, res.error, "Not sent");
      return;
    }
    input.value = "";
    if (chip && !about.removed) chip.querySelector("button").click();
    if (res.outcome === "sent" && res.data) thread.add(res.data);
    else {
      thread.add(pendingCopy(body, new Date().toISOString()), { pending: true });
      const later = "Saved on this phone: it will be sent once you are back online.";
      status.append(notice("info", later));
    }
  });
  return form;
}

export async function render(root, ctx) {
  const { user } = ctx;
  const list = h("ol", { class: "thread", "aria-label": "Conversation", "aria-live": "polite" });
  const head = h("p", { class: "muted" });
  const section = h("section", {}, h("h1", {}, "Messages"), head, list);
  root.append(section);
  let closed = false;
  const thread = liveThread(list, {
    path: "/me/messages",
    viewer: "runner",
    user,
    onAccept: (m) => api.post(`/me/messages/${m.id}/accept`),
    onThread: (t) => {
      closed = !t || !t.open;
      head.textContent = headText(t);
    },
  });
  await thread.reload();
  if (!ctx.isCurrent()) return () => thread.stop();
  // Written offline and not sent yet: shown in place, sent by the outbox.
  for (const item of await outbox.pending(user.id)) {
    if (item.kind === "message")
      thread.add(pendingCopy(item.body, item.created_at), { pending: true });
  }
  if (closed) return () => thread.stop();
  section.append(composer(user, thread, await attachment(ctx.query, user)));
  const onSent = () => thread.poll();
  outbox.events.addEventListener("change", onSent);
  return () => {
    thread.stop();
    outbox.events.removeEventListener("change", onSent);
  };
}
