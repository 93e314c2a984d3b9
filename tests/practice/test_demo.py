from sqlalchemy import func, select

from backend import demo
from backend.extensions import db
from backend.routines.models import RoutineSession
from backend.runs.models import Run
from tests.support import Api


def create(app) -> bool:
    with app.app_context():
        created = demo.create_demo()
        db.session.remove()
    return created


class TestDemo:
    def test_it_gives_the_coach_a_meaningful_dashboard(self, app):
        assert create(app) is True
        coach = Api(app.test_client()).login(demo.PRACTITIONER, demo.PRACTITIONER.password)
        roster = coach.get("/api/v1/clients").get_json()["items"]
        assert len(roster) == 3
        assert roster[0]["display_name"] == demo.FLAGGED.display_name
        assert roster[0]["open_alerts"]["highest_level"] == "see_professional"
        assert all(item["adherence_14d"]["planned"] > 0 for item in roster)

        hills = next(i for i in roster if i["display_name"] == demo.HILLS.display_name)
        progress = coach.get(f"/api/v1/clients/{hills['id']}/progress").get_json()
        assert progress["triggers"][0]["value"] == "hills"
        assert progress["adherence"]["done"] > 0

        improving = next(i for i in roster if i["display_name"] == demo.RUNNER.display_name)
        weekly = coach.get(f"/api/v1/clients/{improving['id']}/progress").get_json()
        means = [w["mean"] for w in weekly["stiffness"]["weekly"]]
        assert means[0] >= means[-1] + 2  # easing week on week over the twelve weeks

    def test_it_changes_nothing_the_second_time(self, app, sql):
        def counts(s):
            return (
                s.scalar(select(func.count()).select_from(Run)),
                s.scalar(select(func.count()).select_from(RoutineSession)),
            )

        create(app)
        before = sql(counts)
        assert create(app) is False
        assert sql(counts) == before
