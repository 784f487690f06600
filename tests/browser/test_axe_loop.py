"""Given a campaign taken round the loop (insights, a flag, an action, a published page),
when the loop's staff pages are open in Chromium, then axe-core finds no WCAG 2.2 A or AA
violation: the themed summary with its SVG charts, the safeguarding queue and a flag, the
comments to review, a correction, the theme model, possible new themes, publishing and
the loop measures."""

from __future__ import annotations

from datetime import timedelta


def _round_the_loop(app, slug: str) -> dict[str, int]:
    from survey.extensions import db
    from survey.insights.services import store_missing
    from survey.loop import services
    from survey.models import (
        Action,
        ActionSource,
        Answer,
        AnswerInsight,
        Campaign,
        Response,
        SafeguardingFlag,
        utcnow,
    )

    texts = ["my social worker never rings me back"] * 6 + ["my step dad hits me when mum is out"]
    with app.app_context():
        campaign = db.session.query(Campaign).filter_by(slug=slug).one()
        now = utcnow()
        for i, text in enumerate(texts):
            response = Response(
                reference=f"LOOP-{i:04d}",
                campaign_id=campaign.id,
                questionnaire_id=campaign.questionnaire_id,
                questionnaire_version=campaign.questionnaire_version,
                started_at=now - timedelta(minutes=7),
                submitted_at=now,
            )
            response.answers.append(
                Answer(question_id="worry-text", answer_type="free_text", value=text)
            )
            response.answers.append(
                Answer(question_id="feel-safe", answer_type="yes_no_sometimes", value="yes")
            )
            db.session.add(response)
        db.session.commit()
        store_missing()
        action = Action(
            title="Ring back within 2 days",
            owner="Head of service",
            due_on=(now + timedelta(days=30)).date(),
            source=ActionSource.THEME,
            campaign_id=campaign.id,
            theme_ids=["communication"],
            public_said="Your worker does not ring back",
            public_text="Workers will ring back within 2 days",
        )
        db.session.add(action)
        db.session.commit()
        services.publish(campaign, [action], "", None)
        ids = {
            "flag": db.session.query(SafeguardingFlag.id).scalar(),
            "insight": db.session.query(AnswerInsight.id).filter_by(flagged=False).first()[0],
            "action": action.id,
        }
        db.session.remove()
    return ids


def test_the_loop_staff_pages_pass_axe(app, make_campaign, staff_page, axe):
    make_campaign("loop")
    ids = _round_the_loop(app, "loop")
    qa = staff_page("qa_reviewer", axe=True)
    for url, what in {
        "/staff/review/?campaign=loop": "themed summary",
        "/staff/review/comments?campaign=loop": "comments to review",
        f"/staff/review/comments/{ids['insight']}": "correct a comment",
        "/staff/review/model": "theme model",
        "/staff/review/topics?campaign=loop": "possible new themes",
        "/staff/loop/actions/new?campaign=loop&theme=communication": "action from a theme",
        "/staff/loop/loop/publish": "publish you said, we did",
        f"/staff/loop/actions/{ids['action']}/public": "public words",
        "/staff/loop/measures": "loop measures",
    }.items():
        response = qa.goto(url)
        assert response.status == 200, (url, response.status)
        axe(qa, f"staff {what}")
    lead = staff_page("safeguarding", axe=True)
    for url, what in {
        "/staff/safeguarding/": "safeguarding queue",
        f"/staff/safeguarding/{ids['flag']}": "a safeguarding flag",
    }.items():
        response = lead.goto(url)
        assert response.status == 200, (url, response.status)
        axe(lead, f"staff {what}")
