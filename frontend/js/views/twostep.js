// Two-step sign-in: the practitioner's settings, and the second screen of signing in.

import { api } from "../api.js";
import { field, h, notice } from "../dom.js";
import { offlineOr, showErrors, summaryBox } from "../formerrors.js";
import { formatDateTime } from "../format.js";
import { createPasskey, passkeysSupported, usePasskey } from "../passkeys.js";

const CODE_HINT = "The 6-digit code from your authenticator app, or one of your recovery codes.";

function passkeyError(err) {
  if (err && err.name === "NotAllowedError") return "The passkey request was cancelled or timed out. Try again.";
  if (err && err.name === "InvalidStateError") return "This device already has a passkey for your account.";
  return err && err.message ? err.message : "The passkey didn't work. Try again.";
}

function recoveryCodesBox(codes, onDone) {
  const done = h("button", { type: "button", class: "btn btn-primary" }, "I've saved them");
  done.addEventListener("click", onDone);
  return h(
    "div",
    { class: "notice notice-warn recovery-codes", role: "status" },
    h("h3", { id: "codes-title" }, "Your recovery codes"),
    h("p", {}, "If you lose your passkey or phone, each of these codes lets you sign in once. Keep them somewhere safe, away from this device. They won't be shown again."),
    h("ul", { class: "code-list", "aria-labelledby": "codes-title" }, codes.map((c) => h("li", {}, h("code", {}, c)))),
    done,
  );
}

/** The passkeys and authenticator app in use, each with its Remove button. */
function methodList(state, act, pw, ctx, reopen) {
  const list = h("ul", { class: "plain-list devices" });
  for (const p of state.passkeys) {
    const remove = h("button", { type: "button", class: "btn btn-secondary btn-small", "aria-label": `Remove passkey ${p.name}` }, "Remove");
    remove.addEventListener("click", () =>
      act(remove, async () => {
        await api.del(`/me/two-step/passkeys/${p.id}`, { password: pw() });
        reopen(ctx, "Passkey removed.");
      }),
    );
    list.append(h("li", {}, h("div", {}, h("strong", {}, p.name), h("p", { class: "muted" }, `Passkey · added ${formatDateTime(p.created_at)}${p.last_used_at ? ` · last used ${formatDateTime(p.last_used_at)}` : ""}`)), remove));
  }
  if (state.authenticator_app) {
    const remove = h("button", { type: "button", class: "btn btn-secondary btn-small", "aria-label": "Remove authenticator app" }, "Remove");
    remove.addEventListener("click", () =>
      act(remove, async () => {
        await api.del("/me/two-step/totp", { password: pw() });
        reopen(ctx, "Authenticator app removed.");
      }),
    );
    list.append(h("li", {}, h("div", {}, h("strong", {}, "Authenticator app"), h("p", { class: "muted" }, `Added ${formatDateTime(state.authenticator_app.created_at)}`)), remove));
  }
  return list;
}

