// Pieces shared by Progress, the client page and the printable report.
import { h } from "../dom.js";
import {
  SURFACES, WORKOUTS, formatDate, formatDistance, formatDuration, formatWeight, labelOf, plural,
} from "../format.js";

const WORKOUT_PHRASE = {
  easy: "easy runs",
  long: "long runs",
  tempo: "tempo runs",
  intervals: "interval sessions",
  hills: "hill workouts",
  race: "races",
  walk: "walks",
  other: "other workouts",
};
const SURFACE_PHRASE = {
  track: "on the track",
  road: "on the road",
  treadmill: "on the treadmill",
  trail: "on trails",
  grass: "on grass",
  woodchip: "on woodchip",
  sand: "on sand",
  other: "on other surfaces",
};

const num = (n) => (n === null || n === undefined ? "–" : (Math.round(n * 10) / 10).toFixed(1));

const TERRAIN_PHRASE = { flat: "on flat ground", rolling: "on rolling ground", hilly: "on hilly ground" };
const REFERENCE_PHRASE = {
  workout_type: (v) => WORKOUT_PHRASE[v] || `${v} workouts`,
  surface: (v) => `runs ${SURFACE_PHRASE[v] || `on ${v}`}`,
  terrain: (v) => `runs ${TERRAIN_PHRASE[v] || v}`,
  distance: () => "runs of your usual distance",
  weekly_load: () => "usual weeks",
};
const signed = (n) => {
  const r = Math.round(n * 10) / 10;
  return r === 0 ? "0.0" : `${r > 0 ? "+" : "−"}${num(Math.abs(r))}`;
};

