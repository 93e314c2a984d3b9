from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.progress import service
from backend.progress.schemas import ProgressOut, ProgressQueryArgs

blp = Blueprint("progress", __name__, url_prefix="/api/v1/progress", description="Your progress")


@blp.route("")
class Progress(MethodView):
    @access("runner")
    @blp.arguments(ProgressQueryArgs, location="query")
    @blp.response(200, ProgressOut)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """My stiffness trend, triggers, load and routine adherence"""
        return service.progress_between(current_user, args["from_"], args["to"], args["outcome"])
