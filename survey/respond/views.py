"""Public questionnaire runner: /s/<campaign>, /i/<token>, one page at a time.

Views stay thin: they load the campaign and draft, hand the page to the form builder and
the services, then redirect (Post/Redirect/Get) or render. The pages shown once the answers
are sent are in done_views, on the same blueprint (blueprint.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from survey.extensions import limiter
from survey.forms import HANDLERS, page_form
from survey.insights.drafts import screen_page
from survey.models import utcnow
from survey.questionnaire import Questionnaire
from survey.questionnaire.routing import (
    first_incomplete_page,
    next_page,
    previous_page,
    progress,
    relevant_answers,
    visible_pages,
    visible_questions,
)

from . import ages, limits, services
from .blueprint import SESSION_HELP
from .blueprint import bp as bp  # registered by the app from here (survey/app.py)
from .services import JourneyError

#: Past the campaign's hourly ceiling on starts: when to try again (the page's "a few minutes").
BUSY_RETRY_SECONDS = 300

JOURNEY_PAGES = {
    # kind: (template, HTTP status)
    "not_found": ("pages/respond/not_found.html", 404),
    "bad_link": ("pages/respond/bad_link.html", 404),
    "closed": ("pages/respond/closed.html", 410),
    "not_yet_open": ("pages/respond/not_yet_open.html", 403),
    "already_answered": ("pages/respond/already_answered.html", 409),
    "needs_invitation": ("pages/respond/needs_invitation.html", 403),
    "no_draft": ("pages/respond/no_draft.html", 409),
    "bad_code": ("pages/respond/resume.html", 404),
    "unavailable": ("pages/respond/not_found.html", 404),
    "busy": ("pages/respond/busy.html", 429),
}


@bp.errorhandler(JourneyError)
def journey_error(error: JourneyError) -> ResponseReturnValue:
    template, status = JOURNEY_PAGES.get(error.kind, JOURNEY_PAGES["not_found"])
    page = render_template(
        template, kind=error.kind, code_error=error.kind == "bad_code", opens_at=error.opens_at
    )
    if error.kind == "busy":  # the page says "try again in a few minutes"
        return page, status, {"Retry-After": str(BUSY_RETRY_SECONDS)}
    return page, status


def _language() -> str:
    return str(get_locale() or "en")


@bp.route("/s/<slug>", methods=["GET", "POST"])
# Room for a class or a care-leavers' event starting together behind one address.
@limiter.limit("120/minute", methods=["POST"])
# ...but at most half the campaign's hourly starts from one address, so no one place can
# take them all and leave every child after it told to come back later.
@limiter.limit(limits.starts_per_address, methods=["POST"], key_func=limits.address_and_slug)
def start(slug: str) -> ResponseReturnValue:
    campaign = services.open_campaign(slug)
    questionnaire = services.questionnaire_for(campaign, easy_read=_easy_read())
    if not campaign.anonymous_link:
        raise JourneyError("needs_invitation")
    if request.method == "POST":
        services.start_draft(campaign, None, _language(), _variant(questionnaire))
        return redirect(url_for(".page", slug=slug, page_id=questionnaire.pages[0].id))
    draft = services.current_draft(campaign)
    return render_template(
        "pages/respond/start.html",
        campaign=campaign,
        questionnaire=questionnaire,
        draft=draft,
        carry_on=_carry_on_url(slug, services.questionnaire_for(campaign, draft), draft),
        action=url_for(".start", slug=slug, **_variant_args(questionnaire)),
        other_version=_other_version(campaign, questionnaire, ".start", slug=slug),
    )


def _easy_read() -> bool:
    return request.args.get("version") == "easy-read"


def _variant(questionnaire: Questionnaire) -> str | None:
    """What the draft records: the variant's id, or None for the campaign's own."""
    return questionnaire.id if questionnaire.easy_read_of else None


def _variant_args(questionnaire: Questionnaire) -> dict[str, Any]:
    return {"version": "easy-read"} if questionnaire.easy_read_of else {}


def _other_version(
    campaign: Any, questionnaire: Questionnaire, endpoint: str, **args: Any
) -> str | None:
    """The link from the start page to the easy-read version, or back to the standard one."""
    if questionnaire.easy_read_of:
        return url_for(endpoint, **args)
    if services.easy_read_for(campaign) is None:
        return None
    return url_for(endpoint, version="easy-read", **args)


def _carry_on_url(slug: str, questionnaire: Questionnaire, draft: Any) -> str | None:
    """Where a returning person picks up: the first page still needing an answer, judged
    by the routing now (the page they last saw may since have been hidden)."""
    if draft is None or not draft.answers:
        return None
    target = first_incomplete_page(questionnaire, relevant_answers(questionnaire, draft.answers))
    if target is None:
        return url_for(".check", slug=slug)
    return url_for(".page", slug=slug, page_id=target.id)


@bp.route("/i/<token>", methods=["GET", "POST"])
# GET too (guessing links), with room for a class of 30 behind one school address.
@limiter.limit("120/minute;2000/hour")
def invitation(token: str) -> ResponseReturnValue:
    invite = services.open_invitation(token)
    campaign = invite.campaign
    questionnaire = services.questionnaire_for(campaign, easy_read=_easy_read())
    if request.method == "POST":
        services.start_draft(campaign, invite, _language(), _variant(questionnaire))
        return redirect(url_for(".page", slug=campaign.slug, page_id=questionnaire.pages[0].id))
    return render_template(
        "pages/respond/start.html",
        campaign=campaign,
        questionnaire=questionnaire,
        draft=None,
        action=url_for(".invitation", token=token, **_variant_args(questionnaire)),
        other_version=_other_version(campaign, questionnaire, ".invitation", token=token),
    )


def _after_page(
    slug: str, questionnaire: Questionnaire, stored: Any, page_id: str, to_check: bool
) -> str:
    """Where to go after a page is answered. Coming back from the check page, go on only
    to pages a changed answer has just made necessary, then back to the check page."""
    answers = relevant_answers(questionnaire, stored or {})
    if to_check:
        target = first_incomplete_page(questionnaire, answers)
        if target is None:
            return url_for(".check", slug=slug)
        return url_for(".page", slug=slug, page_id=target.id, **{"return": "check"})
    following = next_page(questionnaire, page_id, answers)
    if following is None:
        return url_for(".check", slug=slug)
    return url_for(".page", slug=slug, page_id=following.id)


def _journey(slug: str) -> tuple[Any, Questionnaire, Any]:
    campaign, draft = services.open_campaign_and_draft(slug)
    if draft is None:
        raise JourneyError("no_draft")
    if draft.response_id is not None:
        raise JourneyError("already_answered")
    return campaign, services.questionnaire_for(campaign, draft), draft


class SentAlready(Exception):
    """This browser sent its answers to the campaign already."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


