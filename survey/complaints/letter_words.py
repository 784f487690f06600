"""The words of the letters to the complainant, from the record (see ``letters``).

What each letter says is what is true of the complaint: the stage it is at (a review panel
is not a new complaint), the advocate asked for or arranged, that stage's findings, and
how and by when to ask for the next stage or, after the last, that the procedure is
complete and the Ombudsman is next. Letters are in English: the officer edits and signs them.
"""

from __future__ import annotations

from collections.abc import Callable

from . import labels
from .letter_facts import (
    OMBUDSMAN,
    OMBUDSMAN_PHONE,
    OMBUDSMAN_WEB,
    PANEL,
    Facts,
    LetterNotReady,
    day_words,
    named_stage,
    stage_words,
)
from .procedure import Stage
from .services import findings_missing, stage_findings

# Callers take the shared names from here, beside the words of each letter.
__all__ = [
    "OMBUDSMAN",
    "OMBUDSMAN_PHONE",
    "OMBUDSMAN_WEB",
    "PANEL",
    "WRITERS",
    "Facts",
    "LetterNotReady",
    "day_words",
]


# --- the advocate ----------------------------------------------------------------------------


def _advocate(facts: Facts) -> str:
    """What is true of the advocate: who it is, that one is being arranged, or the offer."""
    complaint, easy = facts.complaint, facts.easy
    role = complaint.complainant.role.value
    name = complaint.advocate_name.strip()
    if role == "advocate" or complaint.advocate_wanted == "not-for-child":
        return ""  # written to the advocate, or nobody's advocate to offer
    child = role == "child-young-person"
    if name:
        if easy:
            return (
                f"{name} is your advocate. An advocate is someone who is on your side and "
                "helps you say what you want."
                if child
                else f"{name} is the advocate for this complaint. An advocate is someone who "
                "is on the child's side and helps them say what they want."
            )
        return (
            f"{name} is your advocate. They are independent of the council and can help you "
            "say what you want at every step, free of charge."
            if child
            else f"{name} is the advocate for this complaint. They are independent of the "
            "council and help the child or young person say what they want, free of charge."
        )
    if complaint.advocate_wanted == "yes":
        if easy:
            return "You asked for an advocate. We are arranging one. We will tell you who it is."
        return (
            "An advocate was asked for. We are arranging one, free of charge, and will tell "
            "you who it is."
        )
    if complaint.advocate_wanted == "already-have":
        if easy:
            return "You told us you already have an advocate. Please tell us who they are."
        return (
            "You told us there is already an advocate. Please tell us who they are and how to "
            "contact them, so that we can keep them informed."
        )
    offer = (
        "You can have an advocate. An advocate is someone who is on your side and helps you "
        "say what you want. It is free."
        if easy
        else "A child or young person making a complaint, or the subject of one, can have an "
        "independent advocate, free of charge."
    )
    if complaint.advocate_wanted == "no":
        return offer + (
            " You said you do not want one. If you change your mind, tell us."
            if easy
            else " You told us one is not wanted; if you change your mind, please tell us and "
            "we will arrange one."
        )
    return offer + (
        " Tell us if you want one." if easy else " Please tell us if you would like one arranged."
    )


# --- acknowledgement -------------------------------------------------------------------------


def _acknowledgement(facts: Facts) -> tuple[str, list[str]]:
    if facts.panel is not None:
        return _panel_acknowledgement(facts)
    easy, ref = facts.easy, facts.complaint.reference
    received, due = day_words(facts.record.received_on), day_words(facts.response.due)
    number, _what = stage_words(facts.stage)
    who = facts.owner.name if facts.owner else "A complaints officer"
    people = _people(facts)
    if facts.stage.request is None:  # the first stage: the complaint itself
        title = "We have your complaint" if easy else f"Your complaint, reference {ref}"
        opening = (
            ["Thank you for telling us about your complaint.", f"We got it on {received}."]
            if easy
            else [
                f"Thank you for your complaint, which we received on {received}. We are looking "
                f"at it under {facts.procedure.letter_name}, at {named_stage(facts.stage)}."
            ]
        )
    else:
        title = (
            "We have your request"
            if easy
            else f"Your complaint at {named_stage(facts.stage)}, reference {ref}"
        )
        opening = (
            [
                f"You asked us to look at your complaint again. This is {number}.",
                f"We got your request on {received}.",
            ]
            if easy
            else [
                f"Thank you for asking for your complaint to go to {named_stage(facts.stage)} of "
                f"{facts.procedure.letter_name}. We received your request on {received}."
            ]
        )
    middle = (
        [
            f"{who} will look into it.",
            *people,
            f"We will write to you by {due} to tell you what we found.",
        ]
        if easy
        else [
            f"{who} is responsible for it and will contact you if we need to know more.",
            *people,
            f"We will send you our response by {due}.",
        ]
    )
    return title, [facts.dear, *opening, *middle, _advocate(facts), facts.contact()]


