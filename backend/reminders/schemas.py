from marshmallow import fields

from backend.schemas import OutSchema


class CalendarFeedOut(OutSchema):
    active = fields.Boolean()
    created_at = fields.AwareDateTime(format="iso", allow_none=True)
    last_fetched_at = fields.AwareDateTime(format="iso", allow_none=True)


class CalendarFeedIssued(OutSchema):
    url = fields.String(
        metadata={"description": "The secret address. Shown once; only a hash is kept."},
    )
    webcal_url = fields.String()
    created_at = fields.AwareDateTime(format="iso")
