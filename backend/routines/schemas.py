from marshmallow import ValidationError, fields, validate, validates_schema

from backend.pagination import PageArgs, page_schema
from backend.routines.models import BODY_AREAS, DOSES, SIDES
from backend.schemas import AwareDateTime, BaseSchema, OutSchema, require_one_of

_NAME = validate.Length(min=1, max=80, error="Give it a name (up to 80 characters).")
_PURPOSE = validate.Length(
    min=1, max=2000, error="Say in a line what it is for (up to 2000 characters)."
)


def _texts(max_items: int, max_len: int, min_items: int = 0, **kwargs: object) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=max_len)),
        validate=validate.Length(min=min_items, max=max_items),
        **kwargs,  # type: ignore[arg-type]
    )


def _weekdays(**kwargs: object) -> fields.List:
    return fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=0, max=6)),
        validate=validate.Length(min=1, max=7),
        metadata={"description": "Days of the week, 0 = Monday … 6 = Sunday."},
        **kwargs,  # type: ignore[arg-type]
    )


def _not_empty(data: dict[str, object]) -> None:
    if not data:
        raise ValidationError("Send at least one field to change.")


# --- exercises ---------------------------------------------------------------


class _ExerciseFields(BaseSchema):
    name = fields.String(validate=_NAME)
    summary = fields.String(validate=validate.Length(min=1, max=200))
    instructions = _texts(12, 500, min_items=1)
    cues = _texts(8, 200)
    safety = _texts(8, 200)
    skip_if = _texts(8, 200)
    equipment = fields.String(validate=validate.Length(min=1, max=40))
    body_areas = fields.List(
        fields.String(validate=validate.OneOf(BODY_AREAS)),
        validate=validate.Length(max=len(BODY_AREAS)),
    )


class ExerciseIn(_ExerciseFields):
    name = fields.String(required=True, validate=_NAME)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=200))
    instructions = _texts(12, 500, min_items=1, required=True)


class ExercisePatch(_ExerciseFields):
    @validates_schema
    def _check(self, data: dict[str, object], **_: object) -> None:
        _not_empty(data)


class ExerciseOut(OutSchema):
    id = fields.UUID()
    slug = fields.String(allow_none=True)
    name = fields.String()
    summary = fields.String()
    instructions = fields.List(fields.String())
    cues = fields.List(fields.String())
    safety = fields.List(fields.String(), metadata={"description": "Stop if."})
    skip_if = fields.List(fields.String(), metadata={"description": "Do not start if."})
    illustration = fields.String(
        allow_none=True,
        metadata={"description": "Path of an SVG under the web app's root."},
    )
    equipment = fields.String()
    body_areas = fields.List(fields.String())
    builtin = fields.Boolean()
    owner_id = fields.UUID(allow_none=True)
    created_at = fields.AwareDateTime(format="iso")
    updated_at = fields.AwareDateTime(format="iso")


ExercisePage = page_schema(ExerciseOut, "ExercisePage")


# --- routines ------------------------------------------------------------------


class StepIn(BaseSchema):
    exercise_id = fields.UUID(required=True)
    sets = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=1, max=20))
    reps = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=500))
    seconds = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=3600))
    breaths = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=200))
    side = fields.String(load_default="both", validate=validate.OneOf(SIDES))
    rest_s = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=900))
    cues = _texts(6, 200, load_default=list)

    @validates_schema
    def _one_dose(self, data: dict[str, object], **_: object) -> None:
        require_one_of(data, *DOSES)


class _RoutineFields(BaseSchema):
    name = fields.String(validate=_NAME)
    purpose = fields.String(validate=_PURPOSE)
    description = fields.String(validate=validate.Length(max=200))
    safety = _texts(8, 200)
    estimated_minutes = fields.Integer(strict=True, validate=validate.Range(min=1, max=120))
    steps = fields.List(
        fields.Nested(StepIn),
        validate=validate.Length(min=1, max=30),
        metadata={"description": "The whole list, in order; it replaces the current steps."},
    )


class RoutineIn(_RoutineFields):
    name = fields.String(required=True, validate=_NAME)
    purpose = fields.String(required=True, validate=_PURPOSE)
    estimated_minutes = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=120)
    )
    steps = fields.List(
        fields.Nested(StepIn), required=True, validate=validate.Length(min=1, max=30)
    )


class RoutinePatch(_RoutineFields):
    @validates_schema
    def _check(self, data: dict[str, object], **_: object) -> None:
        _not_empty(data)


