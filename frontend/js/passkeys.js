// WebAuthn in the browser: the server's JSON options in, the credential as JSON out.
// Binary fields travel as base64url, as the WebAuthn JSON forms define them.

function toBuffer(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toText(buffer) {
  let binary = "";
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const withIds = (list) => (list || []).map((c) => ({ ...c, id: toBuffer(c.id) }));

export function passkeysSupported() {
  return Boolean(self.PublicKeyCredential && navigator.credentials && navigator.credentials.create);
}

function asJson(credential) {
  const r = credential.response;
  const response = { clientDataJSON: toText(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toText(r.attestationObject);
    if (typeof r.getTransports === "function") response.transports = r.getTransports();
  }
  if (r.authenticatorData) {
    response.authenticatorData = toText(r.authenticatorData);
    response.signature = toText(r.signature);
    if (r.userHandle) response.userHandle = toText(r.userHandle);
  }
  const out = {
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
  };
  if (credential.authenticatorAttachment) out.authenticatorAttachment = credential.authenticatorAttachment;
  return out;
}

/** Makes a new passkey from creation options; resolves to its JSON form. */
export async function createPasskey(options) {
  const publicKey = {
    ...options,
    challenge: toBuffer(options.challenge),
    user: { ...options.user, id: toBuffer(options.user.id) },
    excludeCredentials: withIds(options.excludeCredentials),
  };
  return asJson(await navigator.credentials.create({ publicKey }));
}

/** Signs a challenge with one of the allowed passkeys; resolves to its JSON form. */
export async function usePasskey(options) {
  const publicKey = { ...options, challenge: toBuffer(options.challenge), allowCredentials: withIds(options.allowCredentials) };
  return asJson(await navigator.credentials.get({ publicKey }));
}
