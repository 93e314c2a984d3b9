// Settings → Notifications: turn push on for this device (the browser's permission prompt
// only after a tap), choose channels and times, send a test, and read recent notifications.

import { api } from "../api.js";
import { checkedValues, chips, field, h, notice } from "../dom.js";
import { offlineOr, showErrors, showSaved, summaryBox } from "../formerrors.js";
import { formatDateTime } from "../format.js";

const KINDS = {
  runner: [
    ["routine_reminder", "Routine reminders"],
    ["morning_checkin", "Morning check-in"],
    ["message", "New messages from my practitioner"],
    ["questionnaire_due", "Progress questions"],
    ["sign_in_warning", "Wrong passwords for my account"],
  ],
  practitioner: [
    ["client_alert", "Urgent client warning signs"],
    ["alert_digest", "Daily summary of other alerts"],
    ["message", "New messages from clients"],
    ["sign_in_warning", "Wrong passwords for my account"],
  ],
};
const CHANNELS = [
  ["push", "This device"],
  ["email", "Email"],
  ["in_app", "In Limber"],
];
const WHY = {
  runner: "Limber uses notifications to remind you of today's routine and to ask how your back feels the morning after a run.",
  practitioner: "Limber uses notifications to tell you straight away when a client reports an urgent or emergency warning sign.",
};
const SUB_KEY = "limber-push-subscription-id";

function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function currentSubscription() {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration("/");
  return reg ? reg.pushManager.getSubscription() : null;
}

/** Ask permission (called from a tap), subscribe this browser and register it. */
export async function turnOnPush(publicKey) {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return { ok: false, permission };
  const reg = await navigator.serviceWorker.ready;
  let sub = await reg.pushManager.getSubscription();
  if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  const saved = await api.post("/me/push-subscriptions", sub.toJSON());
  localStorage.setItem(SUB_KEY, saved.id);
  return { ok: true, permission };
}

async function turnOffPush() {
  const sub = await currentSubscription();
  if (sub) await sub.unsubscribe();
  const id = localStorage.getItem(SUB_KEY);
  localStorage.removeItem(SUB_KEY);
  if (id) {
    try {
      await api.del(`/me/push-subscriptions/${id}`);
    } catch (err) {
      if (err.status !== 404) throw err;
    }
  }
}

async function pushBlock(settings, role) {
  const box = h("div", { class: "push-block" });
  const msg = h("div", { class: "form-message" });
  const draw = async () => {
    box.replaceChildren();
    if (!pushSupported() || !settings.push_public_key) {
      box.append(h("p", { class: "muted" }, "Notifications on this device aren't available here; you still get them in Limber and by email."));
      return;
    }
    const sub = await currentSubscription();
    if (Notification.permission === "denied") {
      box.append(h("p", { class: "muted" }, "Notifications are blocked for Limber in this browser's settings."));
    } else if (sub && Notification.permission === "granted") {
      const off = h("button", { type: "button", class: "btn btn-secondary" }, "Turn off on this device");
      off.addEventListener("click", async () => {
        msg.replaceChildren();
        try {
          await turnOffPush();
          await draw();
        } catch (err) {
          msg.replaceChildren(notice("error", err.message));
        }
      });
      box.append(h("p", {}, "Notifications are on for this device."), off);
    } else {
      const on = h("button", { type: "button", class: "btn btn-primary" }, "Turn on notifications");
      on.addEventListener("click", async () => {
        msg.replaceChildren();
        try {
          const result = await turnOnPush(settings.push_public_key);
          if (!result.ok) msg.replaceChildren(notice("error", "Notifications were not allowed. You can change this in the browser's site settings."));
          await draw();
        } catch (err) {
          msg.replaceChildren(notice("error", err.offline ? "You're offline. Try again with a connection." : err.message));
        }
      });
      box.append(h("p", { class: "hint" }, WHY[role]), on);
    }
    box.append(msg);
  };
  await draw();
  return box;
}

