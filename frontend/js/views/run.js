// One run: what was logged, its estimate and advice, and from here an edit (the
// same form as logging) or a deletion after a confirmation. Both go through the
// outbox, so they hold with no signal and are sent once, in order.
import { api } from "../api.js";
import { h, notice } from "../dom.js";
import { showErrors } from "../formerrors.js";
import {
  AREAS,
  RED_FLAGS,
  SURFACES,
  WORKOUTS,
  formatDate,
  formatDateTime,
  formatDistance,
  formatDuration,
  labelOf,
} from "../format.js";
import * as outbox from "../outbox.js";
import { terrainCell } from "./parts.js";
import { readRunForm, runForm, snapshot } from "./runform.js";
import { adviceOf, estimateCard, formatPace } from "./runparts.js";
import { FLASH, takeFlash, waitingForRuns, withChanges } from "./runs.js";

export const title = "Run";

/** The run from the API; offline, from the saved first page of the list. */
async function loadRun(id) {
  try {
    return await api.get(`/runs/${id}`);
  } catch (err) {
    if (!err.offline) throw err;
    const page = await api.get("/runs", { limit: 20 });
    const hit = (page.items || []).find((r) => r.id === id);
    if (!hit) throw err;
    return hit;
  }
}

function facts(run, user) {
  const rows = [
    ["When", formatDateTime(run.started_at)],
    ["Distance", formatDistance(run.distance_km, user)],
    ["Duration", formatDuration(run.duration_s)],
    ["Pace", formatPace(run.distance_km, run.duration_s, user)],
    ["Surface", labelOf(SURFACES, run.surface)],
    ["Workout", labelOf(WORKOUTS, run.workout_type)],
    [
      "Stiffness",
      run.stiffness === null || run.stiffness === undefined
        ? "Not rated yet"
        : `${run.stiffness}/10`,
    ],
    ["Where", (run.stiffness_areas || []).map((a) => labelOf(AREAS, a)).join(", ") || "–"],
    [
      "Next morning",
      run.morning_stiffness === null || run.morning_stiffness === undefined
        ? "–"
        : `${run.morning_stiffness}/10`,
    ],
    ["Warning signs", (run.red_flags || []).map((f) => labelOf(RED_FLAGS, f)).join("; ") || "None"],
  ];
  // What a watch file adds: the ground read from its track, and the cadence it recorded.
  const track = [];
  if (run.terrain) track.push(["Terrain", terrainCell(run, user)]);
  if (run.avg_cadence_spm)
    track.push(["Cadence", `${Math.round(run.avg_cadence_spm)} steps a minute`]);
  rows.splice(6, 0, ...track);
  if (run.notes) rows.push(["Notes", run.notes]);
  return h(
    "dl",
    { class: "facts card" },
    rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

function adviceCard(run) {
  const { level, title: adviceTitle, message } = adviceOf(run);
  return h(
    "section",
    { class: `card advice advice-${level}`, "aria-labelledby": "run-advice" },
    h("h2", { id: "run-advice" }, adviceTitle),
    h("p", {}, message),
  );
}

function deleteControls(run, ctx) {
  const ask = h("button", { type: "button", class: "btn btn-secondary" }, "Delete run");
  const confirm = h(
    "div",
    { class: "card confirm", hidden: true, role: "group", "aria-labelledby": "confirm-delete" },
    h(
      "p",
      { id: "confirm-delete" },
      `Delete the run of ${formatDate(run.started_at)}? Its estimate goes with it, and your practitioner will no longer see it. This cannot be undone.`,
    ),
    h(
      "div",
      { class: "row" },
      h(
        "button",
        { type: "button", class: "btn btn-danger", onclick: () => removeRun(run, ctx, confirm) },
        "Yes, delete it",
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-secondary",
          onclick: () => {
            confirm.hidden = true;
            ask.focus();
          },
        },
        "Keep it",
      ),
    ),
  );
  ask.addEventListener("click", () => {
    confirm.hidden = false;
    confirm.querySelector(".btn-danger").focus();
  });
  return [ask, confirm];
}

async function removeRun(run, ctx, box) {
  const res = await outbox.submit(
    "run-delete",
    `/runs/${run.id}`,
    undefined,
    ctx.user.id,
    { run_id: run.id },
    { method: "DELETE", id: `delete:${run.id}` },
  );
  if (res.outcome === "refused") {
    outbox.dismissRefused(res.item.id);
    box.appendChild(notice("error", `The run was not deleted: ${res.error.message}`));
    return;
  }
  sessionStorage.setItem(
    FLASH,
    res.outcome === "sent"
      ? "Run deleted."
      : "Deletion saved on this device. It will be sent when you're back online.",
  );
  ctx.navigate("/runs");
}

async function showRun(root, ctx) {
  const waiting = await waitingForRuns(ctx.user.id);
  const run = withChanges(await loadRun(ctx.params.id), waiting);
  if (!ctx.isCurrent()) return;
  const gone = waiting.deleted.has(run.id);
  root.append(
    h(
      "section",
      {},
      h("p", {}, h("a", { href: "/runs" }, "All runs")),
      h("h1", {}, `Run of ${formatDate(run.started_at)}`),
      takeFlash(),
      gone ? notice("info", "Deletion waiting to send.") : null,
      run.waiting
        ? notice(
            "info",
            "Your changes are saved on this device and will be sent when you're back online.",
          )
        : null,
      facts(run, ctx.user),
      adviceCard(run),
      run.estimate ? estimateCard(run, ctx.user) : null,
      gone
        ? null
        : h(
            "div",
            { class: "row" },
            h("a", { href: `/runs/${run.id}/edit`, class: "btn btn-primary" }, "Edit run"),
            deleteControls(run, ctx),
          ),
      gone
        ? null
        : h(
            "p",
            {},
            h("a", { href: `/messages?run=${run.id}` }, "Ask your practitioner about this run"),
          ),
    ),
  );
}

function changedFields(before, after, values) {
  return Object.fromEntries(
    Object.keys(before)
      .filter((k) => before[k] !== after[k])
      .map((k) => [k, values[k]]),
  );
}

async function editRun(root, ctx) {
  const run = withChanges(await loadRun(ctx.params.id), await waitingForRuns(ctx.user.id));
  if (!ctx.isCurrent()) return;
  const { form, summary, save } = runForm(ctx.user, { run, submitLabel: "Save changes" });
  const before = snapshot(form);
  root.append(
    h(
      "section",
      {},
      h("p", {}, h("a", { href: `/runs/${run.id}` }, "Back to the run")),
      h("h1", {}, "Edit run"),
      form,
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const read = readRunForm(form, ctx.user);
    if (read.errors) return showErrors(form, summary, { fields: read.errors });
    const body = changedFields(before, snapshot(form), read.values);
    if (!Object.keys(body).length) return ctx.navigate(`/runs/${run.id}`);
    save.disabled = true;
    const res = await outbox.submit(
      "run-edit",
      `/runs/${run.id}`,
      body,
      ctx.user.id,
      { run_id: run.id },
      { method: "PATCH", id: `edit:${run.id}:${outbox.newId()}` },
    );
    if (!ctx.isCurrent()) return null;
    save.disabled = false;
    if (res.outcome === "refused") {
      outbox.dismissRefused(res.item.id);
      return showErrors(form, summary, res.error, "The changes were not saved");
    }
    sessionStorage.setItem(
      FLASH,
      res.outcome === "sent"
        ? "Changes saved."
        : "Changes saved on this device. They will be sent when you're back online.",
    );
    return ctx.navigate(`/runs/${run.id}`);
  });
}

export async function render(root, ctx) {
  if (ctx.params.edit) await editRun(root, ctx);
  else await showRun(root, ctx);
}
