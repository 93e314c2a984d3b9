from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.conditional import conditional, roster_scope
from backend.consent import (
    client_for_read,
    record_access,
)
from backend.db import utcnow
from backend.pagination import PageArgs, page
from backend.practice import alerts, roster, service
from backend.practice.export import content_disposition, export_csv
from backend.practice.models import Alert, PracticeInvite
from backend.practice.schemas import (
    AccessLogPage,
    AlertOut,
    AlertPage,
    AlertQueryArgs,
    ClientOut,
    ConsentOut,
    InviteOut,
    JoinIn,
    NoteIn,
    NoteOut,
    NotePage,
    RosterOut,
)
from backend.progress import service as progress
from backend.progress.schemas import ProgressOut, ProgressQueryArgs
from backend.routines.plan import service as routines
from backend.routines.schemas import RoutineSessionPage, RoutineSessionQueryArgs
from backend.runs import service as runs
from backend.runs.schemas import RunPage, RunQueryArgs

practice_blp = Blueprint(
    "practice", __name__, url_prefix="/api/v1/practice", description="Your practice"
)
clients_blp = Blueprint(
    "clients", __name__, url_prefix="/api/v1/clients", description="Your clients' data"
)
alerts_blp = Blueprint(
    "alerts", __name__, url_prefix="/api/v1/alerts", description="Alerts about your clients"
)
consent_blp = Blueprint(
    "consent", __name__, url_prefix="/api/v1/me", description="Sharing your data"
)


# Every /clients/{id} route: unknown, or not sharing with you, looks the same.
_NOT_A_CLIENT = {"description": "No such client, or they do not share their data with you"}


@practice_blp.route("/invite")
class Invite(MethodView):
    @access("practitioner")
    @practice_blp.response(200, InviteOut)
    def get(self) -> PracticeInvite:
        """My invite code and link to hand to clients"""
        return service.current_invite(current_user)

    @access("practitioner")
    @practice_blp.response(200, InviteOut)
    def post(self) -> PracticeInvite:
        """Replace my invite code; the old one stops working"""
        return service.rotate_invite(current_user)


@consent_blp.route("/practitioner")
class MyPractitioner(MethodView):
    @access("runner")
    @consent_blp.arguments(JoinIn)
    @consent_blp.response(201, ConsentOut)
    @consent_blp.alt_response(200, schema=ConsentOut, description="Already shared with them")
    @consent_blp.alt_response(409, description="You already share with another practitioner")
    def post(self, data: dict[str, str]) -> Any:
        """Share my data with a practitioner, using their invite code"""
        return service.join(current_user, data["invite_code"])

    @access("runner")
    @consent_blp.response(204)
    def delete(self) -> None:
        """Stop sharing my data with my practitioner, from the next request on"""
        service.revoke_practitioner(current_user)


