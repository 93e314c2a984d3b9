from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates

from backend.messages.models import AUTHORS, MAX_LENGTH
from backend.pagination import CURSOR_MAX_LENGTH, PageArgs, _issued_cursor
from backend.runs.schemas import AdviceOut, EstimateOut
from backend.schemas import BaseSchema


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


class RunAttachment(BaseSchema):
    id = fields.UUID(required=True)
    local_date = fields.Date(required=True)
    distance_km = fields.Float(required=True)
    duration_s = fields.Integer(required=True)
    workout_type = fields.String(required=True)
    surface = fields.String(required=True)
    stiffness = fields.Integer(required=True, allow_none=True)
    stiffness_areas = fields.List(fields.String(), required=True)
    red_flags = fields.List(fields.String(), required=True)
    morning_stiffness = fields.Integer(required=True, allow_none=True)
    estimate = fields.Nested(EstimateOut, required=True)
    advice = fields.Nested(AdviceOut, required=True)


class SessionAttachment(BaseSchema):
    id = fields.UUID(required=True)
    routine_name = fields.String(required=True)
    completed_at = fields.AwareDateTime(format="iso", required=True)
    local_date = fields.Date(required=True)
    notes = fields.String(required=True)


class SuggestionOut(BaseSchema):
    routine_id = fields.UUID(required=True, allow_none=True)
    routine_name = fields.String(required=True, allow_none=True)
    weekdays = fields.List(fields.Integer(), required=True)
    accepted_at = fields.AwareDateTime(format="iso", required=True, allow_none=True)
    assignment_id = fields.UUID(required=True, allow_none=True)


class MessageOut(BaseSchema):
    id = fields.UUID(required=True)
    thread_id = fields.UUID(required=True)
    author = fields.String(required=True, validate=validate.OneOf(AUTHORS))
    mine = fields.Boolean(required=True)
    body = fields.String(required=True)
    created_at = fields.AwareDateTime(format="iso", required=True)
    read_at = fields.AwareDateTime(
        format="iso",
        required=True,
        allow_none=True,
        metadata={"description": "Read receipt: when the other side first saw it"},
    )
    run = fields.Nested(RunAttachment, required=True, allow_none=True)
    session = fields.Nested(SessionAttachment, required=True, allow_none=True)
    suggestion = fields.Nested(SuggestionOut, required=True, allow_none=True)


class ThreadOut(BaseSchema):
    id = fields.UUID(required=True)
    open = fields.Boolean(required=True, metadata={"description": "False after a revoke"})
    started_at = fields.AwareDateTime(format="iso", required=True)
    ended_at = fields.AwareDateTime(format="iso", required=True, allow_none=True)
    practitioner_name = fields.String(required=True, allow_none=True)


class MessagePage(BaseSchema):
    thread = fields.Nested(ThreadOut, required=True, allow_none=True)
    items = fields.List(fields.Nested(MessageOut), required=True)
    next_cursor = fields.String(required=True, allow_none=True)
    newest = fields.String(
        required=True, allow_none=True, metadata={"description": "Poll with since= this"}
    )


class UnreadMessagesOut(BaseSchema):
    unread = fields.Integer(required=True)


class BadgesOut(BaseSchema):
    messages = fields.Integer(required=True)
    notifications = fields.Integer(required=True)


class ConversationOut(BaseSchema):
    client_id = fields.UUID(required=True)
    unread = fields.Integer(required=True)
    last_message_at = fields.AwareDateTime(format="iso", required=True)
    waiting_since = fields.AwareDateTime(
        format="iso",
        required=True,
        allow_none=True,
        metadata={"description": "The client's first message since your last reply"},
    )


class ConversationsOut(BaseSchema):
    items = fields.List(fields.Nested(ConversationOut), required=True)
