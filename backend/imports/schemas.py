from flask_smorest.fields import Upload
from marshmallow import fields, validate

from backend.imports.models import OUTCOMES, STATUSES
from backend.schemas import BaseSchema


class ImportIn(BaseSchema):
    files = fields.List(
        Upload(),
        required=True,
        metadata={"description": "GPX, TCX or FIT files (each may be .gz), or one zip archive"},
    )


class ImportFileOut(BaseSchema):
    name = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    reason = fields.String(required=True, allow_none=True)
    run_id = fields.UUID(required=True, allow_none=True)


class ImportOut(BaseSchema):
    id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    total = fields.Integer(required=True)
    processed = fields.Integer(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    message = fields.String(required=True, allow_none=True)
    created_at = fields.AwareDateTime(format="iso", required=True)
    finished_at = fields.AwareDateTime(format="iso", required=True, allow_none=True)
    files = fields.List(fields.Nested(ImportFileOut), required=True)
