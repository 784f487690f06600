"""The questionnaires we ship: they load, they can be compared, and they keep their promises.

These tests read the real files in ``questionnaires/``. They guard what analysis and
reporting rely on (the same question ids and answer values across age bands and across
versions of a survey) and what respondents were promised (help, a way to stop, routing
that only asks follow-up questions when they apply).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from survey.questionnaire import Question, Questionnaire, load_directory
from survey.questionnaire.routing import visible_pages

QUESTIONNAIRES = Path(__file__).resolve().parents[3] / "questionnaires"

WELLBEING = ("cic-wellbeing-4-7", "cic-wellbeing-8-11", "cic-wellbeing-11-17")
CHILDRENS = (*WELLBEING, "cp-conference-child")
CP_CONFERENCE = ("cp-conference-parents", "cp-conference-child", "cp-conference-professionals")
SHIPPED = {
    "cic-wellbeing-4-7": ("survey", "children-in-care"),
    "cic-wellbeing-8-11": ("survey", "children-in-care"),
    "cic-wellbeing-11-17": ("survey", "children-in-care"),
    "care-leavers-16-25": ("survey", "care-leavers"),
    "cp-conference-parents": ("feedback", "parents-family"),
    "cp-conference-child": ("feedback", "children"),
    "cp-conference-professionals": ("feedback", "professionals"),
    "foster-carer-annual": ("survey", "foster-carers"),
    "compliments-complaints": ("complaint", "public"),
}
QUESTION_COUNTS = {
    "cic-wellbeing-4-7": (10, 15),
    "cic-wellbeing-8-11": (25, 35),
    "cic-wellbeing-11-17": (40, 50),
}
CHOICE_TYPES = {"single_choice", "multiple_choice", "yes_no_sometimes", "faces", "scale"}
WHO_ANSWERED = ("alone", "adult-helped", "adult-answered")
#: Answers only an older band is offered: in England no child under 16 may be placed in
#: supported accommodation (The Care Planning, Placement and Case Review (England)
#: (Amendment) Regulations 2021), so the 4-7 and 8-11 surveys never offer it.
OLDER_ONLY = {"where-living": {"supported-accommodation"}}
YOUNGER = ("cic-wellbeing-4-7", "cic-wellbeing-8-11")


@pytest.fixture(scope="module")
def shipped() -> dict[str, Questionnaire]:
    loaded = load_directory(QUESTIONNAIRES)
    return {questionnaire_id: q for (questionnaire_id, _), q in loaded.items()}


def questions(questionnaire: Questionnaire) -> list[Question]:
    return [q for page in questionnaire.pages for q in page.questions]


def option_values(question: Question) -> tuple[str, ...]:
    return tuple(o.value for o in question.options)


def comparable(question: Question) -> tuple[str, ...]:
    """The values a younger band's question shares with the older bands'."""
    left_out = OLDER_ONLY.get(question.id, set())
    return tuple(value for value in option_values(question) if value not in left_out)


def shown_page_ids(questionnaire: Questionnaire, answers: dict[str, object]) -> list[str]:
    return [p.id for p in visible_pages(questionnaire, answers)]


def test_every_shipped_questionnaire_loads_with_its_kind_and_audience(shipped):
    for questionnaire_id, (kind, audience) in SHIPPED.items():
        questionnaire = shipped[questionnaire_id]
        assert (questionnaire.version, questionnaire.kind, questionnaire.audience) == (
            1,
            kind,
            audience,
        )
        assert questionnaire.languages[0] == "en"  # translations: tests/web/i18n


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_privacy_says_who_reads_the_answers_and_when(shipped, questionnaire_id):
    privacy = shipped[questionnaire_id].privacy.lower()
    assert "read" in privacy
    assert re.search(r"within \d+ working days", privacy)


@pytest.mark.parametrize("questionnaire_id", (*WELLBEING, "cp-conference-child"))
def test_every_childrens_version_records_who_answered_the_same_way(shipped, questionnaire_id):
    question = shipped[questionnaire_id].question("who-answered")
    assert question is not None
    assert question.type == "single_choice"
    assert option_values(question) == WHO_ANSWERED
    assert not question.optional


@pytest.mark.parametrize("older", WELLBEING[1:])
def test_youngest_bands_questions_repeat_in_older_bands_with_same_type_and_values(shipped, older):
    for young in questions(shipped["cic-wellbeing-4-7"]):
        question = shipped[older].question(young.id)
        assert question is not None, f"{young.id} is missing from {older}"
        assert question.type == young.type, young.id
        if young.type in CHOICE_TYPES:
            assert comparable(question) == option_values(young), young.id


@pytest.mark.parametrize(
    "family", [(*WELLBEING, "care-leavers-16-25", "cp-conference-child"), CP_CONFERENCE]
)
def test_an_id_shared_between_related_surveys_means_the_same_answers(shipped, family):
    seen: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for questionnaire_id in family:
        for question in questions(shipped[questionnaire_id]):
            mine = (questionnaire_id, question.type, comparable(question))
            first = seen.setdefault(question.id, mine)
            assert first[1:] == mine[1:], f"{question.id}: {first[0]} and {questionnaire_id} differ"


@pytest.mark.parametrize("questionnaire_id", YOUNGER)
def test_younger_bands_are_not_offered_what_the_law_keeps_for_older_ones(shipped, questionnaire_id):
    for easy_read in ("", "-easy-read"):
        questionnaire = shipped[questionnaire_id + easy_read]
        for question_id, values in OLDER_ONLY.items():
            offered = set(option_values(questionnaire.question(question_id)))
            assert offered.isdisjoint(values), questionnaire.id
    older = set(option_values(shipped["cic-wellbeing-11-17"].question("where-living")))
    assert OLDER_ONLY["where-living"] <= older


@pytest.mark.parametrize("questionnaire_id", QUESTION_COUNTS)
def test_each_age_band_has_the_expected_number_of_questions(shipped, questionnaire_id):
    low, high = QUESTION_COUNTS[questionnaire_id]
    assert low <= len(questions(shipped[questionnaire_id])) <= high


def test_youngest_band_uses_faces_and_one_question_per_childs_page(shipped):
    questionnaire = shipped["cic-wellbeing-4-7"]
    assert sum(q.type == "faces" for q in questions(questionnaire)) >= 3
    for page in questionnaire.pages:
        if page.title.startswith("For the adult helping"):
            continue
        assert len(page.questions) == 1, page.id


def test_youngest_bands_about_you_questions_are_marked_for_the_adult(shipped):
    questionnaire = shipped["cic-wellbeing-4-7"]
    for question_id in ("who-answered", "age", "gender", "where-living"):
        page = questionnaire.page(questionnaire.page_of_question[question_id])
        assert page is not None and page.title == "For the adult helping"
        # A page with one question shows the question as its heading, not the page title.
        assert "for the adult helping" in (page.intro or "").lower()


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_every_free_text_has_a_sensible_limit(shipped, questionnaire_id):
    for question in questions(shipped[questionnaire_id]):
        if question.type == "free_text":
            assert question.max_length is not None, question.id
            assert 100 <= question.max_length <= 1500, question.id


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_a_date_questions_help_leaves_the_example_to_the_page(shipped, questionnaire_id):
    """The date box's hint ends with "For example, 27 3 2026" on every date question: help
    that gives one too made a parent read the example twice."""
    for question in questions(shipped[questionnaire_id]):
        if question.type == "date":
            assert "for example" not in (question.help or "").lower(), question.id


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_every_required_choice_says_how_to_fix_a_missing_answer(shipped, questionnaire_id):
    for question in questions(shipped[questionnaire_id]):
        if question.optional or question.type not in CHOICE_TYPES | {"consent", "number"}:
            continue
        message = question.message("required")
        assert message, f"{question.id} has no 'required' message"
        assert message.split()[0] in {"Choose", "Select", "Enter", "Tick", "Tell"}, question.id


@pytest.mark.parametrize("questionnaire_id", CHILDRENS)
def test_childrens_versions_use_no_acronyms(shipped, questionnaire_id):
    questionnaire = shipped[questionnaire_id]
    texts = [questionnaire.title, questionnaire.description, questionnaire.privacy]
    for page in questionnaire.pages:
        texts += [page.title, page.intro or ""]
        for question in page.questions:
            texts += [question.text, question.help or "", question.statement or ""]
            texts += [o.label for o in question.options] + [o.hint or "" for o in question.options]
            texts += [question.min_label or "", question.max_label or ""]
    acronyms = {w for text in texts for w in re.findall(r"\b[A-Z]{2,}\b", text)} - {"OK"}
    assert not acronyms


def test_not_feeling_safe_where_you_live_reaches_the_lead_even_with_no_words(shipped):
    """The privacy text promises that telling us you are not safe reaches a safeguarding
    worker the same working day: "No" is a current risk, "Sometimes" goes on the review
    list, in every children's wellbeing version, its easy read, and the care leavers'."""
    ids = [*WELLBEING, *(f"{q}-easy-read" for q in WELLBEING), "care-leavers-16-25"]
    for questionnaire_id in ids:
        questionnaire = shipped[questionnaire_id]
        question = questionnaire.question(
            "home-feel-safe" if questionnaire_id.startswith("care") else "feel-safe-home"
        )
        assert question is not None, questionnaire_id
        assert dict(question.flag) == {"no": "current", "sometimes": "review"}, questionnaire_id


def test_safety_follow_up_is_asked_only_when_a_child_does_not_feel_safe(shipped):
    for questionnaire_id in WELLBEING[1:]:
        questionnaire = shipped[questionnaire_id]
        assert "feel-safer" not in shown_page_ids(questionnaire, {"feel-safe-home": "yes"})
        for answer in ("no", "sometimes"):
            assert "feel-safer" in shown_page_ids(questionnaire, {"feel-safe-home": answer})


def test_change_of_social_worker_is_asked_about_only_after_a_change(shipped):
    questionnaire = shipped["cic-wellbeing-11-17"]
    assert "new-social-worker" not in shown_page_ids(questionnaire, {"social-worker-changed": "no"})
    assert "new-social-worker" in shown_page_ids(questionnaire, {"social-worker-changed": "once"})


def test_care_leavers_survey_says_it_may_bring_up_hard_memories_and_they_can_stop(shipped):
    first = shipped["care-leavers-16-25"].pages[0].intro or ""
    assert "hard memories" in first or "difficult memories" in first
    assert "stop at any time" in first


def test_care_leavers_last_page_offers_help_and_a_routed_adviser_check_in(shipped):
    questionnaire = shipped["care-leavers-16-25"]
    support, checkin = questionnaire.pages[-2:]
    assert "999" in (support.intro or "") and "116 123" in (support.intro or "")
    wanted = questionnaire.question("checkin-wanted")
    assert wanted is not None and wanted in support.questions
    assert wanted.optional and option_values(wanted) == ("yes", "no")

    types = {q.type for q in checkin.questions}
    assert "consent" in types
    contact = questionnaire.question("checkin-contact")
    assert contact in checkin.questions and not contact.optional and not contact.sensitive
    # "Your other answers stay anonymous": the request is read on the check-in list only
    assert {q.id for q in questionnaire.kept_apart} == {
        "checkin-wanted",
        "checkin-consent",
        "checkin-contact",
    }

    assert shown_page_ids(questionnaire, {"checkin-wanted": "yes"})[-1] == checkin.id
    for answers in ({"checkin-wanted": "no"}, {}):
        assert shown_page_ids(questionnaire, answers)[-1] == support.id


@pytest.mark.parametrize("questionnaire_id", CP_CONFERENCE)
def test_every_conference_version_asks_which_type_of_conference(shipped, questionnaire_id):
    question = shipped[questionnaire_id].question("conference-type")
    assert question is not None
    assert option_values(question) == ("initial", "review", "not-sure")


@pytest.mark.parametrize(
    ("answers", "complaint_pages_shown", "advocate_shown"),
    [
        ({"feedback-type": "compliment", "who-you-are": "child-young-person"}, False, False),
        ({"feedback-type": "comment", "who-you-are": "parent"}, False, False),
        ({"feedback-type": "complaint", "who-you-are": "professional"}, True, False),
        ({"feedback-type": "complaint", "who-you-are": "child-young-person"}, True, True),
        ({"feedback-type": "complaint", "who-you-are": "parent"}, True, True),
    ],
)
def test_complaint_only_questions_show_only_for_complaints(
    shipped, answers, complaint_pages_shown, advocate_shown
):
    shown = shown_page_ids(shipped["compliments-complaints"], answers)
    assert ("your-complaint" in shown) is complaint_pages_shown
    assert ("advocate" in shown) is advocate_shown


def test_what_happened_asked_of_every_kind_of_feedback_speaks_to_none_in_particular(shipped):
    """A complainant told "For a compliment, tell us who or what was good" wonders whether
    they chose the wrong form."""
    questionnaire = shipped["compliments-complaints"]
    kinds = [o.value for o in questionnaire.question("feedback-type").options]
    page = next(p for p in questionnaire.pages if p.id == "what-happened")
    assert page.when is None
    for question in page.questions:
        words = " ".join(filter(None, (question.text, question.help))).lower()
        assert not [kind for kind in kinds if kind in words], question.id


def test_complaint_contact_details_are_asked_only_when_not_anonymous(shipped):
    questionnaire = shipped["compliments-complaints"]
    assert "contact-details" not in shown_page_ids(questionnaire, {"contact-how": "anonymous"})
    assert "contact-details" in shown_page_ids(questionnaire, {"contact-how": "email"})
    contact_how = questionnaire.question("contact-how")
    assert contact_how is not None
    assert option_values(contact_how) == ("email", "phone", "post", "anonymous")
    for question_id in ("contact-name", "contact-email", "contact-phone", "contact-address"):
        question = questionnaire.question(question_id)
        assert question is not None and question.type == "free_text"
        assert not question.sensitive, question_id
    assert questionnaire.question("consent-store") is not None


def test_no_questionnaire_mentions_bright_spots():
    for path in QUESTIONNAIRES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").lower()
        assert "bright spots" not in text and "brightspots" not in text, path.name


def test_a_parent_asked_about_an_advocate_is_told_it_is_for_the_child(shipped):
    """A parent offered "an advocate" after a hard meeting may take it as one for them."""
    questionnaire = shipped["compliments-complaints"]
    assert "advocate" in shown_page_ids(
        questionnaire, {"feedback-type": "complaint", "who-you-are": "parent"}
    )
    question = questionnaire.question("advocate-wanted")
    assert "for the child or young person, not for an adult" in (question.help or "")


@pytest.mark.parametrize("questionnaire_id", sorted(SHIPPED))
def test_every_team_someone_is_told_to_call_comes_with_its_number(shipped, questionnaire_id):
    """Found by a user trial: "In office hours you can call the leaving care team", and
    "use the numbers on the page before", where no page gave one. Each sentence that says
    to call a team gives its number or points to "Need help now?", which every page has."""
    from survey.questionnaire.i18n import messages

    wrong = [
        sentence
        for text, _ in messages(shipped[questionnaire_id])
        for sentence in re.split(r"(?<=[.!?])\s+", text)
        if re.search(r"\bcall (the|our|its)\b|\buse the numbers\b", sentence, re.IGNORECASE)
        and not re.search(r"\d", sentence)
        and "Need help now?" not in sentence
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "questionnaire_id",
    ["cp-conference-parents", "cp-conference-child", "cp-conference-child-easy-read"],
)
def test_conference_feedback_says_a_safeguarding_worker_may_find_the_conference(
    shipped, questionnaire_id
):
    """On a possible current risk the lead sees which conference the link was made for
    (its chair knows the family): the privacy notice says so, found by a privacy probe."""
    privacy = " ".join(shipped[questionnaire_id].privacy.split())
    assert re.search(r"may find out which (meeting|conference) your answer came from", privacy)
