// Pieces shared by Progress, the client page and the printable report.
import { h } from "../dom.js";
import {
  KM_PER_MILE, RED_FLAGS, SURFACES, WORKOUTS, addDays, distanceUnit, formatDate, formatDistance, formatDuration, formatRange, isoDate, labelOf,
  plural, trendDetail, trendText,
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

const OUTCOMES = [
  ["after_run", "Right after the run"],
  ["next_morning", "The next morning"],
];

function triggersBody(list, who, outcome, since) {
  const more = (t) => t.label === "clearly_more" || t.label === "possibly_more";
  const hasHills = list.some((t) => more(t) && ((t.factor === "workout_type" && t.value === "hills") || (t.factor === "terrain" && t.value === "hilly")));
  const soft = list.some((t) => more(t) && t.factor === "surface" && ["sand", "trail", "woodchip"].includes(t.value));
  const morning = outcome === "next_morning";
  return [
    list.length
      ? h("ul", { class: "triggers" }, list.map((t) => h("li", { class: `trigger is-${t.label}` }, triggerSentence(t, who))))
      : h(
          "p",
          { class: "muted" },
          morning
            ? "Nothing to compare yet. Answer “How is your back this morning?” after a few runs of each kind and it shows here."
            : "Nothing to compare yet. Each kind of run shows here once there are runs of it and of the usual kind.",
        ),
    list.length && morning
      ? h("p", { class: "hint" }, "Measured on the next-morning answers: what keeps stiffness lingering, not only what brings it on. Runs without a morning answer are left out.")
      : null,
    list.length && since
      ? h("p", { class: "hint" }, `Worked out from ${who} latest runs, since ${formatDate(since, { day: "numeric", month: "long", year: "numeric" })}; older runs in this period are left out so the picture stays current.`)
      : null,
    list.length
      ? h("p", { class: "hint" }, "Each factor is weighed together with the others (surface, workout, terrain, distance, weekly load and the trend over time), so one does not hide behind another. These are estimates from your own runs, not a diagnosis.")
      : null,
    hasHills ? h("p", { class: "tip" }, "Hills often bring stiffness on. Core stability work and how you hold yourself on the climb tend to help.") : null,
    soft ? h("p", { class: "tip" }, "Soft surfaces like sand, trails or woodchip are less stable, so the body guards more. A track or road is steadier while you build up.") : null,
  ];
}

/**
 * The trigger analysis. With `load(outcome)` (resolving to the triggers) it offers the
 * choice of stiffness measured right after the run or the next morning.
 */
export function triggersSection(triggers, { who = "your", heading = "What seems to bring it on", outcome = "after_run", load = null, since = null } = {}) {
  const body = h("div", { class: "triggers-body", "aria-live": "polite" }, triggersBody(triggers || [], who, outcome, since));
  let picker = null;
  if (load) {
    picker = h(
      "div",
      { class: "segmented", role: "group", "aria-label": "Stiffness measured" },
      OUTCOMES.map(([value, label]) => h("button", { type: "button", "aria-pressed": String(value === outcome), dataset: { outcome: value } }, label)),
    );
    picker.addEventListener("click", async (event) => {
      const btn = event.target.closest("button");
      if (!btn || btn.getAttribute("aria-pressed") === "true") return;
      picker.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === btn)));
      body.setAttribute("aria-busy", "true");
      try {
        body.replaceChildren(...triggersBody(await load(btn.dataset.outcome), who, btn.dataset.outcome, since).filter(Boolean));
      } catch (err) {
        body.replaceChildren(h("p", { class: "notice notice-error", role: "alert" }, err.message));
      } finally {
        body.removeAttribute("aria-busy");
      }
    });
  }
  return h(
    "section",
    { class: "card", "aria-labelledby": "triggers-title" },
    h("div", { class: "view-head" }, h("h2", { id: "triggers-title" }, heading), picker),
    body,
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

export function loadSection(load) {
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
            const steps = w.steps ? formatRange(w.steps) : Math.round(w.steps_mid || 0).toLocaleString();
            return h(
              "li",
              {},
              h("span", { class: "bar-label" }, `Week of ${formatDate(w.week_start, { day: "numeric", month: "short" })}`),
              h("span", { class: "bar-track", "aria-hidden": "true" }, fill),
              h("span", { class: "bar-value" }, `${steps} steps`),
            );
          }),
        )
      : h("p", { class: "muted" }, "No runs yet."),
    weeks.length ? h("p", {}, weekVersusUsual(weeks)) : null,
    h("p", { class: "muted" }, "Estimated steps, shown as a range; they follow the pace of each run. Each running step lands with about 3–4 times body weight, a walking step 1–1.5 times."),
  );
}

/** The latest week against the average of the four before it. */
function weekVersusUsual(weeks) {
  const last = weeks[weeks.length - 1];
  const before = weeks.slice(-5, -1).filter((w) => w.steps_mid);
  if (before.length < 2 || !last.steps_mid) return "Once you have a few weeks logged, this compares your latest week with your usual one.";
  const usual = before.reduce((s, w) => s + w.steps_mid, 0) / before.length;
  const pct = Math.round((last.steps_mid / usual - 1) * 100);
  if (Math.abs(pct) < 5) return "Your latest week is about the same as your average of the weeks before.";
  return `Your latest week is about ${Math.abs(pct)} % ${pct > 0 ? "more" : "less"} than your average of the ${before.length} weeks before.`;
}

