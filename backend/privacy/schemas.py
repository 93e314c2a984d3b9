from marshmallow import fields, validate

from backend.auth.passwords import MAX_LENGTH
from backend.schemas import BaseSchema, OutSchema


class ExportOut(OutSchema):
    format = fields.String()
    exported_at = fields.AwareDateTime(format="iso")
    user_id = fields.UUID()
    # Table name → its rows about you, as stored (credentials left out).
    tables = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Dict(keys=fields.String())),
    )


class AccountDeleteIn(BaseSchema):
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(max=MAX_LENGTH)
    )
