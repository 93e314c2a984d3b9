from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from backend.pagination import PageArgs, page_schema
from backend.runs.models import SOURCES, STIFFNESS_AREAS, SURFACES, TERRAINS, WORKOUT_TYPES
from backend.runs.service import advice_for, estimate_for
from backend.runs.triage import LEVELS, RED_FLAGS
from backend.schemas import AwareDateTime, BaseSchema, Derived, OutSchema


def _subset(choices: tuple[str, ...]) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(choices)),
        validate=validate.Length(max=len(choices)),
    )


# apispec drops Range(min_inclusive=False); the spec must still say 0 itself is refused.
_MORE_THAN_ZERO = {"exclusiveMinimum": True}


# Plain words, as the run form says them (the form checks the same before sending).
_DISTANCE = validate.Range(
    min=0, max=300, min_inclusive=False, error="Enter a distance above 0 and up to 300 km."
)
_DURATION = validate.Range(min=1, max=7 * 24 * 3600, error="Enter a time from 1 second to 7 days.")
_SURFACE = validate.OneOf(SURFACES, error="Pick a surface.")
_WORKOUT = validate.OneOf(WORKOUT_TYPES, error="Pick the kind of run.")
_STIFFNESS = validate.Range(min=0, max=10, error="Pick how stiff you feel, 0 to 10.")
_NUMBER: dict[str, str | list[Any] | dict[Any, Any]] = {"invalid": "Enter a number."}


def _run_fields(*, required: bool) -> dict[str, fields.Field]:
    """A run's fields, once: a new run must give the core five, a correction any of them."""
    return {
        "started_at": AwareDateTime(),
        "distance_km": fields.Float(
            required=required,
            validate=_DISTANCE,
            allow_nan=False,
            metadata=_MORE_THAN_ZERO,
            error_messages={**_NUMBER, "required": "Enter how far you ran."},
        ),
        "duration_s": fields.Integer(
            required=required,
            validate=_DURATION,
            error_messages={**_NUMBER, "required": "Enter how long it took."},
        ),
        "surface": fields.String(
            required=required, validate=_SURFACE, error_messages={"required": "Pick a surface."}
        ),
        "workout_type": fields.String(
            required=required,
            validate=_WORKOUT,
            error_messages={"required": "Pick the kind of run."},
        ),
        "stiffness": fields.Integer(
            required=required,
            validate=_STIFFNESS,
            strict=True,
            error_messages={**_NUMBER, "required": "Pick how stiff you feel, 0 to 10."},
        ),
        "stiffness_areas": _subset(STIFFNESS_AREAS),
        "red_flags": _subset(RED_FLAGS),
        "notes": fields.String(
            validate=validate.Length(max=2000, error="Keep the notes to 2000 characters.")
        ),
    }


RunIn = BaseSchema.from_dict({"id": fields.UUID(), **_run_fields(required=True)}, name="RunIn")


class RunPatch(BaseSchema.from_dict(_run_fields(required=False))):  # type: ignore[misc]
    # A correction of the next-morning answer (null clears it); see docs/api.md.
    morning_stiffness = fields.Integer(
        validate=validate.Range(min=0, max=10), strict=True, allow_none=True
    )

    @validates_schema
    def _not_empty(self, data: dict[str, object], **_: object) -> None:
        if not data:
            raise ValidationError("Send at least one field to change.")


class MorningIn(BaseSchema):
    morning_stiffness = fields.Integer(
        required=True, validate=validate.Range(min=0, max=10), strict=True
    )
    # When the runner answered (an answer replayed from the offline outbox keeps its
    # own time); defaults to when the server receives it.
    morning_at = AwareDateTime()


class RunQueryArgs(PageArgs):
    from_ = fields.Date(data_key="from", load_default=None, allow_none=False)
    to = fields.Date(load_default=None, allow_none=False)


class LowHigh(OutSchema):
    low = fields.Float()
    high = fields.Float()


class EstimateOut(OutSchema):
    optional_fields = ("force_per_step_kg", "total_load_kg")
    steps = fields.Nested(LowHigh)
    force_per_step_bw = fields.Nested(LowHigh)
    force_per_step_kg = fields.Nested(LowHigh)
    total_load_kg = fields.Nested(LowHigh)


class AdviceOut(OutSchema):
    level = fields.String(validate=validate.OneOf(LEVELS))
    message = fields.String()
    emergency_number = fields.String(
        allow_none=True,
        metadata={"description": "The configured number to call; null: the device's own"},
    )


class RunOut(OutSchema):
    id = fields.UUID()
    started_at = fields.AwareDateTime(format="iso")
    local_date = fields.Date()
    distance_km = fields.Float()
    duration_s = fields.Integer()
    surface = fields.String(validate=validate.OneOf(SURFACES))
    workout_type = fields.String(validate=validate.OneOf(WORKOUT_TYPES))
    stiffness = fields.Integer(allow_none=True)
    stiffness_areas = fields.List(fields.String())
    red_flags = fields.List(fields.String())
    notes = fields.String()
    body_weight_kg = fields.Float(
        attribute="figures_weight_kg",
        allow_none=True,
        metadata={"description": "The body weight the figures use: as logged with the run"},
    )
    morning_stiffness = fields.Integer(allow_none=True)
    morning_at = fields.AwareDateTime(format="iso", allow_none=True)
    morning_course = fields.String(
        allow_none=True, validate=validate.OneOf(("passing", "lingering"))
    )
    source = fields.String(validate=validate.OneOf(SOURCES))
    title = fields.String(allow_none=True)
    utc_offset_min = fields.Integer(allow_none=True)
    moving_s = fields.Integer(allow_none=True)
    elapsed_s = fields.Integer(allow_none=True)
    elevation_gain_m = fields.Float(allow_none=True)
    elevation_loss_m = fields.Float(allow_none=True)
    avg_cadence_spm = fields.Float(allow_none=True)
    terrain = fields.String(allow_none=True, validate=validate.OneOf(TERRAINS))
    uphill_share = fields.Float(allow_none=True)
    downhill_share = fields.Float(allow_none=True)
    estimate = Derived(EstimateOut, estimate_for)
    advice = Derived(AdviceOut, advice_for)
    created_at = fields.AwareDateTime(format="iso")
    updated_at = fields.AwareDateTime(format="iso")


RunPage = page_schema(RunOut, "RunPage")


class AwaitingRuns(OutSchema):
    items = fields.List(fields.Nested(RunOut))
