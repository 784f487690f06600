"""The helplines for who a survey is for, in words for print and messages.

The questionnaire's own pages choose them in templates/components/help.html; invitations,
reminders, letters, posters and the "you said, we did" page and poster use these, so that a
care leaver of 24, a parent or a foster carer is not pointed to a line for children alone:
Childline for children and young people; Samaritans, and Childline while under 19, for care
leavers; Samaritans and the NSPCC helpline (for adults worried about a child) for adults.
"""

from __future__ import annotations

from flask_babel import gettext as _

from survey.library import library
from survey.models import Campaign

#: Questionnaire audiences answered by adults (the questionnaires' ``audience``).
ADULTS = frozenset({"parents-family", "foster-carers", "professionals"})
CARE_LEAVERS = "care-leavers"


def audience_of(campaign: Campaign) -> str:
    """Who the campaign's questionnaire is for ("" when it does not say)."""
    lib = library()
    questionnaire = lib.get(campaign.questionnaire_id, campaign.questionnaire_version) or lib.get(
        campaign.questionnaire_id
    )
    return str(getattr(questionnaire, "audience", "") or "") if questionnaire else ""


def help_line(audience: str) -> str:
    """One line for a letter or poster."""
    if audience == CARE_LEAVERS:
        said = _(
            "Need to talk to someone now? Samaritans: 116 123 (free, any time). "
            "Under 19? Childline: 0800 1111 (free)."
        )
    elif audience in ADULTS:
        said = _(
            "Need to talk to someone now? Samaritans: 116 123 (free, any time). "
            "Worried about a child? NSPCC helpline: 0808 800 5000."
        )
    else:
        said = _("Need to talk to someone now? Childline: 0800 1111 (free, any time).")
    return str(said)


def help_sentence(audience: str) -> str:
    """One sentence for an invitation or reminder."""
    if audience == CARE_LEAVERS:
        said = _(
            "If you need to talk to someone now, call Samaritans free on 116 123, or "
            "Childline free on 0800 1111 if you are under 19."
        )
    elif audience in ADULTS:
        said = _(
            "If you need to talk to someone now, call Samaritans free on 116 123. If you "
            "are worried about a child, call the NSPCC helpline on 0808 800 5000."
        )
    else:
        said = _("If you need to talk to someone now, call Childline free on 0800 1111.")
    return str(said)
