// Today's prompt for imported runs awaiting a stiffness; loaded only when there are some.
import { api } from "../api.js";
import { h } from "../dom.js";
import { formatDate, formatDistance, plural } from "../format.js";
import { SKIPPED_KEY, skippedImports } from "./today.js";

const TERRAIN_WORD = { flat: "flat", rolling: "rolling", hilly: "hilly" };

function skip(id) {
  const ids = skippedImports();
  ids.add(id);
  localStorage.setItem(SKIPPED_KEY, JSON.stringify([...ids].slice(-500)));
}

function runLabel(run, user) {
  return [
    formatDate(run.started_at),
    formatDistance(run.distance_km, user),
    run.terrain ? TERRAIN_WORD[run.terrain] : null,
    run.title,
  ].filter(Boolean).join(" · ");
}

/** Imported runs wait for the runner's stiffness: one quick 0–10 each, or skip. */
export function importedPrompt(runs, ctx) {
  const heading = h("h2", { id: "imported-title" }, `${plural(runs.length, "imported run")}: how did your back feel?`);
  const list = h("ul", { class: "plain-list imported-runs" });
  const card = h(
    "section",
    { class: "card imported", "aria-labelledby": "imported-title" },
    heading,
    h("p", { class: "muted" }, "0 is no stiffness at all, 10 the worst you can imagine. Skip any you cannot remember."),
    list,
  );
  const left = () => {
    const n = list.children.length;
    if (!n) card.remove();
    else heading.textContent = `${plural(n, "imported run")}: how did your back feel?`;
  };
  for (const run of runs) {
    const label = runLabel(run, ctx.user);
    const selectId = `stiff-${run.id}`;
    const select = h(
      "select",
      { id: selectId, name: "stiffness" },
      h("option", { value: "" }, "Choose…"),
      Array.from({ length: 11 }, (_, i) => h("option", { value: String(i) }, String(i))),
    );
    const save = h("button", { type: "button", class: "btn btn-primary" }, "Save");
    const later = h("button", { type: "button", class: "btn btn-secondary" }, "Skip");
    const message = h("span", { class: "muted", "aria-live": "polite" });
    const item = h(
      "li",
      { class: "imported-run" },
      h("label", { for: selectId }, `Stiffness after ${label}`),
      h("div", { class: "imported-actions" }, select, save, later, message),
    );
    save.addEventListener("click", async () => {
      if (select.value === "") {
        message.textContent = "Choose a number from 0 to 10 first.";
        return;
      }
      save.disabled = true;
      try {
        await api.patch(`/runs/${run.id}`, { stiffness: Number(select.value) });
        item.remove();
        left();
      } catch (err) {
        save.disabled = false;
        message.textContent = err.offline ? "No connection; try again when you are back online." : err.message;
      }
    });
    later.addEventListener("click", () => {
      skip(run.id);
      item.remove();
      left();
    });
    list.appendChild(item);
  }
  return card;
}
