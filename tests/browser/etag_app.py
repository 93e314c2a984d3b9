"""The app for the conditional-request browser test: real ETags where the server sends
them, and a stand-in where it does not yet.

The stand-in gives `today`, `progress`, the runs list and the roster a weak ETag taken
from the body, with `Cache-Control: private, no-cache`, and answers `304` to an
`If-None-Match` that names it: the contract the front end is written against. A response
that already carries an ETag is left exactly as the app made it.
"""

from __future__ import annotations

import hashlib
import re

from flask import Flask, Response, request

from backend import create_app as create_limber

CONDITIONAL = re.compile(r"^/api/v1/(today|progress|runs|clients)$")


def create_app() -> Flask:
    app = create_limber()

    @app.after_request
    def stand_in_etag(response: Response) -> Response:
        if (
            request.method != "GET"
            or not CONDITIONAL.match(request.path)
            or "ETag" in response.headers
            or response.status_code != 200
            or response.direct_passthrough
        ):
            return response
        body = response.get_data()
        if response.headers.get("Content-Encoding"):
            return response  # compressed already: leave it alone
        tag = f'W/"{hashlib.sha256(body).hexdigest()[:20]}"'
        response.headers["ETag"] = tag
        response.headers["Cache-Control"] = "private, no-cache"
        if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=304, headers={"ETag": tag, "Cache-Control": "private, no-cache"})
        return response

    return app
