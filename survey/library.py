"""The questionnaires the service knows, loaded and checked at start-up, and again when a
new version is saved in the folder (by the browser editor, in any process)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app

from .paths import QUESTIONNAIRES
from .questionnaire import Questionnaire, load_directory
from .questionnaire.i18n import catalogue_path, read_catalogue, translate
from .questionnaire.model import DEFAULT_FACES, YES_NO_SOMETIMES

SHIPPED = QUESTIONNAIRES
#: The labels the loader gives every questionnaire that uses faces or yes/no/sometimes:
#: the same words in each, so one questionnaire's translation serves all of them.
SHARED_LABELS = frozenset(label for _, label in (*DEFAULT_FACES, *YES_NO_SOMETIMES))


class Library:
    def __init__(
        self, questionnaires: dict[tuple[str, int], Questionnaire], directory: Path = SHIPPED
    ) -> None:
        self._all = questionnaires
        self._directory = directory
        self._catalogues: dict[tuple[str, str], dict[str, str]] = {}
        self._localised: dict[tuple[str, int, str], Questionnaire] = {}
        self._stamp: int | None = None  # the folder's mtime when read from it
        self._contact: frozenset[str] | None = None

    @classmethod
    def from_directory(cls, directory: Path) -> Library:
        stamp = directory.stat().st_mtime_ns
        found = cls(load_directory(directory), directory)
        found._stamp = stamp
        return found

    def stale(self) -> bool:
        """A file was added to the folder since it was read (a new version was saved)."""
        return self._stamp is not None and self._directory.stat().st_mtime_ns != self._stamp

    def catalogue(self, questionnaire_id: str, language: str) -> dict[str, str]:
        """The questionnaire's translations into ``language`` (read once, then kept), with
        the loader's own labels ("Sometimes", "Very happy") from any questionnaire's
        catalogue when its own lacks them: a yes/no/sometimes question added in the editor
        to a questionnaire that had none is then read in Polish, not half in English."""
        key = (questionnaire_id, language)
        if key not in self._catalogues:
            self._catalogues[key] = self.shared_labels(language) | self._own(
                questionnaire_id, language
            )
        return self._catalogues[key]

    def shared_labels(self, language: str) -> dict[str, str]:
        """Translations of ``SHARED_LABELS`` into ``language``, from every questionnaire's
        catalogue in the folder (the first, by id, that has each)."""
        key = ("", language)
        if key not in self._catalogues:
            found: dict[str, str] = {}
            for questionnaire_id in sorted({qid for qid, _ in self._all}):
                for text, translated in self._own(questionnaire_id, language).items():
                    if text in SHARED_LABELS:
                        found.setdefault(text, translated)
            self._catalogues[key] = found
        return self._catalogues[key]

    def _own(self, questionnaire_id: str, language: str) -> dict[str, str]:
        path = catalogue_path(self._directory, questionnaire_id, language)
        return read_catalogue(path) if path.is_file() else {}

    def localised(self, questionnaire: Questionnaire, language: str) -> Questionnaire:
        """``questionnaire`` in ``language``; each untranslated string stays in English."""
        if language == "en":
            return questionnaire
        key = (questionnaire.id, questionnaire.version, language)
        if key not in self._localised:
            found = self.catalogue(questionnaire.id, language)
            self._localised[key] = translate(questionnaire, lambda text: found.get(text, text))
        return self._localised[key]

    def easy_read(self, questionnaire_id: str, version: int) -> Questionnaire | None:
        """The easy-read variant written for this version of a questionnaire, if any."""
        for questionnaire in self._all.values():
            if questionnaire.easy_read_of == questionnaire_id and questionnaire.version == version:
                return questionnaire
        return None

    def get(self, questionnaire_id: str, version: int | None = None) -> Questionnaire | None:
        if version is None:
            return self.latest().get(questionnaire_id)
        return self._all.get((questionnaire_id, version))

    def latest(self) -> dict[str, Questionnaire]:
        newest: dict[str, Questionnaire] = {}
        for (qid, version), questionnaire in sorted(self._all.items()):
            if qid not in newest or newest[qid].version < version:
                newest[qid] = questionnaire
        return newest

    def campaignable(self) -> dict[str, Questionnaire]:
        """The newest version of each questionnaire a campaign can be made from: easy-read
        versions are offered inside their parent's campaign, never on their own."""
        return {qid: q for qid, q in self.latest().items() if not q.easy_read_of}

    def contact_question_ids(self) -> frozenset[str]:
        """The ids of every name or contact box in every version (a free-text question
        marked ``sensitive: false``): screened for safeguarding, never analysed."""
        if self._contact is None:
            self._contact = frozenset(
                question.id
                for questionnaire in self._all.values()
                for question in questionnaire.questions_by_id.values()
                if question.contact_box
            )
        return self._contact

    def kept_apart_ids(self, questionnaire_id: str) -> frozenset[str]:
        """The ids of the questions any installed version of ``questionnaire_id`` keeps apart
        from the other answers (a check-in request); with no version installed, those any
        questionnaire keeps apart, so a missing file never shows a check-in beside answers."""
        versions = [q for (qid, _v), q in self._all.items() if qid == questionnaire_id]
        return frozenset(
            question.id
            for questionnaire in versions or self._all.values()
            for question in questionnaire.kept_apart
        )

    def check_in_boxes(self) -> dict[str, frozenset[str]]:
        """Questionnaire id -> the ids of the name or contact boxes any of its versions keeps
        apart: a check-in request (survey/staff/checkins.py)."""
        found: dict[str, set[str]] = {}
        for (questionnaire_id, _version), questionnaire in self._all.items():
            for question in questionnaire.kept_apart:
                if question.contact_box:
                    found.setdefault(questionnaire_id, set()).add(question.id)
        return {qid: frozenset(ids) for qid, ids in found.items()}

    def versions(self, questionnaire_id: str) -> list[int]:
        return sorted(v for (qid, v) in self._all if qid == questionnaire_id)


def library() -> Library:
    lib: Library = current_app.extensions["heard.library"]
    if lib.stale():
        lib = Library.from_directory(lib._directory)  # noqa: SLF001 - its own folder
        current_app.extensions["heard.library"] = lib
    return lib


def kind_of(questionnaire_id: str, version: int) -> str | None:
    """The kind of a questionnaire version ("survey", "feedback" ...), by its newest version
    when that one is gone: what the retention settings are keyed by."""
    found = library().get(questionnaire_id, version) or library().get(questionnaire_id)
    return found.kind if found else None


#: Languages written right to left (the pages' ``dir``: templates/layouts/base.html).
RIGHT_TO_LEFT = frozenset({"ur", "ar", "fa", "he"})


def title_in(campaign: Any, language: str) -> str:
    """What a respondent reading ``language`` knows the campaign as: its own title (typed by
    staff, in English) in English, else the questionnaire's translated title with its age
    band, as the questionnaire's start page shows it (two age bands may share a title)."""
    if language == "en":
        return str(campaign.title)
    found = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
    if found is None:
        return str(campaign.title)
    shown = library().localised(found, language)
    if not shown.age_band:
        return shown.title
    # In a right-to-left title the band's digits follow Arabic letters and would read
    # "17-11"; a left-to-right mark before them keeps "11-17" (pages use <bdi> instead).
    mark = "\u200e" if language in RIGHT_TO_LEFT else ""
    return f"{shown.title} ({mark}{shown.age_band})"
