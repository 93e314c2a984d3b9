"""Schema base shared by every feature."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load
from marshmallow.schema import SchemaMeta

# NUL (PostgreSQL text cannot hold it) and lone UTF-16 surrogates (no encoding can store
# them); JSON's \u escapes let a client send either.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Remove control characters (NUL) and unpaired surrogates."


def decode_json_body(data: bytes) -> str | None:
    """None when `data` is JSON Python can decode, else the reason it is refused."""
    try:
        json.loads(data)
    except RecursionError:
        return "The JSON body is nested too deeply."
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, over-long integers
        if "digits" in str(exc):
            return "A number in the JSON body has too many digits."
        return "The request body is not valid JSON."
    return None


def _unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    if isinstance(value, list | tuple):
        return any(isinstance(item, str) and _UNSTORABLE.search(item) for item in value)
    return False


class BaseSchema(Schema):
    """Rejects unknown fields, so nothing can be mass-assigned by accident, and text that
    no database column can store, naming the field (nested schemas name their own)."""

    class Meta:
        unknown = RAISE
        ordered = True

    @pre_load
    def _refuse_unstorable_text(self, data: Any, **_: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        errors: dict[str, list[str]] = {}
        for key in data:
            # A query string may repeat a name: look at every value it was given.
            value = data.getlist(key) if hasattr(data, "getlist") else data[key]
            if _unstorable(key) or _unstorable(value):
                name = _UNSTORABLE.sub("?", key) if isinstance(key, str) else str(key)
                errors[name] = [UNSTORABLE_MESSAGE]
        if errors:
            raise ValidationError(errors)
        return data


class _EveryFieldRequired(SchemaMeta):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        klass = super().__new__(mcs, name, bases, attrs)
        optional = set(getattr(klass, "optional_fields", ()))
        for key, field in list(klass._declared_fields.items()):
            if key not in optional and not field.required:
                # A copy: an inherited field may belong to an input schema too.
                field = copy.copy(field)
                field.required = True
                klass._declared_fields[key] = field
        return klass


class OutSchema(BaseSchema, metaclass=_EveryFieldRequired):
    """An answer's schema: every field is always sent (null when `allow_none`), so the
    spec marks each one required. Name any that may be left out in `optional_fields`."""

    optional_fields: ClassVar[tuple[str, ...]] = ()


class Derived(fields.Nested):
    """A nested object worked out from the whole object by `find` (a query, say), and
    documented in the spec like any `Nested` of that schema."""

    def __init__(self, nested: Any, find: Any, **kwargs: Any) -> None:
        super().__init__(nested, **kwargs)
        self.find = find

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return self.find(obj)


class AwareDateTime(fields.AwareDateTime):
    """ISO 8601 with an offset, normalised to UTC on the way in."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    # A day inside datetime's own range, so that the instant in any time zone still fits.
    EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
    LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        try:
            utc = result.astimezone(UTC)
        except OverflowError:
            utc = None
        if utc is None or not self.EARLIEST <= utc <= self.LATEST:
            raise ValidationError("Use a date between the years 0002 and 9998.")
        return utc


def require_one_of(data: dict[str, object], *names: str) -> None:
    given = [n for n in names if data.get(n) is not None]
    if len(given) != 1:
        raise ValidationError(f"Give exactly one of {', '.join(names)}.", names[0])
