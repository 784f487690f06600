"""The QA group's themed summary: filters in the address, figures from stored insights."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, survey_campaigns
from survey.dates import today
from survey.insights.model import taxonomy_with_custom
from survey.models import ConferenceType

from .blueprint import bp
from .chart import bar_chart
from .filters import filter_args, filters_from_request
from .overview import overview, quotes
from .questions import by_questionnaire
from .reports import direction
from .summary import Filters, summarise
from .wording import questionnaire_names


@bp.route("/")
@permission_required(Permission.REVIEW_THEMES)
def summary() -> ResponseReturnValue:
    filters = filters_from_request()
    campaigns = survey_campaigns()
    result = summarise(filters, taxonomy_with_custom())
    chart = bar_chart(
        [(row.name, row.current.count) for row in result.themes],
        _("Comments per theme"),
        _("Number of comments about each theme; the table below gives the same figures."),
        "themes-chart",
    )
    return render_template(
        "pages/review/summary.html",
        filters=filters,
        campaigns=campaigns,
        questionnaires=questionnaire_names({c.questionnaire_id for c in campaigns}),
        audiences=sorted({c.audience for c in campaigns if c.audience}),
        teams=sorted({c.team for c in campaigns if c.team}),
        conference_types=[t.value for t in ConferenceType],
        summary=result,
        question_groups=by_questionnaire(result.questions),
        filter_args=filter_args(filters),
        chart=chart,
        actions_url=_actions_url(filters),
        overview=overview(result, today()),
        quotes=quotes(result),
        direction=lambda row: direction(row, bool(result.previous_label)),
        theme_chart=lambda row, i: bar_chart(
            [
                (_("Negative"), row.current.negative),
                (_("Neutral"), row.current.neutral),
                (_("Positive"), row.current.positive),
            ],
            _("How people felt about %(theme)s", theme=row.name),
            _("Comments by feeling; the table gives the same figures."),
            f"theme-chart-{i}",
        ),
        question_chart=lambda q, i: bar_chart(
            q.options,
            q.text,
            _("Answers to this question; the table gives the same figures."),
            f"q{i}",
        ),
    )


def _actions_url(filters: Filters) -> Callable[[str], str] | None:
    """Actions are made for one campaign's theme, so the link shows for one campaign only
    (the page says so where the links would be): an action belongs to a campaign so that
    it can go on that campaign's "you said, we did" page and count in its loop measures."""
    if len(filters.campaigns) != 1:
        return None
    slug = filters.campaigns[0]
    return lambda theme: url_for("loop.new_action", campaign=slug, theme=theme)