def _people(facts: Facts) -> list[str]:
    """The investigator and independent person named for this stage, if any."""
    record, easy = facts.record, facts.easy
    lines = []
    if record.investigator:
        lines.append(
            f"{record.investigator} will investigate your complaint."
            if not easy
            else f"{record.investigator} will find out what happened."
        )
    if record.independent_person:
        lines.append(
            f"{record.independent_person} is the independent person, who takes part in the "
            "investigation to make sure it is open and fair."
            if not easy
            else f"{record.independent_person} will check that it is fair. They do not work "
            "for the council."
        )
    return lines


def _panel_acknowledgement(facts: Facts) -> tuple[str, list[str]]:
    """A review panel: acknowledge the request and give the panel's date (or its latest)."""
    panel, easy, ref = facts.panel, facts.easy, facts.complaint.reference
    assert panel is not None
    received = day_words(facts.record.received_on)
    number, _what = stage_words(facts.stage)
    report = next((m for m in facts.stage.milestones if m.start == PANEL), None)
    if easy:
        when = (
            f"The panel met on {day_words(panel.done_on)}."
            if panel.done_on
            else f"The panel will meet by {day_words(panel.due)}. We will tell you when and where."
        )
        return "We have your request for a review panel", [
            facts.dear,
            "You asked for a review panel to look at your complaint.",
            "A review panel is a small group of people who look at your complaint again.",
            f"We got your request on {received}.",
            when,
            "After the panel, we will write to you to tell you what we will do.",
            _advocate(facts),
            facts.contact(),
        ]
    when = (
        f"The review panel met on {day_words(panel.done_on)}."
        if panel.done_on
        else f"The review panel must meet by {day_words(panel.due)}. We will tell you the date, "
        "time and place as soon as they are set."
    )
    after = (
        f"The panel will write a report with its recommendations within {report.limit.days} "
        f"{report.limit.unit} days of meeting, and we will then send you our response to it "
        f"within {facts.stage.final.limit.days} {facts.stage.final.limit.unit} days."
        if report is not None and facts.stage.final.start == report.id
        else f"We will send you our response by {day_words(facts.response.due)}."
    )
    return f"Your request for a review panel, reference {ref}", [
        facts.dear,
        "Thank you for asking for a review panel to look at your complaint. This is "
        f"{number} of {facts.procedure.letter_name}. We received your request on {received}.",
        when,
        after,
        _advocate(facts),
        facts.contact(),
    ]


# --- extension -------------------------------------------------------------------------------


def _extension(facts: Facts) -> tuple[str, list[str]]:
    response, easy, ref = facts.response, facts.easy, facts.complaint.reference
    if not response.extended:
        raise LetterNotReady("No extension is recorded for this stage")
    why = next(
        (e.detail for e in reversed(facts.complaint.events) if e.kind == "extension"), ""
    ).strip()
    if easy:
        return "We need more time", [
            facts.dear,
            f"We said we would write to you by {day_words(response.normal_due)}.",
            "We need more time to look into your complaint properly.",
            f"Why: {why}" if why else "We will explain why if you ask us.",
            f"We will write to you by {day_words(response.due)}.",
            facts.contact(),
        ]
    return f"Your complaint {ref}: more time needed", [
        facts.dear,
        f"We told you we would send our response at {named_stage(facts.stage)} by "
        f"{day_words(response.normal_due)}. We need longer to look into it properly.",
        f"The reason is: {why}" if why else "",
        f"We will now send you our response by {day_words(response.due)}. If you are unhappy "
        "about the delay, please tell us.",
        facts.contact(),
    ]


