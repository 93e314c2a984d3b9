from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.conditional import conditional, runner_scope
from backend.runs import service
from backend.runs.models import Run
from backend.runs.schemas import (
    AwaitingRuns,
    MorningIn,
    RunIn,
    RunOut,
    RunPage,
    RunPatch,
    RunQueryArgs,
)

blp = Blueprint("runs", __name__, url_prefix="/api/v1/runs", description="Runs and stiffness")


@blp.route("")
class Runs(MethodView):
    @access("runner")
    @conditional(runner_scope)
    @blp.arguments(RunQueryArgs, location="query")
    @blp.response(200, RunPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List my runs, newest first"""
        return service.runs_page(current_user, args)

    @access("runner")
    @blp.arguments(RunIn)
    @blp.response(201, RunOut)
    @blp.alt_response(200, schema=RunOut, description="The same run was already saved")
    @blp.alt_response(409, description="Another run already has this id")
    def post(self, data: dict[str, Any]) -> Any:
        """Log a run (idempotent when you send your own id)"""
        run, created = service.create_run(current_user, data)
        return run, 201 if created else 200


@blp.route("/awaiting-stiffness")
class AwaitingStiffness(MethodView):
    @access("runner")
    @blp.response(200, AwaitingRuns)
    def get(self) -> dict[str, Any]:
        """My imported runs still waiting for a stiffness score (up to 50, newest first)"""
        return service.awaiting_stiffness(current_user)


@blp.route("/<uuid:run_id>")
class RunItem(MethodView):
    @access("runner")
    @blp.response(200, RunOut)
    def get(self, run_id: uuid.UUID) -> Run:
        """One of my runs"""
        return service.get_run(current_user, run_id)

    @access("runner")
    @blp.arguments(RunPatch)
    @blp.response(200, RunOut)
    def patch(self, changes: dict[str, Any], run_id: uuid.UUID) -> Run:
        """Change one of my runs"""
        return service.update_run(current_user, run_id, changes)

    @access("runner")
    @blp.response(204)
    def delete(self, run_id: uuid.UUID) -> None:
        """Delete one of my runs"""
        service.delete_run(current_user, run_id)


@blp.route("/<uuid:run_id>/morning")
class RunMorning(MethodView):
    @access("runner")
    @blp.arguments(MorningIn)
    @blp.response(201, RunOut)
    @blp.alt_response(200, schema=RunOut, description="The same answer was already stored")
    @blp.alt_response(409, description="A different answer is already stored for this run")
    def put(self, data: dict[str, Any], run_id: uuid.UUID) -> Any:
        """Answer the next-morning check-in for one of my runs (stored once)"""
        run, stored = service.answer_morning(current_user, run_id, data)
        return run, 201 if stored else 200
