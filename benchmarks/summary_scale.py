"""How the QA group's themed summary scales with the number of stored answers.

    .venv/bin/python benchmarks/summary_scale.py                  # 10,000, 50,000 and 100,000
    .venv/bin/python benchmarks/summary_scale.py --sizes 2000     # a quick run

For each size: a fresh SQLite database in a temporary folder (migrations applied), one
campaign of the 11-17 wellbeing questionnaire, that many submitted responses each with one
free-text answer and its stored insight (seeded random sentiment, themes, flags and
redacted text from the synthetic comment generator), then the time and peak Python memory
of `survey.review.summary.summarise` for that campaign, best of three, and the time to
render the whole summary page (`GET /staff/review/?campaign=scale`, signed in as a QA
reviewer, through Flask's test client: filters, summary, overview, quoted comments' groups,
charts and template), best of three. Nothing is analysed here: summaries read stored
insights. Figures go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import comments  # noqa: E402

from analysis.taxonomy import load_taxonomy  # noqa: E402


def build(size: int, folder: Path) -> object:
    from flask_migrate import upgrade

    from survey import create_app
    from survey.extensions import db
    from survey.library import library
    from survey.models import Answer, AnswerInsight, Response, utcnow
    from survey.staff.services import create_campaign

    url = f"sqlite:///{folder / f'summary-{size}.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, env="test")
    app.instance_path = str(folder)
    rng = random.Random(size)
    themes = [theme.id for theme in load_taxonomy()]
    texts = comments(min(size, 20_000), seed=11)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "survey" / "migrations"))
        questionnaire = library().get("cic-wellbeing-11-17")
        now = utcnow()
        campaign = create_campaign(
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            title="Scale",
            slug="scale",
            audience="children in care",
            opens_at=now - timedelta(days=60),
            closes_at=now + timedelta(days=30),
            cohort_size=None,
            anonymous_link=True,
            invitations=0,
            created_by=None,
        )
        responses, answers, insights = [], [], []
        for i in range(1, size + 1):
            when = now - timedelta(minutes=rng.randrange(60 * 24 * 50))
            responses.append(
                {
                    "id": i,
                    "reference": f"HRD-{i:08d}",
                    "campaign_id": campaign.id,
                    "questionnaire_id": questionnaire.id,
                    "questionnaire_version": questionnaire.version,
                    "language": "en",
                    "started_at": when - timedelta(minutes=6),
                    "submitted_at": when,
                }
            )
            text = texts[i % len(texts)]
            answers.append(
                {
                    "id": i,
                    "response_id": i,
                    "question_id": "anything_else",
                    "answer_type": "free_text",
                    "value": text,
                }
            )
            sentiment = rng.choice(["negative", "neutral", "positive"])
            polarity = {"negative": -0.5, "neutral": 0.0, "positive": 0.5}[sentiment]
            insights.append(
                {
                    "answer_id": i,
                    "response_id": i,
                    "campaign_id": campaign.id,
                    "question_id": "anything_else",
                    "polarity": polarity + rng.uniform(-0.3, 0.3),
                    "sentiment": sentiment,
                    "themes": rng.sample(themes, rng.choice([0, 1, 1, 2, 3])),
                    "redacted": text,
                    "flagged": rng.random() < 0.01,
                    "computed_at": when,
                }
            )
        db.session.execute(db.insert(Response), responses)
        db.session.execute(db.insert(Answer), answers)
        db.session.execute(db.insert(AnswerInsight), insights)
        db.session.commit()
    return app


def page_seconds(app: object, tries: int = 3) -> float:
    """Best of ``tries`` for the summary page, signed in as a QA reviewer."""
    import re

    from survey.auth.services import create_user
    from survey.extensions import db
    from survey.models import Role

    password = "benchmark-password-1234"  # noqa: S105 - a throwaway account in a temp database
    with app.app_context():  # type: ignore[attr-defined]
        create_user("qa@bench.invalid", "QA", Role.QA_REVIEWER, password)
        db.session.commit()
    client = app.test_client()  # type: ignore[attr-defined]
    form = client.get("/staff/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    signed = client.post(
        "/staff/sign-in",
        data={"email": "qa@bench.invalid", "password": password, "csrf_token": token[1]},  # type: ignore[index]
    )
    assert signed.status_code == 302, signed.status_code
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        page = client.get("/staff/review/?campaign=scale")
        best = min(best, time.perf_counter() - start)
        assert page.status_code == 200, page.status_code
    return best


def measure(app: object) -> tuple[float, float, int]:
    from survey.extensions import db
    from survey.insights.model import taxonomy_with_custom
    from survey.review.summary import Filters, summarise

    best = float("inf")
    with app.app_context():  # type: ignore[attr-defined]
        names = taxonomy_with_custom()
        for _ in range(3):
            db.session.expire_all()
            start = time.perf_counter()
            summary = summarise(Filters(campaigns=("scale",)), names)
            best = min(best, time.perf_counter() - start)
        db.session.expire_all()
        tracemalloc.start()
        summarise(Filters(campaigns=("scale",)), names)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return best, peak / 1e6, len(summary.themes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    args = parser.parse_args()
    print(
        "| stored answers | summarise, best of 3 (s) | peak Python memory (MB) | theme rows "
        "| whole page, best of 3 (s) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            app = build(size, Path(tmp))
            seconds, peak, rows = measure(app)
            page = page_seconds(app)
            print(f"| {size:,} | {seconds:.2f} | {peak:.0f} | {rows} | {page:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
