"""Two-step sign-in: passkeys (WebAuthn), an authenticator app (TOTP) and recovery codes."""
