from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields
from sqlalchemy import func, select, text

from backend.access import access
from backend.errors import ServiceUnavailable
from backend.extensions import db
from backend.jobs.models import JobFailure
from backend.schemas import OutSchema

blp = Blueprint("health", __name__, url_prefix="/", description="Liveness and readiness")


class HealthOut(OutSchema):
    status = fields.String()


class ReadyDetails(OutSchema):
    failed_jobs = fields.Integer(
        metadata={"description": "Background tasks that gave up (flask jobs failed)"}
    )


class ReadyOut(HealthOut):
    details = fields.Nested(ReadyDetails, required=True)


@blp.route("healthz")
class Health(MethodView):
    @access("public")
    @blp.response(200, HealthOut)
    def get(self) -> dict[str, str]:
        """The process is up"""
        return {"status": "ok"}


@blp.route("readyz")
class Ready(MethodView):
    @access("public")
    @blp.response(200, ReadyOut)
    @blp.alt_response(503, description="The database cannot be reached")
    def get(self) -> Any:
        """The database answers; details count the background tasks that gave up"""
        try:
            db.session.execute(text("SELECT 1"))
            failed = db.session.scalar(select(func.count()).select_from(JobFailure)) or 0
        except Exception:
            db.session.rollback()
            raise ServiceUnavailable("The database cannot be reached.", retry_after=5) from None
        return {"status": "ok", "details": {"failed_jobs": failed}}
