// Questionnaire scores in plain words: the runner's Progress, the client page, the report,
// and the card on Today that says a questionnaire is due.
import { api } from "../api.js";
import { field, h, notice } from "../dom.js";
import { addDays, formatDate } from "../format.js";
import { plannedOn, weekdayOf } from "./parts.js";

export const JUDGEMENT_TEXT = {
  meaningful_improvement: "meaningful improvement",
  no_meaningful_change: "no meaningful change",
  meaningful_worsening: "meaningful worsening",
};
const TONE = { meaningful_improvement: "good", no_meaningful_change: "neutral", meaningful_worsening: "bad" };

function num(x) {
  return (Math.round(x * 10) / 10).toLocaleString(undefined, { maximumFractionDigits: 1 });
}

function label(q) {
  return q.short_name ? `${q.name} (${q.short_name})` : q.name;
}

function scaleWords(q) {
  const s = q.scoring;
  const better = s.direction === "higher_better" ? "higher is better" : "lower is better";
  if (s.method === "percentage") return `0 to 100 %, ${better}`;
  if (s.low !== undefined && s.high !== undefined) return `${num(s.low)} to ${num(s.high)}, ${better}`;
  return better;
}

function micWords(q) {
  const s = q.scoring;
  if (s.mic_points == null) return null;
  const pts = `${num(s.mic_points)} point${s.mic_points === 1 ? "" : "s"}`;
  return s.mic_percent ? `a change of ${pts} or ${num(s.mic_percent)} % counts as meaningful` : `a change of ${pts} counts as meaningful`;
}

/** One sentence about an instrument's change since the first answers. */
export function changeSentence(inst, who = "your") {
  const first = inst.baseline;
  const last = inst.latest;
  if (inst.responses.length < 2) {
    return `${who === "your" ? "Your" : "Their"} first score was ${num(first.score)} on ${formatDate(first.local_date)}. The next one shows the change.`;
  }
  if (!inst.judgement) {
    return `Latest answer ${num(last.score)} on ${formatDate(last.local_date)}.`;
  }
  return `From ${num(first.score)} on ${formatDate(first.local_date)} to ${num(last.score)} on ${formatDate(last.local_date)}: ${JUDGEMENT_TEXT[inst.judgement]}.`;
}

function grocWords(q, value) {
  const item = (q.items || [])[0];
  const labels = (item && item.labels) || {};
  return labels[String(value)] || String(value);
}

/** The scores over time, one card per questionnaire, with a table of every answer. */
function setWords(inst, all) {
  const sets = all.filter((i) => i.questionnaire.id === inst.questionnaire.id).length;
  if (sets < 2 && (inst.series || 1) === 1) return "";
  return `, activity set ${inst.series}${inst.current ? " (now)" : ""}`;
}

/** "Start again with new activities" for a patient-specific questionnaire's current set. */
function restartBlock(inst, who, restart) {
  const q = inst.questionnaire;
  const box = h("div", { class: "outcome-restart" });
  const btn = h("button", { type: "button", class: "btn btn-secondary" }, "Start again with new activities");
  const msg = h("div", { "aria-live": "polite" });
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    msg.replaceChildren();
    try {
      await restart(q.id);
      msg.append(
        notice(
          "success",
          who === "your"
            ? "Done. Name the new activities when it appears on Today; these scores stay as their own series."
            : "Done. They name new activities next time; these scores stay as their own series.",
        ),
      );
    } catch (err) {
      btn.disabled = false;
      msg.append(notice("error", err.message));
    }
  });
  box.append(
    h("p", { class: "muted" }, "When these activities no longer fit, start a new set. New scores are compared only with the new set's first answers."),
    btn,
    msg,
  );
  return box;
}

function activitiesLine(inst) {
  const answers = inst.baseline.answers;
  if (inst.questionnaire.format !== "activities" || !Array.isArray(answers)) return null;
  return h("p", { class: "muted" }, `Activities: ${answers.map((a) => a.name).join(", ")}.`);
}

