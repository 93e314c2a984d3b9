"""A compressed PWA file revalidates to 304 with the ETag it was sent with.

Compression adds the encoding to the ETag ("...:zstd"); the service worker's install and
every reload send that value back, and must not download the whole file again.
"""

from __future__ import annotations

import pytest

ENCODINGS = {"Accept-Encoding": "gzip, deflate, br, zstd"}


@pytest.fixture
def files_app(make_app, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Limber</title>" + " " * 2000)
    (tmp_path / "app.js").write_text("export const filler = '" + "x" * 4000 + "';")
    return make_app(FRONTEND_DIR=str(tmp_path))


@pytest.mark.parametrize("path", ["/app.js", "/"])
def test_a_compressed_file_answers_304_to_its_own_etag(files_app, path):
    client = files_app.test_client()
    with client.get(path, headers=ENCODINGS) as first:
        assert first.status_code == 200
        assert first.headers["Content-Encoding"]
        etag = first.headers["ETag"]
    with client.get(path, headers={**ENCODINGS, "If-None-Match": etag}) as again:
        assert again.status_code == 304
        assert again.get_data() == b""


def test_a_changed_file_is_sent_again(files_app, tmp_path):
    client = files_app.test_client()
    with client.get("/app.js", headers=ENCODINGS) as first:
        etag = first.headers["ETag"]
    (tmp_path / "app.js").write_text("export const filler = '" + "y" * 5000 + "';")
    with client.get("/app.js", headers={**ENCODINGS, "If-None-Match": etag}) as again:
        assert again.status_code == 200
        assert again.headers["ETag"] != etag
