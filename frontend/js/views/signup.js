import { api, forgetCsrf } from "../api.js";
import { chips, checkedValue, field, h } from "../dom.js";
import { offlineOr, showErrors, summaryBox } from "../formerrors.js";

export const title = "Create an account";

export async function render(root, ctx) {
  const code = ctx.params.code || ctx.query.get("code") || ctx.query.get("invite") || "";
  const name = field("Your name", { name: "display_name", autocomplete: "name", required: true });
  const email = field("Email", { type: "email", name: "email", autocomplete: "email", required: true, inputmode: "email" });
  const password = field(
    "Password",
    { type: "password", name: "password", autocomplete: "new-password", required: true, minlength: 8 },
    { hint: "At least 8 characters. A short sentence works well." },
  );
  const role = chips("I am", "role", [["runner", "A runner"], ["practitioner", "A coach or therapist"]], { value: "runner" });
  const invite = field(
    "Invite code (optional)",
    { name: "invite_code", value: code, autocomplete: "off", autocapitalize: "characters" },
    { hint: "From your practitioner. You can add it later in Settings." },
  );
  const summary = summaryBox();
  const button = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Create account");
  const form = h("form", { class: "card form", novalidate: true }, summary, name.wrap, email.wrap, password.wrap, role, invite.wrap, button);

  role.addEventListener("change", () => {
    invite.wrap.hidden = checkedValue(form, "role") !== "runner";
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showErrors(form, summary, null);
    button.disabled = true;
    const body = {
      email: email.input.value.trim(),
      password: password.input.value,
      display_name: name.input.value.trim(),
      role: checkedValue(form, "role") || "runner",
    };
    if (body.role === "runner" && invite.input.value.trim()) body.invite_code = invite.input.value.trim();
    // Days are counted where the person lives; Settings can change it later.
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) body.timezone = zone;
    try {
      const user = await register(body);
      await ctx.clearApiCache();
      await ctx.setUser(user);
      ctx.afterSignIn();
      ctx.navigate(user.role === "practitioner" ? "/clients" : "/", { replace: true });
    } catch (err) {
      button.disabled = false;
      showErrors(form, summary, offlineOr(err, "Creating an account needs a connection."), "The account was not created");
    }
  });

  root.append(
    h(
      "section",
      { class: "narrow" },
      h("h1", {}, "Create an account"),
      code ? h("p", { class: "lead" }, "Your practitioner invited you. Create an account to share your runs with them.") : null,
      form,
      h("p", { class: "center" }, "Already have an account? ", h("a", { href: "/signin" }, "Sign in")),
    ),
  );
}

/** Creates the account and returns the signed-in user. */
async function register(body) {
  await api.post("/auth/register", body);
  forgetCsrf();
  try {
    return await api.get("/auth/me");
  } catch {
    const { email, password } = body;
    const user = await api.post("/auth/login", { email, password, remember: true });
    forgetCsrf();
    return user;
  }
}
