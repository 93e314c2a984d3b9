from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.dates import local_today
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
        today = local_today(current_user)
        start, end = service.date_range(args["from_"], args["to"], today)
        return service.progress_for(current_user, start, end, today)
