import { api, forgetCsrf } from "../api.js";
import { chips, checkedValue, field, h, notice } from "../dom.js";
import { offlineOr, showErrors, showSaved, summaryBox } from "../formerrors.js";
import { formatDateTime, kgToLb, parseNumber } from "../format.js";
import * as outbox from "../outbox.js";
import { twoStepSection } from "./twostep.js";
import { notificationsSection } from "./notifications-settings.js";
import { calendarSection } from "./calendarfeed.js";

export const title = "Settings";

// A message to show after the view re-renders itself (e.g. "Profile saved.").
let flash = null;

function reopen(ctx, message) {
  if (!ctx.isCurrent()) return;
  flash = message;
  ctx.navigate("/settings", { replace: true });
}

function timezones(current) {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  if (current && !zones.includes(current)) zones.unshift(current);
  if (!zones.includes("UTC")) zones.unshift("UTC");
  return zones;
}

function profileSection(ctx) {
  const user = ctx.user;
  const imperial = user.units === "imperial";
  const name = field("Name", { name: "display_name", value: user.display_name || "", autocomplete: "name" });
  const units = chips("Units", "units", [["metric", "Kilometres, kg"], ["imperial", "Miles, lb"]], { value: user.units || "metric" });
  const weightValue = user.body_weight_kg ? (imperial ? kgToLb(user.body_weight_kg) : user.body_weight_kg).toFixed(1) : "";
  const weight = field("Body weight (optional)", { name: "body_weight_kg", inputmode: "decimal", value: weightValue }, { suffix: imperial ? "lb" : "kg" });
  const tzSelect = field("Time zone", { tag: "select", name: "timezone" });
  const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const currentZone = user.timezone || deviceZone || "UTC";
  for (const z of timezones(currentZone)) tzSelect.input.appendChild(h("option", { value: z, selected: z === currentZone }, z.replace(/_/g, " ")));
  // Switching units converts what the weight field holds, so "160" in lb is not kept as kg.
  let shownUnits = imperial ? "imperial" : "metric";
  units.addEventListener("change", () => {
    const next = checkedValue(units, "units") || "metric";
    const w = parseNumber(weight.input.value);
    if (next !== shownUnits && w !== null) weight.input.value = (next === "imperial" ? kgToLb(w) : w / 2.20462262).toFixed(1);
    weight.wrap.querySelector(".suffix").textContent = next === "imperial" ? "lb" : "kg";
    shownUnits = next;
  });
  const summary = summaryBox();
  const form = h(
    "form",
    { class: "card form", novalidate: true, "aria-labelledby": "profile-title" },
    h("h2", { id: "profile-title" }, "Profile"),
    summary,
    name.wrap,
    units,
    weight.wrap,
    h("p", { class: "hint" }, "Your weight is only used to estimate the load on your back."),
    tzSelect.wrap,
    h("button", { type: "submit", class: "btn btn-primary" }, "Save profile"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showErrors(form, summary, null);
    const chosenUnits = checkedValue(form, "units") || "metric";
    const body = { display_name: name.input.value.trim(), units: chosenUnits, timezone: tzSelect.input.value };
    if (weight.input.value.trim()) {
      const w = parseNumber(weight.input.value);
      if (w === null || w <= 0) {
        showErrors(form, summary, { fields: { body_weight_kg: ["Enter your weight as a number, e.g. 70."] } });
        return;
      }
      // The field shows the units chosen on the form (converted when they were switched).
      body.body_weight_kg = Math.round((shownUnits === "imperial" ? w / 2.20462262 : w) * 10) / 10;
    } else body.body_weight_kg = null;
    try {
      const updated = await api.patch("/me", body);
      await ctx.setUser(updated);
      reopen(ctx, "Profile saved.");
    } catch (err) {
      showErrors(form, summary, offlineOr(err, "Saving the profile needs a connection."), "The profile was not saved");
    }
  });
  return form;
}

function importSection() {
  return h(
    "section",
    { class: "card", "aria-labelledby": "import-card-title" },
    h("h2", { id: "import-card-title" }, "Import runs"),
    h("p", {}, "Bring in runs from your watch or app: GPX, TCX or FIT files, or a Strava export."),
    h("a", { href: "/settings/import", class: "btn btn-secondary" }, "Import runs"),
  );
}