class StepOut(OutSchema):
    position = fields.Integer(metadata={"description": "1 for the first step."})
    sets = fields.Integer()
    reps = fields.Integer(allow_none=True)
    seconds = fields.Integer(allow_none=True)
    breaths = fields.Integer(allow_none=True)
    side = fields.String(validate=validate.OneOf(SIDES))
    rest_s = fields.Integer()
    cues = fields.List(fields.String())
    exercise = fields.Nested(ExerciseOut)


class RoutineBriefOut(OutSchema):
    id = fields.UUID()
    slug = fields.String(allow_none=True)
    name = fields.String()
    description = fields.String()
    estimated_minutes = fields.Integer()
    builtin = fields.Boolean()


class RoutineOut(OutSchema):
    id = fields.UUID()
    slug = fields.String(allow_none=True)
    name = fields.String()
    purpose = fields.String()
    description = fields.String()
    safety = fields.List(fields.String())
    estimated_minutes = fields.Integer()
    starter = fields.Boolean()
    builtin = fields.Boolean()
    owner_id = fields.UUID(allow_none=True)
    steps = fields.List(fields.Nested(StepOut))
    created_at = fields.AwareDateTime(format="iso")
    updated_at = fields.AwareDateTime(format="iso")


RoutinePage = page_schema(RoutineOut, "RoutinePage")


# --- today and sessions -------------------------------------------------------------


class TodayQueryArgs(BaseSchema):
    date = fields.Date(
        load_default=None,
        allow_none=False,  # a query string cannot carry null
        metadata={"description": "Defaults to today in your time zone."},
    )


class TodayItem(OutSchema):
    routine = fields.Nested(RoutineOut)
    done = fields.Boolean()
    session_id = fields.UUID(allow_none=True)


class TodayOut(OutSchema):
    date = fields.Date()
    starter = fields.Boolean(metadata={"description": "True when the starter programme applies."})
    items = fields.List(fields.Nested(TodayItem))


class RoutineSessionIn(BaseSchema):
    id = fields.UUID()
    routine_id = fields.UUID(required=True)
    completed_at = AwareDateTime(required=True)
    notes = fields.String(validate=validate.Length(max=2000))


class RoutineSessionOut(OutSchema):
    id = fields.UUID()
    # null once the routine is gone (its author erased their account)
    routine_id = fields.UUID(allow_none=True)
    # the routine's name now, or the one kept when it was done (if it is gone)
    routine_name = fields.Function(
        lambda s: s.routine.name if s.routine else s.routine_name, metadata={"type": "string"}
    )
    completed_at = fields.AwareDateTime(format="iso")
    local_date = fields.Date()
    notes = fields.String()
    created_at = fields.AwareDateTime(format="iso")


RoutineSessionPage = page_schema(RoutineSessionOut, "RoutineSessionPage")


class RoutineSessionQueryArgs(PageArgs):
    from_ = fields.Date(data_key="from", load_default=None, allow_none=False)
    to = fields.Date(load_default=None, allow_none=False)


# --- assignments -----------------------------------------------------------------


class AssignmentIn(BaseSchema):
    routine_id = fields.UUID(required=True)
    weekdays = _weekdays(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _check(self, data: dict[str, object], **_: object) -> None:
        check_schedule(data)


class AssignmentPatch(BaseSchema):
    routine_id = fields.UUID()
    weekdays = _weekdays()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)

    @validates_schema
    def _check(self, data: dict[str, object], **_: object) -> None:
        _not_empty(data)
        check_schedule(data)


def check_schedule(data: dict[str, object]) -> None:
    weekdays = data.get("weekdays")
    if isinstance(weekdays, list) and len(set(weekdays)) != len(weekdays):
        raise ValidationError("List each weekday once.", "weekdays")
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts is not None and ends is not None and ends < starts:  # type: ignore[operator]
        raise ValidationError("The end date cannot be before the start date.", "ends_on")


class AssignmentOut(OutSchema):
    id = fields.UUID()
    runner_id = fields.UUID()
    routine_id = fields.UUID()
    routine = fields.Nested(RoutineBriefOut)
    weekdays = fields.List(fields.Integer())
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    assigned_by = fields.UUID()
    created_at = fields.AwareDateTime(format="iso")
    updated_at = fields.AwareDateTime(format="iso")


AssignmentPage = page_schema(AssignmentOut, "AssignmentPage")
