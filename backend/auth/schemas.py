from marshmallow import fields, validate, validates

from backend.auth.models import ROLES, UNITS
from backend.auth.passwords import MAX_LENGTH, MIN_LENGTH
from backend.consent import practitioner_for
from backend.schemas import BaseSchema, Derived, OutSchema

_email = validate.And(
    validate.Email(error="Enter an email address like name@example.com."),
    validate.Length(max=254, error="Use an email address of at most 254 characters."),
)
_name = validate.Length(min=1, max=80, error="Enter your name (up to 80 characters).")


def _check_timezone(value: str) -> None:
    from marshmallow import ValidationError

    from backend.auth.service import valid_timezone

    if not valid_timezone(value):
        raise ValidationError("Use an IANA time zone name such as Europe/London.")


class CsrfOut(OutSchema):
    csrf_token = fields.String()


# The spec states the length rule the policy enforces, so a client can check it first.
_new_password = validate.Length(
    min=MIN_LENGTH, max=MAX_LENGTH, error="Use a password of {min} to {max} characters."
)


class RegisterIn(BaseSchema):
    email = fields.String(
        required=True, validate=_email, error_messages={"required": "Enter your email address."}
    )
    password = fields.String(
        required=True,
        validate=_new_password,
        load_only=True,
        error_messages={"required": "Choose a password."},
    )
    display_name = fields.String(
        required=True, validate=_name, error_messages={"required": "Enter your name."}
    )
    role = fields.String(
        required=True,
        validate=validate.OneOf(ROLES, error="Choose runner or practitioner."),
        error_messages={"required": "Choose runner or practitioner."},
    )
    invite_code = fields.String(validate=validate.Length(max=32), allow_none=True)
    units = fields.String(validate=validate.OneOf(UNITS))
    timezone = fields.String(validate=validate.Length(max=64))

    @validates("timezone")
    def _tz(self, value: str, **_: object) -> None:
        _check_timezone(value)


class LoginIn(BaseSchema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(
        required=True, validate=validate.Length(max=MAX_LENGTH), load_only=True
    )
    remember = fields.Boolean(load_default=False)


class PractitionerRef(OutSchema):
    id = fields.UUID()
    display_name = fields.String()


class UserOut(OutSchema):
    id = fields.UUID()
    email = fields.String()
    display_name = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    units = fields.String(validate=validate.OneOf(UNITS))
    body_weight_kg = fields.Float(allow_none=True, attribute="body_weight")
    timezone = fields.String()
    created_at = fields.AwareDateTime(format="iso")
    practitioner = Derived(
        PractitionerRef,
        lambda user: practitioner_for(user.id) if user.role == "runner" else None,
        allow_none=True,
    )


class SessionStateOut(OutSchema):
    signed_in = fields.Boolean()
    user = fields.Nested(UserOut, allow_none=True)
    csrf_token = fields.String(
        allow_none=True,
        metadata={"description": "Signed in: a token for X-CSRFToken, as /auth/csrf gives"},
    )


class ProfilePatch(BaseSchema):
    display_name = fields.String(validate=_name)
    units = fields.String(validate=validate.OneOf(UNITS))
    body_weight_kg = fields.Decimal(
        places=1,
        allow_none=True,
        validate=validate.Range(min=20, max=350, error="Enter a weight from 20 to 350 kg."),
        error_messages={"invalid": "Enter your weight as a number, e.g. 70."},
        as_string=False,
        # apispec writes a Decimal field's bounds as strings; the spec needs numbers.
        metadata={"minimum": 20, "maximum": 350},
    )
    timezone = fields.String(validate=validate.Length(max=64))

    @validates("timezone")
    def _tz(self, value: str, **_: object) -> None:
        _check_timezone(value)


class SessionOut(OutSchema):
    id = fields.UUID()
    device = fields.String()
    created_at = fields.AwareDateTime(format="iso")
    last_seen_at = fields.AwareDateTime(format="iso")
    current = fields.Boolean()


class SessionList(OutSchema):
    items = fields.List(fields.Nested(SessionOut))


class PasswordChangeIn(BaseSchema):
    current_password = fields.String(
        required=True, load_only=True, validate=validate.Length(max=MAX_LENGTH)
    )
    new_password = fields.String(required=True, load_only=True, validate=_new_password)
