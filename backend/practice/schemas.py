from typing import Any

from marshmallow import fields, validate

from backend.auth.schemas import PractitionerRef
from backend.links import absolute
from backend.pagination import PageArgs, page_schema
from backend.practice.models import ALERT_KINDS, ALERT_LEVELS
from backend.progress.schemas import TrendOut
from backend.runs.triage import RED_FLAGS
from backend.schemas import BaseSchema, OutSchema


class InviteOut(OutSchema):
    code = fields.String()
    url = fields.Method("_url", metadata={"type": "string", "format": "uri"})
    created_at = fields.AwareDateTime(format="iso")
    expires_at = fields.AwareDateTime(format="iso", allow_none=True)

    def _url(self, invite: Any) -> str:
        return absolute(f"join?code={invite.code}")


class JoinIn(BaseSchema):
    invite_code = fields.String(required=True, validate=validate.Length(min=1, max=32))


class ConsentOut(OutSchema):
    practitioner = fields.Nested(PractitionerRef)
    granted_at = fields.AwareDateTime(format="iso")


class LoggedPractitioner(OutSchema):
    # id is null once the practitioner has erased their account; the name stays.
    id = fields.UUID(allow_none=True)
    display_name = fields.String()


class _ReadName(OutSchema):
    what = fields.String()


class AccessLogOut(OutSchema):
    """One visit: reads by one practitioner close together, and what they covered."""

    id = fields.UUID()
    practitioner = fields.Nested(LoggedPractitioner, attribute="shown_practitioner")
    reads = fields.Pluck(_ReadName, "what", many=True)
    started_at = fields.AwareDateTime(format="iso")
    last_seen_at = fields.AwareDateTime(format="iso")


AccessLogPage = page_schema(AccessLogOut, "AccessLogPage")


class ClientOut(OutSchema):
    id = fields.UUID()
    display_name = fields.String()
    email = fields.String()
    units = fields.String()
    body_weight_kg = fields.Float(allow_none=True)
    timezone = fields.String()
    linked_since = fields.AwareDateTime(format="iso")


class RosterAdherence(OutSchema):
    planned = fields.Integer()
    done = fields.Integer()
    rate = fields.Float(allow_none=True)


class OpenAlerts(OutSchema):
    count = fields.Integer()
    highest_level = fields.String(allow_none=True, validate=validate.OneOf(ALERT_LEVELS))


class RosterItem(OutSchema):
    id = fields.UUID()
    display_name = fields.String()
    email = fields.String()
    linked_since = fields.AwareDateTime(format="iso")
    last_run_at = fields.AwareDateTime(format="iso", allow_none=True)
    latest_stiffness = fields.Integer(allow_none=True)
    trend_14d = fields.Nested(TrendOut)
    adherence_14d = fields.Nested(RosterAdherence)
    open_alerts = fields.Nested(OpenAlerts)
    needs_attention = fields.Boolean()
    reasons = fields.List(fields.String())


class RosterOut(OutSchema):
    fast_dump = True  # a hot answer (see OutSchema)
    items = fields.List(fields.Nested(RosterItem))


class NoteIn(BaseSchema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class NoteOut(OutSchema):
    id = fields.UUID()
    body = fields.String()
    created_at = fields.AwareDateTime(format="iso")


NotePage = page_schema(NoteOut, "NotePage")


class ClientRef(OutSchema):
    id = fields.UUID()
    display_name = fields.String()


class AlertOut(OutSchema):
    id = fields.UUID()
    client = fields.Nested(ClientRef, attribute="runner")
    kind = fields.String(validate=validate.OneOf(ALERT_KINDS))
    level = fields.String(validate=validate.OneOf(ALERT_LEVELS))
    message = fields.String()
    run_id = fields.UUID(
        allow_none=True,
        metadata={"description": "The run it is about; null once that run is deleted"},
    )
    run_date = fields.Date(allow_none=True)
    flags = fields.List(
        fields.String(validate=validate.OneOf(RED_FLAGS)),
        metadata={"description": "The red flags of the run, as they were when raised"},
    )
    created_at = fields.AwareDateTime(format="iso")
    updated_at = fields.AwareDateTime(format="iso", allow_none=True)
    acknowledged_at = fields.AwareDateTime(format="iso", allow_none=True)
    resolved_at = fields.AwareDateTime(
        format="iso",
        allow_none=True,
        metadata={"description": "When what raised it stopped holding (a trend that eased)"},
    )


AlertPage = page_schema(AlertOut, "AlertPage")


class AlertQueryArgs(PageArgs):
    status = fields.String(load_default="open", validate=validate.OneOf(("open", "all")))
