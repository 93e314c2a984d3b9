// A conversation between a runner and their practitioner, drawn for either side.
// Text is only ever put in the page as text: no HTML is parsed, and links become
// clickable only for http and https addresses.

import { api } from "../api.js";
import { h, notice } from "../dom.js";
import {
  ADVICE,
  RED_FLAGS,
  WEEKDAYS,
  WORKOUTS,
  formatDate,
  formatDateTime,
  formatDistance,
  formatDuration,
  formatRange,
} from "../format.js";

const POLL_MS = 15_000;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]]+$/;

/** Text with its web addresses as safe links; everything else stays plain text. */
export function linkified(text) {
  const out = [];
  let last = 0;
  for (const match of String(text).matchAll(URL_IN_TEXT)) {
    let raw = match[0];
    const tail = raw.match(TRAILING);
    if (tail) raw = raw.slice(0, -tail[0].length);
    let url = null;
    try {
      url = new URL(raw);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) continue;
    if (match.index > last) out.push(document.createTextNode(text.slice(last, match.index)));
    const a = document.createElement("a");
    a.href = url.href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    a.textContent = raw;
    out.push(a);
    last = match.index + raw.length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

function label(list, value) {
  const found = list.find((item) => item[0] === value || item.value === value);
  if (!found) return String(value).replace(/_/g, " ");
  return Array.isArray(found) ? found[1] : found.label;
}

function runCard(run, user) {
  const flags = run.red_flags || [];
  const level = run.advice && run.advice.level;
  return h(
    "div",
    { class: "msg-attachment" },
    h(
      "p",
      {},
      h("strong", {}, "About this run: "),
      `${formatDate(run.local_date)}, ${formatDistance(run.distance_km, user)} in ${formatDuration(run.duration_s)}, ${label(WORKOUTS, run.workout_type)}`,
    ),
    h(
      "p",
      {},
      `Stiffness after: ${run.stiffness === null ? "not noted" : `${run.stiffness}/10`}${run.morning_stiffness === null || run.morning_stiffness === undefined ? "" : `; next morning ${run.morning_stiffness}/10`}`,
    ),
    flags.length
      ? h("p", {}, `Warning signs ticked: ${flags.map((f) => label(RED_FLAGS, f)).join(", ")}`)
      : null,
    level && level !== "none" && ADVICE[level]
      ? h("p", {}, `Advice shown: ${ADVICE[level].title}`)
      : null,
    run.estimate
      ? h(
          "p",
          { class: "muted" },
          `Estimated steps: about ${formatRange(run.estimate.steps)} (an estimate)`,
        )
      : null,
  );
}

function sessionCard(session) {
  return h(
    "div",
    { class: "msg-attachment" },
    h(
      "p",
      {},
      h("strong", {}, "About this routine: "),
      `${session.routine_name || "A routine"}, ${formatDate(session.local_date)}`,
    ),
    session.notes ? h("p", {}, session.notes) : null,
  );
}

function suggestionCard(m, viewer, onAccept) {
  const s = m.suggestion;
  const days = s.weekdays.map((d) => WEEKDAYS[d]).join(", ");
  const box = h(
    "div",
    { class: "msg-attachment" },
    h(
      "p",
      {},
      h("strong", {}, "Suggested routine: "),
      `${s.routine_name || "a routine"} on ${days}`,
    ),
  );
  if (s.accepted_at) box.append(h("p", {}, "Added to the plan."));
  else if (viewer === "runner" && onAccept) {
    const button = h(
      "button",
      { type: "button", class: "btn btn-primary btn-small" },
      "Add to my routines",
    );
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const updated = await onAccept(m);
        box.replaceWith(suggestionCard(updated, viewer, onAccept));
      } catch (err) {
        button.disabled = false;
        box.append(notice("error", err.message));
      }
    });
    box.append(button);
  } else box.append(h("p", { class: "muted" }, "Not accepted yet."));
  return box;
}

/** One message as a list item; `pending` marks one still in the outbox. */
export function messageItem(m, { viewer, user, onAccept, pending = false, otherName = "" }) {
  const mine = m.author === viewer;
  const who = mine ? "You" : otherName || (viewer === "runner" ? "Your practitioner" : "Client");
  let status = formatDateTime(m.created_at);
  if (pending) status = "Waiting to send";
  else if (mine) status += m.read_at ? " · Read" : " · Sent";
  return h(
    "li",
    { class: `msg${mine ? " msg-mine" : ""}`, dataset: { id: m.id } },
    h("p", { class: "visually-hidden" }, `${who}:`),
    h("p", { class: "msg-text" }, linkified(m.body)),
    m.run ? runCard(m.run, user) : null,
    m.session ? sessionCard(m.session) : null,
    m.suggestion ? suggestionCard(m, viewer, onAccept) : null,
    h("p", { class: "msg-meta" }, `${who} · ${status}`),
  );
}

/**
 * Draws a thread into `list` and keeps it fresh: `path` is its API route, `viewer`
 * "runner" or "practitioner". Returns {add, stop, reload} for the composer.
 */
export function liveThread(list, { path, viewer, user, onAccept, otherName, onThread }) {
  let newest = null;
  let timer = null;
  const shown = new Set();

  function add(m, { pending = false } = {}) {
    const old = list.querySelector(`[data-id="${m.id}"]`);
    const item = messageItem(m, { viewer, user, onAccept, pending, otherName });
    if (old) old.replaceWith(item);
    else list.appendChild(item);
    if (!pending) shown.add(m.id);
  }

  async function markRead(items) {
    const theirs = items.filter((m) => m.author !== viewer && !m.read_at);
    if (!theirs.length) return;
    const last = theirs[theirs.length - 1];
    try {
      await api.post(`${path}/${last.id}/read`);
      window.dispatchEvent(new CustomEvent("limber:unread"));
    } catch {
      // Marked next time.
    }
  }

  async function reload() {
    const page = await api.get(path, { limit: 50 });
    if (onThread) onThread(page.thread);
    list.replaceChildren();
    const items = [...page.items].reverse(); // oldest at the top
    for (const m of items) add(m);
    newest = page.newest;
    await markRead(items);
    return page;
  }

  async function poll() {
    if (document.visibilityState !== "visible") return;
    try {
      // An empty thread has no position yet: its first page is what is new.
      const page = await api.get(path, newest ? { limit: 50, since: newest } : { limit: 50 });
      if (!newest) page.items.reverse();
      for (const m of page.items) add(m);
      newest = page.newest || newest;
      await markRead(page.items);
    } catch {
      // Offline: try again on the next tick.
    }
  }

  timer = setInterval(poll, POLL_MS);
  const onPush = (event) => {
    if (event.data && event.data.type === "UNREAD") poll();
  };
  if ("serviceWorker" in navigator) navigator.serviceWorker.addEventListener("message", onPush);
  return {
    add,
    reload,
    poll,
    stop() {
      clearInterval(timer);
      if ("serviceWorker" in navigator)
        navigator.serviceWorker.removeEventListener("message", onPush);
    },
  };
}