/** What a trigger is about, e.g. "Hill workouts" or "Runs on hilly ground". */
export function triggerSubject(t) {
  const factor = String(t.factor || "");
  const value = String(t.value ?? "");
  let text;
  if (factor === "workout_type") text = WORKOUT_PHRASE[value] || `${value} workouts`;
  else if (factor === "surface") text = `runs ${SURFACE_PHRASE[value] || `on ${value}`}`;
  else if (factor === "terrain") text = `runs ${TERRAIN_PHRASE[value] || value}`;
  else if (factor === "distance") text = value === "long" ? "runs of 1.5 × your usual distance or more" : "runs under ¾ of your usual distance";
  else if (factor === "weekly_load") text = "weeks with a high running load";
  else text = `${factor.replace(/_/g, " ")} ${value.replace(/_/g, " ")}`.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One trigger as a sentence: its label, the estimate with its range, and the runs behind it. */
export function triggerSentence(t, who = "your") {
  const runs = plural(t.runs, "run");
  const ref = (REFERENCE_PHRASE[t.factor] || ((v) => v))(String(t.reference ?? ""));
  if (t.effect === null || t.effect === undefined) {
    return `${triggerSubject(t)}: ${t.label_text} — ${runs} so far (3 needed to compare).`;
  }
  return (
    `${triggerSubject(t)}: ${t.label_text}. Estimated ${signed(t.effect)} points on ${who} stiffness compared with ${ref}, ` +
    `likely between ${signed(t.low)} and ${signed(t.high)} — ${runs}, against ${plural(t.reference_runs, "run")}.`
  );
}

export function triggersSection(triggers, { who = "your", heading = "What seems to bring it on" } = {}) {
  const list = triggers || [];
  const more = (t) => t.label === "clearly_more" || t.label === "possibly_more";
  const hasHills = list.some((t) => more(t) && ((t.factor === "workout_type" && t.value === "hills") || (t.factor === "terrain" && t.value === "hilly")));
  const soft = list.some((t) => more(t) && t.factor === "surface" && ["sand", "trail", "woodchip"].includes(t.value));
  return h(
    "section",
    { class: "card", "aria-labelledby": "triggers-title" },
    h("h2", { id: "triggers-title" }, heading),
    list.length
      ? h("ul", { class: "triggers" }, list.map((t) => h("li", { class: `trigger is-${t.label}` }, triggerSentence(t, who))))
      : h("p", { class: "muted" }, "Nothing to compare yet. Each kind of run shows here once there are runs of it and of the usual kind."),
    list.length
      ? h("p", { class: "hint" }, "Each factor is weighed together with the others (surface, workout, terrain, distance, weekly load and the trend over time), so one does not hide behind another. These are estimates from your own runs, not a diagnosis.")
      : null,
    hasHills ? h("p", { class: "tip" }, "Hills often bring stiffness on. Core stability work and how you hold yourself on the climb tend to help.") : null,
    soft ? h("p", { class: "tip" }, "Soft surfaces like sand, trails or woodchip are less stable, so the body guards more. A track or road is steadier while you build up.") : null,
  );
}

/** Horizontal bars of mean stiffness per category. */
export function barsSection(title, rows, key, list) {
  const sorted = [...(rows || [])].sort((a, b) => (b.mean_stiffness ?? 0) - (a.mean_stiffness ?? 0));
  return h(
    "section",
    { class: "card" },
    h("h2", { class: "h3" }, title),
    sorted.length
      ? h(
          "ul",
          { class: "bars" },
          sorted.map((r) => {
            const fill = h("span", { class: "bar-fill" });
            fill.style.width = `${Math.max(2, ((r.mean_stiffness || 0) / 10) * 100)}%`;
            return h(
              "li",
              {},
              h("span", { class: "bar-label" }, labelOf(list, r[key])),
              h("span", { class: "bar-track", "aria-hidden": "true" }, fill),
              h("span", { class: "bar-value" }, `${num(r.mean_stiffness)} · ${plural(r.runs, "run")}`),
            );
          }),
        )
      : h("p", { class: "muted" }, "No runs yet."),
  );
}

export function bySurface(p) {
  return barsSection("By surface", p.by_surface, "surface", SURFACES);
}

export function byWorkout(p) {
  return barsSection("By workout", p.by_workout_type, "workout_type", WORKOUTS);
}

export function loadSection(load, user) {
  const weeks = ((load && load.weekly) || []).slice(-12);
  const max = Math.max(1, ...weeks.map((w) => w.steps_mid || 0));
  return h(
    "section",
    { class: "card" },
    h("h2", { class: "h3" }, "Weekly load"),
    weeks.length
      ? h(
          "ul",
          { class: "bars" },
          weeks.map((w) => {
            const fill = h("span", { class: "bar-fill bar-load" });
            fill.style.width = `${Math.max(2, ((w.steps_mid || 0) / max) * 100)}%`;
            const kg = w.load_kg_mid ? ` · ${formatWeight({ low: w.load_kg_mid, high: w.load_kg_mid }, user)}` : "";
            return h(
              "li",
              {},
              h("span", { class: "bar-label" }, `Week of ${formatDate(w.week_start, { day: "numeric", month: "short" })}`),
              h("span", { class: "bar-track", "aria-hidden": "true" }, fill),
              h("span", { class: "bar-value" }, `${Math.round(w.steps_mid || 0).toLocaleString()} steps${kg}`),
            );
          }),
        )
      : h("p", { class: "muted" }, "No runs yet."),
    h("p", { class: "muted" }, "Estimated: running puts several times your body weight through your low back with every step."),
  );
}

const TREND = {
  improving: ["Easing", "good"],
  steady: ["Steady", "neutral"],
  worsening: ["Getting worse", "bad"],
};

export function summaryCards(p) {
  const s = p.stiffness || {};
  const trend = (s.trend && s.trend.direction) || "steady";
  const [trendText, tone] = TREND[trend] || TREND.steady;
  const weekly = s.weekly || [];
  const lastWeek = weekly.length ? weekly[weekly.length - 1] : null;
  const a = p.adherence || {};
  return h(
    "div",
    { class: "stats" },
    h("div", { class: `stat stat-${tone}` }, h("p", { class: "stat-label" }, "Stiffness trend"), h("p", { class: "stat-value" }, trendText)),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Latest week"), h("p", { class: "stat-value" }, lastWeek ? `${num(lastWeek.mean)} / 10` : "–")),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Routine streak"), h("p", { class: "stat-value" }, plural(a.streak_days || 0, "day"))),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Routines done"), h("p", { class: "stat-value" }, a.planned ? `${a.done} of ${a.planned}` : `${a.done || 0}`)),
  );
}

/** Terrain read from the track, e.g. "Hilly · 32 m/km, 40 % uphill". */
export function terrainCell(r) {
  if (!r.terrain) return "–";
  const word = r.terrain.charAt(0).toUpperCase() + r.terrain.slice(1);
  const bits = [];
  if (r.elevation_gain_m !== null && r.elevation_gain_m !== undefined && r.distance_km) bits.push(`${Math.round(r.elevation_gain_m / r.distance_km)} m/km`);
  if (r.uphill_share !== null && r.uphill_share !== undefined) bits.push(`${Math.round(r.uphill_share * 100)} % uphill`);
  return bits.length ? `${word} · ${bits.join(", ")}` : word;
}

