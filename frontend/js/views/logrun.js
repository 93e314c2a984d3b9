// Log run: one screen, thumbs only, done in seconds. The run goes through the
// outbox, so it is kept on the device even with no signal.
import { h, notice } from "../dom.js";
import { showErrors } from "../formerrors.js";
import { ADVICE, formatDistance, formatDuration } from "../format.js";
import * as outbox from "../outbox.js";
import { callCard, helpCard, numberToCall } from "./help.js";
import { readRunForm, runForm } from "./runform.js";
import { adviceOf, estimateCard } from "./runparts.js";

export const title = "Log run";

const LAST = "limber-last-run";

export async function render(root, ctx) {
  const user = ctx.user;
  const last = JSON.parse(localStorage.getItem(LAST) || "{}");
  const { form, summary, save } = runForm(user, { last });
  const section = h("section", {}, h("h1", {}, "Log run"), form);
  root.append(section);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const read = readRunForm(form, user);
    if (read.errors) {
      showErrors(form, summary, { fields: read.errors });
      return;
    }
    showErrors(form, summary, null);
    const body = { id: outbox.newId(), ...read.values };
    if (!body.notes) delete body.notes;
    localStorage.setItem(LAST, JSON.stringify({ surface: body.surface, workout_type: body.workout_type }));
    save.disabled = true;
    const res = await outbox.submit("run", "/runs", body, user.id);
    if (!ctx.isCurrent()) return;
    save.disabled = false;
    if (res.outcome === "refused") {
      // Said here, on the form that still holds the answers: not again in a banner.
      outbox.dismissRefused(res.item.id);
      showErrors(form, summary, res.error, "The run was not saved");
      return;
    }
    section.replaceChildren(result(body, res, user));
    section.querySelector("h1").focus();
  });
}

function savedNotice(body, res, user, serious) {
  if (res.outcome !== "sent") return notice("info", "Saved on this device. It will be sent when you're back online, and the estimate will follow.");
  return notice(serious ? "info" : "success", `${formatDistance(body.distance_km, user)} in ${formatDuration(body.duration_s)}, stiffness ${body.stiffness}/10.`);
}

function calmWords(body, run, message) {
  if (body.stiffness >= 7) {
    return `That's a lot of stiffness. Your body may be guarding after this run: a gentle routine today helps, and if it keeps coming back, tell your practitioner. ${ADVICE.none.text}`;
  }
  return run ? message : `Stiffness after a run is usually your body protecting itself, not damage. Your routine today helps it let go. ${ADVICE.none.text}`;
}

function result(body, res, user) {
  const run = res.outcome === "sent" && res.data ? res.data : null;
  const { level, title: adviceTitle, message, serious } = adviceOf(run, body);
  const saved = savedNotice(body, res, user, serious);
  if (serious) {
    // Getting help comes first: no load figures, no invitation to train.
    return h("div", { class: "run-result" }, callCard(level, message, numberToCall(run && run.advice)), h("h2", {}, "Run saved"), saved, helpCard());
  }
  const parts = [h("h1", { tabindex: "-1" }, "Run saved")];
  if (level !== "none") parts.push(h("div", { class: `advice advice-${level}`, role: "status" }, h("h2", {}, adviceTitle), h("p", {}, message)));
  parts.push(saved);
  if (run && run.estimate) parts.push(estimateCard(run, user));
  if (level === "none") parts.push(h("p", { class: "card" }, calmWords(body, run, message)));
  parts.push(
    h(
      "div",
      { class: "row" },
      h("a", { href: "/", class: "btn btn-primary" }, "Go to today's routine"),
      h("a", { href: "/log", class: "btn btn-secondary" }, "Log another run"),
      h("a", { href: "/runs", class: "btn btn-secondary" }, "See your runs"),
    ),
  );
  if (run) parts.push(h("p", {}, h("a", { href: `/messages?run=${run.id}` }, "Ask your practitioner about this run")));
  if (level !== "none") parts.push(helpCard());
  return h("div", { class: "run-result" }, parts);
}
