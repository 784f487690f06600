"""A questionnaire file that is wrong is refused whole, with a message that names the file,
the path inside it and what is wrong; a directory with one bad file loads nothing; and
``heard questionnaires validate`` says the same on the command line."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from survey.questionnaire import QuestionnaireError, load_directory, load_file

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = sorted((ROOT / "questionnaires").glob("*.yaml"))

TINY: dict[str, Any] = {
    "id": "tiny",
    "version": 1,
    "title": "Tiny",
    "audience": "children",
    "languages": ["en"],
    "reading_level": "age 9",
    "description": "A tiny questionnaire.",
    "privacy": "The participation team reads the answers.",
    "minutes": 1,
    "pages": [
        {
            "id": "first",
            "title": "First",
            "questions": [
                {
                    "id": "colour",
                    "type": "single_choice",
                    "text": "Which colour?",
                    "options": [
                        {"value": "red", "label": "Red"},
                        {"value": "blue", "label": "Blue"},
                    ],
                },
                {
                    "id": "pets",
                    "type": "multiple_choice",
                    "text": "Which pets?",
                    "options": [{"value": "cat", "label": "Cat"}, {"value": "dog", "label": "Dog"}],
                },
                {"id": "age", "type": "number", "text": "How old are you?"},
            ],
        },
        {
            "id": "second",
            "title": "Second",
            "questions": [{"id": "why", "type": "free_text", "text": "Why?", "max_length": 100}],
        },
    ],
}


def write(tmp_path: Path, data: Any, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def changed(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    data = copy.deepcopy(TINY)
    change(data)
    return data


def first_question(data: dict[str, Any]) -> dict[str, Any]:
    return data["pages"][0]["questions"][0]


def test_the_tiny_questionnaire_is_valid(tmp_path):
    questionnaire = load_file(write(tmp_path, TINY))
    assert list(questionnaire.questions_by_id) == ["colour", "pets", "age", "why"]


def test_a_choice_answer_can_be_marked_to_raise_a_flag(tmp_path):
    data = changed(lambda d: first_question(d).update(flag={"red": "current", "blue": "review"}))
    question = load_file(write(tmp_path, data)).questions_by_id["colour"]
    assert question.flag == (("blue", "review"), ("red", "current"))


BAD = [
    ("missing field", lambda d: d.pop("title"), "$", "'title' is a required property"),
    ("wrong type", lambda d: d.update(version="one"), "$.version", "is not of type 'integer'"),
    ("version below 1", lambda d: d.update(version=0), "$.version", "less than the minimum"),
    (
        "unknown answer type",
        lambda d: first_question(d).update(type="slider"),
        "$.pages[0].questions[0].type",
        "'slider' is not one of",
    ),
    (
        "unknown property on a question",
        lambda d: first_question(d).update(colour="red"),
        "$.pages[0].questions[0]",
        "'colour' was unexpected",
    ),
    (
        "unknown property at the top",
        lambda d: d.update(author="me"),
        "$",
        "'author' was unexpected",
    ),
    (
        "bad question id",
        lambda d: first_question(d).update(id="Bad_Id"),
        "$.pages[0].questions[0].id",
        "'Bad_Id' does not match",
    ),
    (
        "bad page id",
        lambda d: d["pages"][1].update(id="second page"),
        "$.pages[1].id",
        "does not match",
    ),
    (
        "too few options",
        lambda d: first_question(d).update(options=[{"value": "red", "label": "Red"}]),
        "$.pages[0].questions[0].options",
        "is too short",
    ),
    (
        "an option without a label",
        lambda d: first_question(d)["options"][0].pop("label"),
        "$.pages[0].questions[0].options[0]",
        "'label' is a required property",
    ),
    (
        "faces with three labels",
        lambda d: d["pages"][0]["questions"].append(
            {"id": "face", "type": "faces", "text": "How?", "labels": ["a", "b", "c"]}
        ),
        "$.pages[0].questions[3].labels",
        "is too short",
    ),
    (
        "faces with six labels",
        lambda d: d["pages"][0]["questions"].append(
            {"id": "face", "type": "faces", "text": "How?", "labels": list("abcdef")}
        ),
        "$.pages[0].questions[3].labels",
        "is too long",
    ),
    (
        "free text without max_length",
        lambda d: d["pages"][1]["questions"][0].pop("max_length"),
        "$.pages[1].questions[0]",
        "'max_length' is a required property",
    ),
    (
        "scale without end labels",
        lambda d: d["pages"][1]["questions"].append({"id": "s", "type": "scale", "text": "S?"}),
        "$.pages[1].questions[1]",
        "'min_label' is a required property",
    ),
    (
        "consent without a statement",
        lambda d: d["pages"][1]["questions"].append({"id": "ok", "type": "consent", "text": "OK"}),
        "$.pages[1].questions[1]",
        "'statement' is a required property",
    ),
    (
        "an unknown message key",
        lambda d: first_question(d).update(messages={"oops": "x"}),
        "$.pages[0].questions[0].messages",
        "'oops' is not one of",
    ),
    (
        "no pages",
        lambda d: d.update(pages=[]),
        "$.pages",
        "should be non-empty",
    ),
    (
        "routing to a later page",
        lambda d: d["pages"][0]["questions"][1].update(when={"question": "why", "answered": True}),
        "$.pages[0].questions[1].when",
        "refers to question 'why', which is not on an earlier page",
    ),
    (
        "routing to a question on the same page",
        lambda d: d["pages"][0]["questions"][1].update(
            when={"question": "colour", "equals": "red"}
        ),
        "$.pages[0].questions[1].when",
        "refers to question 'colour', which is not on an earlier page",
    ),
    (
        "routing to an unknown question",
        lambda d: d["pages"][1].update(when={"question": "ghost", "equals": "red"}),
        "$.pages[1].when",
        "refers to question 'ghost', which is not on an earlier page",
    ),
    (
        "routing to an unknown question inside all/any",
        lambda d: d["pages"][1].update(
            when={
                "all": [
                    {"question": "colour", "equals": "red"},
                    {"any": [{"question": "ghost", "answered": True}]},
                ]
            }
        ),
        "$.pages[1].when",
        "refers to question 'ghost'",
    ),
    (
        "routing value that is not an option",
        lambda d: d["pages"][1].update(when={"question": "colour", "equals": "green"}),
        "$.pages[1].when",
        "'green' is not an answer to 'colour'",
    ),
    (
        "routing values in a list that are not options",
        lambda d: d["pages"][1].update(when={"question": "pets", "not_in": ["cat", "fish"]}),
        "$.pages[1].when",
        "'fish' is not an answer to 'pets'",
    ),
    (
        "routing on an unquoted YAML yes",
        lambda d: d["pages"][1].update(when={"question": "colour", "equals": True}),
        "$.pages[1].when",
        "True is not an answer to 'colour'",
    ),
    (
        "routing with two kinds of test",
        lambda d: d["pages"][1].update(
            when={"question": "colour", "equals": "red", "in": ["blue"]}
        ),
        "$.pages[1].when",
        "is valid under each of",
    ),
    (
        "duplicate question ids",
        lambda d: d["pages"][1]["questions"].append(
            {"id": "colour", "type": "free_text", "text": "Again?", "max_length": 5}
        ),
        "$.pages",
        "question id 'colour' is used 2 times",
    ),
    (
        "duplicate page ids",
        lambda d: d["pages"][1].update(id="first"),
        "$.pages",
        "page id 'first' is used 2 times",
    ),
    (
        "duplicate option values",
        lambda d: first_question(d)["options"].append({"value": "red", "label": "Again"}),
        "$.pages[0].questions[0].options",
        "value 'red' is used twice",
    ),
    (
        "'includes' on a single choice",
        lambda d: d["pages"][1].update(when={"question": "colour", "includes": "red"}),
        "$.pages[1].when",
        "'includes' only works with a multiple_choice question",
    ),
    (
        "'includes' on a number",
        lambda d: d["pages"][1].update(when={"question": "age", "includes": "3"}),
        "$.pages[1].when",
        "'includes' only works with a multiple_choice question",
    ),
    (
        "'exclusive' on a single choice",
        lambda d: first_question(d)["options"][0].update(exclusive=True),
        "$.pages[0].questions[0].options",
        "'exclusive' only applies to multiple_choice",
    ),
    (
        "min above max",
        lambda d: d["pages"][0]["questions"][2].update(min=5, max=1),
        "$.pages[0].questions[2]",
        "min (5) is greater than max (1)",
    ),
    (
        "a first page that may be hidden",
        lambda d: d["pages"][0].update(when={"question": "colour", "answered": True}),
        "$.pages[0]",
        "the first page must always be shown",
    ),
    (
        "a flag on an answer the question does not have",
        lambda d: first_question(d).update(flag={"green": "current"}),
        "$.pages[0].questions[0].flag",
        "'green' is not one of this question's answers",
    ),
    (
        "a flag on a free-text question",
        lambda d: d["pages"][1]["questions"][0].update(flag={"x": "current"}),
        "$.pages[1].questions[0].flag",
        "only a choice question's answers can raise a flag",
    ),
    (
        "a flag at a level that does not exist",
        lambda d: first_question(d).update(flag={"red": "urgent"}),
        "$.pages[0].questions[0].flag.red",
        "'urgent' is not one of",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "what"), [case[1:] for case in BAD], ids=[case[0] for case in BAD]
)
def test_a_bad_definition_is_refused_naming_the_file_the_path_and_the_problem(
    tmp_path, change, where, what
):
    path = write(tmp_path, changed(change))
    with pytest.raises(QuestionnaireError) as refused:
        load_file(path)
    assert refused.value.source == str(path)
    assert any(p.startswith(f"{where}: ") and what in p for p in refused.value.problems), (
        refused.value.problems
    )
    assert str(refused.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("id: tiny\npages: [\n", "is not valid YAML"),
        ("id: [unclosed\n", "is not valid YAML"),
        ("- just\n- a list\n", "$: must be a mapping"),
        ("just a sentence\n", "$: must be a mapping"),
        ("", "$: must be a mapping"),
    ],
)
def test_a_file_that_is_not_a_yaml_mapping_is_refused(tmp_path, text, what):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as refused:
        load_file(path)
    assert refused.value.source == str(path)
    assert any(what in p for p in refused.value.problems), refused.value.problems


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(QuestionnaireError, match="cannot be read"):
        load_file(path)


def test_every_problem_in_a_file_is_listed_not_only_the_first(tmp_path):
    data = changed(lambda d: (d.pop("title"), d.update(minutes=0)))
    with pytest.raises(QuestionnaireError) as refused:
        load_file(write(tmp_path, data))
    assert len(refused.value.problems) == 2


def test_a_directory_with_one_bad_file_loads_nothing(tmp_path):
    write(tmp_path, TINY, "a-good.yaml")
    write(tmp_path, changed(lambda d: d.update(id="other", version="two")), "b-bad.yaml")
    write(tmp_path, changed(lambda d: d.update(id="third")), "c-good.yaml")
    with pytest.raises(QuestionnaireError) as refused:
        load_directory(tmp_path)
    assert refused.value.source == str(tmp_path)
    assert [p.split(": ")[0] for p in refused.value.problems] == [str(tmp_path / "b-bad.yaml")]


def test_a_directory_with_the_same_id_and_version_twice_loads_nothing(tmp_path):
    write(tmp_path, TINY, "a.yaml")
    write(tmp_path, TINY, "b.yaml")
    with pytest.raises(QuestionnaireError, match="'tiny' version 1 is also in"):
        load_directory(tmp_path)


def test_a_directory_of_good_files_loads_each_version(tmp_path):
    write(tmp_path, TINY, "a.yaml")
    write(tmp_path, changed(lambda d: d.update(version=2)), "b.yaml")
    assert sorted(load_directory(tmp_path)) == [("tiny", 1), ("tiny", 2)]


def test_the_shipped_and_example_directories_load():
    assert len(load_directory(ROOT / "questionnaires")) == len(SHIPPED)
    assert ("example-every-type", 1) in load_directory(ROOT / "questionnaires" / "examples")


# --- heard questionnaires validate ------------------------------------------------------


def validate(*paths: Path):  # type: ignore[no-untyped-def]
    from survey.cli import main

    return CliRunner().invoke(
        main, ["questionnaires", "validate", *map(str, paths)], env={"HEARD_ENV": "test"}
    )


def test_validate_says_ok_for_each_shipped_file():
    result = validate()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(SHIPPED)
    for path, line in zip(SHIPPED, lines, strict=True):
        assert line.startswith("ok") and path.name in line


def test_validate_names_the_file_the_path_and_the_problem_and_fails(tmp_path):
    good = write(tmp_path, TINY, "good.yaml")
    bad = write(tmp_path, changed(lambda d: first_question(d).update(type="slider")), "bad.yaml")
    result = validate(good, bad)
    assert result.exit_code != 0
    assert f"ok  {good}" in result.output
    assert f"{bad}: $.pages[0].questions[0].type: 'slider' is not one of" in result.output
    assert "1 of 2 files are not valid" in result.output


def test_validate_reads_a_directory(tmp_path):
    write(tmp_path, TINY, "good.yaml")
    (tmp_path / "broken.yaml").write_text("- a list\n", encoding="utf-8")
    result = validate(tmp_path)
    assert result.exit_code != 0
    assert f"{tmp_path / 'broken.yaml'}: $: must be a mapping" in result.output
