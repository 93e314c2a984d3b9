// Step-by-step routine player: instructions, cues, picture, and a timer or a
// breath/rep counter per step. Finishing writes a session through the outbox.
import { api } from "../api.js";
import { clear, field, h, notice } from "../dom.js";
import { isoDate, plural } from "../format.js";
import * as outbox from "../outbox.js";

export const title = "Routine";

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

function timer(seconds, onEnd) {
  let left = seconds;
  let handle = null;
  const display = h("p", { class: "timer-display", role: "timer", "aria-live": "off" }, fmt(left));
  const announce = h("p", { class: "visually-hidden", role: "status" });
  const toggle = h("button", { type: "button", class: "btn btn-primary" }, "Start timer");
  const reset = h("button", { type: "button", class: "btn btn-secondary" }, "Reset");
  function fmt(s) {
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }
  function stop() {
    clearInterval(handle);
    handle = null;
    toggle.textContent = left > 0 ? "Start timer" : "Start again";
  }
  toggle.addEventListener("click", () => {
    if (handle) return stop();
    if (left <= 0) left = seconds;
    toggle.textContent = "Pause";
    announce.textContent = "Timer started";
    handle = setInterval(() => {
      left -= 1;
      display.textContent = fmt(Math.max(left, 0));
      if (left <= 0) {
        stop();
        announce.textContent = "Time is up";
        if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
        onEnd();
      }
    }, 1000);
  });
  reset.addEventListener("click", () => {
    stop();
    left = seconds;
    display.textContent = fmt(left);
  });
  return { el: h("div", { class: "counter" }, display, h("div", { class: "row" }, toggle, reset), announce), stop };
}

function counter(total, noun) {
  let n = 0;
  const label = () => `${n} of ${total} ${noun}s`;
  const display = h("p", { class: "timer-display", role: "status" }, label());
  const add = h("button", { type: "button", class: "btn btn-primary" }, `Count a ${noun}`);
  const reset = h("button", { type: "button", class: "btn btn-secondary" }, "Reset");
  add.addEventListener("click", () => {
    if (n < total) n += 1;
    display.textContent = n >= total ? `${label()} — done` : label();
  });
  reset.addEventListener("click", () => {
    n = 0;
    display.textContent = label();
  });
  return { el: h("div", { class: "counter" }, display, h("div", { class: "row" }, add, reset)), stop() {} };
}

export async function render(root, ctx) {
  const routine = await api.get(`/routines/${ctx.params.id}`);
  if (!ctx.isCurrent()) return;
  const steps = [...(routine.steps || [])].sort((a, b) => a.position - b.position);
  let index = -1;
  let active = null;
  const stage = h("div", { class: "player" });
  root.append(h("section", {}, h("p", { class: "crumb" }, h("a", { href: "/" }, "← Today")), h("h1", {}, routine.name), stage));

  function show() {
    if (active) active.stop();
    active = null;
    clear(stage);
    if (index < 0) return intro();
    if (index >= steps.length) return finish();
    const step = steps[index];
    const ex = step.exercise || {};
    const cues = [...(step.cues || []), ...(ex.cues || [])];
    if (step.seconds) active = timer(step.seconds, () => {});
    else if (step.breaths) active = counter(step.breaths, "breath");
    else if (step.reps) active = counter(step.reps * (step.sets || 1), "rep");
    const heading = h("h2", { tabindex: "-1" }, `Step ${index + 1} of ${steps.length}: ${ex.name || "Exercise"}`);
    stage.append(
      h(
        "article",
        { class: "card step" },
        heading,
        h("p", { class: "dose" }, doseText(step)),
        active ? active.el : null,
        illustration(ex),
        ex.summary ? h("p", {}, ex.summary) : null,
        ex.instructions && ex.instructions.length ? h("h3", {}, "How") : null,
        ex.instructions && ex.instructions.length ? h("ol", { class: "steps" }, ex.instructions.map((t) => h("li", {}, t))) : null,
        cues.length ? h("h3", {}, "Keep in mind") : null,
        cues.length ? h("ul", { class: "cues" }, cues.map((t) => h("li", {}, t))) : null,
        ex.safety && ex.safety.length ? h("div", { class: "notice notice-warn" }, h("p", {}, h("strong", {}, "Stop if: ")), h("ul", {}, ex.safety.map((t) => h("li", {}, t)))) : null,
      ),
      h(
        "div",
        { class: "player-nav" },
        h("button", { type: "button", class: "btn btn-secondary", onclick: () => go(-1) }, "Back"),
        h("button", { type: "button", class: "btn btn-primary", onclick: () => go(1) }, index === steps.length - 1 ? "Finish" : "Next"),
      ),
    );
    heading.focus();
  }

  function go(delta) {
    index = Math.max(-1, Math.min(steps.length, index + delta));
    show();
  }

  function intro() {
    const start = h("button", { type: "button", class: "btn btn-primary btn-block", onclick: () => go(1) }, "Start");
    stage.append(
      h(
        "article",
        { class: "card" },
        routine.purpose ? h("p", { class: "lead" }, routine.purpose) : null,
        routine.description ? h("p", {}, routine.description) : null,
        h("p", { class: "meta" }, `${plural(steps.length, "step")}${routine.estimated_minutes ? ` · about ${routine.estimated_minutes} min` : ""}`),
        h("ol", { class: "plain-list numbered" }, steps.map((s) => h("li", {}, `${(s.exercise || {}).name || "Exercise"} — ${doseText(s)}`))),
        routine.safety && routine.safety.length
          ? h("div", { class: "notice notice-warn" }, h("h2", { class: "h3" }, "Before you start"), h("ul", {}, routine.safety.map((t) => h("li", {}, t))))
          : null,
        start,
      ),
    );
  }

  function finish() {
    const notes = field("Notes (optional)", { tag: "textarea", name: "notes", rows: 3, maxlength: 2000 }, { hint: "How did it feel?" });
    const result = h("div", { class: "form-message" });
    const done = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Mark done");
    const form = h("form", { class: "card form" }, h("h2", { tabindex: "-1" }, "Well done"), h("p", {}, "That's every step. Mark the routine done to keep your streak."), notes.wrap, result, done);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      done.disabled = true;
      const body = { id: outbox.newId(), routine_id: routine.id, completed_at: new Date().toISOString() };
      if (notes.input.value.trim()) body.notes = notes.input.value.trim();
      const res = await outbox.submit("session", "/sessions", body, ctx.user.id, {
        local_date: isoDate(new Date(), ctx.user.timezone),
        label: routine.name,
      });
      result.replaceChildren();
      if (res.outcome === "refused") {
        done.disabled = false;
        result.appendChild(notice("error", `It was not saved: ${res.error.message}`));
        return;
      }
      form.replaceChildren(
        h("h2", { tabindex: "-1" }, "Routine done"),
        notice(
          res.outcome === "sent" ? "success" : "info",
          res.outcome === "sent" ? "Saved." : "Saved on this device. It will be sent when you're back online.",
        ),
        h("a", { href: "/", class: "btn btn-primary btn-block" }, "Back to Today"),
      );
      form.querySelector("h2").focus();
    });
    stage.append(form);
    form.querySelector("h2").focus();
  }

  show();
  return () => {
    if (active) active.stop();
  };
}
