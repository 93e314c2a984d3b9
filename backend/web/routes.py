"""Serves the PWA from frontend/: files by path, index.html for app routes."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, request, send_from_directory
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from backend.access import access

blp = Blueprint("web", __name__)

# Files a browser must re-check on every load so that updates reach users.
_ALWAYS_REVALIDATE = {"index.html", "sw.js", "manifest.webmanifest"}


def _send(path: str) -> Response:
    response = send_from_directory(current_app.config["FRONTEND_DIR"], path)
    # Read the (small) file now instead of streaming it: compression then sets the ETag
    # with its encoding (":zstd") and answers If-None-Match against that value, so a
    # revalidation (the service worker's install, a reload) gets a 304, not the file again.
    response.direct_passthrough = False
    response.make_sequence()
    # Werkzeug names the file for a download, dates the answer (the server dates it
    # again), and offers byte ranges and a modification time beside the ETag. None of it
    # helps a file the page loads whole and revalidates by ETag, and every response of
    # the first load would carry it.
    for name in ("Content-Disposition", "Date", "Accept-Ranges", "Last-Modified"):
        del response.headers[name]
    if path in _ALWAYS_REVALIDATE:
        response.headers["Cache-Control"] = "no-cache"
    if path == "sw.js":
        response.headers["Service-Worker-Allowed"] = "/"
    return response


_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@blp.route("/api/<path:rest>", methods=_METHODS)
@access("public")
def unknown_api_path(rest: str) -> Response:
    """JSON 404 for unknown API paths; 405 when the path exists for other methods."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in _METHODS:
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            allowed.append(method)
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise NotFound("No such API path.")


@blp.route("/")
@access("public")
def shell() -> Response:
    return _send("index.html")


@blp.route("/<path:path>")
@access("public")
def frontend(path: str) -> Response:
    if path == "api":
        raise NotFound("No such API path.")
    root = Path(current_app.config["FRONTEND_DIR"]).resolve()
    candidate = (root / path).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return _send(path)
    if "." in path.rsplit("/", 1)[-1]:
        raise NotFound("No such file.")
    return _send("index.html")