function practitionerSection(ctx) {
  const user = ctx.user;
  const box = h("section", { class: "card", "aria-labelledby": "prac-title" }, h("h2", { id: "prac-title" }, "Your practitioner"));
  const msg = h("div", { class: "form-message" });
  if (user.practitioner) {
    const stop = h("button", { type: "button", class: "btn btn-danger" }, "Stop sharing");
    stop.addEventListener("click", async () => {
      if (!confirm(`Stop sharing your runs and routines with ${user.practitioner.display_name}? They will lose access straight away.`)) return;
      try {
        await api.del("/me/practitioner");
        await ctx.setUser(await api.get("/auth/me"));
        reopen(ctx, "You no longer share your data with a practitioner.");
      } catch (err) {
        msg.replaceChildren(notice("error", err.message));
      }
    });
    box.append(h("p", {}, `You share your runs and routines with `, h("strong", {}, user.practitioner.display_name), "."), msg, stop);
  } else {
    const code = field("Invite code", { name: "invite_code", autocomplete: "off", autocapitalize: "characters" });
    const summary = summaryBox();
    const form = h("form", { class: "form", novalidate: true }, h("p", {}, "Join your practitioner so they can see your runs and plan your routines. You can stop at any time."), summary, code.wrap, h("button", { type: "submit", class: "btn btn-primary" }, "Join"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      showErrors(form, summary, null);
      if (!code.input.value.trim()) {
        showErrors(form, summary, { fields: { invite_code: ["Enter the code your practitioner gave you."] } });
        return;
      }
      try {
        await api.post("/me/practitioner", { invite_code: code.input.value.trim() });
        await ctx.setUser(await api.get("/auth/me"));
        reopen(ctx, "You have joined your practitioner.");
      } catch (err) {
        const wrong = err.status === 404 || err.status === 422;
        const why = wrong ? { fields: { invite_code: ["That code didn't work. Check it with your practitioner."] } } : offlineOr(err, "Joining needs a connection.");
        showErrors(form, summary, why, "Not joined");
      }
    });
    box.append(form);
  }
  return box;
}

// What each read covered, in the runner's words.
const READS = {
  summary: "your summary in their client list",
  profile: "your profile",
  runs: "your runs",
  sessions: "your routines",
  progress: "your progress",
  alerts: "alerts about you",
  outcomes: "your questionnaire answers",
  export: "a download of your runs and routines",
};

/** One practitioner visit: who, when, and everything it read. */
export function visitItem(visit) {
  const who = (visit.practitioner && visit.practitioner.display_name) || "A practitioner";
  const reads = (visit.reads || []).map((r) => READS[r] || String(r).replace(/_/g, " "));
  const when = formatDateTime(visit.started_at);
  const until = visit.last_seen_at && visit.last_seen_at !== visit.started_at ? ` – ${formatDateTime(visit.last_seen_at)}` : "";
  return h("li", {}, h("strong", {}, who), h("span", {}, ` · ${when}${until}`), h("p", { class: "muted" }, `Looked at ${reads.join(", ")}.`));
}

async function accessLogSection() {
  const box = h("section", { class: "card", "aria-labelledby": "log-title" }, h("h2", { id: "log-title" }, "Who looked at your data"));
  try {
    const data = await api.get("/me/access-log", { limit: 20 });
    const items = data.items || [];
    box.append(
      items.length
        ? h("ul", { class: "plain-list access-log" }, items.map(visitItem))
        : h("p", { class: "muted" }, "Nobody has looked at your data."),
    );
  } catch (err) {
    box.append(h("p", { class: "muted" }, err.offline ? "Not available offline." : err.message));
  }
  return box;
}

/** "Chrome on Android" from a user-agent string; the raw string is kept as a tooltip. */
export function deviceName(ua) {
  const text = String(ua || "");
  if (!text) return "Unknown device";
  const browser = /Edg\//.test(text) ? "Edge" : /Firefox\//.test(text) ? "Firefox" : /SamsungBrowser/.test(text) ? "Samsung Internet"
    : /(Chrome|Chromium|CriOS)\//.test(text) ? "Chrome" : /Safari\//.test(text) ? "Safari" : null;
  const os = /Android/.test(text) ? "Android" : /iPhone|iPad|iPod/.test(text) ? "iOS" : /Windows/.test(text) ? "Windows"
    : /Mac OS X|Macintosh/.test(text) ? "macOS" : /CrOS/.test(text) ? "ChromeOS" : /Linux/.test(text) ? "Linux" : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser || os || text.slice(0, 40);
}

async function devicesSection() {
  const box = h("section", { class: "card", "aria-labelledby": "dev-title" }, h("h2", { id: "dev-title" }, "Signed-in devices"));
  try {
    const data = await api.get("/auth/sessions");
    const ul = h("ul", { class: "plain-list devices" });
    for (const s of data.items || []) {
      const li = h(
        "li",
        {},
        h("div", {}, h("strong", { title: s.device || "" }, deviceName(s.device)), s.current ? h("span", { class: "badge" }, "This device") : null, h("p", { class: "muted" }, `Signed in ${formatDateTime(s.created_at)} · last seen ${formatDateTime(s.last_seen_at)}`)),
      );
      if (!s.current) {
        li.appendChild(
          h("button", {
            type: "button",
            class: "btn btn-secondary btn-small",
            "aria-label": `Sign out ${deviceName(s.device)}, signed in ${formatDateTime(s.created_at)}`,
            onclick: async () => {
              try {
                await api.del(`/auth/sessions/${s.id}`);
                li.remove();
              } catch (err) {
                li.appendChild(notice("error", err.message));
              }
            },
          }, "Sign out"),
        );
      }
      ul.appendChild(li);
    }
    box.append(ul);
  } catch (err) {
    box.append(h("p", { class: "muted" }, err.offline ? "Not available offline." : err.message));
  }
  return box;
}

