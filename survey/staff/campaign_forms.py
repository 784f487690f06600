"""The campaign form's choices and its round trip to a campaign: shared by making,
changing and copying a campaign (survey/staff/views.py, survey/staff/lifecycle_views.py)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from survey.auth.policy import FRONT_DOOR, may_run_front_door
from survey.library import library
from survey.models import Campaign
from survey.questionnaire import Questionnaire
from survey.questionnaire.editing import untranslated

from .choices import choices_for
from .forms import CampaignForm


def questionnaire_name(q: Questionnaire) -> str:
    """The title, with the age band when there is one: two questionnaires may share a
    title ("Your life, your say" for 8-11 and for 11-17) and must be told apart."""
    band = getattr(q, "age_band", None)
    return _("%(title)s, ages %(ages)s", title=q.title, ages=band) if band else q.title


def questionnaire_choices(form: CampaignForm, current: Campaign | None = None) -> None:
    lib = library()
    choices = [SelectChoice("", _("Choose a questionnaire"))]
    front_door = may_run_front_door(current_user)
    for q in sorted(lib.campaignable().values(), key=lambda q: q.title):
        if q.id == FRONT_DOOR and not front_door:
            continue
        choices.append(
            SelectChoice(
                q.id,
                _("%(title)s (version %(v)d, newest)", title=questionnaire_name(q), v=q.version),
            )
        )
        choices += [
            SelectChoice(
                f"{q.id}@{v}", _("%(title)s (version %(v)d)", title=questionnaire_name(q), v=v)
            )
            for v in reversed(lib.versions(q.id))
            if v != q.version
        ]
    form.questionnaire.choices = choices
    languages = sorted(
        {code for q in lib.latest().values() for code in q.languages}
        | set(current_app.config["LANGUAGES"])
    )
    form.languages.choices = [SelectChoice(code, language_name(code)) for code in languages]
    form.managed = {
        "team": choices_for("team", current.team if current else ""),
        "audience": choices_for("audience", current.audience if current else ""),
    }


def language_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return f"{Locale.parse(code.replace('-', '_')).get_display_name('en')} ({code})"
    except (ValueError, UnknownLocaleError):
        return code


def chosen(form: CampaignForm) -> tuple[str, int]:
    value = form.questionnaire.data or ""
    if "@" in value:
        qid, version = value.rsplit("@", 1)
        return qid, int(version)
    latest = library().get(value)
    assert latest is not None  # the choice was validated against the library
    return latest.id, latest.version


def languages_problem(form: CampaignForm, qid: str, version: int) -> bool:
    found = library().get(qid, version)
    offered = set(found.languages) if found else set()
    missing = [code for code in form.languages.data or [] if code not in offered]
    if missing:
        form.languages.errors = [
            *form.languages.errors,
            _(
                "This questionnaire is not available in %(languages)s. Choose from: %(offered)s",
                languages=", ".join(missing),
                offered=", ".join(sorted(offered)),
            ),
        ]
        return True
    return untranslated_problem(form, found)


def untranslated_problem(form: CampaignForm, found: Questionnaire | None) -> bool:
    """A version whose words are not all translated into a language cannot be opened in
    it: a child choosing Polish would meet English questions halfway through."""
    if found is None:
        return False
    short = []
    # No language ticked means every language the questionnaire has (campaign_languages).
    for code in form.languages.data or list(found.languages):
        if code != "en" and (left := untranslated(found, library().catalogue(found.id, code))):
            short.append((code, len(left)))
    for code, n in short:
        form.languages.errors = [
            *form.languages.errors,
            _(
                "Version %(v)d of this questionnaire has %(n)d words or sentences not yet "
                "translated into %(language)s, so it cannot be opened in it. The questionnaire's "
                "edit page lists them; or leave %(language)s out.",
                v=found.version,
                n=n,
                language=language_name(code),
            ),
        ]
    return bool(short)


def campaign_fields(form: CampaignForm) -> dict[str, object]:
    qid, version = chosen(form)
    return {
        "questionnaire_id": qid,
        "questionnaire_version": version,
        "title": (form.title.data or "").strip(),
        "slug": form.slug.data or "",
        "audience": (form.audience.data or "").strip(),
        "team": (form.team.data or "").strip(),
        "opens_at": form.to_utc(form.opens_at.data),
        "closes_at": form.to_utc(form.closes_at.data),
        "cohort_size": form.cohort_size.data,
        "anonymous_link": bool(form.anonymous_link.data),
        "languages": list(form.languages.data or []),
        "forum": form.forum.data or "",
    }


def fill(form: CampaignForm, campaign: Campaign) -> None:
    latest = library().get(campaign.questionnaire_id)
    newest = latest is not None and latest.version == campaign.questionnaire_version
    form.questionnaire.data = (
        campaign.questionnaire_id
        if newest
        else f"{campaign.questionnaire_id}@{campaign.questionnaire_version}"
    )
    form.title.data, form.slug.data, form.audience.data = (
        campaign.title,
        campaign.slug,
        campaign.audience,
    )
    form.opens_at.data = form.to_local(campaign.opens_at)
    form.closes_at.data = form.to_local(campaign.closes_at)
    form.cohort_size.data = campaign.cohort_size  # type: ignore[assignment]
    form.anonymous_link.data = campaign.anonymous_link
    form.languages.data = list(campaign.languages or [])
    form.forum.data = campaign.forum
    form.team.data = campaign.team