@bp.errorhandler(SentAlready)
def sent_already(error: SentAlready) -> ResponseReturnValue:
    return redirect(url_for(".done", slug=error.slug))


def _sent_journey(slug: str) -> tuple[Any, Questionnaire, Any]:
    """``_journey`` for a page this browser may come back to after sending (Back from the
    thank-you page, a double click, a retried POST): its own confirmation, not an error.

    Asked only after the draft was seen as sent, so a racing request that has just sent
    it is found here. The confirmation decides what it shows again (``done``).
    """
    try:
        return _journey(slug)
    except JourneyError as error:
        if error.kind in ("no_draft", "already_answered"):
            reference = services.sent_reference(services.campaign_by_slug(slug))
            if reference is not None:
                services.remember_done(slug, reference)
                raise SentAlready(slug) from error
        raise


@bp.route("/s/<slug>/q/<page_id>", methods=["GET", "POST"])
@limiter.limit("120/minute", methods=["POST"], key_func=services.draft_or_address)
def page(slug: str, page_id: str) -> ResponseReturnValue:
    campaign, questionnaire, draft = _sent_journey(slug)
    answers = relevant_answers(questionnaire, draft.answers or {})
    current = questionnaire.page(page_id)
    if current is None or current not in visible_pages(questionnaire, answers):
        abort(404)
    questions = visible_questions(current, answers)
    form = page_form(questions, answers, request.form if request.method == "POST" else None)
    returning_to_check = request.args.get("return") == "check"
    if request.method == "POST":
        action = request.form.get("action", "")
        saving = action == "save"
        switching = action.startswith("language:")  # keeps what was typed on this page
        valid = form.validate()
        stored = draft.answers  # read before the save, which ends the transaction
        if valid or saving or switching:
            before = dict(stored or {})
            given = form.stored_answers()
            stored = services.save_answers(draft, given, page_id)
            if screen_page(draft, questionnaire, given, before):
                session[SESSION_HELP] = True
        else:
            # The page is refused (a wrong date, too many words), but what was typed is still
            # read for danger: a child who gives up at the error message must be heard too.
            # So is a chosen answer the questionnaire marks ("No" to feeling safe).
            typed: dict[str, Any] = {
                q.id: request.form.get(q.id, "") for q in questions if q.type == "free_text"
            }
            for q in questions:
                if q.flag and q.id in request.form:
                    many = q.type == "multiple_choice"
                    typed[q.id] = request.form.getlist(q.id) if many else request.form[q.id]
            if screen_page(draft, questionnaire, typed, dict(draft.answers or {})):
                session[SESSION_HELP] = True
        if switching:
            services.switch_language(draft, action.partition(":")[2])
            return redirect(request.full_path.rstrip("?"))
        if saving:
            code = services.issue_resume_code(draft)
            services.forget_draft(slug)  # the code, not this browser, now opens the answers
            services.remember_saved(slug, services.format_code(code))
            return redirect(url_for(".saved", slug=slug))
        if valid:
            return redirect(_after_page(slug, questionnaire, stored, page_id, returning_to_check))
    back = previous_page(questionnaire, page_id, answers)
    position, total = progress(questionnaire, page_id, answers)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "pages/respond/page.html",
        campaign=campaign,
        questionnaire=questionnaire,
        page=current,
        questions=questions,
        form=form,
        handlers=HANDLERS,
        position=position,
        total=total,
        back_url=url_for(".check", slug=slug)
        if returning_to_check
        else url_for(".page", slug=slug, page_id=back.id)
        if back
        else url_for(".start", slug=slug)
        if campaign.anonymous_link
        else None,
        returning_to_check=returning_to_check,
        age_offer=ages.offer_on_refusal(campaign, questionnaire, questions, form)
        if request.method == "POST"
        else None,
    ), status


