"""Every answer type: how it is shown, what is stored, and what a person is told when an
answer cannot be used (questionnaires/examples/every-type.yaml and messages.yaml)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from survey.dates import today as uk_today

# Two days on, in UK time as the form checks it: a run that crosses midnight (the
# constant is computed at import) still sends a date in the future.
FUTURE = uk_today() + timedelta(days=2)


@pytest.fixture()
def person(client, make_campaign, journey):
    """Given someone who has started the example with every answer type."""
    make_campaign()
    person = journey(client)
    person.start()
    return person


@pytest.fixture()
def at_every_page(person, every_type_answers):
    """...and has answered the first page so that the routed 'worries' page is shown."""
    person.answer_all({"feelings": every_type_answers["feelings"]})
    return person


def labels_in(fieldset):
    return [label.get_text(" ", strip=True) for label in fieldset.find_all("label")]


def fieldset_for(page, question_id):
    first_input = page.soup.find(id=question_id)
    assert first_input is not None, question_id
    return first_input.find_parent("fieldset")


# --- how each type is shown -------------------------------------------------------------


def test_faces_are_radios_in_a_fieldset_and_every_face_has_a_text_label(person, seen):
    page = seen(person.page("feelings"))
    assert page.status == 200
    fieldset = fieldset_for(page, "feel-today")
    assert fieldset.legend.get_text(strip=True) == "How do you feel today?"
    assert labels_in(fieldset) == ["Very sad", "Sad", "In the middle", "Happy", "Very happy"]
    radios = fieldset.find_all("input", attrs={"type": "radio"})
    assert [r["value"] for r in radios] == ["1", "2", "3", "4", "5"]
    assert all(svg.get("aria-hidden") == "true" for svg in fieldset.find_all("svg"))


def test_the_faces_can_be_told_apart_without_reading(person, seen):
    """Found by a user trial: "Very sad" and "Sad" differed only by a mouth's curve, which a
    child of 4 cannot tell apart at 40 pixels. Very sad now has raised eyebrows and a tear,
    very happy an open smile: each face is drawn with its own shapes."""
    fieldset = fieldset_for(seen(person.page("feelings")), "feel-today")
    drawings = [str(svg) for svg in fieldset.find_all("svg")]
    assert len(set(drawings)) == 5
    shapes = [len(svg.find_all(["path", "circle"])) for svg in fieldset.find_all("svg")]
    assert shapes[0] > shapes[1] == shapes[2] == shapes[3]  # very sad: brows and a tear
    very_happy = fieldset.find_all("svg")[4].find_all("path")[-1]
    assert very_happy.get("fill") == "currentColor"  # an open, filled smile


def test_yes_no_sometimes_is_a_group_of_three_radios(person, seen):
    fieldset = fieldset_for(seen(person.page("feelings")), "feel-safe")
    assert fieldset.legend.get_text(strip=True) == "Do you feel safe where you live?"
    assert labels_in(fieldset) == ["Yes", "Sometimes", "No"]


def test_free_text_has_a_label_its_help_and_its_limit(at_every_page, seen):
    page = seen(at_every_page.page("worries"))
    box = page.soup.find("textarea", id="worry-text")
    label = page.soup.find("label", attrs={"for": "worry-text"})
    assert label.get_text(" ", strip=True) == "What makes you feel unsafe? (optional)"
    hint = page.soup.find(id=box["aria-describedby"])
    assert "If you are in danger now, call 999." in hint.get_text()
    assert "You can write up to 200 characters." in hint.get_text()


def test_single_and_multiple_choice_are_fieldsets_with_radios_and_checkboxes(person, seen):
    page = seen(person.page("choices"))
    who = fieldset_for(page, "who-helped")
    assert who.legend.get_text(strip=True) == "Who helped you fill this in?"
    assert {i["type"] for i in who.find_all("input")} == {"radio"}
    assert labels_in(who) == [
        "I did it on my own",
        "An adult helped me",
        "An adult answered for me",
    ]
    activities = fieldset_for(page, "activities")
    assert {i["type"] for i in activities.find_all("input")} == {"checkbox"}
    assert labels_in(activities) == ["Sport", "Music", "None of these"]


def test_scale_runs_from_0_to_10_and_names_both_ends(person, seen):
    page = seen(person.page("numbers"))
    fieldset = fieldset_for(page, "happiness")
    assert labels_in(fieldset) == [str(n) for n in range(11)]
    hint = fieldset.find(id="happiness-hint").get_text(strip=True)
    assert hint == "0 means Not at all happy. 10 means Very happy."


def test_number_is_a_labelled_text_box_for_digits(person, seen):
    page = seen(person.page("numbers"))
    box = page.soup.find("input", id="moves")
    assert box["inputmode"] == "numeric" and box["type"] == "text"
    assert page.soup.find("label", attrs={"for": "moves"}).get_text(strip=True) == (
        "How many homes have you lived in?"
    )


def test_date_is_three_labelled_boxes_in_a_fieldset(person, seen):
    page = seen(person.page("numbers"))
    fieldset = fieldset_for(page, "last-visit")
    assert (
        fieldset.legend.get_text(" ", strip=True) == "When did you last see your worker? (optional)"
    )
    boxes = fieldset.find_all("input")
    assert [b["name"] for b in boxes] == ["last-visit-day", "last-visit-month", "last-visit-year"]
    assert labels_in(fieldset) == ["Day", "Month", "Year"]
    assert "For example, 27 3 2026" in fieldset.get_text()


def test_consent_alone_on_its_page_is_the_pages_heading_and_a_labelled_tick_box(person, seen):
    page = seen(person.page("agree"))
    assert page.h1 == "Sharing your words"
    box = page.soup.find("input", id="ok-to-share")
    assert box["type"] == "checkbox"
    assert page.soup.find("label", attrs={"for": "ok-to-share"}).get_text(strip=True) == (
        "I agree that my words can be shared without my name"
    )


# --- valid answers are stored as JSON of the right type ----------------------------------


@pytest.mark.parametrize(
    ("page_id", "data", "stored"),
    [
        ("feelings", {"feel-today": "1", "feel-safe": "no"}, {"feel-today": 1, "feel-safe": "no"}),
        ("worries", {"worry-text": "  Loud\r\nnights  "}, {"worry-text": "Loud\nnights"}),
        ("worries", {"worry-text": "x" * 200}, {"worry-text": "x" * 200}),
        ("worries", {"worry-text": ""}, {}),
        ("choices", {"who-helped": "adult-helped"}, {"who-helped": "adult-helped"}),
        (
            "choices",
            {"who-helped": "alone", "activities": ["none"]},
            {"who-helped": "alone", "activities": ["none"]},
        ),
        ("numbers", {"happiness": "0", "moves": " 1,0 "}, {"happiness": 0, "moves": 10}),
        (
            "numbers",
            {
                "happiness": "10",
                "moves": "0",
                "last-visit-day": "29",
                "last-visit-month": "2",
                "last-visit-year": "2024",
            },
            {"happiness": 10, "moves": 0, "last-visit": "2024-02-29"},
        ),
        (
            "numbers",
            {
                "happiness": "5",
                "moves": "50",
                "last-visit-day": str(uk_today().day),
                "last-visit-month": str(uk_today().month),
                "last-visit-year": str(uk_today().year),
            },
            {"happiness": 5, "moves": 50, "last-visit": uk_today().isoformat()},
        ),
        ("agree", {"ok-to-share": "y"}, {"ok-to-share": True}),
    ],
)
def test_a_valid_answer_is_kept_as_json_of_the_right_type(
    at_every_page, store, page_id, data, stored
):
    response = at_every_page.answer(page_id, data)
    assert response.status_code == 302
    answers = store.draft_answers()
    mine = {k: v for k, v in answers.items() if k not in ("feel-today", "feel-safe")}
    if page_id == "feelings":
        mine = {k: answers[k] for k in ("feel-today", "feel-safe")}
    assert mine == stored
    for key, value in stored.items():
        assert type(answers[key]) is type(value), key


# --- each validation message, in the summary and beside the field -----------------------

CASES = [
    ("feelings", {"feel-safe": "yes"}, "feel-today", "Select one answer"),
    ("feelings", {"feel-today": "3"}, "feel-safe", "Select whether you feel safe where you live"),
    (
        "feelings",
        {"feel-today": "6", "feel-safe": "yes"},
        "feel-today",
        "Choose one of the answers shown",
    ),
    (
        "feelings",
        {"feel-today": "3", "feel-safe": "maybe"},
        "feel-safe",
        "Choose one of the answers shown",
    ),
    (
        "worries",
        {"worry-text": "x" * 201},
        "worry-text",
        "Your answer must be 200 characters or fewer. It is 201 now",
    ),
    (
        "worries",
        {"worry-text": "é" * 500},
        "worry-text",
        "Your answer must be 200 characters or fewer. It is 500 now",
    ),
    ("choices", {}, "who-helped", "Select one answer"),
    ("choices", {"who-helped": "my-dog"}, "who-helped", "Choose one of the answers shown"),
    (
        "choices",
        {"who-helped": "alone", "activities": ["sport", "none"]},
        "activities",
        "Select 'None of these' on its own, or untick it to choose other answers",
    ),
    (
        "choices",
        {"who-helped": "alone", "activities": ["sport", "chess"]},
        "activities",
        "Choose one of the answers shown",
    ),
    ("numbers", {"moves": "2"}, "happiness", "Select one answer"),
    ("numbers", {"happiness": "11", "moves": "2"}, "happiness", "Choose one of the answers shown"),
    ("numbers", {"happiness": "-1", "moves": "2"}, "happiness", "Choose one of the answers shown"),
    ("numbers", {"happiness": "5"}, "moves", "Enter a number using digits, for example 3"),
    (
        "numbers",
        {"happiness": "5", "moves": "three"},
        "moves",
        "Enter a number using digits, for example 3",
    ),
    (
        "numbers",
        {"happiness": "5", "moves": "nan"},
        "moves",
        "Enter a number using digits, for example 3",
    ),
    (
        "numbers",
        {"happiness": "5", "moves": "1e999"},
        "moves",
        "Enter a number using digits, for example 3",
    ),
    ("numbers", {"happiness": "5", "moves": "2.5"}, "moves", "Enter a whole number, for example 3"),
    ("numbers", {"happiness": "5", "moves": "51"}, "moves", "Enter a number from 0 to 50"),
    ("numbers", {"happiness": "5", "moves": "-1"}, "moves", "Enter a number from 0 to 50"),
    (
        "numbers",
        {"happiness": "5", "moves": "2", "last-visit-day": "3"},
        "last-visit",
        "The date must include a day, month and year",
    ),
    (
        "numbers",
        {"happiness": "5", "moves": "2", "last-visit-day": "3", "last-visit-year": "2025"},
        "last-visit",
        "The date must include a day, month and year",
    ),
    (
        "numbers",
        {
            "happiness": "5",
            "moves": "2",
            "last-visit-day": "31",
            "last-visit-month": "2",
            "last-visit-year": "2025",
        },
        "last-visit",
        "Enter a real date, for example 27 3 2026",
    ),
    (
        "numbers",
        {
            "happiness": "5",
            "moves": "2",
            "last-visit-day": "1",
            "last-visit-month": "1",
            "last-visit-year": "1800",
        },
        "last-visit",
        f"Enter a year that is {uk_today().year - 120} or later",
    ),
    (
        "numbers",
        {
            "happiness": "5",
            "moves": "2",
            "last-visit-day": "a",
            "last-visit-month": "b",
            "last-visit-year": "c",
        },
        "last-visit",
        "Enter a real date, for example 27 3 2026",
    ),
    (
        "numbers",
        {
            "happiness": "5",
            "moves": "2",
            "last-visit-day": str(FUTURE.day),
            "last-visit-month": str(FUTURE.month),
            "last-visit-year": str(FUTURE.year),
        },
        "last-visit",
        "The date must be today or in the past",
    ),
    ("agree", {}, "ok-to-share", "Tick the box to say you agree, or go back if you do not agree"),
    (
        "agree",
        {"ok-to-share": "false"},
        "ok-to-share",
        "Tick the box to say you agree, or go back if you do not agree",
    ),
]


@pytest.mark.parametrize(("page_id", "data", "field_id", "message"), CASES)
def test_an_answer_that_cannot_be_used_is_explained_and_nothing_on_the_page_is_stored(
    person, every_type_answers, seen, store, page_id, data, field_id, message
):
    if page_id != "feelings":
        person.answer_all({"feelings": every_type_answers["feelings"]})
    before = store.draft_answers()
    page = seen(person.answer(page_id, data))
    assert page.status == 400
    assert (f"#{field_id}", message) in page.summary()
    assert page.error_beside(field_id) == message
    assert page.title.startswith("Error:")
    assert page.soup.find(id=field_id) is not None  # the summary's link has a target
    assert store.draft_answers() == before


def test_what_was_typed_is_shown_back_on_an_error_page(at_every_page, seen):
    page = seen(
        at_every_page.answer(
            "numbers",
            {
                "happiness": "4",
                "moves": "ninety",
                "last-visit-day": "31",
                "last-visit-month": "2",
                "last-visit-year": "2025",
            },
        )
    )
    assert page.status == 400
    assert page.checked("happiness") == ["4"]
    assert page.value("moves") == "ninety"
    assert [page.value(f"last-visit-{p}") for p in ("day", "month", "year")] == ["31", "2", "2025"]


def test_several_problems_are_listed_in_question_order(person, seen):
    page = seen(person.answer("numbers", {"moves": "x", "last-visit-day": "1"}))
    assert [href for href, _ in page.summary()] == ["#happiness", "#moves", "#last-visit"]


# --- messages in the questionnaire's own words ------------------------------------------

OWN_WORDS = {
    "pet": "cat",
    "pet-name": "Tom",
    "pet-age": "3",
    "pet-birthday-day": "1",
    "pet-birthday-month": "2",
    "pet-birthday-year": "2020",
    "promise": "y",
}


@pytest.fixture()
def pet_owner(client, make_campaign, journey):
    make_campaign("pets", "example-messages")
    person = journey(client, "pets")
    person.start()
    return person


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"pet": ""}, "pet", "Choose a cat or a dog"),
        ({"pet": "hamster"}, "pet", "That pet is not on the list"),
        ({"pet-name": ""}, "pet-name", "Tell us your pet's name"),
        (
            {"pet-name": "Tiddles"},
            "pet-name",
            "Pet names here are short (100% true), 7 is too many",
        ),
        ({"pet-age": ""}, "pet-age", "Enter your pet's age"),
        ({"pet-age": "old"}, "pet-age", "Enter the age in digits"),
        ({"pet-age": "0"}, "pet-age", "A pet is at least 1 year old"),
        ({"pet-age": "31"}, "pet-age", "No pet is older than 30"),
        (
            {"pet-birthday-day": "", "pet-birthday-month": "", "pet-birthday-year": ""},
            "pet-birthday",
            "Enter your pet's birthday",
        ),
        ({"pet-birthday-day": "30"}, "pet-birthday", "That is not a real birthday"),
        (
            {"pet-birthday-year": str(FUTURE.year + 1)},
            "pet-birthday",
            "A birthday cannot be in the future",
        ),
        ({"promise": ""}, "promise", "Tick the box to promise"),
    ],
)
def test_a_questions_own_messages_replace_the_catalogues(
    pet_owner, seen, store, changes, field_id, message
):
    data = {k: v for k, v in {**OWN_WORDS, **changes}.items() if v != ""}
    page = seen(pet_owner.answer("own-words", data))
    assert page.status == 400
    assert page.summary() == [(f"#{field_id}", message)]
    assert page.error_beside(field_id) == message
    assert store.draft_answers() == {}


def test_the_pet_page_with_every_answer_right_is_stored(pet_owner, store):
    assert pet_owner.answer("own-words", OWN_WORDS).status_code == 302
    assert store.draft_answers() == {
        "pet": "cat",
        "pet-name": "Tom",
        "pet-age": 3,
        "pet-birthday": "2020-02-01",
        "promise": True,
    }


# --- question ids that are also words a web form uses ------------------------------------

FORM_WORDS = ["questions", "meta", "validate", "process", "errors", "data"]


@pytest.fixture()
def wordy(client, make_campaign, journey):
    make_campaign("words", "example-form-names")
    person = journey(client, "words")
    person.start()
    return person


def test_question_ids_that_are_form_words_are_shown_and_checked_like_any_other(wordy, seen, store):
    page = seen(wordy.page("words"))
    assert page.status == 200 and not page.title.startswith("Error:")
    assert all(page.soup.find(id=question_id) for question_id in FORM_WORDS)
    refused = seen(wordy.answer("words", {}))
    assert refused.status == 400
    assert [href for href, _ in refused.summary()] == [f"#{i}" for i in FORM_WORDS]
    assert store.draft_answers() == {}


def test_answers_to_questions_named_like_form_words_are_stored_under_their_ids(wordy, seen, store):
    answers = {
        "questions": "no",
        "meta": "Fine",
        "validate": "4",
        "process": "yes",
        "errors": "y",
        "data-day": "1",
        "data-month": "5",
        "data-year": "2024",
    }
    assert wordy.answer("words", answers).status_code == 302
    assert store.draft_answers() == {
        "questions": "no",
        "meta": "Fine",
        "validate": 4,
        "process": "yes",
        "errors": True,
        "data": "2024-05-01",
    }
    again = seen(wordy.page("words"))
    assert again.checked("questions") == ["no"] and again.value("meta") == "Fine"
    assert again.value("data-year") == "2024"


def test_zero_answers_count_as_answers_when_sending(person, every_type_answers, store):
    every_type_answers["numbers"].update({"happiness": "0", "moves": "0"})
    person.answer_all(every_type_answers)
    assert person.submit().headers["Location"].endswith("/s/example/done")
    [response] = store.responses()
    assert (response["answers"]["happiness"], response["answers"]["moves"]) == (0, 0)


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("12345.67", 12345.67, "12345.67"),
        ("2.50", 2.5, "2.5"),
        ("7", 7.0, "7"),
        ("0.1", 0.1, "0.1"),
    ],
)
def test_a_decimal_number_is_shown_back_exactly_as_stored(
    client, make_campaign, journey, seen, store, typed, stored, shown
):
    make_campaign("money", "example-decimal-number")
    person = journey(client, "money")
    person.start()
    assert person.answer("money", {"weekly-cost": typed}).status_code == 302
    assert store.draft_answers() == {"weekly-cost": stored}
    assert seen(person.page("money")).value("weekly-cost") == shown
    assert shown in seen(person.check()).text
    person.answer("money", {"weekly-cost": shown})  # Continue again after going back
    assert store.draft_answers() == {"weekly-cost": stored}
