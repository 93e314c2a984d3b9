// Loads everything the client page and the printable report show.
import { api } from "../api.js";
import { h } from "../dom.js";
import { rangeQuery } from "./parts.js";

export async function loadClient(id, days = 84) {
  const client = await api.get(`/clients/${id}`);
  // The client's own calendar days, wherever the practitioner is.
  const q = rangeQuery(days, client.timezone);
  const [progress, runs, sessions, assignments, outcomes] = await Promise.all([
    api.get(`/clients/${id}/progress`, q),
    api.all(`/clients/${id}/runs`, q),
    api.all(`/clients/${id}/sessions`, q).catch(() => []),
    api.get(`/clients/${id}/assignments`).then((d) => d.items).catch(() => []),
    api.get(`/clients/${id}/outcomes`).catch(() => ({ instruments: [], schedule: null })),
  ]);
  return { client, progress, runs, sessions, assignments, outcomes, range: q };
}

export function clientName(client) {
  return client.display_name;
}

/** What a client page says when the runner no longer shares their data (the API's 404). */
export function notShared() {
  return h(
    "section",
    { class: "card not-shared" },
    h("p", { class: "crumb" }, h("a", { href: "/clients" }, "← Clients")),
    h("h1", { tabindex: "-1" }, "No longer shared with you"),
    h("p", {}, "This runner no longer shares their data with you, so there is nothing to show here."),
    h("p", {}, "If they want you to see it again, they can join with your invite code."),
    h("a", { href: "/clients", class: "btn btn-primary" }, "Back to clients"),
  );
}
