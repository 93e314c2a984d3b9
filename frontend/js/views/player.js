// Step-by-step routine player: instructions, cues, picture, and a plan of phases
// per step that follows the dose: each set, each side, then the rest between sets,
// each with its own timer or breath/rep counter. Phase changes beep (when sound is
// on) and vibrate. Finishing writes a session through the outbox.
import { api } from "../api.js";
import { clear, field, h, notice } from "../dom.js";
import { isoDate, plural } from "../format.js";
import * as outbox from "../outbox.js";

export const title = "Routine";

const SOUND_KEY = "limber.player.sound";

function doseText(step) {
  const parts = [];
  if (step.sets && step.sets > 1) parts.push(`${step.sets} sets`);
  if (step.reps) parts.push(plural(step.reps, "rep"));
  if (step.seconds) parts.push(step.seconds >= 60 && step.seconds % 60 === 0 ? `${step.seconds / 60} min` : `${step.seconds} s`);
  if (step.breaths) parts.push(plural(step.breaths, "breath"));
  if (step.side === "each") parts.push("each side");
  else if (step.side === "left" || step.side === "right") parts.push(`${step.side} side`);
  if (step.rest_s) parts.push(`rest ${step.rest_s} s`);
  return parts.join(" · ");
}

/**
 * The phases a step's dose asks for, in order: every set (each side in turn when the
 * dose is "each side"), with the rest between sets. Pure, so it is easy to test.
 */
export function dosePhases(step) {
  const sets = Math.max(1, step.sets || 1);
  const sides = step.side === "each" ? ["left", "right"] : [step.side === "left" || step.side === "right" ? step.side : null];
  const work = step.seconds ? { seconds: step.seconds } : step.breaths ? { count: step.breaths, noun: "breath" } : step.reps ? { count: step.reps, noun: "rep" } : null;
  const phases = [];
  if (!work) return phases;
  for (let set = 1; set <= sets; set += 1) {
    for (const side of sides) phases.push({ kind: "work", set, sets, side, ...work });
    if (set < sets && step.rest_s) phases.push({ kind: "rest", set, sets, seconds: step.rest_s });
  }
  return phases;
}

function phaseLabel(phase) {
  const parts = [];
  if (phase.kind === "rest") return `Rest before set ${phase.set + 1} of ${phase.sets}`;
  if (phase.sets > 1) parts.push(`Set ${phase.set} of ${phase.sets}`);
  if (phase.side) parts.push(`${phase.side === "left" ? "Left" : "Right"} side`);
  return parts.join(" · ") || "Your turn";
}

/** Beeps through Web Audio, off when the runner turns sound off here. */
function sounds() {
  let ctx = null;
  const on = () => localStorage.getItem(SOUND_KEY) !== "off";
  // Safari 17+: "ambient" audio follows the ring/silent switch. Elsewhere a page cannot
  // see the silent setting, so the toggle below is the runner's way to mute it.
  if (navigator.audioSession) navigator.audioSession.type = "ambient";
  function beep(times = 1) {
    if (navigator.vibrate) navigator.vibrate(times > 1 ? [200, 100, 200] : 200);
    if (!on()) return;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    ctx = ctx || new Ctx();
    for (let i = 0; i < times; i += 1) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const start = ctx.currentTime + i * 0.3;
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.22);
    }
  }
  const toggle = h("button", { type: "button", class: "btn btn-secondary btn-small", "aria-pressed": String(on()) }, "Sound");
  toggle.addEventListener("click", () => {
    localStorage.setItem(SOUND_KEY, on() ? "off" : "on");
    toggle.setAttribute("aria-pressed", String(on()));
  });
  return { beep, toggle, close: () => ctx && ctx.close() };
}

