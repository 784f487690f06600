"""Synthetic answers for the demo: one respondent's answers to a whole questionnaire.

Each respondent has a tone (positive, mixed, negative, worried) and a mood drawn from it;
closed answers lean with the mood, so the figures look like real ones (children who are
unhappy at home say so in the free text too). Pages and questions are walked with the
routing rules, so only what the person would see is answered and every required
question is. Values are stored in the form the runner stores them.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from survey.demo.text import compose
from survey.questionnaire.model import Question, Questionnaire
from survey.questionnaire.routing import shown

MOOD = {"positive": 0.75, "mixed": 0.1, "negative": -0.6, "worried": -0.8}

#: How good each option value is, 0 (worst) to 1 (best), wherever it appears.
GOODNESS = {
    "yes": 1.0,
    "partly": 0.5,
    "sometimes": 0.5,
    "no": 0.0,
    "not-sure": 0.4,
    "strongly-agree": 1.0,
    "agree": 0.8,
    "neither": 0.5,
    "disagree": 0.2,
    "strongly-disagree": 0.0,
    "always": 1.0,
    "mostly": 0.7,
    "rarely": 0.0,
    "about-right": 1.0,
    "too-little": 0.1,
    "too-much": 0.2,
    "better": 1.0,
    "same": 0.5,
    "worse": 0.0,
    "definitely": 1.0,
    "probably": 0.75,
    "probably-not": 0.25,
    "definitely-not": 0.0,
    "in-good-time": 1.0,
    "day-before": 0.4,
    "on-the-day": 0.1,
    "not-seen": 0.0,
    "weekly": 1.0,
    "monthly": 0.7,
    "every-few-months": 0.3,
    "own": 0.9,
    "share-ok": 0.6,
    "share-not-ok": 0.0,
    "most-of-the-time": 0.0,
    "often": 0.2,
    "now-and-then": 0.5,
    "almost-never": 0.8,
    "never": 1.0,
    "met": 1.0,
    "partly-met": 0.5,
    "not-met": 0.0,
    "provided": 1.0,
    "not-provided": 0.0,
    "yes-with-change": 0.5,
    "asked-not-given": 0.0,
    "no-plan": 0.1,
    "no-but-would-like": 0.3,
}
#: Questions where "yes" is the worrying answer.
REVERSED = frozenset({"worry-often", "treated-differently", "money-debt-worry", "checkin-wanted"})
OWN_GOODNESS = {
    "social-worker-changed": {"no": 1.0, "once": 0.4, "more-than-once": 0.0, "not-sure": 0.4},
    "ssw-changed": {"no": 1.0, "once": 0.4, "more-than-once": 0.0},
}
#: How common each value is before mood; values not listed weigh 1.
WEIGHTS: dict[str, dict[str, float]] = {
    "who-answered": {"alone": 7, "adult-helped": 3, "adult-answered": 0.6},
    "gender": {"girl": 44, "boy": 48, "another-way": 3, "prefer-not-say": 5},
    "where-living": {
        "foster-carers": 70,
        "relatives-or-friends": 13,
        "childrens-home": 10,
        "parents": 3,
        "supported-accommodation": 3,
        "somewhere-else": 1,
    },
    "time-in-care": {
        "less-than-1-year": 2,
        "1-to-2-years": 3,
        "2-to-5-years": 4,
        "more-than-5-years": 3,
        "not-sure": 1,
    },
    "home-type": {
        "own-tenancy": 30,
        "staying-put": 12,
        "supported-accommodation": 25,
        "family": 10,
        "partner-or-friends": 8,
        "student": 6,
        "custody": 2,
        "no-fixed-home": 3,
        "somewhere-else": 2,
    },
    "conference-type": {"initial": 4, "review": 5, "not-sure": 1},
    "relationship": {
        "parent": 14,
        "step-parent-or-partner": 3,
        "grandparent": 3,
        "other-family": 2,
        "family-friend": 1,
    },
    "attended-how": {"in-person": 6, "video": 3, "phone": 1, "mixed": 1, "did-not-attend": 0.6},
    "professional-role": {
        "social-worker": 5,
        "education": 6,
        "health-visitor-or-school-nurse": 4,
        "police": 2,
        "gp-or-doctor": 1.5,
        "early-help": 2,
    },
    "who-you-are": {
        "parent": 6,
        "child-young-person": 2,
        "extended-family": 1.5,
        "carer": 2,
        "professional": 1.5,
        "advocate": 0.7,
        "other": 0.5,
    },
    "contact-how": {"email": 6, "phone": 3, "post": 0.6, "anonymous": 3},
    "interpreter": {"not-needed": 14, "provided": 2, "not-provided": 0.5},
    "access-needs": {"no-needs": 12},
    "carer-type": {
        "mainstream": 10,
        "family-and-friends": 5,
        "short-breaks": 2,
        "specialist": 1,
        "emergency": 1,
    },
    "out-of-hours-used": {"yes": 4, "no": 6},
    "checkin-wanted": {"yes": 3, "no": 7},
    "raised-before": {"yes": 4, "no": 5, "not-sure": 1},
    "shared-report-with-family": {"yes": 6, "no": 2, "no-report": 2},
    "info-before-placement": {"no-new-child": 3},
}
#: Yes or no here says nothing about how things are going.
NEUTRAL = frozenset(
    {"out-of-hours-used", "raised-before", "conference-type", "shared-report-with-family"}
)
#: The value chosen by tone, for questions that set the whole answer's direction.
BY_TONE = {
    "feedback-type": {
        "positive": "compliment",
        "mixed": "comment",
        "negative": "complaint",
        "worried": "complaint",
    },
}
#: Answers that change whose voice the free text is in.
VOICE_OF = {
    "who-you-are": {
        "child-young-person": "teen",
        "parent": "parent",
        "extended-family": "parent",
        "carer": "carer",
        "professional": "professional",
        "advocate": "professional",
        "other": "parent",
    },
}
TOPIC = {
    "something-good": "good",
    "best-thing": "good",
    "feel-safer-home": "safer",
    "home-safer": "safer",
    "treated-differently-how": "treated",
    "why-stop": "complaint",
    "wanted-outcome": "outcome",
    "training-wanted": "training",
}
FIRST = ["Sam", "Alex", "Jo", "Priya", "Tom", "Aisha", "Chris", "Megan", "Dan", "Fatima", "Lee"]
LAST = ["Taylor", "Khan", "Smith", "Jones", "Patel", "Evans", "Brown", "Walker", "Hughes"]
TEAMS = ["leaving care", "children in care", "fostering", "front door", "disabled children"]


class Respondent:
    """One synthetic person answering one questionnaire."""

    def __init__(self, rng: random.Random, voice: str, tone: str, today: date) -> None:
        self.rng, self.voice, self.tone, self.today = rng, voice, tone, today
        self.mood = MOOD[tone] + rng.gauss(0, 0.2)
        self.name = (rng.choice(FIRST), rng.choice(LAST))

    def answer(self, questionnaire: Questionnaire, stop_after: int | None = None) -> dict[str, Any]:
        """Walk the pages in order; ``stop_after`` pages for a half-finished draft."""
        answers: dict[str, Any] = {}
        seen = 0
        for page in questionnaire.pages:
            if not shown(page, answers):
                continue
            if stop_after is not None and seen >= stop_after:
                break
            seen += 1
            for question in page.questions:
                if not shown(question, answers):
                    continue
                value = self.value(question, answers)
                if value is not None:
                    answers[question.id] = value
        return answers

    def value(self, question: Question, answers: dict[str, Any]) -> Any:
        rng = self.rng
        if question.type == "free_text":
            return self.text(question, answers)
        if question.optional and rng.random() < 0.1:
            return None
        if question.type == "consent":
            return True
        if question.type == "number":
            return self.number(question)
        if question.type == "date":
            return (self.today - timedelta(days=rng.randint(2, 75))).isoformat()
        if question.type == "multiple_choice":
            return self.several(question)
        choice = self.one(question)
        if question.id in VOICE_OF:
            self.voice = VOICE_OF[question.id].get(choice, self.voice)
        if question.type in ("faces", "scale"):
            return int(choice)
        return choice

    def one(self, question: Question) -> str:
        if question.id in BY_TONE:
            wanted = BY_TONE[question.id][self.tone]
            if any(o.value == wanted for o in question.options):
                return wanted
        values = [o.value for o in question.options]
        weights = [self.weight(question, v, i, len(values)) for i, v in enumerate(values)]
        return self.rng.choices(values, weights)[0]

    def weight(self, question: Question, value: str, index: int, count: int) -> float:
        base = WEIGHTS.get(question.id, {}).get(value, 1.0)
        if question.type == "faces":
            good, base = index / (count - 1), (0.5, 0.8, 1.2, 1.7, 1.4)[index]
        elif question.type == "scale":
            good = index / 10
            base = (0.2, 0.2, 0.3, 0.5, 0.7, 1.1, 1.4, 1.8, 1.8, 1.3, 1.0)[index]
        else:
            own = OWN_GOODNESS.get(question.id, GOODNESS)
            if value not in own or question.id in NEUTRAL:
                return base
            good = own[value]
            if question.id in REVERSED:
                good = 1.0 - good if value != "sometimes" else good
            if value == "not-sure":
                base *= 0.35
        # Most people are positive about most things, even those unhappy overall: the lift
        # and the spread keep "no" to "do you feel safe" near the share real surveys see.
        graded = question.type in ("faces", "scale")  # many steps: a gentler lean
        mood = self.mood + (0.3 if graded else 0.7) + self.rng.gauss(0, 0.3)
        return base * math.exp((1.6 if graded else 2.2) * mood * (2 * good - 1))

    def several(self, question: Question) -> list[str] | None:
        rng = self.rng
        exclusive = [o.value for o in question.options if o.exclusive]
        if exclusive and rng.random() < 0.06:
            return [rng.choice(exclusive)]
        pool = [o.value for o in question.options if not o.exclusive]
        count = min(len(pool), rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0])
        weights = [WEIGHTS.get(question.id, {}).get(v, 1.0) for v in pool]
        picked: list[str] = []
        while len(picked) < count:
            value = rng.choices(pool, weights)[0]
            if value not in picked:
                picked.append(value)
        return [v for v in pool if v in picked]

    def number(self, question: Question) -> int | float:
        low = int(question.min_value if question.min_value is not None else 0)
        high = int(question.max_value if question.max_value is not None else low + 10)
        if question.id == "children-now":
            values = list(range(low, high + 1))
            return self.rng.choices(values, [{0: 1, 1: 6, 2: 4, 3: 2}.get(n, 0.3) for n in values])[
                0
            ]
        value = self.rng.randint(low, high)
        if question.id == "age" and value == high and high - low > 4:
            value = self.rng.randint(low, high)  # fewer at the very top of the band
        return value if question.integer else float(value)

    def text(self, question: Question, answers: dict[str, Any]) -> str | None:
        rng = self.rng
        personal = self.personal(question)
        if personal is not None:
            return personal[: question.max_length or 1000]
        if question.optional and rng.random() > self.willingness():
            return None
        topic = TOPIC.get(question.id) or self.topic(question, answers)
        text = compose(rng, self.voice, topic, self.tone)
        return text[: question.max_length or 1000] or None

    def willingness(self) -> float:
        """How likely the person writes something in an optional box."""
        base = {"professional": 0.45, "young-child": 0.55}.get(self.voice, 0.65)
        return min(0.95, base + (0.25 if self.tone in ("negative", "worried") else 0.0))

    def topic(self, question: Question, answers: dict[str, Any]) -> str:
        if question.id == "what-happened":
            return {"compliment": "compliment", "complaint": "complaint"}.get(
                answers.get("feedback-type", ""), "comment"
            )
        words = f"{question.id} {question.text}".lower()
        return "good" if "good" in words or "best" in words else "change"

    def personal(self, question: Question) -> str | None:
        """Contact details and names: made up, in reserved ranges (example.com, 07700 900)."""
        first, last = self.name
        rng = self.rng
        if question.id == "contact-name":
            return f"{first} {last}"
        if question.id == "contact-email":
            return f"{first.lower()}.{last.lower()}@example.com"
        if question.id == "contact-phone":
            return f"07700 900{rng.randint(0, 999):03d}"
        if question.id == "contact-address":
            return f"{rng.randint(1, 120)} Station Road, Exampletown, EX1 {rng.randint(1, 9)}AB"
        if question.id == "checkin-contact":  # a name and a way to reach them (required)
            n = rng.randint(0, 999)  # one draw, as before: the demo's other answers stay
            return rng.choice(
                [
                    f"{first}, text me on 07700 900{n:03d}",
                    f"{first} {last}, {first.lower()}.{last.lower()}@example.com",
                    f"{first}, call 07700 900{n:03d} after 5pm please",
                    f"{first} {last[0]}. message me on the app, my PA has my number",
                ]
            )
        if question.id == "compliment-worker":
            return f"{rng.choice(FIRST)} in the {rng.choice(TEAMS)} team"
        return None