/** Add a passkey, set up an app, new recovery codes, require or not. */
function actionButtons(state, { act, pw, work, ctx, reopen }) {
  const actions = h("div", { class: "actions" });
  if (state.passkeys_available && passkeysSupported()) {
    const add = h("button", { type: "button", class: "btn btn-primary" }, "Add a passkey");
    add.addEventListener("click", () =>
      act(add, async () => {
        const { options } = await api.post("/me/two-step/passkeys/options", { password: pw() });
        const credential = await createPasskey(options);
        const made = await api.post("/me/two-step/passkeys", { credential });
        if (made.recovery_codes.length) work.replaceChildren(recoveryCodesBox(made.recovery_codes, () => reopen(ctx, "Passkey added. Two-step sign-in is on.")));
        else reopen(ctx, "Passkey added.");
      }),
    );
    actions.append(add);
  }
  if (!state.authenticator_app) {
    const setup = h("button", { type: "button", class: "btn btn-secondary" }, "Set up an authenticator app");
    setup.addEventListener("click", () =>
      act(setup, async () => {
        const started = await api.post("/me/two-step/totp/setup", { password: pw() });
        work.replaceChildren(appSetup(started, ctx, reopen));
        work.querySelector("input").focus();
      }),
    );
    actions.append(setup);
  }
  if (state.passkeys.length || state.authenticator_app) {
    const fresh = h("button", { type: "button", class: "btn btn-secondary" }, "Get new recovery codes");
    fresh.addEventListener("click", () =>
      act(fresh, async () => {
        const { recovery_codes: codes } = await api.post("/me/two-step/recovery-codes", { password: pw() });
        work.replaceChildren(recoveryCodesBox(codes, () => reopen(ctx, "New recovery codes saved. The old ones no longer work.")));
      }),
    );
    actions.append(fresh);
    const toggle = h("button", { type: "button", class: "btn btn-secondary" }, state.required ? "Stop requiring two-step sign-in" : "Require two-step sign-in");
    toggle.addEventListener("click", () =>
      act(toggle, async () => {
        await api.patch("/me/two-step", { required: !state.required, password: pw() });
        reopen(ctx, state.required ? "Two-step sign-in is no longer required." : "Two-step sign-in is now required for your practice. Other devices were signed out.");
      }),
    );
    actions.append(toggle);
  }
  return actions;
}

// A refused two-step change, said on this card: a wrong password stays by its field.
function twoStepRefusal(err) {
  if (err.status === 429) return { message: "Too many attempts. Wait a minute and try again." };
  if (err.name && err.name !== "ApiError") return { message: passkeyError(err) };
  return offlineOr(err, "Changing two-step sign-in needs a connection.");
}

/** The "Two-step sign-in" card in Settings (practitioners). */
export async function twoStepSection(ctx, reopen) {
  const box = h("section", { class: "card", "aria-labelledby": "two-step-title" }, h("h2", { id: "two-step-title" }, "Two-step sign-in"));
  let state;
  try {
    state = await api.get("/me/two-step");
  } catch (err) {
    box.append(h("p", { class: "muted" }, err.offline ? "Not available offline." : err.message));
    return box;
  }
  const methods = state.passkeys.length + (state.authenticator_app ? 1 : 0);
  box.append(
    h("p", {}, "After your password, Limber can ask for a second step: a passkey on this device, or a code from an authenticator app. Then a stolen password alone can't open your clients' data."),
  );
  const password = field("Your password", { type: "password", name: "password", autocomplete: "current-password" }, { hint: "Needed for any change to two-step sign-in." });
  const msg = summaryBox();
  const work = h("div", { class: "two-step-work" });
  const pw = () => password.input.value;

  async function act(button, fn) {
    showErrors(box, msg, null);
    button.disabled = true;
    try {
      await fn();
    } catch (err) {
      showErrors(box, msg, twoStepRefusal(err), "Not changed");
    } finally {
      button.disabled = false;
    }
  }

  const list = methodList(state, act, pw, ctx, reopen);
  box.append(
    methods
      ? h("p", {}, h("strong", {}, "On. "), `You have ${state.recovery_codes_left} recovery ${state.recovery_codes_left === 1 ? "code" : "codes"} left.`)
      : h("p", {}, h("strong", {}, "Off. "), "Add a passkey or an authenticator app to turn it on."),
  );
  if (methods) box.append(list);
  box.append(msg, password.wrap);

  const actions = actionButtons(state, { act, pw, work, ctx, reopen });
  box.append(
    actions,
    h("p", { class: "hint" }, state.required
      ? "Required for your practice: your last method can't be removed until you stop requiring it."
      : "Requiring it for your practice (your account) keeps at least one method in place and signs out devices that didn't use it."),
    work,
  );
  return box;
}

