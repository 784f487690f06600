"""What every complaint letter draws on (see ``letter_words``): the facts gathered once
from the record, the way a date and a stage are written, and the Ombudsman's details.

Letters are in English: the officer edits and signs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from survey.models import Complaint, ComplaintStage, User

from .clock import Deadline
from .procedure import Procedure, Stage

#: The Local Government and Social Care Ombudsman, for after the last stage.
OMBUDSMAN = "Local Government and Social Care Ombudsman"
OMBUDSMAN_WEB = "www.lgo.org.uk"
OMBUDSMAN_PHONE = "0300 061 0614"
PANEL = "panel"  # the milestone id that makes a stage a review panel


class LetterNotReady(ValueError):
    """The record does not hold what this letter needs yet (say, no findings)."""


def day_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def stage_words(stage: Stage) -> tuple[str, str]:
    """("stage 2", "investigation") from "Stage 2: investigation (investigating officer...)"."""
    number, colon, what = stage.title.partition(":")
    if not colon:
        return stage.title, ""
    return number.strip().lower(), re.sub(r"\s*\([^)]*\)", "", what).strip()


def named_stage(stage: Stage) -> str:
    number, what = stage_words(stage)
    return f"{number} ({what})" if what else number


@dataclass(frozen=True)
class Facts:
    """What every letter draws on, gathered once."""

    complaint: Complaint
    procedure: Procedure
    record: ComplaintStage
    stage: Stage
    deadlines: dict[str, Deadline]
    easy: bool
    today: date
    owner: User | None
    phone: str

    @property
    def dear(self) -> str:
        name = self.complaint.complainant.name
        return f"Dear {name}," if name else "Hello,"

    @property
    def response(self) -> Deadline:
        return self.deadlines[self.stage.final.id]

    @property
    def panel(self) -> Deadline | None:
        return self.deadlines.get(PANEL)

    @property
    def following(self) -> Stage | None:
        """The stage the complainant may ask for after this one; None after the last."""
        return next(
            (s for s in self.procedure.stages if s.request and s.request.requires == self.stage.id),
            None,
        )

    def contact(self) -> str:
        ref = self.complaint.reference
        if self.easy:
            return f"Your reference is {ref}. Please use it if you contact us. " + (
                f"Our phone number is {self.phone}." if self.phone else ""
            )
        call = f"call the complaints team on {self.phone} or " if self.phone else ""
        return (
            f"Please quote reference {ref} whenever you contact us about it: {call}write to "
            "us at the address at the top of this letter."
        )
