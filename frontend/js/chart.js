// The stiffness chart. uPlot is imported here, on demand, so it is never part
// of the first load; only Progress and the client pages call this module.
// Each run is a mark whose shape and colour say its workout (or surface); a red
// ring marks a run with a warning sign. Hover, tap or the arrow keys show a run's
// details in the panel under the chart; the table lists them all.
import { h, nextTask } from "./dom.js";
import { RED_FLAGS, SURFACES, WORKOUTS, formatDate, formatDistance, formatDuration, labelOf } from "./format.js";

let uPlotPromise = null;

function loadUPlot() {
  if (!uPlotPromise) {
    if (!document.querySelector("link[data-uplot]")) {
      document.head.appendChild(h("link", { rel: "stylesheet", href: "/vendor/uplot.min.css", "data-uplot": "1" }));
    }
    uPlotPromise = import("../vendor/uplot.esm.js").then((m) => m.default);
  }
  return uPlotPromise;
}

// Colour plus shape: within each key every value has a shape of its own, so the
// marks stay apart without relying on colour.
const MARKS = {
  workout_type: {
    easy: ["#1b7f5a", "circle"],
    long: ["#2f6fbf", "square"],
    tempo: ["#a35b00", "diamond"],
    intervals: ["#7a4cc2", "star"],
    hills: ["#c0392b", "triangle"],
    race: ["#b03a7a", "hexagon"],
    walk: ["#5f7a1b", "down"],
    other: ["#6b6b6b", "plus"],
  },
  surface: {
    track: ["#0f6e8c", "circle"],
    road: ["#2f6fbf", "square"],
    treadmill: ["#5f7a1b", "hexagon"],
    trail: ["#a35b00", "triangle"],
    grass: ["#3c8c2b", "star"],
    woodchip: ["#7a4cc2", "diamond"],
    sand: ["#b8860b", "down"],
    other: ["#6b6b6b", "plus"],
  },
};
const RED_RING = "#d7263d";

// Unit outlines (radius 1) for the polygon shapes; the circle is drawn as an arc.
const OUTLINES = {
  square: [[-0.9, -0.9], [0.9, -0.9], [0.9, 0.9], [-0.9, 0.9]],
  triangle: [[0, -1.2], [1.1, 0.8], [-1.1, 0.8]],
  down: [[0, 1.2], [1.1, -0.8], [-1.1, -0.8]],
  diamond: [[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]],
  hexagon: [0, 1, 2, 3, 4, 5].map((i) => [Math.cos((Math.PI / 3) * i) * 1.1, Math.sin((Math.PI / 3) * i) * 1.1]),
  star: [...Array(10).keys()].map((i) => {
    const a = (Math.PI / 5) * i - Math.PI / 2;
    const k = i % 2 ? 0.55 : 1.3;
    return [Math.cos(a) * k, Math.sin(a) * k];
  }),
  plus: [[-0.35, -1.1], [0.35, -1.1], [0.35, -0.35], [1.1, -0.35], [1.1, 0.35], [0.35, 0.35], [0.35, 1.1], [-0.35, 1.1], [-0.35, 0.35], [-1.1, 0.35], [-1.1, -0.35], [-0.35, -0.35]],
};

function drawMark(ctx, shape, x, y, r) {
  ctx.beginPath();
  const outline = OUTLINES[shape];
  if (!outline) ctx.arc(x, y, r, 0, 2 * Math.PI);
  else {
    outline.forEach(([dx, dy], i) => (i ? ctx.lineTo(x + dx * r, y + dy * r) : ctx.moveTo(x + dx * r, y + dy * r)));
    ctx.closePath();
  }
  ctx.fill();
  ctx.stroke();
}

function ring(ctx, x, y, r, colour, width) {
  ctx.beginPath();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.stroke();
}

function markOf(by, run) {
  return MARKS[by][run[by]] || MARKS[by].other;
}

function hasFlags(run) {
  return Boolean(run.red_flags && run.red_flags.length);
}

