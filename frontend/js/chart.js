// The stiffness chart. uPlot is imported here, on demand, so it is never part
// of the first load; only Progress and the client pages call this module.
import { h } from "./dom.js";
import { SURFACES, WORKOUTS, formatDate, labelOf } from "./format.js";

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

// Colour plus shape, so the marks stay apart without relying on colour alone.
const MARKS = {
  workout_type: {
    easy: ["#1b7f5a", "circle"],
    long: ["#2f6fbf", "square"],
    tempo: ["#a35b00", "diamond"],
    intervals: ["#7a4cc2", "diamond"],
    hills: ["#c0392b", "triangle"],
    race: ["#b03a7a", "square"],
    walk: ["#5f7a1b", "circle"],
    other: ["#6b6b6b", "circle"],
  },
  surface: {
    track: ["#1b7f5a", "circle"],
    road: ["#2f6fbf", "square"],
    treadmill: ["#5f7a1b", "square"],
    trail: ["#a35b00", "triangle"],
    grass: ["#3c8c2b", "circle"],
    woodchip: ["#7a4cc2", "diamond"],
    sand: ["#c0392b", "triangle"],
    other: ["#6b6b6b", "circle"],
  },
};

function drawMark(ctx, shape, x, y, r) {
  ctx.beginPath();
  if (shape === "square") ctx.rect(x - r, y - r, 2 * r, 2 * r);
  else if (shape === "triangle") {
    ctx.moveTo(x, y - r * 1.2);
    ctx.lineTo(x + r * 1.1, y + r * 0.8);
    ctx.lineTo(x - r * 1.1, y + r * 0.8);
    ctx.closePath();
  } else if (shape === "diamond") {
    ctx.moveTo(x, y - r * 1.2);
    ctx.lineTo(x + r * 1.2, y);
    ctx.lineTo(x, y + r * 1.2);
    ctx.lineTo(x - r * 1.2, y);
    ctx.closePath();
  } else ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
}

function legend(by, present) {
  const list = by === "surface" ? SURFACES : WORKOUTS;
  return h(
    "ul",
    { class: "chart-legend", "aria-label": "Key" },
    list
      .filter(([v]) => present.has(v))
      .map(([v, label]) => {
        const [colour, shape] = MARKS[by][v];
        const swatch = h("span", { class: `swatch swatch-${shape}`, "aria-hidden": "true" });
        swatch.style.setProperty("--swatch", colour);
        return h("li", {}, swatch, label);
      }),
  );
}

function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * Renders a stiffness-per-run chart with each run marked by workout type (or
 * surface), a key, and a table with the same data for screen readers.
 */
