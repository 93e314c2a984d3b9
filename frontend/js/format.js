// Labels, units and dates shared by the views.

import {
  FASTEST_S_PER_KM,
  LEVELS,
  RED_FLAGS,
  SAFETY_NET,
  SLOWEST_RUN_S_PER_KM,
  SLOWEST_WALK_S_PER_KM,
} from "./vocab.js";

// Values, labels and red-flag tiers come from the server's source through vocab.js.
export { AREAS, RED_FLAGS, SAFETY_NET, SURFACES, WORKOUTS } from "./vocab.js";

export const NOT_MEDICAL_ADVICE = "Limber does not diagnose and is not medical advice.";

// Shown at once, even offline; the server's message replaces the text when it arrives.
export const ADVICE = {
  emergency: {
    title: "Get emergency care now",
    text:
      "Numbness around the groin or buttocks, a new change in bladder or bowel control, or symptoms in both legs can mean a nerve is being squeezed, and it needs attention straight away. Call your local emergency number or go to the nearest emergency department now.",
  },
  urgent: {
    title: "See a doctor today or tomorrow",
    text: `Back pain together with what you ticked should be checked by a doctor today or tomorrow. Call your doctor or an urgent care service. Don't run until you have been seen. ${SAFETY_NET}`,
  },
  see_professional: {
    title: "Time to get it assessed",
    text: `Sharp or shooting pain, numbness or weakness in a leg should be looked at. Book an assessment with a physical therapist, athletic trainer or orthopaedic doctor in the next few days, and hold off hard sessions until then. ${SAFETY_NET}`,
  },
  none: {
    title: "No warning signs",
    text: "If the stiffness has not settled in a few days, or keeps getting worse, ask your practitioner or a physical therapist to take a look.",
  },
};

// Emergency numbers by region, for when the server does not set one.
const EMERGENCY_NUMBERS = {
  US: "911", CA: "911", MX: "911", GB: "999", IE: "112", AU: "000", NZ: "111", IN: "112", ZA: "112", JP: "119", BR: "192",
};
const EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IT LV LT LU MT NL PL PT RO SK SI ES SE NO CH IS".split(" ");

/** The number to offer: the configured one, else the device region's, else null. */
export function emergencyNumber(configured, locale = typeof navigator !== "undefined" ? navigator.language : "") {
  if (configured) return configured;
  const region = String(locale || "").split(/[-_]/)[1];
  if (!region) return null;
  const r = region.toUpperCase();
  return EMERGENCY_NUMBERS[r] || (EU.includes(r) ? "112" : null);
}

const TREND_WORDS = { improving: "Easing", steady: "Steady", worsening: "Getting worse" };

/** The 14-day trend in words, the same on every screen. */
export function trendText(trend) {
  if (!trend || !trend.enough_data) return "Not enough runs to tell";
  return TREND_WORDS[trend.direction] || "Steady";
}

export function trendDetail(trend) {
  const days = (trend && trend.window_days) || 14;
  if (!trend || !trend.enough_data) return `Needs 4 runs on 3 days in the last ${days} days.`;
  const change = Math.abs(trend.change).toFixed(1);
  const dir = trend.change > 0 ? "higher" : "lower";
  return `Last ${days} days, ${trend.runs} runs: the latest third ${change} points ${dir} than the first.`;
}

/** Same tiers as the server, used to show advice at once, even offline. */
export function triage(flags) {
  let level = "none";
  for (const [value, , tier] of RED_FLAGS) {
    if (flags.includes(value) && LEVELS.indexOf(tier) > LEVELS.indexOf(level)) level = tier;
  }
  return level;
}

// Plausible paces, as the server checks them (limits from vocab.js).

