"""Demo accounts with believable history, so a newcomer sees something meaningful."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from backend.auth.models import User
from backend.auth.service import hasher
from backend.extensions import db
from backend.practice.models import Consent
from backend.practice.service import current_invite
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


def _user(login: DemoLogin, weight: str | None) -> User:
    user = User(
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
    coach = _user(PRACTITIONER, None)
    runners = {
        "improving": _user(RUNNER, "72.5"),
        "hills": _user(HILLS, "81"),
        "flagged": _user(FLAGGED, "64"),
    }
    db.session.flush()
    current_invite(coach)
    for runner in runners.values():
        db.session.add(
            Consent(
                runner_id=runner.id,
                practitioner_id=coach.id,
                granted_at=now - timedelta(weeks=WEEKS + 1),
            )
        )
    db.session.commit()
    for kind, runner in runners.items():
        for data in _runs(kind, now, rng):
            create_run(runner, data)
    return True


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
