from __future__ import annotations

from datetime import time
from typing import Any

from flask import current_app
from marshmallow import ValidationError, fields, validate, validates, validates_schema

from backend.notifications import push
from backend.notifications.models import CHANNELS, NOTIFICATION_KINDS
from backend.notifications.rules import format_clock, parse_clock
from backend.pagination import page_schema
from backend.schemas import AwareDateTime, BaseSchema, OutSchema


class Clock(fields.Field):
    """A wall-clock time as 'HH:MM' (24-hour) in the user's timezone."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        return format_clock(value)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> time:
        try:
            return parse_clock(value)
        except ValueError as exc:
            raise ValidationError("Use HH:MM, 24-hour, for example 07:30.") from exc


class ChannelChoice(BaseSchema):
    push = fields.Boolean()
    email = fields.Boolean()
    in_app = fields.Boolean()


class ChannelsOut(OutSchema):
    push = fields.Boolean()
    email = fields.Boolean()
    in_app = fields.Boolean()


class QuietHours(OutSchema):
    start = Clock()
    end = Clock()

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") is not None and data.get("start") == data.get("end"):
            raise ValidationError("Quiet hours need an end different from their start.", "end")


def _channels_by_kind(**kwargs: Any) -> fields.Dict:
    return fields.Dict(keys=fields.String(validate=validate.OneOf(NOTIFICATION_KINDS)), **kwargs)


class SettingsOut(OutSchema):
    timezone = fields.String(metadata={"description": "From your profile"})
    channels = _channels_by_kind(values=fields.Nested(ChannelsOut))
    reminder_time = Clock()
    checkin_time = Clock()
    digest_time = Clock()
    quiet_hours = fields.Nested(QuietHours, allow_none=True)
    push_public_key = fields.String(
        allow_none=True,
        metadata={"description": "VAPID key for PushManager.subscribe; null when push is off"},
    )


class SettingsPatch(BaseSchema):
    channels = _channels_by_kind(values=fields.Nested(ChannelChoice))
    reminder_time = Clock()
    checkin_time = Clock()
    digest_time = Clock()
    quiet_hours = fields.Nested(QuietHours, allow_none=True)


class SubscriptionKeys(OutSchema):
    p256dh = fields.String(validate=validate.Length(min=80, max=200))
    auth = fields.String(validate=validate.Length(min=16, max=100))

    @validates("p256dh")
    def _point(self, value: str, **_: Any) -> None:
        raw = _decode(value)
        if raw is None or len(raw) != 65 or raw[0] != 4:
            raise ValidationError("Not a P-256 public key (65 bytes, base64url).")

    @validates("auth")
    def _secret(self, value: str, **_: Any) -> None:
        raw = _decode(value)
        if raw is None or len(raw) != 16:
            raise ValidationError("Not a 16-byte auth secret (base64url).")


def _decode(value: str) -> bytes | None:
    try:
        return push.b64url_decode(value)
    except ValueError:
        return None


class SubscriptionIn(BaseSchema):
    """What PushSubscription.toJSON() gives in the browser."""

    endpoint = fields.String(required=True, validate=validate.Length(min=10, max=1000))
    expirationTime = fields.Raw(allow_none=True)
    keys = fields.Nested(SubscriptionKeys, required=True)

    @validates("endpoint")
    def _endpoint(self, value: str, **_: Any) -> None:
        allow = bool(current_app.testing and current_app.config["PUSH_ALLOW_LOOPBACK"])
        problem = push.endpoint_problem(value, allow)
        if problem:
            raise ValidationError(problem)


class SubscriptionOut(OutSchema):
    id = fields.UUID()
    created_at = AwareDateTime()


class NotificationOut(OutSchema):
    id = fields.UUID()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    url = fields.String()
    created_at = AwareDateTime()
    read_at = AwareDateTime(allow_none=True)


_Page = page_schema(NotificationOut, "NotificationPageBase")


class NotificationPage(_Page):  # type: ignore[valid-type,misc]
    unread = fields.Integer(required=True)


class UnreadOut(OutSchema):
    unread = fields.Integer()


class TestSentOut(OutSchema):
    id = fields.UUID()
    channels = fields.List(fields.String(validate=validate.OneOf(CHANNELS)))