function appSetup(started, ctx, reopen) {
  const code = field("Code from the app", { name: "code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 8 });
  const msg = summaryBox();
  const form = h(
    "form",
    { class: "form", novalidate: true, "aria-labelledby": "app-title" },
    h("h3", { id: "app-title" }, "Set up an authenticator app"),
    h("p", {}, "In your authenticator app, add an account and type this key:"),
    h("p", {}, h("code", { class: "secret" }, started.secret.replace(/(.{4})/g, "$1 ").trim())),
    h("p", { class: "hint" }, "On a phone with the app, this link may open it directly: ", h("a", { href: started.otpauth_uri }, "add to authenticator app"), "."),
    h("details", {}, h("summary", {}, "Show the set-up link as text"), h("p", {}, h("code", { class: "setup-link" }, started.otpauth_uri))),
    msg,
    code.wrap,
    h("button", { type: "submit", class: "btn btn-primary" }, "Turn on"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showErrors(form, msg, null);
    try {
      const { recovery_codes: codes } = await api.post("/me/two-step/totp", { code: code.input.value.trim() });
      if (codes.length) form.replaceWith(recoveryCodesBox(codes, () => reopen(ctx, "Authenticator app added. Two-step sign-in is on.")));
      else reopen(ctx, "Authenticator app added.");
    } catch (err) {
      const why = err.status === 409 ? { message: "This set-up has expired. Start again." } : offlineOr(err, "Setting up needs a connection.");
      showErrors(form, msg, why, "Not turned on");
    }
  });
  return form;
}

/** The second screen of signing in: a passkey, or a code. Resolves through onSignedIn(user). */
export function secondStep(pending, { onSignedIn, onStartAgain }) {
  const msg = h("div", { class: "form-message" });
  const heading = h("h2", { id: "second-step-title", tabindex: "-1" }, "One more step");
  const box = h("section", { class: "card form", "aria-labelledby": "second-step-title" }, heading);
  const startAgain = (text) => onStartAgain(text);
  function failed(err) {
    if (err.status === 401) return startAgain(err.message);
    msg.replaceChildren(notice("error", err.offline ? "You're offline. Signing in needs a connection." : err.status === 429 ? err.message : err.status === 422 ? "That didn't work. Check it and try again." : err.message));
  }
  const withPasskey = pending.methods.includes("passkey") && passkeysSupported();
  if (withPasskey) {
    const use = h("button", { type: "button", class: "btn btn-primary btn-block" }, "Use your passkey");
    use.addEventListener("click", async () => {
      msg.replaceChildren();
      use.disabled = true;
      try {
        const { options } = await api.post("/auth/two-step/passkey/options");
        const credential = await usePasskey(options);
        onSignedIn(await api.post("/auth/two-step/passkey", { credential }));
      } catch (err) {
        use.disabled = false;
        if (err.name && err.name !== "ApiError") msg.replaceChildren(notice("error", passkeyError(err)));
        else failed(err);
      }
    });
    box.append(h("p", {}, "Confirm it's you with the passkey on this device."), use, h("p", { class: "muted center" }, "or"));
  }
  const code = field("Code", { name: "code", autocomplete: "one-time-code", autocapitalize: "none", spellcheck: "false", maxlength: 32 }, { hint: CODE_HINT });
  const go = h("button", { type: "submit", class: `btn ${withPasskey ? "btn-secondary" : "btn-primary"} btn-block` }, "Continue");
  const form = h("form", { novalidate: true }, code.wrap, go);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    msg.replaceChildren();
    if (!code.input.value.trim()) {
      msg.appendChild(notice("error", "Enter a code."));
      return;
    }
    go.disabled = true;
    try {
      onSignedIn(await api.post("/auth/two-step/code", { code: code.input.value }));
    } catch (err) {
      go.disabled = false;
      failed(err);
    }
  });
  const back = h("button", { type: "button", class: "btn btn-link" }, "Start again");
  back.addEventListener("click", () => startAgain(null));
  box.append(form, msg, back);
  return box;
}
