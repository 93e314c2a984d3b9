import base64
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from backend.pagination import decode_cursor, encode_cursor


def _cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


class TestDecodeCursor:
    def test_it_reads_back_what_it_wrote_as_utc(self):
        ident = uuid.uuid4()
        when = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
        assert decode_cursor(encode_cursor(when, ident)) == (when.astimezone(UTC), ident)
        assert decode_cursor(encode_cursor(when, ident))[0].tzinfo is UTC

    @pytest.mark.parametrize(
        "cursor",
        [
            "!!!",
            "âó",
            "",
            _cursor("ab"),
            _cursor({"a": 1, "b": 2}),
            _cursor([1, 2]),
            _cursor(["2026-03-01T09:30:00", str(uuid.uuid4())]),  # naive
            _cursor(["0001-01-01T00:00:00+05:00", str(uuid.uuid4())]),  # before year 1 in UTC
            _cursor(["2026-03-01T09:30:00+00:00", "not-a-uuid"]),
            _cursor(["2026-03-01T09:30:00+00:00", str(uuid.uuid4()), "extra"]),
        ],
    )
    def test_it_refuses_anything_it_did_not_issue(self, cursor):
        with pytest.raises(ValueError, match="not a cursor"):
            decode_cursor(cursor)