@consent_blp.route("/access-log")
class MyAccessLog(MethodView):
    @access("runner")
    @consent_blp.arguments(PageArgs, location="query")
    @consent_blp.response(200, AccessLogPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Each practitioner visit to my data and what it read, newest first"""
        items, cursor = service.list_access_log(current_user, args["limit"], args["cursor"])
        return {"items": items, "next_cursor": cursor}


@clients_blp.route("")
class Clients(MethodView):
    @access("practitioner")
    @conditional(roster_scope, on_not_modified=lambda: roster.record_roster_view(current_user))
    @clients_blp.response(200, RosterOut)
    def get(self) -> dict[str, Any]:
        """My clients with a summary each, those needing attention first"""
        return {"items": roster.roster(current_user, utcnow())}


@clients_blp.route("/<uuid:client_id>")
class Client(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.response(200, ClientOut)
    def get(self, client_id: uuid.UUID) -> dict[str, Any]:
        """One client's profile"""
        client = client_for_read(current_user, client_id, "profile")
        return {
            "id": client.id,
            "display_name": client.display_name,
            "email": client.email,
            "units": client.units,
            "body_weight_kg": client.body_weight,
            "timezone": client.timezone,
            "linked_since": service.linked_since(current_user.id, client.id),
        }


@clients_blp.route("/<uuid:client_id>/runs")
class ClientRuns(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.arguments(RunQueryArgs, location="query")
    @clients_blp.response(200, RunPage)
    def get(self, args: dict[str, Any], client_id: uuid.UUID) -> dict[str, Any]:
        """One client's runs, newest first"""
        client = client_for_read(current_user, client_id, "runs")
        return runs.runs_page(client, args)


@clients_blp.route("/<uuid:client_id>/sessions")
class ClientSessions(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.arguments(RoutineSessionQueryArgs, location="query")
    @clients_blp.response(200, RoutineSessionPage)
    def get(self, args: dict[str, Any], client_id: uuid.UUID) -> dict[str, Any]:
        """One client's routine sessions, newest first"""
        client = client_for_read(current_user, client_id, "sessions")
        return routines.sessions_page(client.id, args)


@clients_blp.route("/<uuid:client_id>/progress")
class ClientProgress(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.arguments(ProgressQueryArgs, location="query")
    @clients_blp.response(200, ProgressOut)
    def get(self, args: dict[str, Any], client_id: uuid.UUID) -> dict[str, Any]:
        """One client's stiffness trend, triggers, load and routine adherence"""
        client = client_for_read(current_user, client_id, "progress")
        return progress.progress_between(
            client, args["from_"], args["to"], args["resolution"], args["outcome"]
        )


@clients_blp.route("/<uuid:client_id>/alerts")
class ClientAlerts(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.arguments(AlertQueryArgs, location="query")
    @clients_blp.response(200, AlertPage)
    def get(self, args: dict[str, Any], client_id: uuid.UUID) -> dict[str, Any]:
        """One client's alerts, newest first (open ones unless status=all)"""
        items, cursor = alerts.read_alerts(
            current_user.id, args["status"], args["limit"], args["cursor"], client_id
        )
        return page(items, cursor)


@clients_blp.route("/<uuid:client_id>/notes")
class ClientNotes(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.arguments(PageArgs, location="query")
    @clients_blp.response(200, NotePage)
    def get(self, args: dict[str, Any], client_id: uuid.UUID) -> dict[str, Any]:
        """My private notes on one client, newest first"""
        items, cursor = service.list_notes(current_user, client_id, args["limit"], args["cursor"])
        return {"items": items, "next_cursor": cursor}

    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.arguments(NoteIn)
    @clients_blp.response(201, NoteOut)
    def post(self, data: dict[str, str], client_id: uuid.UUID) -> Any:
        """Add a private note on one client"""
        return service.add_note(current_user, client_id, data["body"])


@clients_blp.route("/<uuid:client_id>/export.csv")
class ClientExport(MethodView):
    @access("practitioner")
    @clients_blp.alt_response(404, **_NOT_A_CLIENT)
    @clients_blp.response(200, content_type="text/csv")
    @clients_blp.doc(
        responses={
            "200": {
                "description": "Runs and routine sessions, a row each",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    )
    def get(self, client_id: uuid.UUID) -> Response:
        """One client's runs and routine sessions as CSV"""
        client = service.consenting_client(current_user.id, client_id)
        disposition = content_disposition(client.display_name, utcnow().date())
        body = export_csv(client)
        # Logged once the file is made and about to be sent, not on an attempt that fails.
        record_access(current_user.id, [client.id], "export")
        return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition})


@alerts_blp.route("")
class Alerts(MethodView):
    @access("practitioner")
    @alerts_blp.arguments(AlertQueryArgs, location="query")
    @alerts_blp.response(200, AlertPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Alerts about my clients, newest first (open ones unless status=all)"""
        items, cursor = alerts.read_alerts(
            current_user.id, args["status"], args["limit"], args["cursor"]
        )
        return page(items, cursor)


@alerts_blp.route("/<uuid:alert_id>/ack")
class AlertAck(MethodView):
    @access("practitioner")
    @alerts_blp.response(200, AlertOut)
    @alerts_blp.alt_response(404, description="No such alert among yours")
    def post(self, alert_id: uuid.UUID) -> Alert:
        """Mark an alert as seen; it leaves the open list"""
        return alerts.acknowledge(current_user.id, alert_id)
