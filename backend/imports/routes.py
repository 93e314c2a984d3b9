from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, request, url_for
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from backend.access import access
from backend.extensions import db, limiter
from backend.imports import service
from backend.imports.jobs import enqueue_import
from backend.imports.models import Import
from backend.imports.schemas import ImportIn, ImportOut

blp = Blueprint(
    "imports", __name__, url_prefix="/api/v1/imports", description="Runs from watch files"
)


@blp.before_request
def _allow_large_uploads() -> None:
    # The app refuses bodies over 1 MB; an import may carry one archive of up to 200 MB.
    if request.method == "POST":
        request.max_content_length = current_app.config["IMPORTS_MAX_UPLOAD_BYTES"]


def _imports_limit() -> str:
    return str(current_app.config["RATELIMIT_IMPORTS"])


@blp.route("")
class Imports(MethodView):
    takes_files = True  # multipart, not JSON
    decorators = [limiter.limit(_imports_limit, methods=["POST"])]

    @access("runner")
    @blp.arguments(ImportIn, location="files")
    @blp.response(202, ImportOut)
    @blp.alt_response(413, description="A file or the archive is over its size limit")
    @blp.alt_response(415, description="Not a GPX, TCX, FIT or zip file")
    def post(self, data: dict[str, Any]) -> Any:
        """Import runs from GPX, TCX or FIT files or a Strava export (answers at once)"""
        try:
            upload = service.start_import(current_user, data["files"])
        finally:
            for _, storage in request.files.items(multi=True):
                storage.close()  # the request's temporary copies, whatever happened
        enqueue_import(upload.id)
        db.session.expire_all()
        upload = service.get_import(current_user, upload.id)
        location = url_for("imports.ImportItem", import_id=upload.id)
        return upload, 202, {"Location": location}


@blp.route("/<uuid:import_id>")
class ImportItem(MethodView):
    @access("runner")
    @blp.response(200, ImportOut)
    def get(self, import_id: uuid.UUID) -> Import:
        """Progress of one of my imports, with what became of each file"""
        return service.get_import(current_user, import_id)