function legend(by, runs) {
  const present = new Set(runs.map((r) => r[by]));
  const list = by === "surface" ? SURFACES : WORKOUTS;
  const items = list
    .filter(([v]) => present.has(v))
    .map(([v, label]) => {
      const [colour, shape] = MARKS[by][v];
      const swatch = h("span", { class: `swatch swatch-${shape}`, "aria-hidden": "true" });
      swatch.style.setProperty("--swatch", colour);
      return h("li", {}, swatch, label);
    });
  if (runs.some(hasFlags)) items.push(h("li", {}, h("span", { class: "swatch swatch-ring", "aria-hidden": "true" }), "Red ring: a warning sign was reported"));
  return h("ul", { class: "chart-legend", "aria-label": "Key" }, items);
}

function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** One run in words, for the details panel. */
export function runSummary(run, user) {
  const parts = [
    formatDate(run.started_at),
    `${labelOf(WORKOUTS, run.workout_type)} on ${labelOf(SURFACES, run.surface).toLowerCase()}`,
    `${formatDistance(run.distance_km, user)} in ${formatDuration(run.duration_s)}`,
    `stiffness ${run.stiffness}/10`,
  ];
  if (run.morning_stiffness != null) parts.push(`next morning ${run.morning_stiffness}/10`);
  const flags = (run.red_flags || []).map((f) => labelOf(RED_FLAGS, f));
  if (flags.length) parts.push(`warning signs: ${flags.join("; ")}`);
  return parts.join(" · ");
}

function runsTable(sorted) {
  const head = ["Date", "Workout", "Surface", "Stiffness", "Next morning", "Warning signs"].map((t) => h("th", { scope: "col" }, t));
  const row = (r) =>
    h(
      "tr",
      {},
      h("td", {}, formatDate(r.started_at)),
      h("td", {}, labelOf(WORKOUTS, r.workout_type)),
      h("td", {}, labelOf(SURFACES, r.surface)),
      h("td", {}, String(r.stiffness)),
      h("td", {}, r.morning_stiffness == null ? "–" : String(r.morning_stiffness)),
      h("td", {}, hasFlags(r) ? r.red_flags.map((f) => labelOf(RED_FLAGS, f)).join("; ") : "–"),
    );
  return h(
    "details",
    { class: "chart-table" },
    h("summary", {}, "Show as a table"),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Runs in the chart" }, h("table", {}, h("thead", {}, h("tr", {}, head)), h("tbody", {}, sorted.map(row)))),
  );
}

function lineKey(lines) {
  if (!lines.length) return null;
  const item = (l) => {
    const swatch = h("span", { class: "swatch swatch-line", "aria-hidden": "true" });
    swatch.style.setProperty("--swatch", l.colour);
    return h("li", {}, swatch, l.label);
  };
  return h("ul", { class: "chart-legend", "aria-label": "Lines" }, lines.map(item));
}

function morningKey(sorted) {
  if (!sorted.some((r) => r.morning_stiffness != null)) return null;
  return h(
    "p",
    { class: "hint chart-lines" },
    h("span", { class: "line-key line-solid", "aria-hidden": "true" }),
    " Filled marks, solid line: straight after the run. ",
    h("span", { class: "line-key line-dashed", "aria-hidden": "true" }),
    " Open marks, dashed line: the next morning.",
  );
}

/** The x values shared by every series and each series' y values (null where it has no point). */
function seriesData(sorted, lines) {
  const seconds = (iso) => Math.floor(new Date(iso).getTime() / 1000);
  const runXs = sorted.map((r) => seconds(r.started_at));
  const xs = [...new Set([...runXs, ...lines.flatMap((l) => l.points.map((p) => seconds(p.at)))])].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const column = (pairs) => {
    const ys = xs.map(() => null);
    for (const [x, y] of pairs) ys[at.get(x)] = y;
    return ys;
  };
  const ys = column(sorted.map((r, i) => [runXs[i], r.stiffness]));
  const mornings = column(sorted.map((r, i) => [runXs[i], r.morning_stiffness ?? null]));
  const lineData = lines.map((l) => column(l.points.map((p) => [seconds(p.at), p.score])));
  return { runXs, data: [xs, ys, mornings, ...lineData] };
}

