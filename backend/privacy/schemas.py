from marshmallow import fields, validate

from backend.auth.passwords import MAX_LENGTH
from backend.schemas import BaseSchema


class ExportOut(BaseSchema):
    format = fields.String(required=True)
    exported_at = fields.AwareDateTime(format="iso", required=True)
    user_id = fields.UUID(required=True)
    # Table name → its rows about you, as stored (credentials left out).
    tables = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Dict(keys=fields.String())),
        required=True,
    )


class AccountDeleteIn(BaseSchema):
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(max=MAX_LENGTH)
    )
