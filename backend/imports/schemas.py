from collections import Counter
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import fields, validate

from backend.imports.models import OUTCOMES, STATUSES
from backend.schemas import BaseSchema, OutSchema


class ImportIn(BaseSchema):
    files = fields.List(
        Upload(),
        required=True,
        metadata={"description": "GPX, TCX or FIT files (each may be .gz), or one zip archive"},
    )


def _or_none(name: str) -> Any:
    """The stored text, or null where it is empty (no reason, no message)."""
    return lambda obj: getattr(obj, name) or None


class ImportFileOut(OutSchema):
    """One file of an import (an `ImportFile`) and what became of it."""

    name = fields.String()
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    reason = fields.Function(_or_none("reason"), allow_none=True, metadata={"type": "string"})
    run_id = fields.UUID(allow_none=True)


class ImportOut(OutSchema):
    """An `Import` with its progress, counted by outcome, and its files."""

    id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))
    total = fields.Integer()
    processed = fields.Integer()
    counts = fields.Function(
        lambda upload: dict(Counter(f.outcome for f in upload.files)),
        metadata={"type": "object", "additionalProperties": {"type": "integer"}},
    )
    message = fields.Function(_or_none("message"), allow_none=True, metadata={"type": "string"})
    created_at = fields.AwareDateTime(format="iso")
    finished_at = fields.AwareDateTime(format="iso", allow_none=True)
    files = fields.List(fields.Nested(ImportFileOut))
