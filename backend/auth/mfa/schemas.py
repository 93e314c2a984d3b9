from marshmallow import fields, validate

from backend.auth.passwords import MAX_LENGTH
from backend.schemas import BaseSchema, OutSchema


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


class OptionsOut(OutSchema):
    # PublicKeyCredentialCreationOptionsJSON or ...RequestOptionsJSON, for the browser.
    options = fields.Dict(keys=fields.String())


class PasskeyOut(OutSchema):
    id = fields.UUID()
    name = fields.String()
    created_at = fields.AwareDateTime(format="iso")
    last_used_at = fields.AwareDateTime(format="iso", allow_none=True)


class AuthenticatorAppOut(OutSchema):
    created_at = fields.AwareDateTime(format="iso")


class TwoStepOut(OutSchema):
    required = fields.Boolean()
    passkeys_available = fields.Boolean()
    passkeys = fields.List(fields.Nested(PasskeyOut))
    authenticator_app = fields.Nested(AuthenticatorAppOut, allow_none=True)
    recovery_codes_left = fields.Integer()


class RecoveryCodesOut(OutSchema):
    # Shown once: only their hashes are kept. Empty when earlier codes still stand.
    recovery_codes = fields.List(fields.String())


class NewPasskeyOut(RecoveryCodesOut):
    passkey = fields.Nested(PasskeyOut, required=True)


class TotpSetupOut(OutSchema):
    secret = fields.String()
    otpauth_uri = fields.String()


class PendingOut(OutSchema):
    second_step = fields.Boolean()
    methods = fields.List(
        fields.String(validate=validate.OneOf(["passkey", "authenticator_app", "recovery_code"])),
    )
    expires_at = fields.AwareDateTime(format="iso")
