"""Every string a respondent can see has a Polish and an Urdu translation.

The interface strings are those extracted from the respondent's templates and modules (the
staff side is English only for now); the questionnaire strings are those of every
questionnaire that declares the language. A failure lists each untranslated msgid, so the
message is the translator's to-do list. Fuzzy entries count as untranslated.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from survey.questionnaire import load_directory
from survey.questionnaire.i18n import catalogue_path, messages, read_catalogue

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ("pl", "ur")
RESPONDENT_TEMPLATES = (
    "layouts/base.html",
    "components/forms.html",
    "components/help.html",
    "components/language.html",
    "answers/*.html",
    "pages/respond/*.html",
    "pages/public/*.html",
    "pages/errors/*.html",
    "pages/loop/public.html",  # "you said, we did", read by the people who answered
    "pages/loop/not_yet.html",
    "components/tell_me.html",  # a care leaver's "tell me when it is published"
    "pages/loop/tell_me.html",
)
RESPONDENT_MODULES = (
    "survey/forms/*.py",
    "survey/respond/*.py",
    "survey/public/*.py",
    "survey/invitations/messages.py",  # invitations and reminders, in the invitee's language
    "survey/loop/contacts.py",  # the message telling a care leaver it is published
    "survey/loop/words.py",  # theme names in children's words, on "you said, we did"
    "survey/helplines.py",  # helplines on letters, posters and messages, in their language
)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def respondent_msgids() -> set[str]:
    found: set[str] = set()
    for pattern in RESPONDENT_TEMPLATES:
        for path in (ROOT / "templates").glob(pattern):
            for _, message, *_ in extract_from_file("jinja2.ext:babel_extract", str(path)):
                found.add(message[0] if isinstance(message, tuple) else message)
    for pattern in RESPONDENT_MODULES:
        for path in ROOT.glob(pattern):
            for _, message, *_ in extract_from_file("python", str(path), keywords=KEYWORDS):
                found.add(message[0] if isinstance(message, tuple) else message)
    return found


def interface_catalogue(lang: str):
    with (ROOT / "survey" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def test_the_respondent_strings_are_found():
    found = respondent_msgids()
    assert {"Continue", "Check your answers", "Need help now?", "Select one answer"} <= found
    assert "Staff sign in" in found  # the home page's link counts too
    assert "Campaigns" not in found  # the staff side does not


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_untranslated_respondent_interface_strings(lang):
    catalogue = interface_catalogue(lang)
    untranslated = sorted(
        msgid
        for msgid in respondent_msgids()
        if (entry := catalogue.get(msgid)) is None
        or entry.fuzzy
        or not all(entry.string if isinstance(entry.string, tuple) else [entry.string])
    )
    assert untranslated == [], f"untranslated in {lang}: run `make i18n-update` and translate"


def translated_questionnaires(lang: str):
    return sorted(
        (q for q in load_directory(ROOT / "questionnaires").values() if lang in q.languages),
        key=lambda q: q.id,
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_untranslated_questionnaire_strings(lang):
    untranslated = []
    for questionnaire in translated_questionnaires(lang):
        catalogue = read_catalogue(catalogue_path(ROOT / "questionnaires", questionnaire.id, lang))
        untranslated += [
            f"{questionnaire.id}: {text!r} ({where})"
            for text, where in messages(questionnaire)
            if text not in catalogue
        ]
    assert untranslated == [], f"untranslated in {lang}"


def test_every_shipped_questionnaire_is_translated():
    """Every questionnaire we ship, easy-read versions included, declares both languages."""
    shipped = {q.id for q in load_directory(ROOT / "questionnaires").values()}
    assert len(shipped) >= 13
    for lang in LANGUAGES:
        assert {q.id for q in translated_questionnaires(lang)} == shipped


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_is_current(lang):
    """The committed .mo is what `make i18n-compile` makes from the .po (and it compiles)."""
    catalogue = interface_catalogue(lang)
    fresh = io.BytesIO()
    write_mo(fresh, catalogue)
    fresh.seek(0)
    mo_path = ROOT / "survey" / "translations" / lang / "LC_MESSAGES" / "messages.mo"
    assert mo_path.exists(), "run `make i18n-compile`"
    with mo_path.open("rb") as handle:
        committed = read_mo(handle)
    rebuilt = read_mo(fresh)
    assert _pairs(committed) == _pairs(rebuilt), "messages.mo is stale: run `make i18n-compile`"


def _pairs(catalogue) -> set[tuple[object, object]]:
    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(frozen(m.id), frozen(m.string)) for m in catalogue if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang):
    """A translation that drops or renames %(name)s would fail when the page is drawn."""
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    wrong = []
    for entry in interface_catalogue(lang):
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set(placeholder.findall(ids[-1]))
        wrong += [s for s in strings if s and set(placeholder.findall(s)) != wanted]
    assert wrong == []


# Polish marks the speaker's gender in the past tense ("powiedziałeś" to a boy,
# "powiedziałaś" to a girl). A respondent string that speaks to the reader in the masculine
# alone tells a girl who has just disclosed that we took her for a boy: such strings give
# both forms ("brałeś lub brałaś") or are put without the past tense ("Twoje słowa").
MASCULINE_SECOND_PERSON = r"\b\w+ł(?:eś|byś)\b"


def _masculine_only(text: str) -> list[str]:
    import re

    lower = text.lower()
    return [
        word
        for word in re.findall(MASCULINE_SECOND_PERSON, lower)
        if word.replace("łeś", "łaś").replace("łbyś", "łabyś") not in lower
        # "nacisnąłeś lub nacisnęłaś": the feminine stem differs
        and not re.search(r"\b" + word[:-5] + r"\w*ęłaś\b", lower)
    ]


def test_polish_respondent_strings_speak_to_girls_too():
    catalogue = interface_catalogue("pl")
    wrong = [
        (msgid, found)
        for msgid in sorted(respondent_msgids())
        if (entry := catalogue.get(msgid)) is not None
        and (
            found := _masculine_only(
                " ".join(entry.string if isinstance(entry.string, tuple) else [entry.string])
            )
        )
    ]
    for questionnaire in translated_questionnaires("pl"):
        catalogue_q = read_catalogue(
            catalogue_path(ROOT / "questionnaires", questionnaire.id, "pl")
        )
        wrong += [
            (f"{questionnaire.id}: {text}", found)
            for text, _ in messages(questionnaire)
            if (found := _masculine_only(catalogue_q.get(text, "")))
        ]
    assert wrong == []


def test_the_masculine_check_tells_the_forms_apart():
    assert _masculine_only("Dziękujemy, że nam o tym powiedziałeś") == ["powiedziałeś"]
    assert _masculine_only("Jak brałeś lub brałaś udział?") == []
    assert _masculine_only("zanim nacisnąłeś lub nacisnęłaś „Wyślij”") == []
    assert _masculine_only("Dziękujemy, że nam o tym mówisz") == []
