from marshmallow import fields, validate

from backend.auth.schemas import PractitionerRef
from backend.pagination import PageArgs, page_schema
from backend.practice.models import ALERT_KINDS, ALERT_LEVELS
from backend.progress.schemas import TrendOut
from backend.runs.triage import RED_FLAGS
from backend.schemas import BaseSchema


def _when() -> fields.AwareDateTime:
    return fields.AwareDateTime(format="iso", required=True)


class InviteOut(BaseSchema):
    code = fields.String(required=True)
    url = fields.String(required=True)
    created_at = _when()
    expires_at = fields.AwareDateTime(format="iso", allow_none=True, required=True)


class JoinIn(BaseSchema):
    invite_code = fields.String(required=True, validate=validate.Length(min=1, max=32))


class ConsentOut(BaseSchema):
    practitioner = fields.Nested(PractitionerRef, required=True)
    granted_at = _when()


class LoggedPractitioner(BaseSchema):
    # id is null once the practitioner has erased their account; the name stays.
    id = fields.UUID(required=True, allow_none=True)
    display_name = fields.String(required=True)


class AccessLogOut(BaseSchema):
    """One visit: reads by one practitioner close together, and what they covered."""

    id = fields.UUID(required=True)
    practitioner = fields.Nested(LoggedPractitioner, required=True)
    reads = fields.List(fields.String(), required=True)
    started_at = _when()
    last_seen_at = _when()


AccessLogPage = page_schema(AccessLogOut, "AccessLogPage")


class ClientOut(BaseSchema):
    id = fields.UUID(required=True)
    display_name = fields.String(required=True)
    email = fields.String(required=True)
    units = fields.String(required=True)
    body_weight_kg = fields.Float(allow_none=True, required=True)
    timezone = fields.String(required=True)
    linked_since = _when()


class RosterAdherence(BaseSchema):
    planned = fields.Integer(required=True)
    done = fields.Integer(required=True)
    rate = fields.Float(allow_none=True, required=True)


class OpenAlerts(BaseSchema):
    count = fields.Integer(required=True)
    highest_level = fields.String(
        allow_none=True, required=True, validate=validate.OneOf(ALERT_LEVELS)
    )


class RosterItem(BaseSchema):
    id = fields.UUID(required=True)
    display_name = fields.String(required=True)
    email = fields.String(required=True)
    linked_since = _when()
    last_run_at = fields.AwareDateTime(format="iso", allow_none=True, required=True)
    latest_stiffness = fields.Integer(allow_none=True, required=True)
    trend_14d = fields.Nested(TrendOut, required=True)
    adherence_14d = fields.Nested(RosterAdherence, required=True)
    open_alerts = fields.Nested(OpenAlerts, required=True)
    needs_attention = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True)


class RosterOut(BaseSchema):
    items = fields.List(fields.Nested(RosterItem), required=True)


class NoteIn(BaseSchema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class NoteOut(BaseSchema):
    id = fields.UUID(required=True)
    body = fields.String(required=True)
    created_at = _when()


NotePage = page_schema(NoteOut, "NotePage")


class ClientRef(BaseSchema):
    id = fields.UUID(required=True)
    display_name = fields.String(required=True)


class AlertOut(BaseSchema):
    id = fields.UUID(required=True)
    client = fields.Nested(ClientRef, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ALERT_KINDS))
    level = fields.String(required=True, validate=validate.OneOf(ALERT_LEVELS))
    message = fields.String(required=True)
    run_id = fields.UUID(
        allow_none=True,
        required=True,
        metadata={"description": "The run it is about; null once that run is deleted"},
    )
    run_date = fields.Date(allow_none=True, required=True)
    flags = fields.List(
        fields.String(validate=validate.OneOf(RED_FLAGS)),
        required=True,
        metadata={"description": "The red flags of the run, as they were when raised"},
    )
    created_at = _when()
    updated_at = fields.AwareDateTime(format="iso", allow_none=True, required=True)
    acknowledged_at = fields.AwareDateTime(format="iso", allow_none=True, required=True)
    resolved_at = fields.AwareDateTime(
        format="iso",
        allow_none=True,
        required=True,
        metadata={"description": "When what raised it stopped holding (a trend that eased)"},
    )


AlertPage = page_schema(AlertOut, "AlertPage")


class AlertQueryArgs(PageArgs):
    status = fields.String(load_default="open", validate=validate.OneOf(("open", "all")))
