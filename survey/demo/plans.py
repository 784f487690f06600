"""What the demo's campaigns look like: one plan per shipped questionnaire.

Cohort sizes and return rates are in the range such teams report (the council's best
children-in-care survey return was 52%); surveys with a launch have a reminder part-way,
rolling ones (feedback after each conference, the front door) have none.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """How one questionnaire's demo campaign looks."""

    slug: str
    title: str
    audience: str
    voice: str
    cohort: int | None
    responses: int
    weeks_open: int = 4
    weeks_left: int = 4
    invitations: int = 0  # personal invitation links issued
    reminder_day: int | None = 14  # a reminder went out; None: a rolling campaign
    tones: tuple[float, float, float, float] = (0.55, 0.25, 0.16, 0.04)  # +, mixed, -, worried


PLANS = {
    "cic-wellbeing-4-7": Plan(
        "wellbeing-4-7",
        "Your life, your say (4 to 7)",
        "Children in care aged 4 to 7",
        "young-child",
        70,
        30,
        invitations=70,
        tones=(0.62, 0.22, 0.13, 0.03),
    ),
    "cic-wellbeing-8-11": Plan(
        "wellbeing-8-11",
        "Your life, your say (8 to 11)",
        "Children in care aged 8 to 11",
        "child",
        125,
        56,
        invitations=125,
    ),
    "cic-wellbeing-11-17": Plan(
        "wellbeing-11-17",
        "Your life, your say (11 to 17)",
        "Children in care aged 11 to 17",
        "teen",
        265,
        122,
        invitations=200,
        tones=(0.48, 0.28, 0.19, 0.05),
    ),
    "care-leavers-16-25": Plan(
        "care-leavers",
        "Care leavers: how is life going?",
        "Care leavers aged 16 to 25",
        "care-leaver",
        210,
        68,
        weeks_open=5,
        weeks_left=3,
        reminder_day=16,
        tones=(0.45, 0.28, 0.22, 0.05),
    ),
    "cp-conference-parents": Plan(
        "conference-parents",
        "Your child protection conference",
        "Parents and family members",
        "parent",
        96,
        32,
        weeks_open=10,
        weeks_left=16,
        reminder_day=None,
        tones=(0.42, 0.28, 0.29, 0.01),
    ),
    "cp-conference-child": Plan(
        "conference-children",
        "Your meeting about keeping you safe",
        "Children and young people",
        "child",
        48,
        15,
        weeks_open=10,
        weeks_left=16,
        reminder_day=None,
    ),
    "cp-conference-professionals": Plan(
        "conference-professionals",
        "Child protection conference feedback",
        "Professionals",
        "professional",
        160,
        58,
        weeks_open=10,
        weeks_left=16,
        reminder_day=None,
        tones=(0.55, 0.3, 0.15, 0.0),
    ),
    "foster-carer-annual": Plan(
        "foster-carers",
        "Foster carers' annual survey",
        "Foster carers",
        "carer",
        165,
        72,
        weeks_open=3,
        weeks_left=3,
        reminder_day=10,
        tones=(0.5, 0.3, 0.2, 0.0),
    ),
    "compliments-complaints": Plan(
        "complaints",
        "Compliments and complaints",
        "Anyone who uses children's services",
        "parent",
        None,
        34,
        weeks_open=12,
        weeks_left=52,
        reminder_day=None,
        tones=(0.35, 0.15, 0.46, 0.04),
    ),
}
#: The campaign whose personal links the summary prints: the one with the return curve.
SHOWCASE = "wellbeing-11-17"
TONES = ("positive", "mixed", "negative", "worried")
#: When people answer, by hour of the day (local time is close enough for a demo).
HOURS = {
    "child": {7: 1, 8: 1, 12: 1, 13: 1, 15: 2, 16: 4, 17: 5, 18: 5, 19: 5, 20: 4, 21: 2, 22: 1},
    "work": {9: 4, 10: 5, 11: 5, 12: 3, 13: 4, 14: 5, 15: 4, 16: 3, 17: 2, 18: 1, 20: 1},
    "adult": {7: 1, 9: 2, 10: 3, 11: 2, 13: 2, 14: 2, 17: 2, 19: 4, 20: 5, 21: 4, 22: 3, 23: 1},
}
HOURS_OF_VOICE = {"young-child": "child", "child": "child", "teen": "child", "professional": "work"}
