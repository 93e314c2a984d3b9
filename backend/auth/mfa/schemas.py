from marshmallow import fields, validate

from backend.auth.passwords import MAX_LENGTH
from backend.schemas import BaseSchema


class PasswordIn(BaseSchema):
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(max=MAX_LENGTH)
    )


class RequiredIn(BaseSchema):
    required = fields.Boolean(required=True)
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(max=MAX_LENGTH)
    )


class CodeIn(BaseSchema):
    # Six digits from the app, or a recovery code such as "abcde-23456" (spaces allowed).
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))


class CredentialIn(BaseSchema):
    # What the browser's PublicKeyCredential gives, in its JSON form (base64url fields).
    credential = fields.Dict(keys=fields.String(), required=True)


class NewPasskeyIn(CredentialIn):
    name = fields.String(validate=validate.Length(max=60), allow_none=True)


class OptionsOut(BaseSchema):
    # PublicKeyCredentialCreationOptionsJSON or ...RequestOptionsJSON, for the browser.
    options = fields.Dict(keys=fields.String(), required=True)


class PasskeyOut(BaseSchema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    created_at = fields.AwareDateTime(format="iso", required=True)
    last_used_at = fields.AwareDateTime(format="iso", allow_none=True, required=True)


class AuthenticatorAppOut(BaseSchema):
    created_at = fields.AwareDateTime(format="iso", required=True)


class TwoStepOut(BaseSchema):
    required = fields.Boolean(required=True)
    passkeys_available = fields.Boolean(required=True)
    passkeys = fields.List(fields.Nested(PasskeyOut), required=True)
    authenticator_app = fields.Nested(AuthenticatorAppOut, allow_none=True, required=True)
    recovery_codes_left = fields.Integer(required=True)


class RecoveryCodesOut(BaseSchema):
    # Shown once: only their hashes are kept. Empty when earlier codes still stand.
    recovery_codes = fields.List(fields.String(), required=True)


class NewPasskeyOut(RecoveryCodesOut):
    passkey = fields.Nested(PasskeyOut, required=True)


class TotpSetupOut(BaseSchema):
    secret = fields.String(required=True)
    otpauth_uri = fields.String(required=True)


class PendingOut(BaseSchema):
    second_step = fields.Boolean(required=True)
    methods = fields.List(
        fields.String(validate=validate.OneOf(["passkey", "authenticator_app", "recovery_code"])),
        required=True,
    )
    expires_at = fields.AwareDateTime(format="iso", required=True)
