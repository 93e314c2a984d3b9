"""Schema base shared by every feature."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields


class BaseSchema(Schema):
    """Rejects unknown fields, so nothing can be mass-assigned by accident."""

    class Meta:
        unknown = RAISE
        ordered = True


class AwareDateTime(fields.AwareDateTime):
    """ISO 8601 with an offset, normalised to UTC on the way in."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        return result.astimezone(UTC)


def require_one_of(data: dict[str, object], *names: str) -> None:
    given = [n for n in names if data.get(n) is not None]
    if len(given) != 1:
        raise ValidationError(f"Give exactly one of {', '.join(names)}.", names[0])