function passwordSection() {
  const current = field("Current password", { type: "password", name: "current_password", autocomplete: "current-password" });
  const next = field("New password", { type: "password", name: "new_password", autocomplete: "new-password", minlength: 8 }, { hint: "At least 8 characters. Other devices will be signed out." });
  const summary = summaryBox();
  const form = h("form", { class: "card form", novalidate: true, "aria-labelledby": "pw-title" }, h("h2", { id: "pw-title" }, "Change password"), summary, current.wrap, next.wrap, h("button", { type: "submit", class: "btn btn-secondary" }, "Change password"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showErrors(form, summary, null);
    try {
      await api.post("/auth/password", { current_password: current.input.value, new_password: next.input.value });
      forgetCsrf();
      form.reset();
      showSaved(form, summary, "Password changed. Your other devices are signed out.");
    } catch (err) {
      const wrong = err.status === 401 || err.status === 403;
      const why = wrong ? { fields: { current_password: ["The current password is not right."] } } : offlineOr(err, "Changing the password needs a connection.");
      showErrors(form, summary, why, "The password was not changed");
    }
  });
  return form;
}

function dataSection(ctx) {
  const msg = h("div", { class: "form-message" });
  const exportBtn = h("button", { type: "button", class: "btn btn-secondary" }, "Download my data");
  exportBtn.addEventListener("click", async () => {
    msg.replaceChildren();
    try {
      const data = await api.get("/me/export");
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const a = h("a", { href: url, download: `limber-export-${new Date().toISOString().slice(0, 10)}.json` });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      msg.appendChild(notice("success", "Your data is downloading as a JSON file."));
    } catch (err) {
      msg.appendChild(notice("error", err.offline ? "You're offline. Try again with a connection." : err.message));
    }
  });
  const pw = field("Password", { type: "password", name: "password", autocomplete: "current-password" }, { hint: "Type your password to confirm." });
  const delSummary = summaryBox();
  const del = h("form", { class: "form danger-zone", novalidate: true }, h("h3", {}, "Delete account"), h("p", {}, "This erases your account and everything in it, on our side and on this device. It can't be undone."), delSummary, pw.wrap, h("button", { type: "submit", class: "btn btn-danger" }, "Delete my account"));
  del.addEventListener("submit", async (e) => {
    e.preventDefault();
    showErrors(del, delSummary, null);
    if (!confirm("Delete your account and all your data for good?")) return;
    try {
      await api.del("/me", { password: pw.input.value });
      await outbox.forgetUser(ctx.user.id);
      forgetCsrf();
      await ctx.clearApiCache();
      await ctx.setUser(null);
      ctx.navigate("/signin", { replace: true });
    } catch (err) {
      const wrong = err.status === 401 || err.status === 403 || err.status === 422;
      const why = wrong ? { fields: { password: ["That password is not right."] } } : offlineOr(err, "Deleting the account needs a connection.");
      showErrors(del, delSummary, why, "The account was not deleted");
    }
  });
  return h("section", { class: "card", "aria-labelledby": "data-title" }, h("h2", { id: "data-title" }, "Your data"), h("p", {}, "Download everything Limber holds about you as a file."), exportBtn, msg, del);
}

export async function render(root, ctx) {
  const user = ctx.user;
  const signOut = h("button", { type: "button", class: "btn btn-secondary btn-block" }, "Sign out");
  signOut.addEventListener("click", async () => {
    const waiting = await outbox.pending(user.id);
    if (waiting.length && !confirm(`${waiting.length} entries haven't been sent yet. They stay on this device and are sent when you sign in again. Sign out?`)) return;
    ctx.signOut();
  });
  const section = h("section", { class: "readable" }, h("h1", {}, "Settings"), h("p", { class: "muted" }, `Signed in as ${user.email}`));
  if (flash) {
    section.appendChild(notice("success", flash));
    flash = null;
  }
  root.append(section);
  section.append(profileSection(ctx));
  if (user.role === "runner") section.append(practitionerSection(ctx), calendarSection(), importSection());
  const [notifications, log, devices, twoStep] = await Promise.all([
    notificationsSection(ctx),
    user.role === "runner" ? accessLogSection() : null,
    devicesSection(ctx),
    user.role === "practitioner" ? twoStepSection(ctx, reopen) : null,
  ]);
  if (!ctx.isCurrent()) return;
  section.append(notifications);
  if (log) section.append(log);
  if (twoStep) section.append(twoStep);
  section.append(devices, passwordSection(), dataSection(ctx), signOut);
}
