"""Library views: exercises and routines (`/exercises`, `/routines`)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.pagination import PageArgs, page
from backend.routines.library import service
from backend.routines.schemas import (
    ExerciseIn,
    ExerciseOut,
    ExercisePage,
    ExercisePatch,
    RoutineIn,
    RoutineOut,
    RoutinePage,
    RoutinePatch,
)

blp = Blueprint("library", __name__, url_prefix="/api/v1", description="Exercises and routines")


@blp.route("/exercises")
class Exercises(MethodView):
    @access("user")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ExercisePage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the exercises I can use, newest first"""
        return page(*service.list_exercises(current_user, args["limit"], args["cursor"]))

    @access("practitioner")
    @blp.arguments(ExerciseIn)
    @blp.response(201, ExerciseOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Write an exercise of my own"""
        return service.create_exercise(current_user, data)


@blp.route("/exercises/<uuid:exercise_id>")
class ExerciseItem(MethodView):
    @access("user")
    @blp.response(200, ExerciseOut)
    def get(self, exercise_id: uuid.UUID) -> Any:
        """One exercise"""
        return service.get_exercise(current_user, exercise_id)

    @access("practitioner")
    @blp.arguments(ExercisePatch)
    @blp.response(200, ExerciseOut)
    @blp.alt_response(403, description="Built-in exercises cannot be changed")
    def patch(self, changes: dict[str, Any], exercise_id: uuid.UUID) -> Any:
        """Change one of my exercises"""
        return service.update_exercise(current_user, exercise_id, changes)

    @access("practitioner")
    @blp.response(204)
    @blp.alt_response(409, description="A routine still uses the exercise")
    def delete(self, exercise_id: uuid.UUID) -> None:
        """Delete one of my exercises"""
        service.delete_exercise(current_user, exercise_id)


@blp.route("/routines")
class Routines(MethodView):
    @access("user")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RoutinePage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List the routines I can use, with their steps, newest first"""
        return page(*service.list_routines(current_user, args["limit"], args["cursor"]))

    @access("practitioner")
    @blp.arguments(RoutineIn)
    @blp.response(201, RoutineOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Write a routine of my own"""
        return service.create_routine(current_user, data)


@blp.route("/routines/<uuid:routine_id>")
class RoutineItem(MethodView):
    @access("user")
    @blp.response(200, RoutineOut)
    def get(self, routine_id: uuid.UUID) -> Any:
        """One routine with its steps in order"""
        return service.get_routine(current_user, routine_id)

    @access("practitioner")
    @blp.arguments(RoutinePatch)
    @blp.response(200, RoutineOut)
    @blp.alt_response(403, description="Built-in routines cannot be changed")
    def patch(self, changes: dict[str, Any], routine_id: uuid.UUID) -> Any:
        """Change one of my routines (steps, when sent, replace the list)"""
        return service.update_routine(current_user, routine_id, changes)

    @access("practitioner")
    @blp.response(204)
    @blp.alt_response(409, description="The routine was assigned or done")
    def delete(self, routine_id: uuid.UUID) -> None:
        """Delete one of my routines"""
        service.delete_routine(current_user, routine_id)
