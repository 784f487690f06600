"""The way on for a child younger or older than a survey's age range.

A questionnaire declares the ages it is for by its age question (``id: age``, a number with
``min`` and ``max``: the ages it accepts) and its ``age_band``. A 9-year-old who opens the
11-17 survey is refused at the age question (as is a 12-year-old on the 8-11 one); this
finds them the survey for their age, if the public can open one now (an open campaign with
an open link, between its opening and closing times: exactly those the home page lists),
for the same service (children in care and care leavers are one: ``SERVICES``): nothing a
child is shown here was not public already.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.library import library
from survey.models import Campaign, CampaignStatus, utcnow
from survey.questionnaire import Questionnaire
from survey.questionnaire.model import Question

AGE_QUESTION = "age"

#: Audiences served by one team, between whose surveys a child may be sent on by age: a
#: 14-year-old on the care leavers' survey is a child in care; a 20-year-old on the 11-17
#: one has left care. Any other audience is matched only with itself.
SERVICES = (frozenset({"children-in-care", "care-leavers"}),)


def same_service(one: str, other: str) -> bool:
    return one == other or any({one, other} <= service for service in SERVICES)


@dataclass(frozen=True)
class AgeOffer:
    """What the age error's box says: the survey for their age (``url`` and the ages it is
    for), or, when the public can open none now, ``url`` None (a kind line instead)."""

    url: str | None = None
    low: int | None = None
    high: int | None = None


def _age_question(questions: Sequence[Question]) -> Question | None:
    return next((q for q in questions if q.id == AGE_QUESTION and q.type == "number"), None)


def ages_accepted(questionnaire: Questionnaire) -> tuple[int, int] | None:
    """The ages a questionnaire takes: its age question's limits, else its ``age_band``."""
    question = _age_question(tuple(questionnaire.questions_by_id.values()))
    if question is None or question.min_value is None or question.max_value is None:
        return _band(questionnaire)
    return int(question.min_value), int(question.max_value)


def _band(questionnaire: Questionnaire) -> tuple[int, int] | None:
    low, _, high = (questionnaire.age_band or "").partition("-")
    return (int(low), int(high)) if low.isdigit() and high.isdigit() else None


def age_outside(question: Question | None, form: Any, sent: Mapping[str, Any]) -> int | None:
    """The age given on this page when it was refused for being outside the range, else
    None (not refused, or not a whole number)."""
    if question is None or question.min_value is None or not form[question.id].errors:
        return None
    try:  # read as the age question reads it ("9", " 9 ", "9.0")
        number = float(str(sent.get(question.id, "")).strip().replace(",", ""))
    except ValueError:
        return None
    if not number.is_integer() or number < 0:
        return None  # not a whole number (nan, inf), or not an age
    high = question.max_value
    if question.min_value <= number and (high is None or number <= high):
        return None  # within the range: refused for something else
    return int(number)


def offer_on_refusal(
    campaign: Any, questionnaire: Questionnaire, questions: Sequence[Question], form: Any
) -> AgeOffer | None:
    """For a page that was refused: the way on when its age was outside the range, else
    None.

    Younger: the survey for their age, or a kind line when none is open. Older: the survey
    for their age, or nothing (the survey's own message, such as "ask for the care leavers
    survey", stands). When there is a link, the age's error gives the ages alone: a survey's
    own message may name another survey ("ask for the survey for 8 to 11 year olds" to a
    7-year-old beside a link to the one for 4 to 7 year olds)."""
    question = _age_question(questions)
    age = age_outside(question, form, request.form)
    if question is None or age is None:
        return None
    offer = offer_for(campaign, questionnaire, age)
    if offer.url is None:
        return offer if age < (question.min_value or 0) else None
    low, high = int(question.min_value or 0), question.max_value
    if high is not None:
        form[question.id].errors = [
            _("Enter an age from %(low)d to %(high)d.", low=low, high=int(high))
        ]
    return offer


def offer_for(campaign: Any, questionnaire: Questionnaire, age: int) -> AgeOffer:
    """The open survey for a child of ``age`` in the same service as ``campaign``, if any.

    Preferred: the same team's, then one offered in the language the child reads now, then
    by title. An easy-read version leads to the other survey's easy-read version, if it has
    one."""
    lib, now = library(), utcnow()
    language = str(get_locale() or "en")
    team = db.session.scalar(select(Campaign.team).where(Campaign.id == campaign.id)) or ""
    public = db.session.scalars(
        select(Campaign).where(
            Campaign.status == CampaignStatus.OPEN,
            Campaign.anonymous_link.is_(True),
            Campaign.opens_at <= now,
            Campaign.closes_at > now,
            Campaign.id != campaign.id,
        )
    ).all()
    found: list[tuple[tuple[bool, bool, str, str], Campaign, Questionnaire, tuple[int, int]]] = []
    for other in public:
        theirs = lib.get(other.questionnaire_id, other.questionnaire_version)
        ages = ages_accepted(theirs) if theirs is not None else None
        if (
            theirs is None
            or ages is None
            or not same_service(theirs.audience, questionnaire.audience)
        ):
            continue
        if not ages[0] <= age <= ages[1]:
            continue
        offered = other.languages or list(theirs.languages)
        readable = language in offered and language in current_app.config["LANGUAGES"]
        rank = (other.team != team, not readable, other.title, other.slug)
        found.append((rank, other, theirs, ages))
    if not found:
        return AgeOffer()
    _, chosen, theirs, ages = min(found, key=lambda item: item[0])
    easy = questionnaire.easy_read_of and lib.easy_read(theirs.id, theirs.version) is not None
    version: dict[str, Any] = {"version": "easy-read"} if easy else {}
    url = url_for("respond.start", slug=chosen.slug, **version)
    low, high = _band(theirs) or ages
    return AgeOffer(url=url, low=low, high=high)
