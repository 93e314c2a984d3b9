// What a runner's first screens read, asked of the service worker right after sign-in
// so Today, the routines and Progress open with no network from the very first visit.
// The worker does the reading (sw.js, "WARM"): the first screen's load stays small.
import { buildUrl } from "./api.js";
import { addDays, isoDate } from "./format.js";
import { rangeQuery } from "./views/parts.js";

// Progress opens on this many days; its view and this list must ask the same URLs.
export const PROGRESS_DAYS = 84;
export const LAST_PROGRESS = "limber-progress-days";

/** The API reads, as URLs, that Today, Progress and the runs list make on opening. */
export function runnerReads(user) {
  const today = isoDate(new Date(), user.timezone);
  const yesterday = addDays(today, -1);
  const days = Number(localStorage.getItem(LAST_PROGRESS)) || PROGRESS_DAYS;
  const range = rangeQuery(days, user.timezone);
  return [
    buildUrl("/today", { date: today }),
    buildUrl("/me/questionnaires/due", { date: today }),
    buildUrl("/runs", { from: yesterday, to: yesterday, limit: 20 }),
    buildUrl("/runs/awaiting-stiffness"),
    buildUrl("/routines", { limit: 100 }),
    buildUrl("/progress", range),
    buildUrl("/runs", { limit: 100, ...range }),
    buildUrl("/me/outcomes"),
    buildUrl("/runs", { limit: 20 }),
  ];
}

/** Asks the controlling worker to keep those reads, every routine, and the chart library. */
export function warmRunner(user) {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!worker) return;
  worker.postMessage({
    type: "WARM",
    urls: runnerReads(user),
    routines: buildUrl("/routines", { limit: 100 }),
  });
}