function marksDrawer(state) {
  const { sorted, runXs, colours } = state;
  return (u) => {
    const ctx = u.ctx;
    const dpr = devicePixelRatio;
    const r = 5 * dpr;
    const pos = (i, y) => [u.valToPos(runXs[i], "x", true), u.valToPos(y, "y", true)];
    ctx.save();
    sorted.forEach((run, i) => {
      const [colour, shape] = markOf(state.by, run);
      const [x, y] = pos(i, run.stiffness);
      if (hasFlags(run)) ring(ctx, x, y, r * 2, RED_RING, 2.5 * dpr);
      ctx.lineWidth = 1.5 * dpr;
      ctx.strokeStyle = colours.surface;
      ctx.fillStyle = colour;
      drawMark(ctx, shape, x, y, r);
      if (run.morning_stiffness == null) return;
      ctx.lineWidth = 2 * dpr;
      ctx.fillStyle = colours.surface;
      ctx.strokeStyle = colour;
      drawMark(ctx, shape, ...pos(i, run.morning_stiffness), r * 0.85);
    });
    if (state.selected != null) ring(ctx, ...pos(state.selected, sorted[state.selected].stiffness), r * 2.6, colours.text, 2 * dpr);
    ctx.restore();
  };
}

// The time axis counts in local days: runs on one day sit inside a two-day window, and
// the labels are dates at midnight, never a clock face of minutes.
const DAY = 86400;
const DAY_STEPS = [1, 2, 7, 14, 28, 91, 182, 364];
// (uPlot passes made-up bounds when there is a single x value, so they come from the data.)
function dayRange(u) {
  const xs = u.data[0];
  const [min, max] = [xs[0], xs[xs.length - 1]];
  return max - min < 2 * DAY ? [(min + max) / 2 - DAY, (min + max) / 2 + DAY] : [min - DAY / 4, max + DAY / 4];
}
function daySplits(u, axis, min, max) {
  const step = DAY_STEPS.find((d) => (max - min) / DAY / d <= 5) ?? DAY_STEPS[DAY_STEPS.length - 1];
  const day = new Date(min * 1000);
  day.setHours(0, 0, 0, 0);
  const splits = [];
  while (day.getTime() / 1000 <= max) {
    if (day.getTime() / 1000 >= min) splits.push(day.getTime() / 1000);
    day.setDate(day.getDate() + step);
  }
  return splits;
}
const dayLabels = (u, splits) => splits.map((s) => new Date(s * 1000).toLocaleDateString(undefined, { day: "numeric", month: "short" }));

function plotOptions(width, lines, colours, drawMarks) {
  const axis = { stroke: colours.text, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid } };
  return {
    width,
    height: 240,
    legend: { show: false },
    cursor: { show: true, points: { show: false } },
    scales: { x: { time: false, range: dayRange }, y: { range: [0, 10] } },
    axes: [{ ...axis, splits: daySplits, values: dayLabels }, { ...axis, size: 36, splits: () => [0, 2, 4, 6, 8, 10] }],
    series: [
      {},
      { label: "Stiffness", stroke: colours.line, width: 1.5, points: { show: false }, spanGaps: true },
      { label: "Next morning", stroke: colours.line, width: 1.5, dash: [6, 4], spanGaps: true, points: { show: false } },
      ...lines.map((l) => ({ label: l.label, stroke: l.colour, width: 2, dash: l.dash, spanGaps: true, points: { show: true, size: 7, stroke: l.colour, fill: l.colour } })),
    ],
    hooks: { draw: [drawMarks] },
  };
}

const HINT = "Hover over a mark, tap it, or focus the chart and use the arrow keys to see that run here.";

/** Hover, tap and keys pick a run; the panel says what it was and the chart rings it. */
function pickRuns(plot, plotBox, detail, state, user) {
  const select = (i) => {
    state.selected = Math.max(0, Math.min(state.sorted.length - 1, i));
    detail.textContent = runSummary(state.sorted[state.selected], user);
    plot.redraw(false, false);
  };
  const nearest = (event) => {
    const box = plot.over.getBoundingClientRect();
    const x = event.clientX - box.left;
    let best = 0;
    state.runXs.forEach((v, i) => {
      if (Math.abs(plot.valToPos(v, "x") - x) < Math.abs(plot.valToPos(state.runXs[best], "x") - x)) best = i;
    });
    return best;
  };
  plot.over.addEventListener("pointermove", (event) => {
    if (!state.pinned) select(nearest(event));
  });
  const pin = (event) => {
    state.pinned = true;
    select(nearest(event));
  };
  // A tap on a touch screen may arrive as a pointerdown without a later click.
  plot.over.addEventListener("pointerdown", pin);
  plot.over.addEventListener("click", pin);
  plotBox.addEventListener("keydown", (event) => {
    const last = state.sorted.length - 1;
    const current = state.selected ?? last + 1;
    const moves = { ArrowLeft: current - 1, ArrowRight: state.selected == null ? 0 : current + 1, Home: 0, End: last };
    if (!(event.key in moves)) return;
    event.preventDefault();
    state.pinned = true;
    select(moves[event.key]);
  });
}

