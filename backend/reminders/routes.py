from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.links import absolute, public_url
from backend.reminders import service
from backend.reminders.schemas import CalendarFeedIssued, CalendarFeedOut

blp = Blueprint(
    "calendar", __name__, url_prefix="/api/v1", description="Private calendar feed of my plan"
)


@blp.route("/me/calendar-feed")
class MyCalendarFeed(MethodView):
    @access("runner")
    @blp.response(200, CalendarFeedOut)
    def get(self) -> dict[str, Any]:
        """Whether my private calendar address is on (the address itself is not kept)"""
        return service.feed_status(current_user)

    @access("runner")
    @blp.response(201, CalendarFeedIssued)
    def post(self) -> dict[str, Any]:
        """Make a new private calendar address; any earlier one stops working"""
        record, token = service.issue_feed(current_user)
        url = absolute(f"/api/v1/calendar/{token}.ics")
        return {
            "url": url,
            # Without PUBLIC_URL in production the address is relative; the app completes it.
            "webcal_url": "webcal://" + url.split("://", 1)[1] if "://" in url else url,
            "created_at": record.created_at,
        }

    @access("runner")
    @blp.response(204)
    def delete(self) -> None:
        """Turn my private calendar address off"""
        service.revoke_feed(current_user)


@blp.route("/calendar/<string:feed_token>.ics")
class CalendarFeed(MethodView):
    @access("public")
    @blp.response(200, content_type="text/calendar")
    @blp.alt_response(404, description="No such calendar (unknown or turned-off address)")
    def get(self, feed_token: str) -> Response:
        """My planned routines as iCalendar (the secret address is the key)"""
        body = service.render_feed(feed_token, public_url() + "/")
        response = Response(body, content_type="text/calendar; charset=utf-8")
        response.headers["Cache-Control"] = "private, max-age=900"
        response.headers["Content-Disposition"] = 'inline; filename="limber.ics"'
        return response
