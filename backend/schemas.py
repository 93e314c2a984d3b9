"""Schema base shared by every feature."""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, missing, pre_load
from marshmallow.decorators import POST_DUMP, PRE_DUMP
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
    spec marks each one required. Name any that may be left out in `optional_fields`.

    `fast_dump = True` (for the hot answers: progress, the roster) dumps through a plan
    compiled once per schema class (`_plan_for`): the same fields, names and values as
    marshmallow's dump, without its per-object and per-field bookkeeping, which profiles
    showed to be a fifth of the roster's CPU for 200 clients.
    """

    optional_fields: ClassVar[tuple[str, ...]] = ()
    fast_dump: ClassVar[bool] = False

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        plan = _plan_for(type(self)) if self.fast_dump and not self._narrowed() else None
        if plan is None:
            return super().dump(obj, many=many)
        if self.many if many is None else many:
            return [plan(item) for item in obj]
        return plan(obj)

    def _narrowed(self) -> bool:
        return bool(self.only) or bool(self.exclude)


_Plan = Callable[[Any], dict[str, Any]]
_Convert = Callable[[Any, str, Any], Any]


@functools.cache
def _plan_for(cls: type[Schema]) -> _Plan | None:
    """A dump function for `cls`, or None where marshmallow must do it (dump hooks)."""
    schema = cls()
    if schema._hooks[PRE_DUMP] or schema._hooks[POST_DUMP]:
        return None
    own_accessor = type(schema).get_attribute is not Schema.get_attribute
    steps = []
    for name, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else name
        attr = field.attribute if field.attribute is not None else name
        # Read the value here only where marshmallow would read it the plain way.
        plain = (
            not own_accessor
            and field._CHECK_ATTRIBUTE
            and type(field).get_value is fields.Field.get_value
            and "." not in attr
        )
        steps.append((key, name, attr, field, plain, _converter(field)))

    def dump(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        as_mapping = isinstance(obj, Mapping)
        plain_object = not as_mapping and not hasattr(obj, "__getitem__")
        for key, name, attr, field, plain, convert in steps:
            value = missing
            if plain and as_mapping:
                value = obj.get(attr, missing)
            elif plain and plain_object:
                value = getattr(obj, attr, missing)
            if value is missing:  # a default, a computed field, an unusual object
                value = field.serialize(name, obj, accessor=schema.get_attribute)
                if value is not missing:
                    out[key] = value
                continue
            out[key] = convert(value, name, obj)
        return out

    return dump


def _converter(field: fields.Field) -> _Convert:
    """How one field turns a value into its answer: nested schemas by their own plans,
    every other field by its own `_serialize`."""
    if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
        inner = _converter(field.inner)
        return lambda value, attr, obj: (
            None if value is None else [inner(item, attr, obj) for item in value]
        )
    if isinstance(field, fields.Nested) and not (field.only or field.exclude):
        nested = field.schema
        plan = None if nested.only or nested.exclude else _plan_for(type(nested))
        if plan is not None:
            many = nested.many or field.many
            return lambda value, attr, obj: (
                None if value is None else [plan(v) for v in value] if many else plan(value)
            )
    return field._serialize


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
