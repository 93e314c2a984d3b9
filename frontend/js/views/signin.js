import { api, forgetCsrf } from "../api.js";
import { field, h, notice } from "../dom.js";
import { secondStep } from "./twostep.js";

export const title = "Sign in";

export async function render(root, ctx, startAgainMessage = null) {
  const email = field("Email", { type: "email", name: "email", autocomplete: "username", required: true, inputmode: "email" });
  const password = field("Password", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const remember = h("input", { type: "checkbox", id: "remember", name: "remember", checked: true });
  const message = h("div", { class: "form-message" });
  const button = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Sign in");
  const form = h(
    "form",
    { class: "card form", novalidate: true },
    email.wrap,
    password.wrap,
    h("div", { class: "check" }, remember, h("label", { for: "remember" }, "Keep me signed in on this device")),
    message,
    button,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.replaceChildren();
    if (!email.input.value || !password.input.value) {
      message.appendChild(notice("error", "Enter your email and password."));
      return;
    }
    button.disabled = true;
    try {
      const answer = await api.post("/auth/login", {
        email: email.input.value.trim(),
        password: password.input.value,
        remember: remember.checked,
      });
      forgetCsrf(); // the server started a new session, with a new token
      if (answer.second_step) showSecondStep(answer, form, root, ctx);
      else await signedIn(ctx, answer);
    } catch (err) {
      button.disabled = false;
      message.appendChild(notice("error", signInError(err)));
    }
  });

  if (startAgainMessage) message.appendChild(notice("error", startAgainMessage));
  root.append(
    h(
      "section",
      { class: "narrow" },
      h("h1", {}, "Sign in"),
      h("p", { class: "lead" }, "Log your runs, follow your routine and see what eases a stiff back."),
      form,
      h("p", { class: "center" }, "New here? ", h("a", { href: "/signup" }, "Create an account")),
    ),
  );
}

function showSecondStep(answer, form, root, ctx) {
  const step = secondStep(answer, {
    onSignedIn: (user) => {
      forgetCsrf();
      signedIn(ctx, user);
    },
    onStartAgain: (text) => {
      root.replaceChildren();
      render(root, ctx, text);
    },
  });
  form.replaceWith(step);
  step.querySelector("h2").focus();
}

function signInError(err) {
  if (err.offline) return "You're offline. Signing in needs a connection.";
  if (err.status === 401 || err.status === 422 || err.status === 400) {
    return "That email and password don't match an account.";
  }
  if (err.status === 429) return "Too many attempts. Wait a minute and try again.";
  return err.message;
}

async function signedIn(ctx, user) {
  await ctx.clearApiCache();
  await ctx.setUser(user);
  ctx.afterSignIn();
  const after = sessionStorage.getItem("limber-after-signin");
  sessionStorage.removeItem("limber-after-signin");
  ctx.navigate(after && after !== "/signin" ? after : user.role === "practitioner" ? "/clients" : "/", { replace: true });
}
