import { api } from "../api.js";
import { h, notice, uid } from "../dom.js";

export const title = "Invite";

export async function render(root) {
  const body = h("div", {});
  root.append(h("section", { class: "narrow" }, h("h1", {}, "Invite a client"), h("p", {}, "Give new clients this code, or send them the link. They join when they create an account, or later in their settings."), body));

  function show(invite) {
    const linkId = uid("link");
    const url = invite.url && /^https?:/.test(invite.url) ? invite.url : new URL(invite.url || `/join/${invite.code}`, location.origin).href;
    const msg = h("div", { class: "form-message", "aria-live": "polite" });
    const copy = h("button", { type: "button", class: "btn btn-secondary" }, "Copy link");
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(url);
        msg.replaceChildren(notice("success", "Link copied."));
      } catch {
        document.getElementById(linkId).select();
        msg.replaceChildren(notice("info", "Select the link and copy it."));
      }
    });
    const share = navigator.share
      ? h("button", { type: "button", class: "btn btn-secondary", onclick: () => navigator.share({ title: "Join me on Limber", text: `Use code ${invite.code} to join me on Limber.`, url }).catch(() => {}) }, "Share")
      : null;
    const rotate = h("button", { type: "button", class: "btn btn-danger" }, "Make a new code");
    rotate.addEventListener("click", async () => {
      if (!confirm("Make a new code? The old code and link stop working. Clients who already joined stay.")) return;
      try {
        show(await api.post("/practice/invite"));
        body.querySelector(".invite-code").focus();
      } catch (err) {
        msg.replaceChildren(notice("error", err.message));
      }
    });
    body.replaceChildren(
      h(
        "div",
        { class: "card" },
        h("h2", { class: "h3" }, "Your code"),
        h("p", { class: "invite-code", tabindex: "-1" }, groupCode(invite.code)),
        h("div", { class: "field" }, h("label", { for: linkId }, "Invite link"), h("div", { class: "copy-field" }, h("input", { id: linkId, value: url, readonly: true }))),
        h("div", { class: "row" }, copy, share),
        msg,
      ),
      h("div", { class: "card" }, h("h2", { class: "h3" }, "Code shared too widely?"), h("p", {}, "Make a new one. Clients who already joined keep their link to you."), rotate),
    );
  }

  show(await api.get("/practice/invite"));
}

/** "ABCDEFGHJKMNPQRS" as "ABCD EFGH JKMN PQRS": easier to read out; spaces are ignored on entry. */
export function groupCode(code) {
  return String(code || "").replace(/(.{4})(?=.)/g, "$1 ");
}
