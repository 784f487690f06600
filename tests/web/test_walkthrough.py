"""Given the example questionnaire, when a person answers every page, then one response
with their answers is stored and they see a reference."""

from __future__ import annotations

from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Response

FULL = {
    "feelings": {"feel-today": "4", "feel-safe": "sometimes"},
    "worries": {"worry-text": "Sometimes the other boy shouts at night"},
    "choices": {"who-helped": "alone", "activities": ["sport", "music"]},
    "numbers": {
        "happiness": "7",
        "moves": "3",
        "last-visit-day": "2",
        "last-visit-month": "3",
        "last-visit-year": "2025",
    },
    "agree": {"ok-to-share": "y"},
}


def answer_all(client, slug="example"):
    client.post(f"/s/{slug}", data={})
    for page_id, data in FULL.items():
        response = client.post(f"/s/{slug}/q/{page_id}", data={**data, "action": "continue"})
        assert response.status_code == 302, (page_id, response.get_data(as_text=True)[:3000])
    return client.get(f"/s/{slug}/check")


def test_complete_journey_stores_one_response(app, client, make_campaign, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    make_campaign()
    check = answer_all(client)
    assert check.status_code == 200
    text = check.get_data(as_text=True)
    assert "Sometimes the other boy shouts at night" in text
    assert "Sport, Music" in text
    sent = client.post("/s/example/check")
    assert sent.status_code == 302
    done = client.get(sent.headers["Location"])
    assert "HRD-" in done.get_data(as_text=True)
    with app.app_context():
        response = db.session.scalar(select(Response))
        stored = {a.question_id: a.value for a in db.session.scalars(select(Answer))}
    assert response is not None
    assert stored == {
        "feel-today": 4,
        "feel-safe": "sometimes",
        "worry-text": "Sometimes the other boy shouts at night",
        "who-helped": "alone",
        "activities": ["sport", "music"],
        "happiness": 7,
        "moves": 3,
        "last-visit": "2025-03-02",
        "ok-to-share": True,
    }