export function outcomesSection(outcomes, { who = "your", heading = "Questionnaires", restart = null } = {}) {
  const box = h("section", { class: "card outcomes", "aria-labelledby": "outcomes-title" }, h("h2", { id: "outcomes-title" }, heading));
  const list = outcomes.instruments || [];
  if (!list.length) {
    box.append(h("p", { class: "muted" }, who === "your" ? "No questionnaires answered yet. When one is due it appears on Today." : "No questionnaires answered yet."));
    return box;
  }
  for (const inst of list) {
    const q = inst.questionnaire;
    const isGroc = q.scoring.mic_points == null && (q.items || []).length === 1 && q.scoring.method === "sum";
    const sentence = isGroc
      ? `Latest answer, ${formatDate(inst.latest.local_date)}: “${grocWords(q, inst.latest.score)}”.`
      : changeSentence(inst, who);
    const tone = TONE[inst.judgement] || "neutral";
    const mic = micWords(q);
    const columns = isGroc ? ["Date", "Answer"] : ["Date", "Score", "Change from first", "Judgement"];
    const cells = (p) =>
      isGroc
        ? [h("td", {}, `${grocWords(q, p.score)} (${p.score > 0 ? "+" : ""}${num(p.score)})`)]
        : [
            h("td", {}, num(p.score)),
            h("td", {}, p.change == null ? "–" : `${p.change > 0 ? "+" : ""}${num(p.change)}`),
            h("td", {}, p.judgement ? JUDGEMENT_TEXT[p.judgement] : "–"),
          ];
    box.append(
      h(
        "article",
        { class: "outcome" },
        h("h3", {}, `${label(q)}${setWords(inst, list)}`),
        activitiesLine(inst),
        h("p", { class: `outcome-change tone-${tone}` }, sentence),
        inst.judgement === "meaningful_worsening" && who === "your" ? h("p", {}, "Worth talking over with your practitioner: they can help find what changed.") : null,
        h("p", { class: "muted" }, `Scored ${scaleWords(q)}${mic ? `; ${mic}` : ""}. Scores are self-reported estimates of how things are going.`),
        h(
          "div",
          { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${q.short_name || q.name} answers${setWords(inst, list)}` },
          h(
            "table",
            {},
            h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
            h(
              "tbody",
              {},
              inst.responses.map((p) =>
                h(
                  "tr",
                  {},
                  h("td", {}, formatDate(p.local_date, { day: "numeric", month: "short", year: "numeric" })),
                  cells(p),
                ),
              ),
            ),
          ),
        ),
        restart && q.format === "activities" && inst.current ? restartBlock(inst, who, restart) : null,
      ),
    );
  }
  return box;
}

const LINE_STYLE = [
  ["#2f6fbf", [8, 4]],
  ["#a35b00", [2, 4]],
  ["#7a4cc2", [12, 4, 2, 4]],
];

/** Questionnaires scored 0 to 10 as lines for the stiffness chart, on its time axis. */
export function chartLines(outcomes) {
  return (outcomes.instruments || [])
    .filter((i) => i.questionnaire.scoring.low === 0 && i.questionnaire.scoring.high === 10)
    .slice(0, LINE_STYLE.length)
    .map((inst, n) => {
      const q = inst.questionnaire;
      const better = q.scoring.direction === "higher_better" ? "higher is better" : "lower is better";
      return {
        label: `${q.short_name || q.name} score (0–10, ${better})`,
        colour: LINE_STYLE[n][0],
        dash: LINE_STYLE[n][1],
        points: inst.responses.map((p) => ({ at: p.answered_at, score: p.score })),
      };
    });
}

function mondayOf(iso) {
  return addDays(iso, -weekdayOf(iso));
}

/** One row a week with runs, routines or a score: the figures the table shows. */
function weeklyRows(progress, sessions, assignments, instruments, range) {
  const weeks = [];
  for (let w = mondayOf(range.from); w <= range.to; w = addDays(w, 7)) weeks.push(w);
  const stiff = new Map(((progress.stiffness && progress.stiffness.weekly) || []).map((x) => [x.week_start, x]));
  const doneByWeek = new Map();
  for (const s of sessions) {
    const d = s.local_date || String(s.completed_at || "").slice(0, 10);
    const w = mondayOf(d);
    doneByWeek.set(w, (doneByWeek.get(w) || 0) + 1);
  }
  const scoreByWeek = instruments.map((inst) => {
    const m = new Map();
    for (const p of inst.responses) m.set(mondayOf(p.local_date), p);
    return m;
  });
  return weeks
    .map((w) => {
      let planned = 0;
      for (let i = 0; i < 7; i += 1) {
        const d = addDays(w, i);
        if (d <= range.to && plannedOn(d, assignments)) planned += 1;
      }
      const st = stiff.get(w);
      return { w, runs: st ? st.runs : 0, mean: st ? st.mean : null, done: doneByWeek.get(w) || 0, planned, scores: scoreByWeek.map((m) => m.get(w)) };
    })
    .filter((r) => r.runs || r.done || r.planned || r.scores.some(Boolean));
}

/**
 * Week by week on one time axis: runs, stiffness, routines done of planned, and each
 * questionnaire's score that week, so changes in scores can be set against the training.
 */
export function weeklyOutcomes(progress, sessions, assignments, outcomes, range) {
  const instruments = (outcomes.instruments || []).filter((i) => i.questionnaire.scoring.mic_points != null);
  const rows = weeklyRows(progress, sessions, assignments, instruments, range);
  const box = h(
    "section",
    { class: "card", "aria-labelledby": "weekly-outcomes-title" },
    h("h2", { class: "h3", id: "weekly-outcomes-title" }, "Questionnaire scores beside training, week by week"),
  );
  if (!rows.length) {
    box.append(h("p", { class: "muted" }, "Nothing in this period yet."));
    return box;
  }
  box.append(
    h("p", { class: "muted" }, "Each row is a week (from Monday). A score shows in the week it was answered, with its change from the first answers."),
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Scores, runs and routines by week" },
      h(
        "table",
        { class: "weekly-outcomes" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Week of"),
            h("th", { scope: "col" }, "Runs"),
            h("th", { scope: "col" }, "Mean stiffness"),
            h("th", { scope: "col" }, "Routines done"),
            instruments.map((i) => h("th", { scope: "col" }, i.questionnaire.short_name || i.questionnaire.name)),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, formatDate(r.w, { day: "numeric", month: "short" })),
              h("td", {}, String(r.runs)),
              h("td", {}, r.mean == null ? "–" : `${num(r.mean)} / 10`),
              h("td", {}, r.planned ? `${r.done} of ${r.planned}` : String(r.done)),
              r.scores.map((p) =>
                h("td", {}, p ? `${num(p.score)}${p.change == null ? " (first)" : ` (${p.change > 0 ? "+" : ""}${num(p.change)}${p.judgement ? `, ${JUDGEMENT_TEXT[p.judgement]}` : ""})`}` : "–"),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  return box;
}

/** The practitioner's schedule controls for one client. */
export function scheduleForm(clientId, schedule, onChange) {
  const weeks = field("Ask every … weeks", { tag: "select", name: "interval_weeks" });
  for (const n of [1, 2, 3, 4, 6, 8, 12]) weeks.input.appendChild(h("option", { value: String(n), selected: n === schedule.interval_weeks }, String(n)));
  const msg = h("div", { class: "form-message", "aria-live": "polite" });
  const save = async (body) => {
    msg.replaceChildren();
    try {
      const out = await api.patch(`/clients/${clientId}/outcome-schedule`, body);
      msg.appendChild(notice("success", out.next_due_on ? `Saved. Next questionnaires due ${formatDate(out.next_due_on)}.` : "Saved."));
      if (onChange) onChange(out);
    } catch (err) {
      msg.appendChild(notice("error", err.message));
    }
  };
  weeks.input.addEventListener("change", () => save({ interval_weeks: Number(weeks.input.value) }));
  const askNow = h("button", { type: "button", class: "btn btn-secondary", onclick: () => save({ ask_now: true }) }, "Ask for them now");
  return h(
    "section",
    { class: "card form no-print outcome-schedule", "aria-labelledby": "schedule-title" },
    h("h2", { class: "h3", id: "schedule-title" }, "Questionnaire schedule"),
    h("p", { class: "muted" }, `Next due ${formatDate(schedule.next_due_on)}. The client is asked at the start, then on this schedule; they see the questionnaires on Today.`),
    h("div", { class: "row" }, weeks.wrap, askNow),
    msg,
  );
}
