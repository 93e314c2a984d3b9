from marshmallow import fields

from backend.schemas import BaseSchema


class CalendarFeedOut(BaseSchema):
    active = fields.Boolean(required=True)
    created_at = fields.AwareDateTime(format="iso", required=True, allow_none=True)
    last_fetched_at = fields.AwareDateTime(format="iso", required=True, allow_none=True)


class CalendarFeedIssued(BaseSchema):
    url = fields.String(
        required=True,
        metadata={"description": "The secret address. Shown once; only a hash is kept."},
    )
    webcal_url = fields.String(required=True)
    created_at = fields.AwareDateTime(format="iso", required=True)