const TREND_TONE = { improving: "good", steady: "neutral", worsening: "bad" };

export function summaryCards(p) {
  const s = p.stiffness || {};
  const trend = s.trend || null;
  const tone = trend && trend.enough_data ? TREND_TONE[trend.direction] || "neutral" : "neutral";
  const weekly = s.weekly || [];
  const lastWeek = weekly.length ? weekly[weekly.length - 1] : null;
  const a = p.adherence || {};
  return h(
    "div",
    { class: "stats" },
    h(
      "div",
      { class: `stat stat-${tone}` },
      h("p", { class: "stat-label" }, "Stiffness trend, last 14 days"),
      h("p", { class: "stat-value" }, trendText(trend)),
      h("p", { class: "stat-note" }, trendDetail(trend)),
    ),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Latest week"), h("p", { class: "stat-value" }, lastWeek ? `${num(lastWeek.mean)} / 10` : "–")),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Routine streak"), h("p", { class: "stat-value" }, plural(a.streak_days || 0, "day"))),
    h("div", { class: "stat" }, h("p", { class: "stat-label" }, "Routines done"), h("p", { class: "stat-value" }, a.planned ? `${a.done} of ${a.planned}` : `${a.done || 0}`)),
  );
}

// Feet climbed per mile for each metre per km.
const FT_PER_MI_PER_M_PER_KM = 3.28084 * KM_PER_MILE;

/** Terrain read from the track, e.g. "Hilly · 32 m/km, 40 % uphill" (ft/mile in imperial). */
export function terrainCell(r, user) {
  if (!r.terrain) return "–";
  const word = r.terrain.charAt(0).toUpperCase() + r.terrain.slice(1);
  const bits = [];
  if (r.elevation_gain_m !== null && r.elevation_gain_m !== undefined && r.distance_km) {
    const perKm = r.elevation_gain_m / r.distance_km;
    bits.push(distanceUnit(user) === "mi" ? `${Math.round(perKm * FT_PER_MI_PER_M_PER_KM)} ft/mile` : `${Math.round(perKm)} m/km`);
  }
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
        h("tr", {}, ["Date", "Distance", "Time", "Surface", "Workout", "Terrain", "Stiffness", "Next morning", "Flags"].map((c) => h("th", { scope: "col" }, c))),
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
            h("td", {}, terrainCell(r, user)),
            h("td", {}, r.stiffness === null || r.stiffness === undefined ? "not rated" : String(r.stiffness)),
            h("td", {}, r.morning_stiffness == null ? "–" : String(r.morning_stiffness)),
            h("td", {}, (r.red_flags || []).length ? h("ul", { class: "flag-list" }, r.red_flags.map((f) => h("li", {}, labelOf(RED_FLAGS, f)))) : "–"),
          ),
        ),
      ),
    ),
  );
}

/** The last `days` days as calendar dates where the runner is (their zone, else the device's). */
export function rangeQuery(days, timeZone) {
  const to = isoDate(new Date(), timeZone);
  return { from: addDays(to, 1 - days), to };
}

/** Monday-based weekday, 0 = Monday … 6 = Sunday (the assignment convention). */
export function weekdayOf(iso) {
  return (new Date(`${iso}T12:00:00Z`).getUTCDay() + 6) % 7;
}

export function plannedOn(iso, assignments) {
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

const MORNING_AFTER = {
  easy: "easy runs",
  long: "long runs",
  tempo: "tempo runs",
  intervals: "intervals",
  hills: "hills",
  race: "races",
  walk: "walks",
  other: "other runs",
};

/**
 * The next morning: how much of the stiffness passed overnight and how much lingered,
 * per workout type. The rule (2 points or 30 %) is explained in docs/progress.md.
 */
export function morningSection(p, { who = "your" } = {}) {
  const m = (p.stiffness && p.stiffness.morning) || { answered: 0, passing: 0, lingering: 0, by_workout_type: [] };
  const box = h("section", { class: "card", "aria-labelledby": "morning-title" }, h("h2", { id: "morning-title" }, "The morning after"));
  if (!m.answered) {
    box.append(
      h(
        "p",
        { class: "muted" },
        who === "your"
          ? "Answer \u201cHow is your back this morning?\u201d on Today after a run to see whether stiffness passes overnight or lingers."
          : "No next-morning answers in this period yet.",
      ),
    );
    return box;
  }
  box.append(
    h(
      "p",
      {},
      `${plural(m.answered, "run")} with a next-morning answer: stiffness eased overnight after ${m.passing} and was still there after ${m.lingering}.`,
    ),
  );
  const patterns = m.by_workout_type.filter((w) => w.lingers);
  if (patterns.length) {
    box.append(
      h(
        "ul",
        { class: "triggers" },
        patterns.map((w) => h("li", {}, `Still stiff the morning after ${MORNING_AFTER[w.workout_type] || "runs"}: ${w.lingering} of ${plural(w.answered, "run")}.`)),
      ),
    );
  }
  box.append(
    h(
      "p",
      { class: "hint" },
      "\u201cEased\u201d means down by at least 2 points or 30 % by the morning, or down to 0\u20131; a change of that size is what studies of 0\u201310 ratings found people notice. It is a rough guide, not a diagnosis.",
    ),
  );
  return box;
}
