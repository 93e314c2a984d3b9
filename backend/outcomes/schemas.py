from typing import Any, ClassVar

from marshmallow import ValidationError, fields, validate, validates_schema

from backend.outcomes.schedule import MAX_INTERVAL_WEEKS, MIN_INTERVAL_WEEKS
from backend.outcomes.scoring import DIRECTIONS, JUDGEMENTS, METHODS
from backend.schemas import AwareDateTime, BaseSchema, OutSchema

_JUDGEMENT = fields.String(
    allow_none=True,
    validate=validate.OneOf(JUDGEMENTS),
    metadata={"description": "Change from the first score against the minimal important change."},
)


class ScaleOut(OutSchema):
    optional_fields: ClassVar[tuple[str, ...]] = ("min_label", "max_label")
    min = fields.Integer()
    max = fields.Integer()
    min_label = fields.String()
    max_label = fields.String()


class ItemOut(ScaleOut):
    optional_fields = (*ScaleOut.optional_fields, "reversed", "labels")
    key = fields.String()
    text = fields.String()
    reversed = fields.Boolean(dump_default=False)
    labels = fields.Dict(keys=fields.String(), values=fields.String())


class CountOut(OutSchema):
    min = fields.Integer()
    max = fields.Integer()


class ScoringOut(OutSchema):
    optional_fields = ("low", "high", "mic_points", "mic_percent")
    method = fields.String(validate=validate.OneOf(METHODS))
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    low = fields.Float()
    high = fields.Float()
    mic_points = fields.Float(allow_none=True)
    mic_percent = fields.Float(allow_none=True)


class QuestionnaireOut(OutSchema):
    optional_fields = (
        "short_name",
        "version",
        "intro",
        "items",
        "activity_prompt",
        "activity_count",
        "activity_scale",
    )
    id = fields.UUID()
    slug = fields.String()
    builtin = fields.Boolean()
    name = fields.String()
    short_name = fields.String()
    version = fields.Integer()
    kind = fields.String(validate=validate.OneOf(("cycle", "follow_up")))
    format = fields.String(validate=validate.OneOf(("items", "activities")))
    intro = fields.String()
    items = fields.List(fields.Nested(ItemOut))
    activity_prompt = fields.String()
    activity_count = fields.Nested(CountOut)
    activity_scale = fields.Nested(ScaleOut)
    scoring = fields.Nested(ScoringOut)
    source = fields.String()

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        """A `Questionnaire` row: its own columns, the rest from its content definition."""
        if attr in ("id", "slug", "builtin", "name"):
            return getattr(obj, attr)
        if attr == "items":
            return obj.definition.get("items", [])
        return obj.definition.get(attr, default)


class QuestionnaireList(OutSchema):
    items = fields.List(fields.Nested(QuestionnaireOut))


class DueQueryArgs(BaseSchema):
    date = fields.Date(load_default=None, allow_none=False)


class DueItemOut(OutSchema):
    optional_fields = ("named_activities",)
    questionnaire = fields.Nested(QuestionnaireOut)
    named_activities = fields.List(
        fields.String(),
        allow_none=True,
        metadata={"description": "Activities named the first time, to rate again (else null)."},
    )
    series = fields.Integer(
        metadata={"description": "The activity set (1, then one more per restart)."}
    )


class ScheduleOut(OutSchema):
    optional_fields = ("requested_at",)
    interval_weeks = fields.Integer()
    requested_at = AwareDateTime(allow_none=True)
    next_due_on = fields.Date()


class DueOut(OutSchema):
    date = fields.Date()
    schedule = fields.Nested(ScheduleOut)
    items = fields.List(fields.Nested(DueItemOut))


class ActivityIn(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    rating = fields.Integer(required=True, strict=True, allow_none=True)


class ResponseIn(BaseSchema):
    id = fields.UUID()
    questionnaire_id = fields.UUID(required=True)
    answered_at = AwareDateTime(required=True)
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)),
        values=fields.Integer(strict=True, allow_none=True),
        validate=validate.Length(max=100),
        metadata={"description": "For a questionnaire of items: item key to whole-number answer."},
    )
    activities = fields.List(
        fields.Nested(ActivityIn),
        validate=validate.Length(max=10),
        metadata={"description": "For a patient-specific questionnaire: each activity rated."},
    )

    @validates_schema
    def _one_kind(self, data: dict[str, object], **_: object) -> None:
        if ("answers" in data) == ("activities" in data):
            raise ValidationError("Send either answers or activities.", "answers")


class ResponseOut(OutSchema):
    id = fields.UUID()
    questionnaire_id = fields.UUID()
    answered_at = AwareDateTime()
    local_date = fields.Date()
    answers = fields.Raw(metadata={"description": "The answers as sent."})
    score = fields.Float()


class PointOut(OutSchema):
    optional_fields = ("judgement",)
    id = fields.UUID()
    answered_at = AwareDateTime()
    local_date = fields.Date()
    score = fields.Float()
    change = fields.Float(allow_none=True)
    judgement = _JUDGEMENT
    answers = fields.Raw()


class InstrumentOut(OutSchema):
    optional_fields = ("judgement",)
    questionnaire = fields.Nested(QuestionnaireOut)
    series = fields.Integer(
        metadata={"description": "The activity set these scores belong to; 1 unless restarted."}
    )
    current = fields.Boolean(metadata={"description": "The set asked now."})
    baseline = fields.Nested(PointOut)
    latest = fields.Nested(PointOut)
    change = fields.Float(allow_none=True)
    judgement = _JUDGEMENT
    responses = fields.List(fields.Nested(PointOut))


class OutcomesOut(OutSchema):
    schedule = fields.Nested(ScheduleOut)
    instruments = fields.List(fields.Nested(InstrumentOut))


class SchedulePatch(BaseSchema):
    interval_weeks = fields.Integer(
        strict=True, validate=validate.Range(min=MIN_INTERVAL_WEEKS, max=MAX_INTERVAL_WEEKS)
    )
    ask_now = fields.Boolean(
        metadata={"description": "true: every questionnaire is due again from now on."}
    )

    @validates_schema
    def _not_empty(self, data: dict[str, object], **_: object) -> None:
        if not data:
            raise ValidationError("Send at least one field to change.")


class RestartOut(OutSchema):
    optional_fields = ("started_at",)
    questionnaire_id = fields.UUID()
    series = fields.Integer()
    started_at = AwareDateTime(
        allow_none=True, metadata={"description": "When this set began (null for set 1)."}
    )