export function paceText(seconds) {
  const total = Math.round(seconds);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

/** The server's rule for an implausible pace, said in the runner's units; null when fine. */
export function paceProblem(km, seconds, workoutType, user) {
  if (!km || !seconds) return null;
  const pace = seconds / km;
  const walking = workoutType === "walk";
  const slowest = walking ? SLOWEST_WALK_S_PER_KM : SLOWEST_RUN_S_PER_KM;
  if (pace >= FASTEST_S_PER_KM && pace <= slowest) return null;
  const mi = distanceUnit(user) === "mi";
  const per = (s) => paceText(mi ? s * KM_PER_MILE : s);
  const unit = mi ? "min/mile" : "min/km";
  return `That is a pace of ${per(pace)} ${unit}; for ${walking ? "a walk" : "a run"} it should be between ${per(FASTEST_S_PER_KM)} and ${per(slowest)} ${unit}. Check the distance and the time.`;
}

export function labelOf(list, value) {
  const hit = list.find((x) => x[0] === value);
  return hit ? hit[1] : String(value || "").replace(/_/g, " ");
}

export const KM_PER_MILE = 1.609344;

export function distanceUnit(user) {
  return user && user.units === "imperial" ? "mi" : "km";
}

export function toKm(value, user) {
  return distanceUnit(user) === "mi" ? value * KM_PER_MILE : value;
}

export function formatDistance(km, user) {
  if (km === null || km === undefined) return "–";
  const unit = distanceUnit(user);
  const v = unit === "mi" ? km / KM_PER_MILE : km;
  return `${v.toFixed(v < 10 ? 2 : 1)} ${unit}`;
}

export function formatDuration(s) {
  if (!s && s !== 0) return "–";
  const hrs = Math.floor(s / 3600);
  const mins = Math.floor((s % 3600) / 60);
  const secs = Math.round(s % 60);
  const mm = String(mins).padStart(hrs ? 2 : 1, "0");
  const ss = String(secs).padStart(2, "0");
  return hrs ? `${hrs}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Accepts "45" (minutes), "45.5", "45:30" (min:sec) or "1:05:30". Returns seconds or null. */
export function parseDuration(text) {
  const t = String(text || "").trim().replace(",", ".");
  if (!t) return null;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(parseFloat(t) * 60);
  const parts = t.split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) return null;
  const nums = parts.map(Number);
  if (nums.length === 2) return nums[0] * 60 + nums[1];
  return nums[0] * 3600 + nums[1] * 60 + nums[2];
}

export function parseNumber(text) {
  const t = String(text || "").trim().replace(",", ".");
  if (!/^\d*(\.\d+)?$/.test(t) || t === "" || t === ".") return null;
  return parseFloat(t);
}

export function formatRange(r, unit = "") {
  if (!r) return "–";
  const f = (n) => Math.round(n).toLocaleString();
  const u = unit ? ` ${unit}` : "";
  return r.low === r.high ? `${f(r.low)}${u}` : `${f(r.low)}–${f(r.high)}${u}`;
}

export function kgToLb(kg) {
  return kg * 2.20462262;
}

export function formatWeight(kgRange, user) {
  if (!kgRange) return "–";
  if (user && user.units === "imperial") {
    const lb = { low: kgToLb(kgRange.low), high: kgToLb(kgRange.high) };
    // Whole-run loads run into hundreds of thousands: tons read better.
    if (lb.high >= 20000) return formatRange({ low: lb.low / 2000, high: lb.high / 2000 }, "tons");
    return formatRange(lb, "lb");
  }
  if (kgRange.high >= 10000) return formatRange({ low: kgRange.low / 1000, high: kgRange.high / 1000 }, "tonnes");
  return formatRange(kgRange, "kg");
}

/** YYYY-MM-DD for "now" in a given IANA zone (falls back to the device zone). */
export function isoDate(date = new Date(), timeZone) {
  try {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: timeZone || undefined,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(date);
    return parts;
  } catch {
    return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  }
}

export function addDays(iso, n) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function formatDate(iso, opts = { weekday: "short", day: "numeric", month: "short" }) {
  if (!iso) return "–";
  const d = iso.length === 10 ? new Date(`${iso}T12:00:00`) : new Date(iso);
  return d.toLocaleDateString(undefined, opts);
}

export function formatDateTime(iso) {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(undefined, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Value for <input type="datetime-local"> in the device's zone. */
export function localDateTimeValue(date = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}`;
}

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many || `${one}s`}`;
}
