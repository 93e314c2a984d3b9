// Settings: the private calendar address of the runner's planned routines.
// The server keeps only a hash of the address, so it is shown once, right after it is
// made; making a new one stops the old one, and turning it off stops it altogether.

import { api } from "../api.js";
import { h, notice } from "../dom.js";
import { formatDateTime } from "../format.js";

export function calendarSection() {
  const box = h("section", { class: "card", "aria-labelledby": "cal-title" }, h("h2", { id: "cal-title" }, "Routines in your calendar"));
  const body = h("div", {});
  box.append(
    h("p", {}, "Add your planned routines to any calendar app with a private address. It lists routine names and days only — nothing about your runs or stiffness."),
    body,
  );

  async function refresh(issued = null, message = null) {
    let state;
    try {
      state = await api.get("/me/calendar-feed");
    } catch (err) {
      body.replaceChildren(notice("error", err.offline ? "Connect to the internet to manage the calendar address." : err.message));
      return;
    }
    const make = h("button", { type: "button", class: "btn btn-primary" }, state.active ? "Make a new address" : "Get a calendar address");
    const off = h("button", { type: "button", class: "btn btn-secondary" }, "Turn off");
    make.addEventListener("click", async () => {
      if (state.active && !confirm("The address you use now will stop working. Make a new one?")) return;
      try {
        const made = await api.post("/me/calendar-feed");
        await refresh(made, state.active ? "New address made. The old one no longer works." : null);
      } catch (err) {
        body.prepend(notice("error", err.message));
      }
    });
    off.addEventListener("click", async () => {
      try {
        await api.del("/me/calendar-feed");
        await refresh(null, "Calendar address turned off. Calendars using it will stop updating.");
      } catch (err) {
        body.prepend(notice("error", err.message));
      }
    });
    const lines = [];
    if (message) lines.push(notice("success", message));
    if (issued) lines.push(...shown(issued));
    else if (state.active) {
      lines.push(
        h(
          "p",
          { class: "muted" },
          `On since ${formatDateTime(state.created_at)}${state.last_fetched_at ? `; last read by a calendar ${formatDateTime(state.last_fetched_at)}` : "; not read by a calendar yet"}.`,
        ),
      );
    }
    lines.push(h("p", { class: "row" }, make, state.active ? off : null));
    body.replaceChildren(...lines);
  }

  refresh();
  return box;
}

/** The address, shown once, with a copy button. */
function shown(issued) {
  const input = h("input", { id: "cal-url", type: "text", readonly: true, value: issued.url, "aria-describedby": "cal-hint" });
  const copy = h("button", { type: "button", class: "btn btn-secondary" }, "Copy address");
  const status = h("div", {});
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(issued.url);
      status.replaceChildren(notice("success", "Copied."));
    } catch {
      input.select();
      status.replaceChildren(notice("info", "Select the address and copy it."));
    }
  });
  return [
    h("div", { class: "field" }, h("label", { for: "cal-url" }, "Your private calendar address"), input, h("p", { class: "hint", id: "cal-hint" }, "Keep it to yourself: anyone with it can see your plan. It is shown only now.")),
    h("p", { class: "row" }, copy, h("a", { class: "btn btn-secondary", href: issued.webcal_url }, "Open in calendar app")),
    status,
  ];
}
