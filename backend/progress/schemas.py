from datetime import date

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from backend.progress import effects
from backend.runs.models import SURFACES, WORKOUT_TYPES
from backend.schemas import BaseSchema

DIRECTIONS = ("improving", "steady", "worsening")
RESOLUTIONS = ("day", "week", "month")
FACTORS = effects.FACTORS


_sane_date = validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))


class ProgressQueryArgs(BaseSchema):
    # A query string cannot carry null: absent means None, and the spec must not say nullable.
    from_ = fields.Date(data_key="from", load_default=None, allow_none=False, validate=_sane_date)
    to = fields.Date(load_default=None, allow_none=False, validate=_sane_date)
    resolution = fields.String(
        load_default=None,
        allow_none=False,
        validate=validate.OneOf(RESOLUTIONS),
        metadata={
            "description": "Points of the stiffness series: by day, week or month. "
            "Default: by day up to 180 days, by week up to two years, else by month."
        },
    )

    @validates_schema
    def _ordered(self, data: dict[str, object], **_: object) -> None:
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:  # type: ignore[operator]
            raise ValidationError("`from` must not be after `to`.", "from")


class DayPoint(BaseSchema):
    date = fields.Date(
        required=True, metadata={"description": "The day, or the first day of the week or month"}
    )
    mean = fields.Float(required=True)
    runs = fields.Integer(required=True)
    # The next-morning answers for that day's runs (null: none answered).
    morning_mean = fields.Float(required=True, allow_none=True)
    morning_runs = fields.Integer(required=True)


class WeekPoint(BaseSchema):
    week_start = fields.Date(required=True)
    mean = fields.Float(required=True)
    runs = fields.Integer(required=True)


class TrendOut(BaseSchema):
    """The 14-day trend, the same everywhere it is shown (rule in docs/progress.md)."""

    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    change = fields.Float(
        required=True,
        metadata={"description": "Mean stiffness of the last third of the runs minus the first"},
    )
    slope_per_week = fields.Float(required=True)
    runs = fields.Integer(required=True)
    days = fields.Integer(required=True)
    window_days = fields.Integer(required=True)
    enough_data = fields.Boolean(required=True)


class MorningByWorkout(BaseSchema):
    workout_type = fields.String(required=True, validate=validate.OneOf(WORKOUT_TYPES))
    answered = fields.Integer(required=True)
    lingering = fields.Integer(required=True)
    lingers = fields.Boolean(required=True)


class MorningOut(BaseSchema):
    answered = fields.Integer(required=True)
    passing = fields.Integer(required=True)
    lingering = fields.Integer(required=True)
    by_workout_type = fields.List(fields.Nested(MorningByWorkout), required=True)


class StiffnessOut(BaseSchema):
    resolution = fields.String(required=True, validate=validate.OneOf(RESOLUTIONS))
    series = fields.List(fields.Nested(DayPoint), required=True)
    morning = fields.Nested(MorningOut, required=True)
    weekly = fields.List(fields.Nested(WeekPoint), required=True)
    trend = fields.Nested(TrendOut, required=True)


class BySurface(BaseSchema):
    surface = fields.String(required=True, validate=validate.OneOf(SURFACES))
    runs = fields.Integer(required=True)
    mean_stiffness = fields.Float(required=True)


class ByWorkoutType(BaseSchema):
    workout_type = fields.String(required=True, validate=validate.OneOf(WORKOUT_TYPES))
    runs = fields.Integer(required=True)
    mean_stiffness = fields.Float(required=True)


class TriggerOut(BaseSchema):
    """One factor level, weighed together with all the others (see docs/progress.md)."""

    factor = fields.String(required=True, validate=validate.OneOf(FACTORS))
    value = fields.String(required=True)
    reference = fields.String(required=True, metadata={"description": "compared with"})
    runs = fields.Integer(required=True)
    reference_runs = fields.Integer(required=True)
    mean_stiffness = fields.Float(required=True, metadata={"description": "plain average"})
    effect = fields.Float(
        required=True, allow_none=True, metadata={"description": "points, others held equal"}
    )
    low = fields.Float(required=True, allow_none=True, metadata={"description": "95 % interval"})
    high = fields.Float(required=True, allow_none=True)
    label = fields.String(required=True, validate=validate.OneOf(tuple(effects.LABELS)))
    label_text = fields.String(required=True)


class IntRange(BaseSchema):
    low = fields.Integer(required=True)
    high = fields.Integer(required=True)


class WeekLoad(BaseSchema):
    week_start = fields.Date(required=True)
    steps_mid = fields.Integer(required=True)
    steps = fields.Nested(IntRange, required=True)
    load_kg_mid = fields.Integer()
    load_kg = fields.Nested(IntRange)


class LoadOut(BaseSchema):
    weekly = fields.List(fields.Nested(WeekLoad), required=True)


class AdherenceOut(BaseSchema):
    planned = fields.Integer(required=True)
    done = fields.Integer(required=True)
    rate = fields.Float(allow_none=True, required=True)
    streak_days = fields.Integer(required=True)


class ProgressOut(BaseSchema):
    stiffness = fields.Nested(StiffnessOut, required=True)
    by_surface = fields.List(fields.Nested(BySurface), required=True)
    by_workout_type = fields.List(fields.Nested(ByWorkoutType), required=True)
    triggers = fields.List(fields.Nested(TriggerOut), required=True)
    load_ = fields.Nested(LoadOut, required=True, data_key="load", attribute="load")
    adherence = fields.Nested(AdherenceOut, required=True)
