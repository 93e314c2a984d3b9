from __future__ import annotations

import uuid
from html import escape
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import delete

from backend.access import access
from backend.errors import NotFound
from backend.extensions import db
from backend.notifications import email, push, service
from backend.notifications.models import PushSubscription
from backend.notifications.schemas import (
    NotificationPage,
    SettingsOut,
    SettingsPatch,
    SubscriptionIn,
    SubscriptionOut,
    TestSentOut,
    UnreadOut,
)
from backend.notifications.settings import (
    channel_choices,
    settings_for,
    unsubscribe,
    update_settings,
)
from backend.pagination import PageArgs

blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1/me",
    description="Your notifications, their settings and your push subscriptions",
)
unsubscribe_blp = Blueprint(
    "unsubscribe", __name__, url_prefix="/api/v1", description="One-click email unsubscribe"
)


def settings_view(user: Any) -> dict[str, Any]:
    row = settings_for(user.id)
    quiet = None
    if row.quiet_start is not None and row.quiet_end is not None:
        quiet = {"start": row.quiet_start, "end": row.quiet_end}
    return {
        "timezone": user.timezone,
        "channels": channel_choices(row),
        "reminder_time": row.reminder_time,
        "checkin_time": row.checkin_time,
        "digest_time": row.digest_time,
        "quiet_hours": quiet,
        "push_public_key": push.public_key(),
    }


@blp.route("/notification-settings")
class Settings(MethodView):
    @access("user")
    @blp.response(200, SettingsOut)
    def get(self) -> dict[str, Any]:
        """Which kinds reach you on which channel, and when (times in your timezone)"""
        return settings_view(current_user)

    @access("user")
    @blp.arguments(SettingsPatch)
    @blp.response(200, SettingsOut)
    def patch(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Change some settings; fields left out keep their value"""
        update_settings(current_user, changes)
        return settings_view(current_user)


@blp.route("/push-subscriptions")
class Subscriptions(MethodView):
    @access("user")
    @blp.arguments(SubscriptionIn)
    @blp.response(201, SubscriptionOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Register this browser for push (the JSON of its PushSubscription)"""
        sub = db.session.query(PushSubscription).filter_by(endpoint=data["endpoint"]).first()
        if sub is None:
            sub = PushSubscription(endpoint=data["endpoint"])
            db.session.add(sub)
        # The browser's subscription belongs to whoever is signed in on it now.
        sub.user_id = current_user.id
        sub.p256dh = data["keys"]["p256dh"]
        sub.auth = data["keys"]["auth"]
        db.session.commit()
        return {"id": sub.id, "created_at": sub.created_at}


@blp.route("/push-subscriptions/<uuid:subscription_id>")
class SubscriptionItem(MethodView):
    @access("user")
    @blp.response(204)
    def delete(self, subscription_id: uuid.UUID) -> None:
        """Stop push to one browser"""
        deleted = db.session.execute(
            delete(PushSubscription).where(
                PushSubscription.id == subscription_id,
                PushSubscription.user_id == current_user.id,
            )
        ).rowcount  # type: ignore[attr-defined]
        db.session.commit()
        if not deleted:
            raise NotFound("No such push subscription.")


@blp.route("/notifications")
class Notifications(MethodView):
    @access("user")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, NotificationPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Your notifications, newest first, with the unread count for the badge"""
        items, cursor, unread = service.list_notifications(
            current_user.id, args["limit"], args["cursor"]
        )
        return {"items": items, "next_cursor": cursor, "unread": unread}


@blp.route("/notifications/read")
class ReadAll(MethodView):
    @access("user")
    @blp.response(200, UnreadOut)
    def post(self) -> dict[str, int]:
        """Mark every notification read"""
        return {"unread": service.mark_read(current_user.id)}


@blp.route("/notifications/<uuid:notification_id>/read")
class ReadOne(MethodView):
    @access("user")
    @blp.response(200, UnreadOut)
    def post(self, notification_id: uuid.UUID) -> dict[str, int]:
        """Mark one notification read"""
        return {"unread": service.mark_read(current_user.id, notification_id)}


@blp.route("/notifications/test")
class SendTest(MethodView):
    @access("user")
    @blp.response(202, TestSentOut)
    def post(self) -> dict[str, Any]:
        """Send me a test notification on every channel I can be reached on"""
        sent = service.send_test(current_user)
        if sent is None:  # cannot happen: each test has a fresh key
            raise NotFound("The test notification was not stored.")
        channels = ["in_app", "email"]
        if db.session.query(PushSubscription).filter_by(user_id=current_user.id).count():
            channels.insert(0, "push")
        return {"id": sent.id, "channels": channels}


_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    "<meta name='viewport' content='width=device-width, initial-scale=1'>"
    "<title>Limber emails</title></head><body><main><h1>Limber emails</h1>{}</main></body></html>"
)


@unsubscribe_blp.route("/unsubscribe/<token>")
class Unsubscribe(MethodView):
    @access("public")
    def get(self, token: str) -> Response:
        """A page with one button that stops one kind of email"""
        if email.read_unsubscribe_token(token) is None:
            return _page("<p>This link is not valid.</p>", 404)
        form = (
            "<p>Stop this kind of email from Limber? You can turn it on again in Settings.</p>"
            f"<form method='post' action='/api/v1/unsubscribe/{escape(token)}'>"
            "<button type='submit'>Stop these emails</button></form>"
        )
        return _page(form, 200)

    @access("public")
    def post(self, token: str) -> Response:
        """One-click unsubscribe (RFC 8058); the signed token is the credential"""
        found = email.read_unsubscribe_token(token)
        if found is None:
            return _page("<p>This link is not valid.</p>", 404)
        user_id, kind = found
        try:
            unsubscribe(uuid.UUID(user_id), kind)
        except ValueError:
            return _page("<p>This link is not valid.</p>", 404)
        return _page("<p>Done: these emails are off. Settings can turn them on again.</p>", 200)


def _page(content: str, status: int) -> Response:
    return Response(_PAGE.format(content), status=status, mimetype="text/html")
