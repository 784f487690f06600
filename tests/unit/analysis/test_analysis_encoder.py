"""The sentence encoder's input limits and the engine's use of it (no timings here: speed
is measured by ``make benchmark``)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from analysis import analyse, encoder, engine, safeguarding


def _tokens(text: str) -> int:
    model = encoder._model()
    assert model is not None
    return int(model.token_count(text, True))


def test_short_texts_are_not_cut() -> None:
    text = "my social worker never rings me back"
    assert encoder.truncate(text, 64) == text


@pytest.mark.parametrize("limit", [16, 64])
def test_long_texts_are_cut_at_a_word_end_within_the_limit(limit: int) -> None:
    text = "my social worker never rings me back and nobody listens to me " * 20
    cut = encoder.truncate(text, limit)
    assert text.startswith(cut) and cut != text
    assert _tokens(cut) <= limit
    assert text[len(cut)] == " "  # a whole word, not part of one
    longer = text[: text.index(" ", len(cut) + 1)]  # one more word would not fit
    assert _tokens(longer) > limit


def test_one_endless_word_or_script_is_cut_by_characters() -> None:
    for text in ("x" * 5000, "ąęść" * 300, "میرا سوتیلا باپ مجھے مارتا ہے " * 40):
        cut = encoder.truncate(text, 32)
        assert cut and text.startswith(cut) and _tokens(cut) <= 32


def _spy(monkeypatch: pytest.MonkeyPatch, name: str, *modules: object) -> list[str]:
    """Every text passed to ``name`` (the first module's function) in the given modules."""
    asked: list[str] = []
    real = getattr(modules[0], name)

    def spy(texts: Sequence[str]) -> object:
        asked.extend(texts)
        return real(texts)

    for module in modules:
        monkeypatch.setattr(module, name, spy)
    return asked


def test_the_screen_reads_the_first_screen_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy(monkeypatch, "embed", safeguarding)
    monkeypatch.setattr(safeguarding, "SCREEN_TOKENS", 64)  # a cap can be set (HEARD_SCREEN_TOKENS)
    text = "i dont really know what to say about the place i live now because " * 12
    safeguarding.check(text)  # the full read asks the encoder about every long answer
    assert seen and all(_tokens(t) <= safeguarding.SCREEN_TOKENS for t in seen)
    assert text.startswith(seen[0])


# Round 14 (blind, scored once; development data since, but in neither learned half's
# training): what the rules and the word model miss and the encoder alone catches.
HINTED = [
    "babys nappy rash is bleeding now and they still havnt took her to the doctors even tho "
    "the health visitor told them to",
    "As a kinship carer for my granddaughter I want to say the support group is brilliant and "
    "the new allowance letter was clear for once, thank you. Her school are really on it too. "
    "My worry is her little brother who's still with my son. When I picked him up on Tuesday "
    "he hadn't been washed for days, his nappy was soaked through and there was nothing in "
    "the fridge but cans.",
]
ORDINARY = (
    "my foster carer takes me to football every saturday and always listens to me when i "
    "have had a bad day at school"
)


def test_the_in_request_screen_asks_the_encoder_only_when_the_word_model_agrees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _spy(monkeypatch, "embed", safeguarding)
    for text in [ORDINARY, *HINTED]:
        assert safeguarding.check(text, deep=False) is None
    assert asked == []  # no rule, no word model: no encoder in the request
    for text in HINTED:
        flag = safeguarding.check(text)
        assert flag is not None and flag.level == "current", text
    assert safeguarding.check(ORDINARY) is None
    assert {*HINTED, ORDINARY} <= set(asked)  # the full read asked the encoder about each


def test_the_full_read_after_sending_catches_what_the_request_screen_leaves() -> None:
    found = analyse(HINTED)
    assert [i.safeguarding.level if i.safeguarding else None for i in found] == [
        "current",
        "current",
    ]
    assert [engine.screen(t)[0] for t in HINTED] == [None, None]


# Round 14 (blind, scored once; development data since): a disclosure in the last
# sentences of a long, mostly ordinary answer, which the whole answer's embedding missed.
LATE = [
    "I like my school and my teacher Miss P because she lets me help in the reading corner. "
    "I go to gymnastics on Wednesdays and I got a badge. My social worker is nice and brings "
    "me stickers. I want more time with my friends after school. Sometimes I cant sleep "
    "because daddy is shouting at mummy and banging her head on the wall and I put my "
    "fingers in my ears.",
    "I want to say the family support worker has been a godsend, she comes every Thursday "
    "and has helped me with the school and the housing forms. The parenting course was "
    "better than I expected. My only complaint is we had four different social workers in "
    "a year. But I need someone to know, my son told his sister last night that he's got a "
    "rope in his wardrobe. He laughed it off but I'm frightened. He's 15.",
]


def test_sentence_windows_cover_every_sentence_with_enough_words() -> None:
    text = "One two three. Four five six seven! Eight nine ten eleven twelve? Thirteen."
    windows = safeguarding.sentence_windows(text, min_words=5)
    assert windows == [
        "One two three. Four five six seven!",
        "Four five six seven! Eight nine ten eleven twelve?",
        "Eight nine ten eleven twelve?",
    ]
    unpunctuated = " ".join(f"w{i}" for i in range(60))
    runs = safeguarding.sentence_windows(unpunctuated)
    assert runs[0].split()[0] == "w0" and runs[-1].split()[-1] == "w59"
    assert all(len(r.split()) <= 25 for r in runs)


def test_the_full_read_reads_a_long_answer_a_few_sentences_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(safeguarding, "WINDOWS_FROM_WORDS", 10_000)  # as before decision 0019
    assert [safeguarding.check(t) for t in LATE] == [None, None]
    monkeypatch.undo()
    for text in LATE:
        flag = safeguarding.check(text)
        assert flag is not None and flag.level == "current", text
        assert safeguarding.check(text, deep=False) is None  # the request's screen: unchanged
    long_ordinary = (
        "My foster carers are kind and they take me swimming on Saturdays. School is better "
        "since I moved form group and my attendance is up. I would like more time with my "
        "brother, once a month is not enough. The review meeting was long but my IRO "
        "listened. I want my pocket money to go up because everything costs more now."
    )
    assert safeguarding.check(long_ordinary) is None
    # Written without full stops between two short sentences: read in runs of 25 words.
    unpunctuated = "Hi. " + LATE[1].replace(".", "").replace(",", "") + ". Thanks."
    flag = safeguarding.check(unpunctuated)
    assert flag is not None and flag.level == "current"


def test_short_english_answers_and_non_answers_are_not_embedded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _spy(monkeypatch, "compute", encoder, engine)
    encoder._cache.clear()
    long = "my foster carer takes me to football every saturday and always listens to me"
    analyse(["all good", "No", "she was kind", long, "Mój ojczym mnie bije"])
    assert set(asked) == {long, "Mój ojczym mnie bije"}


def test_identical_answers_get_identical_insights_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = engine._analyse_serial

    def spy(texts: list[str], *args: object, **kwargs: object) -> object:
        calls.append(len(texts))
        return real(texts, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_analyse_serial", spy)
    texts = ["my sw never rings me back", "nothing was too much trouble"] * 50 + ["No"]
    found = analyse(texts)
    assert len(found) == 101 and sum(calls) == 3
    assert found[0] == found[2] == found[98] and found[1] == found[99]


def test_the_pipelined_run_agrees_with_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        f"comment {i}: my social worker never rings me back and the review was late again"
        for i in range(30)
    ] + ["my stepdad hits me when mum is at work", "No", "all good"]
    whole = analyse(texts)
    encoder._cache.clear()
    monkeypatch.setattr(engine, "CHUNK", 7)
    assert analyse(texts) == whole


def test_every_category_the_learned_models_can_name_has_a_reason_a_lead_can_read() -> None:
    lex = safeguarding.load_lexicon()
    flagger = safeguarding.encoder_flagger()
    assert lex.model is not None and flagger is not None
    for category in {*lex.model.categories, *flagger.categories}:
        flag = safeguarding._learned(category, "he hurts me", lex, "current")
        assert not flag.reason.startswith(category), flag.reason