# --- response --------------------------------------------------------------------------------


def _response(facts: Facts) -> tuple[str, list[str]]:
    missing = findings_missing(facts.complaint, facts.stage.id)
    if missing is not None:
        raise LetterNotReady(str(missing))
    easy, ref = facts.easy, facts.complaint.reference
    title = "What we found" if easy else f"Our response to your complaint {ref}"
    text = [facts.dear, _response_opening(facts)]
    for point in stage_findings(facts.complaint, facts.stage.id):
        outcome = str(labels.OUTCOMES[point.outcome.value])  # type: ignore[union-attr]
        text.append(f"Point {point.number}: {point.summary}")
        text.append(f"What we found: {outcome}. {point.reason}".strip())
        if point.remedy:
            text.append(f"What we will do: {point.remedy}")
    following = facts.following
    text += _next_stage(facts, following) if following else _ombudsman(facts)
    return title, text


def _response_opening(facts: Facts) -> str:
    panel = facts.panel
    if panel is not None:
        met = f" on {day_words(panel.done_on)}" if panel.done_on else ""
        return (
            "The review panel looked at your complaint. This letter says what we will do."
            if facts.easy
            else f"The review panel met{met} to look at your complaint, and sent us its report "
            "and recommendations. This letter is our response: our decision on each point of "
            "your complaint, and what we will do."
        )
    if facts.easy:
        return "We have looked into your complaint."
    again = "" if facts.stage.request is None else " again"
    return (
        f"We have now looked into your complaint{again} at {named_stage(facts.stage)}. This letter "
        "sets out what we found on each point you raised, and what we will do."
    )


def _next_stage(facts: Facts, following: Stage) -> list[str]:
    """How and by when to ask for the next stage: its window runs from our response."""
    rule = following.request
    assert rule is not None
    answered = facts.record.done_dates().get(facts.stage.final.id)
    ask_by = day_words(rule.within.ends(answered or facts.today))
    since = f"our response on {day_words(answered)}" if answered else "the date of this letter"
    call = f"call the complaints team on {facts.phone} or " if facts.phone else ""
    if facts.easy:
        again = (
            "A review panel is a small group of people who look at your complaint again."
            if any(m.id == PANEL for m in following.milestones)
            else "This means someone looks at your complaint again."
        )
        return [
            f"If you are not happy with this, you can ask for {named_stage(following)}. {again}",
            f"Tell us by {ask_by}."
            + (f" Call us on {facts.phone}, or write to us." if facts.phone else ""),
            f"You can also ask the {OMBUDSMAN} to look at it. They usually want our "
            "complaints process to finish first.",
        ]
    return [
        "If you are not satisfied with this response, you can ask for your complaint to go to "
        f"{named_stage(following)} of {facts.procedure.letter_name}.",
        f"To ask, {call}write to us at the address at the top of this letter, quoting "
        f"reference {facts.complaint.reference}, and tell us what you are still unhappy about. "
        f"Please ask by {ask_by}, within {rule.within.days} {rule.within.unit} days of {since}.",
        f"You can also contact the {OMBUDSMAN}, who will usually expect our complaints "
        "procedure to have been completed first.",
    ]


def _ombudsman(facts: Facts) -> list[str]:
    """After the last stage the procedure is complete: the Ombudsman is next."""
    if facts.easy:
        return [
            "This was the last stage. Our complaints process has finished.",
            f"If you are still not happy, you can ask the {OMBUDSMAN} to look at your "
            "complaint. The Ombudsman does not work for the council. It is free.",
            f"Website: {OMBUDSMAN_WEB}",
            f"Phone: {OMBUDSMAN_PHONE}",
            facts.contact(),
        ]
    return [
        f"This was the last stage of {facts.procedure.letter_name}, so the council's "
        "complaints procedure is now complete.",
        f"If you are still not satisfied, you can ask the {OMBUDSMAN} to look at your "
        "complaint. The Ombudsman is independent of the council and free to use. Website: "
        f"{OMBUDSMAN_WEB}. Phone: {OMBUDSMAN_PHONE}.",
        facts.contact(),
    ]


WRITERS: dict[str, Callable[[Facts], tuple[str, list[str]]]] = {
    "acknowledgement": _acknowledgement,
    "extension": _extension,
    "response": _response,
}
