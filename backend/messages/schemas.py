from __future__ import annotations

from typing import Any

from flask import g
from marshmallow import ValidationError, fields, validate, validates

from backend.messages.models import AUTHORS, MAX_LENGTH
from backend.pagination import CURSOR_MAX_LENGTH, PageArgs, _issued_cursor
from backend.runs.schemas import AdviceOut, EstimateOut
from backend.runs.service import advice_for, estimate_for
from backend.schemas import BaseSchema, Derived, OutSchema


class _Body(BaseSchema):
    id = fields.UUID(metadata={"description": "Made by the client: the same id again stores once"})
    # Stored exactly as written (no trimming); shown only as text.
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_LENGTH))

    @validates("body")
    def _not_blank(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError("Write something first.")


class MessageIn(_Body):
    run_id = fields.UUID(allow_none=True, metadata={"description": "About this run (yours)"})
    session_id = fields.UUID(
        allow_none=True, metadata={"description": "About this routine session (yours)"}
    )


class SuggestionIn(BaseSchema):
    routine_id = fields.UUID(required=True)
    weekdays = fields.List(
        fields.Integer(validate=validate.Range(min=0, max=6), strict=True),
        required=True,
        validate=validate.Length(min=1, max=7),
        metadata={"description": "0 = Monday"},
    )


class ClientMessageIn(_Body):
    suggestion = fields.Nested(SuggestionIn)


class ThreadArgs(PageArgs):
    since = fields.String(
        load_default=None,
        allow_none=False,
        validate=[validate.Length(max=CURSOR_MAX_LENGTH), _issued_cursor],
        metadata={"description": "The `newest` of an earlier answer: only what came after"},
    )


class MyThreadArgs(ThreadArgs):
    thread = fields.UUID(
        load_default=None,
        allow_none=False,
        metadata={"description": "An earlier link's thread; default: the current one"},
    )


class RunAttachment(OutSchema):
    id = fields.UUID()
    local_date = fields.Date()
    distance_km = fields.Float()
    duration_s = fields.Integer()
    workout_type = fields.String()
    surface = fields.String()
    stiffness = fields.Integer(allow_none=True)
    stiffness_areas = fields.List(fields.String())
    red_flags = fields.List(fields.String())
    morning_stiffness = fields.Integer(allow_none=True)
    estimate = Derived(EstimateOut, estimate_for)
    advice = Derived(AdviceOut, advice_for)


class SessionAttachment(OutSchema):
    id = fields.UUID()
    routine_name = fields.String()
    completed_at = fields.AwareDateTime(format="iso")
    local_date = fields.Date()
    notes = fields.String()


class SuggestionOut(OutSchema):
    """A message's suggested routine (the message's own columns)."""

    routine_id = fields.UUID(allow_none=True)
    routine_name = fields.Function(
        lambda m: m.routine.name if m.routine is not None else None,
        allow_none=True,
        metadata={"type": "string"},
    )
    weekdays = fields.List(fields.Integer())
    accepted_at = fields.AwareDateTime(format="iso", allow_none=True)
    assignment_id = fields.UUID(allow_none=True)


class MessageOut(OutSchema):
    """A `Message`, as the signed-in side of the thread sees it."""

    id = fields.UUID()
    thread_id = fields.UUID(attribute="consent_id")
    author = fields.String(validate=validate.OneOf(AUTHORS))
    # Written by the side this request serves (`g.side`, set by `@access`).
    mine = fields.Function(lambda m: m.author == g.side, metadata={"type": "boolean"})
    body = fields.String()
    created_at = fields.AwareDateTime(format="iso")
    read_at = fields.AwareDateTime(
        format="iso",
        allow_none=True,
        metadata={"description": "Read receipt: when the other side first saw it"},
    )
    run = fields.Nested(RunAttachment, allow_none=True)
    session = fields.Nested(SessionAttachment, allow_none=True)
    suggestion = Derived(
        SuggestionOut, lambda m: m if m.weekdays is not None else None, allow_none=True
    )


class ThreadOut(OutSchema):
    id = fields.UUID()
    open = fields.Boolean(metadata={"description": "False after a revoke"})
    started_at = fields.AwareDateTime(format="iso")
    ended_at = fields.AwareDateTime(format="iso", allow_none=True)
    practitioner_name = fields.String(allow_none=True)


class MessagePage(OutSchema):
    thread = fields.Nested(ThreadOut, allow_none=True)
    items = fields.List(fields.Nested(MessageOut))
    next_cursor = fields.String(allow_none=True)
    newest = fields.String(allow_none=True, metadata={"description": "Poll with since= this"})


class UnreadMessagesOut(OutSchema):
    unread = fields.Integer()


class BadgesOut(OutSchema):
    messages = fields.Integer()
    notifications = fields.Integer()


class ConversationOut(OutSchema):
    client_id = fields.UUID()
    unread = fields.Integer()
    last_message_at = fields.AwareDateTime(format="iso")
    waiting_since = fields.AwareDateTime(
        format="iso",
        allow_none=True,
        metadata={"description": "The client's first message since your last reply"},
    )


class ConversationsOut(OutSchema):
    items = fields.List(fields.Nested(ConversationOut))
