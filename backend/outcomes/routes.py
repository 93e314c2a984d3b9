from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.consent import client_for_read
from backend.outcomes import service
from backend.outcomes.schemas import (
    DueOut,
    DueQueryArgs,
    OutcomesOut,
    QuestionnaireList,
    ResponseIn,
    ResponseOut,
    RestartOut,
    ScheduleOut,
    SchedulePatch,
)

blp = Blueprint(
    "outcomes",
    __name__,
    url_prefix="/api/v1",
    description="Outcome questionnaires, their scores and change over time",
)

_NOT_A_CLIENT = {"description": "No such client, or they do not share their data with you"}


@blp.route("/questionnaires")
class Questionnaires(MethodView):
    @access("user")
    @blp.response(200, QuestionnaireList)
    def get(self) -> dict[str, Any]:
        """The questionnaires offered: built in, plus the practice's own"""
        return {"items": service.list_questionnaires(current_user)}


@blp.route("/me/questionnaires/due")
class DueQuestionnaires(MethodView):
    @access("runner")
    @blp.arguments(DueQueryArgs, location="query")
    @blp.response(200, DueOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The questionnaires due on a day (default: my today)"""
        return service.due(current_user, args["date"])


@blp.route("/questionnaire-responses")
class QuestionnaireResponses(MethodView):
    @access("runner")
    @blp.arguments(ResponseIn)
    @blp.response(201, ResponseOut)
    @blp.alt_response(200, schema=ResponseOut, description="Already saved")
    @blp.alt_response(404, description="No such questionnaire among yours")
    @blp.alt_response(409, description="Not due then, or another answer already has this id")
    def post(self, data: dict[str, Any]) -> Any:
        """Answer a due questionnaire (idempotent when you send your own id)"""
        response, created = service.answer(current_user, data)
        return response, 201 if created else 200


@blp.route("/me/questionnaires/<uuid:questionnaire_id>/restart")
class MyRestart(MethodView):
    @access("runner")
    @blp.response(200, RestartOut)
    @blp.alt_response(404, description="No such questionnaire among yours")
    @blp.alt_response(409, description="This questionnaire has no activities to choose")
    def post(self, questionnaire_id: uuid.UUID) -> dict[str, Any]:
        """Start again with new activities (earlier scores stay, as their own series)"""
        return service.restart_activities(current_user, current_user, questionnaire_id)


@blp.route("/me/outcomes")
class MyOutcomes(MethodView):
    @access("runner")
    @blp.response(200, OutcomesOut)
    def get(self) -> dict[str, Any]:
        """My questionnaire scores over time, each with its change from the first"""
        return service.outcomes_for(current_user)


@blp.route("/clients/<uuid:client_id>/outcomes")
class ClientOutcomes(MethodView):
    @access("practitioner")
    @blp.alt_response(404, **_NOT_A_CLIENT)
    @blp.response(200, OutcomesOut)
    def get(self, client_id: uuid.UUID) -> dict[str, Any]:
        """One client's questionnaire scores over time"""
        client = client_for_read(current_user, client_id, "outcomes")
        return service.outcomes_for(client)


@blp.route("/clients/<uuid:client_id>/questionnaires/<uuid:questionnaire_id>/restart")
class ClientRestart(MethodView):
    @access("practitioner")
    @blp.alt_response(404, **_NOT_A_CLIENT)
    @blp.alt_response(409, description="This questionnaire has no activities to choose")
    @blp.response(200, RestartOut)
    def post(self, client_id: uuid.UUID, questionnaire_id: uuid.UUID) -> dict[str, Any]:
        """Ask a client to name new activities next time (earlier scores stay)"""
        client = client_for_read(current_user, client_id, "outcomes")
        return service.restart_activities(current_user, client, questionnaire_id)


@blp.route("/clients/<uuid:client_id>/outcome-schedule")
class ClientOutcomeSchedule(MethodView):
    @access("practitioner")
    @blp.alt_response(404, **_NOT_A_CLIENT)
    @blp.arguments(SchedulePatch)
    @blp.response(200, ScheduleOut)
    def patch(self, changes: dict[str, Any], client_id: uuid.UUID) -> dict[str, Any]:
        """Set how often a client is asked (weeks), or ask for a round now"""
        client = service.set_schedule(current_user, client_id, changes)
        client = client_for_read(current_user, client.id, "outcomes")
        return service.schedule_for(client)
