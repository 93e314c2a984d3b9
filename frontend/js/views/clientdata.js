// Loads everything the client page and the printable report show.
import { api } from "../api.js";
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