function fmt(s) {
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A countdown from the clock (Date.now), so a throttled tab still ends on time. */
function countdown(seconds, onEnd) {
  let endsAt = null;
  let left = seconds;
  let handle = null;
  const display = h("p", { class: "timer-display", role: "timer", "aria-live": "off" }, fmt(left));
  const toggle = h("button", { type: "button", class: "btn btn-primary" }, "Start timer");
  function stop() {
    clearInterval(handle);
    handle = null;
    toggle.textContent = "Start timer";
  }
  function tick() {
    left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    display.textContent = fmt(left);
    if (left <= 0) {
      stop();
      onEnd();
    }
  }
  function start() {
    if (handle) return;
    endsAt = Date.now() + left * 1000;
    toggle.textContent = "Pause";
    handle = setInterval(tick, 250);
  }
  toggle.addEventListener("click", () => (handle ? stop() : start()));
  return { el: h("div", {}, display, h("div", { class: "row" }, toggle)), start, stop };
}

function tally(total, noun, onEnd) {
  let n = 0;
  const label = () => `${n} of ${total} ${noun}s`;
  const display = h("p", { class: "timer-display", role: "status" }, label());
  const add = h("button", { type: "button", class: "btn btn-primary" }, `Count a ${noun}`);
  add.addEventListener("click", () => {
    if (n >= total) return;
    n += 1;
    display.textContent = label();
    if (n >= total) onEnd();
  });
  return { el: h("div", {}, display, h("div", { class: "row" }, add)), start() {}, stop() {} };
}

/** Runs a step's phases in turn; timers after the first start by themselves. */
function phaseRunner(step, sound) {
  const phases = dosePhases(step);
  let at = 0;
  let widget = null;
  let started = false;
  const heading = h("p", { class: "phase-label" });
  const slot = h("div", {});
  const status = h("p", { class: "visually-hidden", role: "status" });
  const skip = h("button", { type: "button", class: "btn btn-secondary" }, "Skip rest");
  const again = h("button", { type: "button", class: "btn btn-secondary" }, "Start this step again");
  // .btn sets display, so the hidden attribute would not hide it: rest-only buttons leave the row.
  const row = h("div", { class: "row" }, again);
  function show() {
    if (widget) widget.stop();
    const phase = phases[at];
    if (!phase) {
      heading.textContent = "Step done";
      slot.replaceChildren();
      row.replaceChildren(again);
      return;
    }
    heading.textContent = phaseLabel(phase);
    status.textContent = heading.textContent;
    row.replaceChildren(...(phase.kind === "rest" ? [skip] : []), again);
    widget = phase.seconds ? countdown(phase.seconds, next) : tally(phase.count, phase.noun, next);
    slot.replaceChildren(widget.el);
    if (started && phase.seconds) widget.start();
  }
  function next() {
    started = true;
    at += 1;
    sound.beep(at >= phases.length ? 2 : 1);
    show();
  }
  skip.addEventListener("click", next);
  again.addEventListener("click", () => {
    at = 0;
    started = false;
    show();
  });
  if (!phases.length) return null;
  show();
  return { el: h("div", { class: "counter" }, heading, slot, row, status), stop: () => widget && widget.stop() };
}

function illustration(exercise) {
  const src = `/${String(exercise.illustration || `img/exercises/${exercise.slug}.svg`).replace(/^\//, "")}`;
  const img = h("img", { src, alt: `Drawing: ${exercise.name}`, class: "illustration", width: 320, height: 200 });
  img.addEventListener("error", () => {
    if (!img.dataset.fallback) {
      img.dataset.fallback = "1";
      img.src = "/img/exercises/generic.svg";
    }
  });
  return img;
}

function listBlock(kind, heading, items) {
  if (!items || !items.length) return null;
  return h("div", { class: `notice notice-${kind}` }, h("h3", {}, heading), h("ul", {}, items.map((t) => h("li", {}, t))));
}

function stepCard(step, label, runner) {
  const ex = step.exercise || {};
  const cues = [...(step.cues || []), ...(ex.cues || [])];
  const how = ex.instructions || [];
  return h(
    "article",
    { class: "card step" },
    h("h2", { tabindex: "-1" }, `${label}: ${ex.name || "Exercise"}`),
    h("p", { class: "dose" }, doseText(step)),
    listBlock("info", "Skip this one if", ex.skip_if),
    runner ? runner.el : null,
    illustration(ex),
    ex.summary ? h("p", {}, ex.summary) : null,
    how.length ? h("h3", {}, "How") : null,
    how.length ? h("ol", { class: "steps" }, how.map((t) => h("li", {}, t))) : null,
    cues.length ? h("h3", {}, "Keep in mind") : null,
    cues.length ? h("ul", { class: "cues" }, cues.map((t) => h("li", {}, t))) : null,
    listBlock("warn", "Stop if", ex.safety),
  );
}

/** Each exercise's reasons to skip it, once per exercise, for the page before starting. */
function skipReasons(steps) {
  const seen = new Map();
  for (const s of steps) {
    const ex = s.exercise || {};
    if (ex.skip_if && ex.skip_if.length && !seen.has(ex.name)) seen.set(ex.name, ex.skip_if);
  }
  if (!seen.size) return null;
  return h(
    "div",
    { class: "notice notice-info" },
    h("h2", { class: "h3" }, "Skip an exercise if"),
    [...seen].map(([name, reasons]) => h("div", {}, h("p", {}, h("strong", {}, name)), h("ul", {}, reasons.map((t) => h("li", {}, t))))),
    h("p", {}, "Skipping one is fine: go on to the next step."),
  );
}

function introCard(routine, steps, start) {
  return h(
    "article",
    { class: "card" },
    routine.purpose ? h("p", { class: "lead" }, routine.purpose) : null,
    routine.description ? h("p", {}, routine.description) : null,
    h("p", { class: "meta" }, `${plural(steps.length, "step")}${routine.estimated_minutes ? ` · about ${routine.estimated_minutes} min` : ""}`),
    h("ol", { class: "plain-list numbered" }, steps.map((s) => h("li", {}, `${(s.exercise || {}).name || "Exercise"} — ${doseText(s)}`))),
    skipReasons(steps),
    routine.safety && routine.safety.length
      ? h("div", { class: "notice notice-warn" }, h("h2", { class: "h3" }, "Before you start"), h("ul", {}, routine.safety.map((t) => h("li", {}, t))))
      : null,
    h("button", { type: "button", class: "btn btn-primary btn-block", onclick: start }, "Start"),
  );
}

/** "1 of 3 done today" and what the streak needs, read fresh after the save. */
async function todayLine() {
  try {
    const today = await api.get("/today");
    const items = today.items || [];
    const done = items.filter((i) => i.done).length;
    if (!items.length) return h("p", {}, "Nothing else is planned for today.");
    const left = items.length - done;
    const streak = left ? `Your streak counts a day once every routine planned for it is done: ${plural(left, "routine")} to go today.` : "Every routine planned for today is done, so today counts towards your streak.";
    return h("div", { class: "today-line" }, h("p", { class: "stat-value" }, `${done} of ${items.length} done today`), h("p", {}, streak));
  } catch {
    return null;
  }
}

function finishForm(routine, ctx) {
  const notes = field("Notes (optional)", { tag: "textarea", name: "notes", rows: 3, maxlength: 2000 }, { hint: "How did it feel?" });
  const result = h("div", { class: "form-message" });
  const done = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Mark done");
  const form = h("form", { class: "card form" }, h("h2", { tabindex: "-1" }, "Well done"), h("p", {}, "That's every step. Mark the routine done to count it for today."), notes.wrap, result, done);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    done.disabled = true;
    const body = { id: outbox.newId(), routine_id: routine.id, completed_at: new Date().toISOString() };
    if (notes.input.value.trim()) body.notes = notes.input.value.trim();
    const res = await outbox.submit("session", "/sessions", body, ctx.user.id, { local_date: isoDate(new Date(), ctx.user.timezone), label: routine.name });
    result.replaceChildren();
    if (res.outcome === "refused") {
      done.disabled = false;
      result.appendChild(notice("error", `It was not saved: ${res.error.message}`));
      return;
    }
    const sent = res.outcome === "sent";
    form.replaceChildren(
      h("h2", { tabindex: "-1" }, "Routine done"),
      notice(sent ? "success" : "info", sent ? "Saved." : "Saved on this device. It will be sent when you're back online."),
      sent ? await todayLine() : null,
      h("a", { href: "/", class: "btn btn-primary btn-block" }, "Back to Today"),
    );
    form.querySelector("h2").focus();
  });
  return form;
}

