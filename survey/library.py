"""The questionnaires the service knows, loaded and checked once at start-up."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from .questionnaire import Questionnaire, load_directory


class Library:
    def __init__(self, questionnaires: dict[tuple[str, int], Questionnaire]) -> None:
        self._all = questionnaires

    @classmethod
    def from_directory(cls, directory: Path) -> Library:
        return cls(load_directory(directory))

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

    def versions(self, questionnaire_id: str) -> list[int]:
        return sorted(v for (qid, v) in self._all if qid == questionnaire_id)


def library() -> Library:
    lib: Library = current_app.extensions["heard.library"]
    return lib
