from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.messages import service
from backend.messages.models import Message
from backend.messages.schemas import (
    BadgesOut,
    ClientMessageIn,
    ConversationsOut,
    MessageIn,
    MessageOut,
    MessagePage,
    MyThreadArgs,
    ThreadArgs,
    UnreadMessagesOut,
)

me_blp = Blueprint(
    "messages", __name__, url_prefix="/api/v1/me", description="Messages with your practitioner"
)
clients_blp = Blueprint(
    "client_messages",
    __name__,
    url_prefix="/api/v1/clients",
    description="Messages with your clients",
)
practice_blp = Blueprint(
    "conversations",
    __name__,
    url_prefix="/api/v1/practice",
    description="Your conversations with clients",
)

_NOT_A_CLIENT = {"description": "No such client, or they do not share their data with you"}


def _page(consent: Any, args: dict[str, Any], viewer: str) -> dict[str, Any]:
    items, cursor = service.page(consent, args["limit"], args["cursor"], args["since"])
    return {
        "thread": service.thread_out(consent, viewer),
        "items": items,
        "next_cursor": cursor,
        "newest": service.newest_position(items, args["since"]),
    }


@me_blp.route("/messages")
class MyMessages(MethodView):
    @access("runner")
    @me_blp.arguments(MyThreadArgs, location="query")
    @me_blp.response(200, MessagePage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """My conversation with my practitioner (or the last one, read-only), newest first"""
        consent = service.runner_thread(current_user, args["thread"])
        if consent is None:
            return {"thread": None, "items": [], "next_cursor": None, "newest": None}
        return _page(consent, args, "runner")

    @access("runner")
    @me_blp.arguments(MessageIn)
    @me_blp.response(201, MessageOut)
    @me_blp.alt_response(200, schema=MessageOut, description="Already stored with this id")
    @me_blp.alt_response(409, description="No link in force, or the id holds another message")
    def post(self, data: dict[str, Any]) -> Any:
        """Write to my practitioner, optionally about one of my runs or routine sessions"""
        message, created = service.send_as_runner(current_user, data)
        return message, 201 if created else 200


@me_blp.route("/messages/<uuid:message_id>/read")
class MyMessageRead(MethodView):
    @access("runner")
    @me_blp.response(200, UnreadMessagesOut)
    def post(self, message_id: uuid.UUID) -> dict[str, int]:
        """I have read up to this message of my practitioner's"""
        return {"unread": service.runner_mark_read(current_user, message_id)}


@me_blp.route("/messages/<uuid:message_id>/accept")
class AcceptSuggestion(MethodView):
    @access("runner")
    @me_blp.response(200, MessageOut)
    @me_blp.alt_response(409, description="The link this suggestion came from has ended")
    def post(self, message_id: uuid.UUID) -> Message:
        """Accept my practitioner's routine suggestion: it becomes an assignment"""
        return service.accept_suggestion(current_user, message_id)


@me_blp.route("/unread")
class Badges(MethodView):
    @access("user")
    @me_blp.response(200, BadgesOut)
    def get(self) -> dict[str, int]:
        """The tab bar's badges: unread messages and unread notifications (one query)"""
        return service.unread_counts(current_user)


@clients_blp.route("/<uuid:client_id>/messages")
class ClientMessages(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.arguments(ThreadArgs, location="query")
    @clients_blp.response(200, MessagePage)
    def get(self, args: dict[str, Any], client_id: uuid.UUID) -> dict[str, Any]:
        """My conversation with one client, newest first, attached runs inline"""
        consent = service.practitioner_thread(current_user, client_id)
        service.log_read(current_user, client_id)
        return _page(consent, args, "practitioner")

    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.arguments(ClientMessageIn)
    @clients_blp.response(201, MessageOut)
    @clients_blp.alt_response(200, schema=MessageOut, description="Already stored with this id")
    def post(self, data: dict[str, Any], client_id: uuid.UUID) -> Any:
        """Answer a client, optionally suggesting a routine they can accept"""
        consent = service.practitioner_thread(current_user, client_id)
        message, created = service.send_as_practitioner(current_user, consent, data)
        return message, 201 if created else 200


@clients_blp.route("/<uuid:client_id>/messages/<uuid:message_id>/read")
class ClientMessageRead(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.response(200, UnreadMessagesOut)
    def post(self, client_id: uuid.UUID, message_id: uuid.UUID) -> dict[str, int]:
        """I have read up to this message of my client's"""
        consent = service.practitioner_thread(current_user, client_id)
        return {"unread": service.mark_read(consent, "practitioner", message_id, current_user)}


@practice_blp.route("/conversations")
class Conversations(MethodView):
    @access("practitioner")
    @practice_blp.response(200, ConversationsOut)
    def get(self) -> dict[str, Any]:
        """Per client: unread messages and since when they wait for a reply (for the roster)"""
        return {"items": service.conversations(current_user)}
