"""Invisible direction controls are taken out of typed answers; the marks and joiners
Urdu (and emoji) need are kept.

A user trial: a complaint holding U+202E (right-to-left override) read backwards on the
staff pages, and U+202A-U+202E, U+2066-U+2069 and U+200B were all kept, though other
control characters are stripped. U+200B (zero width space) is taken out too: it shows
nothing, but it splits a word so a search (or a safeguarding word list) misses it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

OVERRIDES = "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
ISOLATES = "\u2066\u2067\u2068\u2069"
ZERO_WIDTH_SPACE = "\u200b"
LRM, RLM, ZWNJ, ZWJ = "\u200e", "\u200f", "\u200c", "\u200d"
# Urdu with a right-to-left mark and a zero width non-joiner, and a family emoji (joiners).
URDU = f"{RLM}مجھے نہیں سنا گیا{ZWNJ} اور{LRM} 2026"
FAMILY = f"\U0001f469{ZWJ}\U0001f467{ZWJ}\U0001f466"


@pytest.fixture()
def person(client, make_campaign, journey):
    make_campaign()
    person = journey(client)
    person.start()
    person.answer_all({"feelings": {"feel-today": "4", "feel-safe": "sometimes"}})
    return person


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (f"my worker {OVERRIDES[4]}never listens", "my worker never listens"),
        (f"{OVERRIDES}a{ISOLATES}b", "ab"),
        (f"sh{ZERO_WIDTH_SPACE}out", "shout"),
        (URDU, URDU),  # direction marks and joiners stay
        (f"my family {FAMILY}", f"my family {FAMILY}"),
    ],
)
def test_direction_controls_are_taken_out_of_a_survey_answer(person, seen, store, typed, stored):
    assert person.answer("worries", {"worry-text": typed}).status_code == 302
    assert store.draft_answers()["worry-text"] == stored
    assert seen(person.page("worries")).value("worry-text") == stored


def test_a_complaint_cannot_read_backwards_on_the_staff_pages(app, send_shipped):
    from survey.extensions import db
    from survey.models import Complaint

    typed = (
        f"Nobody called me back{OVERRIDES[4]} for three weeks{OVERRIDES[2]}, "
        f"{ISOLATES[0]}not once{ISOLATES[3]}. {URDU} {FAMILY}"
    )
    send_shipped(
        "front-door",
        "compliments-complaints",
        chosen={"feedback-type": "complaint", "what-happened": typed},
    )
    with app.app_context():
        [complaint] = db.session.scalars(select(Complaint)).all()
        assert complaint.summary == (
            f"Nobody called me back for three weeks, not once. {URDU} {FAMILY}"
        )
        db.session.remove()
