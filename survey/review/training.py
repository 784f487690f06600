"""Retrain the theme model on reviewers' corrections and measure agreement with them.

Agreement is the mean overlap (Jaccard) between the model's themes and the reviewer's on
corrected comments the new model did not learn from: every fifth correction is held out,
scored by the model in use and by the retrained one, then the model is refit on all.
The model file lives in the instance folder; the TrainingRun row points at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from survey.extensions import db
from survey.insights.model import theme_model
from survey.models import Answer, AnswerInsight, CustomTheme, TrainingRun, utcnow

MIN_EXAMPLES = 10


class NotEnough(Exception):
    pass


def examples() -> tuple[list[str], list[list[str]]]:
    """Texts and reviewers' themes for every corrected comment (raw text while kept)."""
    rows = db.session.execute(
        select(AnswerInsight, Answer.value)
        .outerjoin(Answer, Answer.id == AnswerInsight.answer_id)
        .where(AnswerInsight.reviewed_themes.is_not(None))
        .order_by(AnswerInsight.id)
    ).all()
    texts = [value if isinstance(value, str) else row.redacted for row, value in rows]
    return texts, [list(row.reviewed_themes or []) for row, _ in rows]


def agreement(predicted: Sequence[Sequence[str]], truth: Sequence[Sequence[str]]) -> float:
    scores = []
    for got, want in zip(predicted, truth, strict=True):
        union = set(got) | set(want)
        scores.append(len(set(got) & set(want)) / len(union) if union else 1.0)
    return round(sum(scores) / len(scores), 4) if scores else 0.0


def _fresh():  # type: ignore[no-untyped-def]
    from analysis.taxonomy import load_taxonomy
    from analysis.themes import ThemeModel
    from analysis.types import Theme

    custom = db.session.scalars(select(CustomTheme).order_by(CustomTheme.id))
    extra = tuple(
        Theme(id=c.theme_id, name=c.name, description="", keywords=tuple(c.keywords))
        for c in custom
    )
    return ThemeModel(taxonomy=(*load_taxonomy(), *extra))


def retrain(user_id: int | None) -> TrainingRun:
    from analysis.engine import default_themes

    texts, labels = examples()
    if len(texts) < MIN_EXAMPLES:
        raise NotEnough(len(texts))
    held = list(range(0, len(texts), 5))
    train = [i for i in range(len(texts)) if i not in set(held)]
    current = theme_model() or default_themes()
    before = agreement(current.predict([texts[i] for i in held]), [labels[i] for i in held])
    trial = _fresh().fit([texts[i] for i in train], [labels[i] for i in train])
    after = agreement(trial.predict([texts[i] for i in held]), [labels[i] for i in held])
    model = _fresh().fit(texts, labels)
    folder = Path(current_app.instance_path) / "models"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"themes-{utcnow():%Y%m%d%H%M%S}.json"
    model.save(path)
    run = TrainingRun(
        trained_by_id=user_id,
        examples=len(texts),
        agreement_before=before,
        agreement_after=after,
        path=str(path),
    )
    db.session.add(run)
    db.session.commit()
    return run


def runs() -> list[TrainingRun]:
    return list(db.session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc())))