function byToggle(state, refresh) {
  const toggle = h(
    "div",
    { class: "segmented", role: "group", "aria-label": "Mark runs by" },
    h("button", { type: "button", "aria-pressed": "true", dataset: { by: "workout_type" } }, "Workout"),
    h("button", { type: "button", "aria-pressed": "false", dataset: { by: "surface" } }, "Surface"),
  );
  toggle.addEventListener("click", (event) => {
    const btn = event.target.closest("button");
    if (!btn) return;
    state.by = btn.dataset.by;
    toggle.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === btn)));
    refresh();
  });
  return toggle;
}

let chartCount = 0;

// Runs logged in the same minute keep the order they were saved in.
const byStart = (a, b) => {
  const [x, y] = a.started_at === b.started_at ? [a.created_at ?? "", b.created_at ?? ""] : [a.started_at, b.started_at];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Renders a stiffness-per-run chart with each run marked by workout type (or
 * surface), a key, a details panel and a table with the same data for screen readers.
 * Options: title, scores (dashed lines on the same time axis, 0–10), user (units).
 */
export async function stiffnessChart(container, runs, { title = "Stiffness after each run", scores = [], user = null } = {}) {
  // Imported runs still waiting for a stiffness score have nothing to plot.
  const sorted = runs.filter((r) => r.stiffness !== null && r.stiffness !== undefined).sort(byStart);
  const figure = h("figure", { class: "chart card" });
  const caption = h("figcaption", {}, h("h2", { class: "h3" }, title));
  container.appendChild(figure);
  const lines = scores.filter((s) => s.points.length);
  if (!sorted.length) {
    figure.append(caption, h("p", { class: "muted" }, "No runs in this period yet."));
    return;
  }
  const id = `chart-detail-${(chartCount += 1)}`;
  const withLines = lines.length ? ` Dashed lines: ${lines.map((l) => l.label).join("; ")}, listed in the questionnaire tables.` : "";
  const span = `${sorted.length} runs, from ${formatDate(sorted[0].started_at)} to ${formatDate(sorted[sorted.length - 1].started_at)}`;
  const plotBox = h("div", { class: "plot", role: "group", tabindex: "0", "aria-label": `${title}: ${span}. Arrow keys step through the runs; the table below lists them.${withLines}`, "aria-describedby": id });
  const detail = h("p", { class: "chart-detail", id, "aria-live": "polite" }, HINT);
  const legendBox = h("div", {});
  const colours = { text: cssVar("--text", "#1a1a1a"), grid: cssVar("--border", "#ccc"), line: cssVar("--muted", "#888"), surface: cssVar("--surface", "#fff") };
  const { runXs, data } = seriesData(sorted, lines);
  const state = { by: "workout_type", selected: null, pinned: false, sorted, runXs, colours };
  let plot = null;
  const refresh = () => {
    legendBox.replaceChildren(legend(state.by, sorted), ...[morningKey(sorted)].filter(Boolean));
    if (plot) plot.redraw();
  };
  figure.append(...[caption, byToggle(state, refresh), plotBox, detail, legendBox, lineKey(lines), runsTable(sorted)].filter(Boolean));
  refresh();

  const uPlot = await loadUPlot();
  // The figure is laid out (the plot's box keeps its height); the drawing is a task of
  // its own, so a long page is not one long block of work.
  await nextTask();
  if (!figure.isConnected) return;
  const width = () => Math.max(260, plotBox.clientWidth || container.clientWidth || 320);
  plot = new uPlot(plotOptions(width(), lines, colours, marksDrawer(state)), data, plotBox);
  pickRuns(plot, plotBox, detail, state, user);
  const onResize = () => plot.setSize({ width: width(), height: 240 });
  window.addEventListener("resize", onResize);
  return () => {
    window.removeEventListener("resize", onResize);
    plot.destroy();
  };
}
