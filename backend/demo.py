"""Demo accounts with believable history, so a newcomer sees something meaningful."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from backend.auth.models import User
from backend.auth.service import hasher
from backend.extensions import db
from backend.practice.models import Alert, ClientNote, Consent
from backend.practice.service import current_invite
from backend.routines.content import load_builtin
from backend.routines.models import Routine
from backend.routines.plan.service import create_assignment, create_session
from backend.runs.models import Run
from backend.runs.service import create_run


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    display_name: str


PRACTITIONER = DemoLogin(
    "practitioner", "coach@demo.limber.test", "limber-demo-coach", "Sam Rivera"
)
RUNNER = DemoLogin("runner", "runner@demo.limber.test", "limber-demo-runner", "Alex Moreno")
HILLS = DemoLogin("runner", "hills@demo.limber.test", "limber-demo-hills", "Jordan Hale")
FLAGGED = DemoLogin("runner", "flag@demo.limber.test", "limber-demo-flag", "Casey Lin")
DEMO_LOGINS = (RUNNER, PRACTITIONER, HILLS, FLAGGED)
WEEKS = 12


def _user(login: DemoLogin, weight: str | None, joined: datetime) -> User:
    user = User(
        created_at=joined,
        email=login.email,
        password_hash=hasher().hash(login.password),
        display_name=login.display_name,
        role=login.role,
        units="metric",
        timezone="Europe/London",
        body_weight_kg=Decimal(weight) if weight else None,
    )
    db.session.add(user)
    return user


def create_demo(now: datetime | None = None) -> bool:
    """Create the demo practice; False if it already exists."""
    if db.session.scalar(select(User.id).where(User.email == PRACTITIONER.email)):
        return False
    now = now or datetime.now(UTC)
    rng = random.Random(7)  # noqa: S311 - repeatable demo data, not security
    joined = now - timedelta(weeks=WEEKS + 1)
    coach = _user(PRACTITIONER, None, joined)
    runners = {
        "improving": _user(RUNNER, "72.5", joined),
        "hills": _user(HILLS, "81", joined),
        "flagged": _user(FLAGGED, "64", joined),
    }
    db.session.flush()
    current_invite(coach)
    for runner in runners.values():
        db.session.add(
            Consent(
                runner_id=runner.id,
                practitioner_id=coach.id,
                granted_at=joined,
            )
        )
    db.session.commit()
    for kind, runner in runners.items():
        for data in _runs(kind, now, rng):
            create_run(runner, data)
    _routines(coach, runners, now, rng)
    _questionnaires(runners, now)
    _mornings(runners, now)
    _seen_older_alerts(coach, now)
    db.session.add_all(
        ClientNote(practitioner_id=coach.id, runner_id=runners[kind].id, body=body)
        for kind, body in NOTES
    )
    db.session.commit()
    return True


def _seen_older_alerts(coach: User, now: datetime) -> None:
    """The coach has already looked at alerts about runs more than two weeks old."""
    old_runs = select(Run.id).where(Run.local_date < (now - timedelta(days=14)).date())
    db.session.execute(
        update(Alert)
        .where(Alert.practitioner_id == coach.id, Alert.run_id.in_(old_runs))
        .values(acknowledged_at=now)
    )


# Routine plans per story: (routine slug, weekdays with 0 = Monday).
PLANS = {
    "improving": [("coregous-ball-breathing", list(range(7))), ("low-back-release", [0, 2, 4])],
    "hills": [("core-stability", [0, 2, 4]), ("hill-positioning", [1, 5])],
    "flagged": [("hip-circles", list(range(7)))],
}
# How often each runner does a planned routine.
FOLLOW_THROUGH = {"improving": 0.9, "hills": 0.6, "flagged": 0.5}
NOTES = (
    ("improving", "Breathing and ball release every evening; stiffness easing week on week."),
    ("hills", "Stiffness follows hill sessions. Work on posture on the climbs; core twice a week."),
    ("flagged", "Reported pain down the leg: asked to book a physio assessment before running."),
)


def _routines(coach: User, runners: dict[str, User], now: datetime, rng: random.Random) -> None:
    """Assign each runner a plan and log the sessions they did, shaped by their story."""
    if not db.session.scalar(select(Routine.id).where(Routine.slug.is_not(None)).limit(1)):
        load_builtin()
        db.session.commit()
    ids = dict(db.session.execute(select(Routine.slug, Routine.id)).tuples().all())
    first = (now - timedelta(weeks=WEEKS)).date()
    for kind, runner in runners.items():
        plan = [(ids[slug], days) for slug, days in PLANS[kind] if slug in ids]
        for routine_id, weekdays in plan:
            create_assignment(
                coach,
                runner.id,
                {"routine_id": routine_id, "weekdays": weekdays, "starts_on": first},
            )
        for offset in range((now.date() - first).days):
            day = first + timedelta(days=offset)
            # The flagged runner stopped their routines three weeks ago.
            if kind == "flagged" and day > now.date() - timedelta(weeks=3):
                break
            for routine_id, weekdays in plan:
                if day.weekday() in weekdays and rng.random() < FOLLOW_THROUGH[kind]:
                    create_session(
                        runner, {"routine_id": routine_id, "completed_at": _evening(day)}
                    )


# Questionnaire rounds every two weeks, the latest five days ago, so none is due today.
ROUNDS = (75, 61, 47, 33, 19, 5)
ACTIVITIES = ("run 10 km", "hill repeats", "sit through a work meeting")
# Per story and round: PSFS ratings of the three activities, and NPRS now/best/worst.
ANSWERS = {
    "improving": (
        [(3, 4, 4), (4, 4, 5), (5, 4, 5), (5, 5, 6), (6, 6, 7), (7, 6, 8)],
        [(5, 3, 7), (4, 3, 6), (4, 2, 6), (3, 2, 5), (2, 1, 4), (2, 1, 3)],
    ),
    "hills": (
        [(5, 2, 7), (5, 2, 7), (6, 3, 7), (5, 2, 7), (6, 2, 8), (6, 3, 7)],
        [(3, 1, 6), (3, 1, 6), (2, 1, 6), (3, 1, 5), (3, 1, 6), (2, 1, 6)],
    ),
    "flagged": (
        [(6, 5, 6), (6, 5, 6), (6, 5, 5), (5, 4, 5), (4, 3, 4), (3, 2, 3)],
        [(2, 1, 4), (2, 1, 4), (3, 1, 4), (3, 2, 5), (4, 2, 6), (5, 3, 7)],
    ),
}
GROC = {"improving": (2, 3, 3, 4, 5), "hills": (1, 0, 1, 1, 1), "flagged": (0, 0, -1, -2, -3)}


def _questionnaires(runners: dict[str, User], now: datetime) -> None:
    """Outcome questionnaires that tell the same stories as the runs."""
    from backend.outcomes.content import load_questionnaires
    from backend.outcomes.models import FIRST_ROUND, Questionnaire, QuestionnaireResponse
    from backend.outcomes.scoring import score

    if not db.session.scalar(select(Questionnaire.id).where(Questionnaire.builtin.is_(True))):
        load_questionnaires()
    q = {row.slug: row for row in db.session.scalars(select(Questionnaire))}
    for kind, runner in runners.items():
        psfs, nprs = ANSWERS[kind]
        previous: dict[str, str] = {}
        for i, days in enumerate(ROUNDS):
            at = (now - timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)
            answers: list[tuple[str, Any]] = [
                (
                    "psfs",
                    [{"name": n, "rating": r} for n, r in zip(ACTIVITIES, psfs[i], strict=True)],
                ),
                ("nprs", dict(zip(("now", "best", "worst"), nprs[i], strict=True))),
            ]
            if i:
                answers.append(("groc", {"change": GROC[kind][i - 1]}))
            for slug, given in answers:
                values = {a["name"]: a["rating"] for a in given} if slug == "psfs" else given
                ident = uuid.uuid4()
                db.session.add(
                    QuestionnaireResponse(
                        id=ident,
                        follows=previous.get(slug, FIRST_ROUND),
                        runner_id=runner.id,
                        questionnaire_id=q[slug].id,
                        answered_at=at,
                        local_date=at.date(),
                        answers=given,
                        score=score(q[slug].definition, values),
                        fingerprint="demo",
                    )
                )
                previous[slug] = str(ident)


def _mornings(runners: dict[str, User], now: datetime) -> None:
    """Next-morning answers on past runs: hill runs linger for the hills story, most
    others ease overnight. The improving runner's run yesterday is left unanswered, so
    Today asks about it."""
    rng = random.Random(11)  # noqa: S311 - repeatable demo data, not security
    yesterday = (now - timedelta(days=1)).date()
    improving = runners["improving"]
    if not db.session.scalar(
        select(Run.id).where(Run.user_id == improving.id, Run.local_date == yesterday)
    ):
        create_run(
            improving,
            {
                "started_at": _evening(yesterday) - timedelta(hours=1),
                "distance_km": 6.2,
                "duration_s": 2140,
                "surface": "road",
                "workout_type": "easy",
                "stiffness": 3,
                "stiffness_areas": ["low_back"],
                "red_flags": [],
                "notes": "",
            },
        )
    for kind, runner in runners.items():
        for run in db.session.scalars(
            select(Run).where(Run.user_id == runner.id, Run.local_date < yesterday)
        ):
            if run.stiffness is None:
                continue  # nothing to compare the morning with
            lingers = run.workout_type == "hills" and kind in ("hills", "flagged")
            if not lingers and rng.random() < 0.2:
                continue  # not every morning gets an answer
            ease = rng.choice([0, 1]) if lingers else rng.choice([2, 3, 4])
            run.morning_stiffness = max(0, run.stiffness - ease)
            run.morning_at = datetime.combine(
                run.local_date + timedelta(days=1), time(7, 15), tzinfo=UTC
            )
    db.session.commit()


def _evening(day: date) -> datetime:
    return datetime.combine(day, time(19, 30), tzinfo=UTC)


def _runs(kind: str, now: datetime, rng: random.Random) -> list[dict[str, object]]:
    """Three or four runs a week for twelve weeks, shaped by the runner's story."""
    runs: list[dict[str, object]] = []
    start = (now - timedelta(weeks=WEEKS)).replace(hour=7, minute=0, second=0, microsecond=0)
    for week in range(WEEKS):
        days = sorted(rng.sample(range(7), 4 if kind != "flagged" else 3))
        for i, day in enumerate(days):
            when = start + timedelta(weeks=week, days=day, minutes=rng.randint(0, 90))
            if when > now:
                continue
            workout = rng.choice(["easy", "easy", "tempo", "hills", "long", "intervals"])
            if i == len(days) - 1:
                workout = "long"
            surface = rng.choice(["road", "road", "trail", "track", "grass"])
            distance = {
                "long": 16.0,
                "easy": 7.0,
                "tempo": 9.0,
                "hills": 8.0,
                "intervals": 8.0,
            }.get(workout, 6.0) * rng.uniform(0.85, 1.15)
            pace = {"easy": 345, "long": 355, "tempo": 295, "hills": 330, "intervals": 300}.get(
                workout, 340
            )
            stiffness = _stiffness(kind, week, workout, surface, rng)
            flags: list[str] = []
            areas = ["low_back"] if stiffness >= 3 else []
            if stiffness >= 5:
                areas.append(rng.choice(["hips", "hamstrings", "glutes"]))
            if kind == "flagged" and week == WEEKS - 1 and i == 0:
                flags, stiffness = ["shooting_pain_leg", "leg_numbness"], 7
                areas = ["low_back", "hamstrings"]
            runs.append(
                {
                    "started_at": when,
                    "distance_km": round(distance, 2),
                    "duration_s": int(distance * pace),
                    "surface": surface,
                    "workout_type": workout,
                    "stiffness": stiffness,
                    "stiffness_areas": areas,
                    "red_flags": flags,
                    "notes": "",
                }
            )
    return runs


def _stiffness(kind: str, week: int, workout: str, surface: str, rng: random.Random) -> int:
    if kind == "improving":
        base = 6.5 - week * 0.4 + (1 if workout == "hills" else 0)
    elif kind == "hills":
        base = 6.5 if workout == "hills" else 2.5
    else:
        base = 3.5 + (1.5 if surface in ("trail", "grass") else 0)
    return max(0, min(10, round(base + rng.uniform(-1, 1))))
