from marshmallow import ValidationError, fields, validate, validates_schema

from backend.outcomes.schedule import MAX_INTERVAL_WEEKS, MIN_INTERVAL_WEEKS
from backend.outcomes.scoring import DIRECTIONS, JUDGEMENTS, METHODS
from backend.schemas import AwareDateTime, BaseSchema

_JUDGEMENT = fields.String(
    allow_none=True,
    validate=validate.OneOf(JUDGEMENTS),
    metadata={"description": "Change from the first score against the minimal important change."},
)


class ScaleOut(BaseSchema):
    min = fields.Integer(required=True)
    max = fields.Integer(required=True)
    min_label = fields.String()
    max_label = fields.String()


class ItemOut(ScaleOut):
    key = fields.String(required=True)
    text = fields.String(required=True)
    reversed = fields.Boolean(dump_default=False)
    labels = fields.Dict(keys=fields.String(), values=fields.String())


class CountOut(BaseSchema):
    min = fields.Integer(required=True)
    max = fields.Integer(required=True)


class ScoringOut(BaseSchema):
    method = fields.String(required=True, validate=validate.OneOf(METHODS))
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    low = fields.Float()
    high = fields.Float()
    mic_points = fields.Float(allow_none=True)
    mic_percent = fields.Float(allow_none=True)


class QuestionnaireOut(BaseSchema):
    id = fields.UUID(required=True)
    slug = fields.String(required=True)
    builtin = fields.Boolean(required=True)
    name = fields.String(required=True)
    short_name = fields.String()
    version = fields.Integer()
    kind = fields.String(required=True, validate=validate.OneOf(("cycle", "follow_up")))
    format = fields.String(required=True, validate=validate.OneOf(("items", "activities")))
    intro = fields.String()
    items = fields.List(fields.Nested(ItemOut))
    activity_prompt = fields.String()
    activity_count = fields.Nested(CountOut)
    activity_scale = fields.Nested(ScaleOut)
    scoring = fields.Nested(ScoringOut, required=True)
    source = fields.String(required=True)


class QuestionnaireList(BaseSchema):
    items = fields.List(fields.Nested(QuestionnaireOut), required=True)


class DueQueryArgs(BaseSchema):
    date = fields.Date(load_default=None, allow_none=False)


class DueItemOut(BaseSchema):
    questionnaire = fields.Nested(QuestionnaireOut, required=True)
    named_activities = fields.List(
        fields.String(),
        allow_none=True,
        metadata={"description": "Activities named the first time, to rate again (else null)."},
    )
    series = fields.Integer(
        required=True, metadata={"description": "The activity set (1, then one more per restart)."}
    )


class ScheduleOut(BaseSchema):
    interval_weeks = fields.Integer(required=True)
    requested_at = AwareDateTime(allow_none=True)
    next_due_on = fields.Date(required=True)


class DueOut(BaseSchema):
    date = fields.Date(required=True)
    schedule = fields.Nested(ScheduleOut, required=True)
    items = fields.List(fields.Nested(DueItemOut), required=True)


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


class ResponseOut(BaseSchema):
    id = fields.UUID(required=True)
    questionnaire_id = fields.UUID(required=True)
    answered_at = AwareDateTime(required=True)
    local_date = fields.Date(required=True)
    answers = fields.Raw(required=True, metadata={"description": "The answers as sent."})
    score = fields.Float(required=True)


class PointOut(BaseSchema):
    id = fields.UUID(required=True)
    answered_at = AwareDateTime(required=True)
    local_date = fields.Date(required=True)
    score = fields.Float(required=True)
    change = fields.Float(allow_none=True, required=True)
    judgement = _JUDGEMENT
    answers = fields.Raw(required=True)


class InstrumentOut(BaseSchema):
    questionnaire = fields.Nested(QuestionnaireOut, required=True)
    series = fields.Integer(
        required=True,
        metadata={"description": "The activity set these scores belong to; 1 unless restarted."},
    )
    current = fields.Boolean(required=True, metadata={"description": "The set asked now."})
    baseline = fields.Nested(PointOut, required=True)
    latest = fields.Nested(PointOut, required=True)
    change = fields.Float(allow_none=True, required=True)
    judgement = _JUDGEMENT
    responses = fields.List(fields.Nested(PointOut), required=True)


class OutcomesOut(BaseSchema):
    schedule = fields.Nested(ScheduleOut, required=True)
    instruments = fields.List(fields.Nested(InstrumentOut), required=True)


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


class RestartOut(BaseSchema):
    questionnaire_id = fields.UUID(required=True)
    series = fields.Integer(required=True)
    started_at = AwareDateTime(
        allow_none=True, metadata={"description": "When this set began (null for set 1)."}
    )