export function runsTable(runs, user, { limit = 30 } = {}) {
  const rows = [...runs].sort((a, b) => (a.started_at < b.started_at ? 1 : -1)).slice(0, limit);
  // Focusable so a keyboard user can scroll the table sideways on a phone.
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Runs table" },
    h(
      "table",
      { class: "runs" },
      h(
        "thead",
        {},
        h("tr", {}, ["Date", "Distance", "Time", "Surface", "Workout", "Terrain", "Stiffness", "Flags"].map((c) => h("th", { scope: "col" }, c))),
      ),
      h(
        "tbody",
        {},
        rows.map((r) =>
          h(
            "tr",
            {},
            h("td", {}, formatDate(r.started_at)),
            h("td", {}, formatDistance(r.distance_km, user)),
            h("td", {}, formatDuration(r.duration_s)),
            h("td", {}, labelOf(SURFACES, r.surface)),
            h("td", {}, labelOf(WORKOUTS, r.workout_type)),
            h("td", {}, terrainCell(r)),
            h("td", {}, r.stiffness === null || r.stiffness === undefined ? "not rated" : String(r.stiffness)),
            h("td", {}, (r.red_flags || []).length ? h("span", { class: "badge badge-bad" }, plural(r.red_flags.length, "flag")) : "–"),
          ),
        ),
      ),
    ),
  );
}

export function rangeQuery(days) {
  const to = new Date();
  const from = new Date(Date.now() - days * 86400000);
  const iso = (d) => d.toISOString().slice(0, 10);
  return { from: iso(from), to: iso(to) };
}

/** Monday-based weekday, 0 = Monday … 6 = Sunday (the assignment convention). */
export function weekdayOf(iso) {
  return (new Date(`${iso}T12:00:00Z`).getUTCDay() + 6) % 7;
}

function plannedOn(iso, assignments) {
  return assignments.some(
    (a) => (a.weekdays || []).includes(weekdayOf(iso)) && (!a.starts_on || a.starts_on <= iso) && (!a.ends_on || a.ends_on >= iso),
  );
}

/** Five weeks of days: done, planned but missed, or not planned. */
export function adherenceCalendar(sessions, assignments, today, weeks = 5) {
  const doneDays = new Set(sessions.map((s) => s.local_date || String(s.completed_at || "").slice(0, 10)));
  const start = new Date(`${today}T12:00:00Z`);
  start.setUTCDate(start.getUTCDate() - weekdayOf(today) - (weeks - 1) * 7);
  const cells = ["M", "T", "W", "T", "F", "S", "S"].map((d, i) =>
    h("li", { class: "dow", "aria-hidden": "true" }, d, h("span", { class: "visually-hidden" }, ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][i])),
  );
  let done = 0;
  let missed = 0;
  for (let i = 0; i < weeks * 7; i += 1) {
    const d = new Date(start);
    d.setUTCDate(start.getUTCDate() + i);
    const iso = d.toISOString().slice(0, 10);
    const future = iso > today;
    const isDone = doneDays.has(iso);
    const planned = plannedOn(iso, assignments);
    let cls = "day";
    let status = "nothing planned";
    if (isDone) {
      cls += " day-done";
      status = "routine done";
      done += 1;
    } else if (planned && !future) {
      cls += " day-missed";
      status = "planned, not done";
      missed += 1;
    } else if (planned) status = "planned";
    if (future) cls += " day-future";
    cells.push(h("li", { class: cls, "aria-label": `${formatDate(iso, { weekday: "long", day: "numeric", month: "long" })}: ${status}` }, String(d.getUTCDate())));
  }
  return h(
    "section",
    { class: "card", "aria-labelledby": "cal-title" },
    h("h2", { class: "h3", id: "cal-title" }, "Routine adherence"),
    h("p", { class: "muted" }, `Last ${weeks} weeks: ${plural(done, "day")} done, ${plural(missed, "planned day")} missed.`),
    h("ul", { class: "calendar" }, cells),
    h("p", { class: "cal-key" }, h("span", {}, "Filled: done"), h("span", {}, "Dashed: planned, not done"), h("span", {}, "Grey: nothing planned")),
  );
}
