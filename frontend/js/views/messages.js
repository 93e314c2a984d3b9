// Messages with my practitioner: the thread, a composer that reminds where warning
// signs belong, "about this run" from a run's screen, and suggestions to accept.
import { api } from "../api.js";
import { field, formErrors, h, notice } from "../dom.js";
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
    h("p", {}, "Messages are not read straight away. Warning signs (numbness, bladder or bowel changes, symptoms in both legs, fever) go in the ", h("a", { href: "/log" }, "run log"), ", which alerts your practitioner at once."),
    h("p", {}, number ? h("a", { href: `tel:${number}` }, `In an emergency, call ${number}`) : "In an emergency, call your local emergency number."),
  );
}

async function attachment(query, user) {
  const runId = query.get("run");
  const sessionId = query.get("session");
  if (runId) {
    try {
      const run = await api.get(`/runs/${encodeURIComponent(runId)}`);
      return { key: "run_id", id: run.id, text: `About this run: ${formatDate(run.local_date)}, ${formatDistance(run.distance_km, user)}` };
    } catch {
      return { key: "run_id", id: runId, text: "About this run" };
    }
  }
  if (sessionId) return { key: "session_id", id: sessionId, text: "About this routine session" };
  return null;
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
      head.textContent = !t
        ? "Once you share your data with a practitioner, you can write to them here."
        : t.open
          ? `With ${t.practitioner_name || "your practitioner"}.`
          : `Your link with ${t.practitioner_name || "this practitioner"} has ended: you can read this conversation, not write to it.`;
    },
  });
  await thread.reload();
  if (!ctx.isCurrent()) return () => thread.stop();
  // Written offline and not sent yet: shown in place, sent by the outbox.
  for (const item of await outbox.pending(user.id)) {
    if (item.kind === "message") thread.add({ ...item.body, author: "runner", created_at: item.created_at, read_at: null }, { pending: true });
  }
  if (closed) return () => thread.stop();

  const about = await attachment(ctx.query, user);
  const { wrap, input } = field("Message to your practitioner", { tag: "textarea", name: "body", maxlength: String(MAX), required: true, rows: "4" }, { hint: `Up to ${MAX} characters.` });
  const status = h("div", {});
  const chip = about
    ? h("p", { class: "msg-attachment" }, about.text, " ", h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => {
        chip.remove();
        about.removed = true;
      } }, "Remove"))
    : null;
  const send = h("button", { type: "submit", class: "btn btn-primary" }, "Send");
  const form = h("form", { class: "card composer", novalidate: true, "aria-label": "Write a message" }, safetyNote(), chip, wrap, status, send);
  section.append(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.replaceChildren();
    const text = input.value;
    if (!text.trim()) {
      status.append(notice("error", "Write something first."));
      input.focus();
      return;
    }
    const body = { id: outbox.newId(), body: text };
    if (about && !about.removed) body[about.key] = about.id;
    send.disabled = true;
    const res = await outbox.submit("message", "/me/messages", body, user.id);
    send.disabled = false;
    if (res.outcome === "refused") {
      const first = formErrors(form, res.error);
      status.append(notice("error", `Not sent: ${res.error.message}`));
      if (first) first.focus();
      return;
    }
    input.value = "";
    if (chip && !about.removed) {
      chip.remove();
      about.removed = true;
    }
    if (res.outcome === "sent" && res.data) thread.add(res.data);
    else {
      thread.add({ ...body, author: "runner", created_at: new Date().toISOString(), read_at: null }, { pending: true });
      status.append(notice("info", "Saved on this phone: it will be sent once you are back online."));
    }
  });
  const onSent = () => thread.poll();
  outbox.events.addEventListener("change", onSent);
  return () => {
    thread.stop();
    outbox.events.removeEventListener("change", onSent);
  };
}
