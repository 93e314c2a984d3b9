from datetime import date

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from backend.progress import effects
from backend.runs.models import SURFACES, WORKOUT_TYPES
from backend.schemas import BaseSchema, OutSchema

DIRECTIONS = ("improving", "steady", "worsening")
RESOLUTIONS = ("day", "week", "month")
FACTORS = effects.FACTORS


_sane_date = validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))


class ProgressQueryArgs(BaseSchema):
    # A query string cannot carry null: absent means None, and the spec must not say nullable.
    from_ = fields.Date(data_key="from", load_default=None, allow_none=False, validate=_sane_date)
    to = fields.Date(load_default=None, allow_none=False, validate=_sane_date)
    outcome = fields.String(
        load_default=effects.DEFAULT_OUTCOME,
        validate=validate.OneOf(effects.OUTCOMES),
        metadata={
            "description": "The stiffness the triggers explain: right after the run "
            "(default) or the next morning."
        },
    )
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


class DayPoint(OutSchema):
    date = fields.Date(metadata={"description": "The day, or the first day of the week or month"})
    mean = fields.Float()
    runs = fields.Integer()
    # The next-morning answers for that day's runs (null: none answered).
    morning_mean = fields.Float(allow_none=True)
    morning_runs = fields.Integer()


class WeekPoint(OutSchema):
    week_start = fields.Date()
    mean = fields.Float()
    runs = fields.Integer()


class TrendOut(OutSchema):
    """The 14-day trend, the same everywhere it is shown (rule in docs/progress.md)."""

    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    change = fields.Float(
        metadata={"description": "Mean stiffness of the last third of the runs minus the first"},
    )
    slope_per_week = fields.Float()
    runs = fields.Integer()
    days = fields.Integer()
    window_days = fields.Integer()
    enough_data = fields.Boolean()


class MorningByWorkout(OutSchema):
    workout_type = fields.String(validate=validate.OneOf(WORKOUT_TYPES))
    answered = fields.Integer()
    lingering = fields.Integer()
    lingers = fields.Boolean()


class MorningOut(OutSchema):
    answered = fields.Integer()
    passing = fields.Integer()
    lingering = fields.Integer()
    by_workout_type = fields.List(fields.Nested(MorningByWorkout))


class StiffnessOut(OutSchema):
    resolution = fields.String(validate=validate.OneOf(RESOLUTIONS))
    series = fields.List(fields.Nested(DayPoint))
    morning = fields.Nested(MorningOut)
    weekly = fields.List(fields.Nested(WeekPoint))
    trend = fields.Nested(TrendOut)


class BySurface(OutSchema):
    surface = fields.String(validate=validate.OneOf(SURFACES))
    runs = fields.Integer()
    mean_stiffness = fields.Float()


class ByWorkoutType(OutSchema):
    workout_type = fields.String(validate=validate.OneOf(WORKOUT_TYPES))
    runs = fields.Integer()
    mean_stiffness = fields.Float()


class TriggerOut(OutSchema):
    """One factor level, weighed together with all the others (see docs/progress.md)."""

    factor = fields.String(validate=validate.OneOf(FACTORS))
    value = fields.String()
    reference = fields.String(metadata={"description": "compared with"})
    runs = fields.Integer()
    reference_runs = fields.Integer()
    mean_stiffness = fields.Float(metadata={"description": "plain average"})
    effect = fields.Float(allow_none=True, metadata={"description": "points, others held equal"})
    low = fields.Float(allow_none=True, metadata={"description": "95 % interval"})
    high = fields.Float(allow_none=True)
    label = fields.String(validate=validate.OneOf(tuple(effects.LABELS)))
    label_text = fields.String()


class IntRange(OutSchema):
    low = fields.Integer()
    high = fields.Integer()


class WeekLoad(OutSchema):
    optional_fields = ("load_kg_mid", "load_kg")
    week_start = fields.Date()
    steps_mid = fields.Integer()
    steps = fields.Nested(IntRange)
    load_kg_mid = fields.Integer()
    load_kg = fields.Nested(IntRange)


class LoadOut(OutSchema):
    weekly = fields.List(fields.Nested(WeekLoad))


class AdherenceOut(OutSchema):
    planned = fields.Integer()
    done = fields.Integer()
    rate = fields.Float(allow_none=True)
    streak_days = fields.Integer()


class ProgressOut(OutSchema):
    fast_dump = True  # a hot answer (see OutSchema)
    stiffness = fields.Nested(StiffnessOut)
    by_surface = fields.List(fields.Nested(BySurface))
    by_workout_type = fields.List(fields.Nested(ByWorkoutType))
    triggers = fields.List(fields.Nested(TriggerOut))
    triggers_outcome = fields.String(
        validate=validate.OneOf(effects.OUTCOMES),
        metadata={"description": "The stiffness the triggers explain."},
    )
    triggers_from = fields.Date(
        allow_none=True,
        metadata={
            "description": "Set when the range holds more rated runs than the analysis "
            "weighs (the latest 400): the first day of the runs it weighed. Null: every "
            "rated run of the range."
        },
    )
    load_ = fields.Nested(LoadOut, data_key="load", attribute="load")
    adherence = fields.Nested(AdherenceOut)
