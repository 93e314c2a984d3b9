"""Plan views: today's routines, the routine log and assignments."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.conditional import conditional, runner_hour_scope
from backend.pagination import PageArgs, page
from backend.routines.plan import service
from backend.routines.schemas import (
    AssignmentIn,
    AssignmentOut,
    AssignmentPage,
    AssignmentPatch,
    RoutineSessionIn,
    RoutineSessionOut,
    RoutineSessionPage,
    RoutineSessionQueryArgs,
    TodayOut,
    TodayQueryArgs,
)

plan_blp = Blueprint(
    "plan",
    __name__,
    url_prefix="/api/v1",
    description="Today's routines, the routine log and assignments",
)


@plan_blp.route("/today")
class Today(MethodView):
    @access("runner")
    @conditional(runner_hour_scope)
    @plan_blp.arguments(TodayQueryArgs, location="query")
    @plan_blp.response(200, TodayOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The routines due on a day, each marked done or not"""
        return service.today(current_user, args["date"])


@plan_blp.route("/sessions")
class Sessions(MethodView):
    @access("runner")
    @plan_blp.arguments(RoutineSessionQueryArgs, location="query")
    @plan_blp.response(200, RoutineSessionPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the routines I have done, newest first"""
        return service.sessions_page(current_user.id, args)

    @access("runner")
    @plan_blp.arguments(RoutineSessionIn)
    @plan_blp.response(201, RoutineSessionOut)
    @plan_blp.alt_response(200, schema=RoutineSessionOut, description="Already saved")
    @plan_blp.alt_response(409, description="Another session already has this id")
    def post(self, data: dict[str, Any]) -> Any:
        """Log a routine as done (idempotent when you send your own id)"""
        session, created = service.create_session(current_user, data)
        return session, 201 if created else 200


@plan_blp.route("/clients/<uuid:client_id>/assignments")
class ClientAssignments(MethodView):
    @access("practitioner")
    @plan_blp.arguments(PageArgs, location="query")
    @plan_blp.response(200, AssignmentPage)
    def get(self, args: dict[str, Any], client_id: uuid.UUID) -> dict[str, Any]:
        """List the routines I assigned to a client, newest first"""
        return page(
            *service.list_assignments(current_user, client_id, args["limit"], args["cursor"])
        )

    @access("practitioner")
    @plan_blp.arguments(AssignmentIn)
    @plan_blp.response(201, AssignmentOut)
    def post(self, data: dict[str, Any], client_id: uuid.UUID) -> Any:
        """Assign a routine to a client on some weekdays (0 = Monday)"""
        return service.create_assignment(current_user, client_id, data)


@plan_blp.route("/assignments/<uuid:assignment_id>")
class AssignmentItem(MethodView):
    @access("practitioner")
    @plan_blp.arguments(AssignmentPatch)
    @plan_blp.response(200, AssignmentOut)
    def patch(self, changes: dict[str, Any], assignment_id: uuid.UUID) -> Any:
        """Change an assignment I made"""
        return service.update_assignment(current_user, assignment_id, changes)

    @access("practitioner")
    @plan_blp.response(204)
    def delete(self, assignment_id: uuid.UUID) -> None:
        """Remove an assignment I made (days already past still count for adherence)"""
        service.delete_assignment(current_user, assignment_id)