function choicesForm(settings, role) {
  const timeField = (label, name, value) => field(label, { type: "time", name, value: value || "", step: 60 });
  const times = role === "runner"
    ? [timeField("Reminder time", "reminder_time", settings.reminder_time), timeField("Morning check-in time", "checkin_time", settings.checkin_time)]
    : [timeField("Daily summary time", "digest_time", settings.digest_time)];
  const quiet = settings.quiet_hours || {};
  const quietStart = timeField("Quiet from", "quiet_start", quiet.start);
  const quietEnd = timeField("Quiet until", "quiet_end", quiet.end);
  const kinds = KINDS[role].map(([kind, label]) => {
    const on = settings.channels[kind] || {};
    return chips(label, `ch-${kind}`, CHANNELS, { type: "checkbox", values: CHANNELS.map(([c]) => c).filter((c) => on[c]) });
  });
  const summary = summaryBox();
  const quietBox = h("fieldset", { class: "quiet-hours", "data-field": "quiet_hours" }, h("legend", {}, "Quiet hours (no reminders)"), quietStart.wrap, quietEnd.wrap);
  const form = h(
    "form",
    { class: "form", novalidate: true },
    summary,
    ...kinds,
    ...times.map((t) => t.wrap),
    role === "runner" ? quietBox : null,
    h("p", { class: "hint" }, `Times are in your time zone, ${settings.timezone.replace(/_/g, " ")}.`),
    h("button", { type: "submit", class: "btn btn-secondary" }, "Save notification settings"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showErrors(form, summary, null);
    const body = { channels: {} };
    for (const [kind] of KINDS[role]) {
      const chosen = checkedValues(form, `ch-${kind}`);
      body.channels[kind] = Object.fromEntries(CHANNELS.map(([c]) => [c, chosen.includes(c)]));
    }
    for (const t of times) body[t.input.name] = t.input.value;
    if (role === "runner") {
      const start = quietStart.input.value;
      const end = quietEnd.input.value;
      if (!start !== !end) {
        showErrors(form, summary, { fields: { quiet_hours: ["Give quiet hours a start and an end."] } });
        return;
      }
      body.quiet_hours = start || end ? { start, end } : null;
    }
    try {
      await api.patch("/me/notification-settings", body);
      showSaved(form, summary, "Notification settings saved.");
    } catch (err) {
      const why = offlineOr(err, "Saving these settings needs a connection.");
      showErrors(form, summary, why, "Not saved");
    }
  });
  return form;
}

function testBlock(onSent) {
  const msg = h("div", { class: "form-message" });
  const btn = h("button", { type: "button", class: "btn btn-secondary" }, "Send me a test notification");
  btn.addEventListener("click", async () => {
    msg.replaceChildren();
    try {
      const sent = await api.post("/me/notifications/test");
      const where = sent.channels.map((c) => ({ push: "this device", email: "email", in_app: "the list below" })[c] || c);
      msg.appendChild(notice("success", `Test sent to ${where.join(", ")}.`));
      await onSent();
    } catch (err) {
      msg.appendChild(notice("error", err.offline ? "You're offline. Try again with a connection." : err.message));
    }
  });
  return h("div", {}, btn, msg);
}

async function recentBlock() {
  const box = h("div", { class: "recent-notifications" }, h("h3", {}, "Recent"));
  try {
    const data = await api.get("/me/notifications", { limit: 10 });
    if (!data.items.length) {
      box.append(h("p", { class: "muted" }, "Nothing yet."));
      return box;
    }
    const list = h("ul", { class: "plain-list" }, data.items.map((n) => h("li", { class: n.read_at ? "" : "unread" }, h("a", { href: n.url }, h("strong", {}, n.title)), ` ${n.body} · ${formatDateTime(n.created_at)}`)));
    box.append(list);
    if (data.unread) {
      const read = h("button", { type: "button", class: "btn btn-secondary btn-small" }, `Mark ${data.unread} as read`);
      read.addEventListener("click", async () => {
        try {
          await api.post("/me/notifications/read");
          read.remove();
          list.querySelectorAll(".unread").forEach((li) => li.classList.remove("unread"));
          window.dispatchEvent(new CustomEvent("limber:unread", { detail: 0 }));
        } catch (err) {
          box.append(notice("error", err.message));
        }
      });
      box.append(read);
    }
  } catch (err) {
    box.append(h("p", { class: "muted" }, err.offline ? "Not available offline." : err.message));
  }
  return box;
}

export async function notificationsSection(ctx) {
  const role = ctx.user.role === "practitioner" ? "practitioner" : "runner";
  const box = h("section", { class: "card", "aria-labelledby": "notify-title" }, h("h2", { id: "notify-title" }, "Notifications"));
  try {
    const settings = await api.get("/me/notification-settings");
    let recent = await recentBlock();
    const refresh = async () => {
      const fresh = await recentBlock();
      recent.replaceWith(fresh);
      recent = fresh;
    };
    box.append(await pushBlock(settings, role), choicesForm(settings, role), testBlock(refresh), recent);
  } catch (err) {
    box.append(h("p", { class: "muted" }, err.offline ? "Not available offline." : err.message));
  }
  return box;
}