export async function stiffnessChart(container, runs, { title = "Stiffness after each run", scores = [] } = {}) {
  // Imported runs still waiting for a stiffness score have nothing to plot.
  const sorted = runs.filter((r) => r.stiffness !== null && r.stiffness !== undefined).sort((a, b) => (a.started_at < b.started_at ? -1 : 1));
  const figure = h("figure", { class: "chart card" });
  const caption = h("figcaption", {}, h("h2", { class: "h3" }, title));
  container.appendChild(figure);
  // Optional lines on the same time axis: [{label, colour, dash, points: [{at, score}]}], 0–10.
  const lines = scores.filter((s) => s.points.length);
  if (!sorted.length) {
    figure.append(caption, h("p", { class: "muted" }, "No runs in this period yet."));
    return;
  }
  let by = "workout_type";
  const toggle = h(
    "div",
    { class: "segmented", role: "group", "aria-label": "Mark runs by" },
    h("button", { type: "button", "aria-pressed": "true", dataset: { by: "workout_type" } }, "Workout"),
    h("button", { type: "button", "aria-pressed": "false", dataset: { by: "surface" } }, "Surface"),
  );
  const withLines = lines.length ? ` Dashed lines: ${lines.map((l) => l.label).join("; ")}, listed in the questionnaire tables.` : "";
  const plotBox = h("div", { class: "plot", role: "img", "aria-label": `${title}: ${sorted.length} runs, from ${formatDate(sorted[0].started_at)} to ${formatDate(sorted[sorted.length - 1].started_at)}. The table below lists them.${withLines}` });
  const legendBox = h("div", {});
  const lineKey = lines.length
    ? h(
        "ul",
        { class: "chart-legend", "aria-label": "Lines" },
        lines.map((l) => {
          const swatch = h("span", { class: "swatch swatch-line", "aria-hidden": "true" });
          swatch.style.setProperty("--swatch", l.colour);
          return h("li", {}, swatch, l.label);
        }),
      )
    : null;
  const table = h(
    "details",
    { class: "chart-table" },
    h("summary", {}, "Show as a table"),
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Runs in the chart" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Date"), h("th", { scope: "col" }, "Workout"), h("th", { scope: "col" }, "Surface"), h("th", { scope: "col" }, "Stiffness"), h("th", { scope: "col" }, "Next morning"))),
        h(
          "tbody",
          {},
          sorted.map((r) =>
            h("tr", {}, h("td", {}, formatDate(r.started_at)), h("td", {}, labelOf(WORKOUTS, r.workout_type)), h("td", {}, labelOf(SURFACES, r.surface)), h("td", {}, String(r.stiffness)), h("td", {}, r.morning_stiffness == null ? "–" : String(r.morning_stiffness))),
          ),
        ),
      ),
    ),
  );
  figure.append(caption, toggle, plotBox, legendBox, lineKey, table);

  const uPlot = await loadUPlot();
  const seconds = (iso) => Math.floor(new Date(iso).getTime() / 1000);
  const runXs = sorted.map((r) => seconds(r.started_at));
  // One x array for every series; each series has null where it has no point.
  const xs = [...new Set([...runXs, ...lines.flatMap((l) => l.points.map((p) => seconds(p.at)))])].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const column = (pairs) => {
    const ys = xs.map(() => null);
    for (const [x, y] of pairs) ys[at.get(x)] = y;
    return ys;
  };
  const ys = column(sorted.map((r, i) => [runXs[i], r.stiffness]));
  const lineData = lines.map((l) => column(l.points.map((p) => [seconds(p.at), p.score])));
  // The next-morning answers, where given: open marks on a dashed line.
  const mornings = column(sorted.map((r, i) => [runXs[i], r.morning_stiffness == null ? null : r.morning_stiffness]));
  const hasMornings = sorted.some((r) => r.morning_stiffness != null);
  const text = cssVar("--text", "#1a1a1a");
  const grid = cssVar("--border", "#ccc");
  const line = cssVar("--muted", "#888");
  const surfaceBg = cssVar("--surface", "#fff");

  const drawMarks = (u) => {
    const ctx = u.ctx;
    const r = 5 * devicePixelRatio;
    ctx.save();
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.strokeStyle = surfaceBg;
    for (let i = 0; i < sorted.length; i += 1) {
      const run = sorted[i];
      const [colour, shape] = MARKS[by][run[by]] || MARKS[by].other;
      ctx.fillStyle = colour;
      drawMark(ctx, shape, u.valToPos(runXs[i], "x", true), u.valToPos(run.stiffness, "y", true), r);
    }
    ctx.lineWidth = 2 * devicePixelRatio;
    for (let i = 0; i < sorted.length; i += 1) {
      const morning = sorted[i].morning_stiffness;
      if (morning == null) continue;
      const [colour, shape] = MARKS[by][sorted[i][by]] || MARKS[by].other;
      ctx.fillStyle = surfaceBg;
      ctx.strokeStyle = colour;
      drawMark(ctx, shape, u.valToPos(runXs[i], "x", true), u.valToPos(morning, "y", true), r * 0.85);
    }
    ctx.restore();
  };

  const width = () => Math.max(260, plotBox.clientWidth || container.clientWidth || 320);
  const plot = new uPlot(
    {
      width: width(),
      height: 240,
      legend: { show: false },
      cursor: { show: true, points: { show: false } },
      scales: { y: { range: [0, 10] } },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 36, splits: () => [0, 2, 4, 6, 8, 10] },
      ],
      series: [
        {},
        { label: "Stiffness", stroke: line, width: 1.5, points: { show: false }, spanGaps: true },
        { label: "Next morning", stroke: line, width: 1.5, dash: [6, 4], spanGaps: true, points: { show: false } },
        ...lines.map((l) => ({ label: l.label, stroke: l.colour, width: 2, dash: l.dash, spanGaps: true, points: { show: true, size: 7, stroke: l.colour, fill: l.colour } })),
      ],
      hooks: { draw: [drawMarks] },
    },
    [xs, ys, mornings, ...lineData],
    plotBox,
  );

  const morningKey = hasMornings
    ? h(
        "p",
        { class: "hint chart-lines" },
        h("span", { class: "line-key line-solid", "aria-hidden": "true" }),
        " Filled marks, solid line: straight after the run. ",
        h("span", { class: "line-key line-dashed", "aria-hidden": "true" }),
        " Open marks, dashed line: the next morning.",
      )
    : null;
  const refreshLegend = () => legendBox.replaceChildren(legend(by, new Set(sorted.map((r) => r[by]))), ...(morningKey ? [morningKey] : []));
  refreshLegend();
  toggle.addEventListener("click", (event) => {
    const btn = event.target.closest("button");
    if (!btn) return;
    by = btn.dataset.by;
    toggle.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === btn)));
    refreshLegend();
    plot.redraw();
  });
  const onResize = () => plot.setSize({ width: width(), height: 240 });
  window.addEventListener("resize", onResize);
  return () => {
    window.removeEventListener("resize", onResize);
    plot.destroy();
  };
}