@bp.route("/s/<slug>/saved")
def saved(slug: str) -> ResponseReturnValue:
    """Shows the save-and-return code after a redirect, so reloading never issues another;
    only soon after saving, and never once a new answer is begun in this browser."""
    code = services.saved_code(slug)
    if code is None:
        raise JourneyError("no_draft")
    campaign = services.campaign_by_slug(slug)
    return render_template(
        "pages/respond/saved.html",
        campaign=campaign,
        questionnaire=services.questionnaire_for(campaign),
        code=code,
        # Saved answers are kept DRAFT_DAYS, but cannot be sent once the survey has closed.
        closes_first=campaign.closes_at is not None
        and campaign.closes_at < utcnow() + timedelta(days=current_app.config["DRAFT_DAYS"]),
    )


@bp.route("/s/<slug>/check", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"], key_func=services.draft_or_address)
def check(slug: str) -> ResponseReturnValue:
    campaign, questionnaire, draft = _sent_journey(slug)
    answers = relevant_answers(questionnaire, draft.answers or {})
    incomplete = first_incomplete_page(questionnaire, answers)
    if request.method == "POST" and incomplete is None:
        try:
            submitted = services.submit(draft, campaign, questionnaire)
        except JourneyError as error:
            if error.kind != "already_answered":
                raise
            # The personal link was used to send answers from another browser first.
            return redirect(url_for(".already_sent", slug=slug))
        services.remember_done(slug, submitted.reference)
        return redirect(url_for(".done", slug=slug))
    rows = [
        (
            page,
            question,
            # nothing given yet (the page opened before answering): "Not answered", not "None"
            HANDLERS[question.type].display(question, answers[question.id])
            if answers.get(question.id) not in (None, "", [])
            else "",
        )
        for page in visible_pages(questionnaire, answers)
        for question in visible_questions(page, answers)
    ]
    return render_template(
        "pages/respond/check.html",
        campaign=campaign,
        questionnaire=questionnaire,
        rows=rows,
        incomplete=incomplete,
        back_url=url_for(".page", slug=slug, page_id=visible_pages(questionnaire, answers)[-1].id),
    ), (400 if request.method == "POST" else 200)


@bp.route("/resume", methods=["GET", "POST"])
# Only codes that did not work count: a class behind one address carries on with its own.
@limiter.limit(
    limits.WRONG_CODES,
    methods=["POST"],
    deduct_when=limits.wrong_code,
    on_breach=limits.too_many_wrong_codes,
)
def resume() -> ResponseReturnValue:
    if request.method == "POST":
        code = request.form.get("code", "").strip()[:40]
        campaign = services.resume(code)
        _, questionnaire, draft = _journey(campaign.slug)
        answers = relevant_answers(questionnaire, draft.answers or {})
        target = first_incomplete_page(questionnaire, answers)
        if target is None:
            return redirect(url_for(".check", slug=campaign.slug))
        return redirect(url_for(".page", slug=campaign.slug, page_id=target.id))
    return render_template("pages/respond/resume.html", code_error=False)