export async function render(root, ctx) {
  const routine = await api.get(`/routines/${ctx.params.id}`);
  if (!ctx.isCurrent()) return;
  const steps = [...(routine.steps || [])].sort((a, b) => a.position - b.position);
  const sound = sounds();
  const stage = h("div", { class: "player" });
  let index = -1;
  let runner = null;
  root.append(h("section", {}, h("p", { class: "crumb" }, h("a", { href: "/" }, "← Today")), h("div", { class: "player-head" }, h("h1", {}, routine.name), sound.toggle), stage));

  const go = (delta) => {
    index = Math.max(-1, Math.min(steps.length, index + delta));
    show();
  };
  function show() {
    if (runner) runner.stop();
    runner = null;
    clear(stage);
    if (index < 0) return stage.append(introCard(routine, steps, () => go(1)));
    if (index >= steps.length) {
      stage.append(finishForm(routine, ctx));
      return stage.querySelector("h2").focus();
    }
    runner = phaseRunner(steps[index], sound);
    const last = index === steps.length - 1;
    stage.append(
      stepCard(steps[index], `Step ${index + 1} of ${steps.length}`, runner),
      h("div", { class: "player-nav" }, h("button", { type: "button", class: "btn btn-secondary", onclick: () => go(-1) }, "Back"), h("button", { type: "button", class: "btn btn-primary", onclick: () => go(1) }, last ? "Finish" : "Next")),
    );
    stage.querySelector("h2").focus();
  }

  show();
  return () => {
    if (runner) runner.stop();
    sound.close();
  };
}
