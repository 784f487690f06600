"""``analyse(texts)``: one Insight per text, the engine's single entry point.

Large batches (a year's responses, a CSV export) are split across processes: the work is
pure-Python regular expressions, which one process runs on one core, and the benchmark
target (100,000 comments in a minute on two cores) needs both. Small batches, such as one
answer being saved in the web app, never start a process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import lru_cache

from analysis.encoder import available as encoder_available
from analysis.encoder import compute, embed, remember
from analysis.heads import short_english
from analysis.language import UNKNOWN, detect
from analysis.nonanswer import is_non_answer
from analysis.redact import redact
from analysis.safeguarding import SafeguardingLexicon, check, load_lexicon
from analysis.sentiment import SentimentModel
from analysis.themes import ThemeModel
from analysis.types import Insight, SafeguardingFlag

# Languages whose screen is validated: an answer in any other language, or one the
# engine reads only through Polish or Urdu rules written by the project team, goes to a
# person as well ("needs a reader"). See docs/decisions/0011.
SCREENED = ("en",)
MAX_CHARS = 20_000

PARALLEL_FROM = 4000
CHUNK = 2000
# Set just before forking: workers inherit the models instead of unpickling a copy per chunk.
_SHARED: dict[str, tuple[ThemeModel, SentimentModel]] = {}


@lru_cache(maxsize=1)
def default_sentiment() -> SentimentModel:
    return SentimentModel()


@lru_cache(maxsize=1)
def default_themes() -> ThemeModel:
    return ThemeModel()


def _clean(text: object) -> str:
    """A string the engine can read: control characters out, absurd lengths cut."""
    if not isinstance(text, str):
        return ""
    text = text[:MAX_CHARS]
    return "".join(c if c.isprintable() or c in "\n\t" else " " for c in text)


def needs_reader(language: str, flag: SafeguardingFlag | None) -> bool:
    """A person must read it: a language the screen was not validated on, unflagged."""
    if language == UNKNOWN:
        return False
    return language not in SCREENED and (flag is None or flag.level != "current")


def screen(
    text: str, lexicon: SafeguardingLexicon | None = None, deep: bool = False
) -> tuple[SafeguardingFlag | None, str, bool]:
    """The safeguarding screen alone: the flag, the language, and whether a person must
    read it. In a request (``deep=False``) the English encoder is asked only when the word
    model agrees; ``analyse`` reads fully (``deep=True``), as the job after a send does."""
    language = detect(text)
    if is_non_answer(text):
        return None, language, False
    flag = check(text, lexicon, deep, language)
    return flag, language, needs_reader(language, flag)


def _analyse_serial(
    texts: list[str], themes: ThemeModel, sentiment: SentimentModel, embedded: bool = False
) -> list[Insight]:
    lexicon = load_lexicon()
    empty = [is_non_answer(t) for t in texts]
    readable = [t for t, e in zip(texts, empty, strict=True) if not e]
    if not embedded:
        # One batched pass: sentiment, themes and the screen then share each embedding.
        embed(_to_embed(readable, themes, sentiment))
    scored = iter(sentiment.score(readable))
    tagged = iter(themes.predict(readable))
    out = []
    for text, non_answer in zip(texts, empty, strict=True):
        if non_answer:
            out.append(Insight(0.0, "neutral", (), None, redact(text), detect(text), False))
            continue
        label, polarity = next(scored)
        flag, language, reader = screen(text, lexicon, deep=True)
        if flag is not None and flag.level == "current" and (label == "positive" or polarity > 0):
            # A disclosure of harm now is never good news, however warmly the rest of the
            # answer reads ("my stepdad hits me when mum is at work" read as positive).
            label, polarity = "negative", -abs(polarity)
        out.append(
            Insight(
                polarity=polarity,
                sentiment=label,
                themes=tuple(next(tagged)),
                safeguarding=flag,
                redacted=redact(text),
                language=language,
                needs_reader=reader,
            )
        )
    return out


def _to_embed(texts: list[str], themes: ThemeModel, sentiment: SentimentModel) -> list[str]:
    """The texts whose embedding the heads will ask for: none when neither model uses them
    (trained models), else all but short English answers and non-answers, which the rules
    read. The screen embeds only answers of 9 words or more, so they are among these."""
    heads = (sentiment.encoder and not sentiment.trained) or (themes.encoder and not themes.trained)
    if not heads or not encoder_available():
        return []
    return [t for t in texts if not short_english(t) and not is_non_answer(t)]


def _analyse_shared(texts: list[str]) -> list[Insight]:
    themes, sentiment = _SHARED["models"]
    return _analyse_serial(texts, themes, sentiment)


def _worker_count(n_texts: int, workers: int | None) -> int:
    """Processes for a batch: one whenever the encoder is loaded.

    The encoder already uses every core through OpenMP, and OpenMP's thread pool does not
    survive fork(): a forked worker that touches it hangs. So forking is kept for the
    rules-only engine (encoder off or not installed).
    """
    if encoder_available():
        return 1
    if workers is None:
        env = os.environ.get("HEARD_ANALYSIS_WORKERS")
        workers = int(env) if env else (os.cpu_count() or 1)
    if n_texts < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(workers, n_texts // CHUNK))


def analyse(
    texts: Sequence[str],
    themes: ThemeModel | None = None,
    sentiment: SentimentModel | None = None,
    workers: int | None = None,
) -> list[Insight]:
    """Sentiment, themes, a safeguarding flag and redacted text for each text.

    Uses the shipped untrained models unless trained ones are passed. Non-answers ("No",
    "n/a", "nothing", in any offered language), empty and non-string texts get a neutral
    Insight with no theme and no flag. ``workers`` caps the processes used for
    large batches (default: the CPU count, or ``HEARD_ANALYSIS_WORKERS``).
    """
    clean = [_clean(t) for t in texts]
    # Identical answers get identical insights: each distinct text is read once.
    distinct = list(dict.fromkeys(clean))
    theme_model = themes or default_themes()
    sentiment_model = sentiment or default_sentiment()
    n_workers = _worker_count(len(distinct), workers)
    if n_workers == 1:
        found = _analyse_pipelined(distinct, theme_model, sentiment_model)
    else:
        found = _analyse_forked(distinct, theme_model, sentiment_model, n_workers)
    by_text = dict(zip(distinct, found, strict=True))
    return [by_text[t] for t in clean]


def _analyse_pipelined(
    texts: list[str], themes: ThemeModel, sentiment: SentimentModel
) -> list[Insight]:
    """In chunks the encoder's cache can hold; while one chunk is read (rules, heads,
    redaction: Python, one core), the encoder embeds the next in a thread (C, which
    releases the GIL), so neither core waits for the other."""
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    if len(chunks) <= 1:
        return [i for chunk in chunks for i in _analyse_serial(chunk, themes, sentiment)]
    out: list[Insight] = []
    with ThreadPoolExecutor(1) as pool:
        wanted = _to_embed(chunks[0], themes, sentiment)
        ahead = pool.submit(compute, wanted)
        for k, chunk in enumerate(chunks):
            vectors, this = ahead.result(), wanted
            if k + 1 < len(chunks):
                wanted = _to_embed(chunks[k + 1], themes, sentiment)
                ahead = pool.submit(compute, wanted)
            if vectors is not None:
                remember(this, vectors)
            out.extend(_analyse_serial(chunk, themes, sentiment, embedded=True))
    return out


def _analyse_forked(
    texts: list[str], themes: ThemeModel, sentiment: SentimentModel, n_workers: int
) -> list[Insight]:
    load_lexicon()  # load once before forking, so every worker shares it
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    context = multiprocessing.get_context("fork")
    out: list[Insight] = []
    _SHARED["models"] = (themes, sentiment)
    try:
        with ProcessPoolExecutor(n_workers, mp_context=context) as pool:
            for part in pool.map(_analyse_shared, chunks):
                out.extend(part)
    finally:
        _SHARED.clear()
    return out
