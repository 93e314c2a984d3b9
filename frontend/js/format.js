// Labels, units and dates shared by the views.

export const SURFACES = [
  ["track", "Track"],
  ["road", "Road"],
  ["treadmill", "Treadmill"],
  ["trail", "Trail"],
  ["grass", "Grass"],
  ["woodchip", "Woodchip"],
  ["sand", "Sand"],
  ["other", "Other"],
];

export const WORKOUTS = [
  ["easy", "Easy"],
  ["long", "Long"],
  ["tempo", "Tempo"],
  ["intervals", "Intervals"],
  ["hills", "Hills"],
  ["race", "Race"],
  ["walk", "Walk"],
  ["other", "Other"],
];

export const AREAS = [
  ["low_back", "Low back"],
  ["mid_back", "Mid back"],
  ["upper_back", "Upper back"],
  ["neck", "Neck"],
  ["hips", "Hips"],
  ["glutes", "Glutes"],
  ["hamstrings", "Hamstrings"],
  ["quads", "Quads"],
  ["calves", "Calves"],
  ["other", "Somewhere else"],
];

// The questions are worded as the runner would feel it; tiers follow the practitioner's model.
export const RED_FLAGS = [
  ["saddle_numbness", "Numbness around the groin, buttocks or inner thighs", "emergency"],
  ["bladder_bowel_change", "New trouble controlling or passing urine or stools", "emergency"],
  ["both_legs", "Pain, numbness or weakness in both legs", "emergency"],
  ["fever", "Fever or feeling unwell with the back pain", "urgent"],
  ["weight_loss", "Weight loss you can't explain", "urgent"],
  ["night_pain", "Pain that wakes you at night or doesn't ease with rest", "urgent"],
  ["sharp_pain", "Sharp pain (not just tightness)", "see_professional"],
  ["shooting_pain_leg", "Pain shooting down a leg", "see_professional"],
  ["leg_numbness", "Numbness or tingling in a leg", "see_professional"],
  ["leg_weakness", "A leg feels weak", "see_professional"],
];

const LEVEL_ORDER = ["none", "see_professional", "urgent", "emergency"];

export const ADVICE = {
  emergency: {
    title: "Get emergency care now",
    text:
      "What you ticked can mean a nerve is being squeezed. Call your local emergency number or go to an emergency department today. Don't wait to see if it passes.",
  },
  urgent: {
    title: "See a doctor today or tomorrow",
    text:
      "Back pain together with what you ticked should be checked by a doctor soon. Call your doctor or an urgent care service today or tomorrow. Rest from running until then.",
  },
  see_professional: {
    title: "Time to get it assessed",
    text:
      "Sharp or shooting pain, numbness or weakness is more than post-run stiffness. Book an assessment with a physical therapist, athletic trainer or orthopaedic doctor, and take it easy until then.",
  },
  none: { title: "No warning signs", text: "" },
};

/** Same tiers as the server, used to show advice at once, even offline. */
export function triage(flags) {
  let level = "none";
  for (const [value, , tier] of RED_FLAGS) {
    if (flags.includes(value) && LEVEL_ORDER.indexOf(tier) > LEVEL_ORDER.indexOf(level)) level = tier;
  }
  return level;
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
