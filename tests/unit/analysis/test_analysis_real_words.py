"""The engine on what people actually write: non-answers, other languages, levels, bad input.

The fixtures used here were written by people who had not read the engine:
``non_answers.yaml`` (English, Polish, Urdu; the non-answer vocabulary was then widened
for what it missed, so it is development data now), ``safeguarding_pl_ur.yaml`` (Polish
and Urdu development set, with English meanings) and ``safeguarding_round9.yaml`` (a
blind round in the real-words styles, scored once; its floors are that one measurement).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis import analyse
from analysis.engine import screen
from analysis.language import detect
from analysis.levels import level_for
from analysis.nonanswer import is_non_answer
from analysis.safeguarding import check, rule_check

FIXTURES = Path(__file__).parent / "fixtures"


def _yaml(name: str) -> Any:
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


NON_ANSWERS = {
    lang: texts for lang, texts in _yaml("non_answers.yaml").items() if lang != "ambiguous"
}
PL_UR = _yaml("safeguarding_pl_ur.yaml")["cases"]


def test_non_answer_fixture_is_large_and_in_every_offered_language() -> None:
    assert sum(len(v) for v in NON_ANSWERS.values()) >= 100
    assert len(NON_ANSWERS["en"]) >= 100
    assert len(NON_ANSWERS["pl"]) >= 30 and len(NON_ANSWERS["ur"]) >= 30


@pytest.mark.parametrize("lang", sorted(NON_ANSWERS))
def test_non_answers_get_no_flag_neutral_sentiment_and_no_theme(lang: str) -> None:
    texts = NON_ANSWERS[lang]
    for text, insight in zip(texts, analyse(texts), strict=True):
        assert insight.safeguarding is None, f"flagged {text!r}"
        assert insight.sentiment == "neutral" and insight.polarity == 0.0, text
        assert insight.themes == (), text
        assert not insight.needs_reader, text


@pytest.mark.parametrize(
    "text",
    [
        "no one listens to me",
        "nothing ever changes",
        "nothing is fine",
        "not fine",
        "no food at home",
        "nie jest ok",
        "ٹھیک نہیں ہے",
        "nobody",
        "im not ok",
    ],
)
def test_answers_that_say_something_are_not_taken_for_non_answers(text: str) -> None:
    assert not is_non_answer(text)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("my social worker never rings me back", "en"),
        ("he hits me", "en"),
        ("ok", "en"),
        ("mój ojczym mnie bije kiedy mama jest w pracy", "pl"),
        ("ojczym mnie bije", "pl"),
        ("nie chce juz zyc", "pl"),
        ("میرا سوتیلا باپ مجھے مارتا ہے", "ur"),
        ("mera sotela baap mujhe marta hai", "ur"),
        ("moja opiekunka jest super but school is bad", "pl"),
        # romanised Urdu with few of the commonest words (round 15's misses)
        ("chacha ne kal phir thappar mara aur dhakka diya, sar pe chot lagi hai", "ur"),
        ("ek bara aadmi mujhe paise aur phone deta hai, main 14 ki hoon", "ur"),
        # English children's words and given names that romanised Urdu shares must not tip it
        ("my nana and dada took me to the beach, thanks hun", "en"),
        ("i went to my nanas and my dada made dinner", "en"),
        ("my nani and dadi", "en"),
        ("Kal and Mara", "en"),
        ("Jana and Diya", "en"),
        ("Tera and Kam", "en"),
        ("eid with my chacha and khala", "en"),
        ("Marta i Jana mi pomagają", "pl"),
        ("", "und"),
        ("👍👍", "und"),
    ],
)
def test_language_is_detected_from_the_text(text: str, language: str) -> None:
    assert detect(text) == language


def test_languages_of_the_polish_and_urdu_set() -> None:
    wrong = [
        c["text"] for c in PL_UR if c["lang"] in ("pl", "ur") and detect(c["text"]) != c["lang"]
    ]
    assert not wrong


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("my stepdad hits me when mum is at work", "current"),
        ("he hit me last night and said he'd do it again", "current"),
        ("when i lived with my birth dad he used to hit us, im safe now with my carers", "review"),
        ("i tried to kill myself when i was 12 but im in a better place now", "review"),
        ("there was domestic violence in my last relationship but that was years ago", "review"),
        ("i still cut myself most nights", "current"),
        ("mój ojczym mnie bije kiedy mama jest w pracy", "current"),
        # Found by a blind probe: the reflexive word order and the Urdu "kill myself" forms
        ("Chcę się zabić", "current"),
        ("Zaraz się zabiję", "current"),
        ("میں خود کو مارنا چاہتا ہوں", "current"),
        ("میں اپنی جان لینا چاہتی ہوں", "current"),
        ("main khud ko maarna chahta hoon", "current"),
        # Urdu letters with hamza or madda (ئ, آ) are matched as the folded text has them
        ("زندگی کا کوئی فائدہ نہیں", "current"),
        ("میرے پاس سونے کی کوئی جگہ نہیں ہے", "current"),
        ("ایک آدمی مجھے پیسے اور فون دیتا ہے", "current"),
        # round 15's Polish and Urdu misses, after it was scored
        ("znowu sie tne, dzis tez w szkole w lazience", "current"),
        ("boje sie dzis wracac do domu", "current"),
        ("mama rzuciła we mnie talerzem", "current"),
        ("ab koi faida nahi jeene ka, sab mere bina behtar rahenge", "current"),
        ("maine goliyan jama kar rakhi hain", "current"),
    ],
)
def test_flags_say_whether_the_risk_is_current(text: str, level: str) -> None:
    flag = check(text)
    assert flag is not None and flag.level == level


@pytest.mark.parametrize(
    "text",
    [
        "nikt mnie nie bije, jest dobrze",
        "Nie mam myśli samobójczych, jestem po prostu zmęczona szkołą.",
        "mujhe koi nahi maarta, sab acha hai",
        "میں یہاں محفوظ محسوس کرتا ہوں، کوئی مجھے نہیں مارتا۔",
        "کوئی مجھ سے زبردستی کچھ نہیں کرواتا",
    ],
)
def test_polish_and_urdu_denials_are_not_taken_for_disclosures(text: str) -> None:
    assert rule_check(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # A reviewer's cases (2026-12-06): a denial that names an exception, and harm
        # near the words of the new exclusions, must stay current risks.
        "nikt mnie nie bije oprócz ojczyma",
        "nikt mnie nie bije tylko ojczym jak wypije",
        "nie miałam myśli samobójczych aż do teraz, teraz mam plan",
        "mujhe koi nahi maarta sirf abbu marte hain",
        "کوئی مجھے نہیں مارتا سوائے ابو کے",
        "nobody hits me except my stepdad",
        "no one hurts me except my stepdad when hes drunk",
        "my baby dad bit me",
        "the baby father bit me",
        "he gave me a beating on the xbox",
        "my partner shook the baby when she wouldnt stop crying",
    ],
)
def test_exceptions_to_denials_and_harm_near_excluded_words_stay_current(text: str) -> None:
    flag, _, _ = screen(text)
    assert flag is not None and flag.level == "current", flag


@pytest.mark.parametrize(
    "text",
    [
        "My partner and I felt listened to, the chair shook my hand",
        "my boyfriend shakes me awake for school",
        "mujhe naya phone lene ke liye paise chahiye",
        "na WF rzucają w nas piłkami i jest fajnie",
        "mam odłożone leki dla syna na wyjazd",
        "mama trzyma schowane leki wysoko w szafce",
        "mera chhota bhai hamesha mera peecha karta hai",
        "ammi mere bina khush nahi hoti",
        "dukaan wala aadmi humein paise wapas deta hai",
        "nobody has ever hurt me but the food is bad",
    ],
)
def test_ordinary_answers_near_the_new_rules_are_not_current_risks(text: str) -> None:
    flag = rule_check(text)
    assert flag is None or flag.level != "current", flag


def test_level_defaults_to_current_when_the_text_gives_no_sign_of_time() -> None:
    assert level_for("he hurts me", ("hurts me",)) == "current"


def _current_cases(langs: tuple[str, ...]) -> list[dict[str, Any]]:
    return [c for c in PL_UR if c["lang"] in langs and c["level"] == "current"]


@pytest.mark.parametrize("langs", [("pl",), ("ur", "ur_latn"), ("mixed",)])
def test_polish_and_urdu_disclosures_are_flagged_or_go_to_a_reader(langs: tuple[str, ...]) -> None:
    cases = _current_cases(langs)
    found = analyse([c["text"] for c in cases])
    reached = sum(1 for i in found if i.safeguarding is not None or i.needs_reader)
    assert reached / len(cases) >= 0.85
    assert reached == len(cases)  # measured 2026-12-03: every one reaches a person


@pytest.mark.parametrize(("lang", "floor"), [("pl", 32 / 40), ("ur", 39 / 40)])
def test_polish_and_urdu_disclosures_flagged_by_the_screen_itself(lang: str, floor: float) -> None:
    """Flagged (not only sent to a reader): the measured figure, as a floor."""
    cases = _current_cases((lang,))
    flagged = sum(1 for c in cases if check(c["text"]) is not None)
    assert flagged / len(cases) >= floor


def test_ordinary_polish_and_urdu_comments_go_to_a_reader_not_the_current_list() -> None:
    cases = [c for c in PL_UR if c["lang"] in ("pl", "ur") and c["level"] == "none"]
    found = analyse([c["text"] for c in cases])
    current = sum(
        1 for i in found if i.safeguarding is not None and i.safeguarding.level == "current"
    )
    assert current == 0
    assert all(i.needs_reader for i in found if i.safeguarding is None)


def test_round_9_independent_blind_floors() -> None:
    """Round 9 was written by someone who had read neither the flagger nor earlier rounds,
    in the real-words styles, and scored once on 2026-12-03: 80 of 90 current-risk
    disclosures flagged (all as current risk), 10 of 120 non-disclosures flagged as current
    risk and 3 more sent to review. The target (0.95 recall) is not met."""
    cases = _yaml("safeguarding_round9.yaml")["cases"]
    current = [c["text"] for c in cases if c["level"] == "current"]
    none = [c["text"] for c in cases if c["level"] == "none"]
    assert len(current) >= 90 and len(none) >= 120
    caught = sum(1 for t in current if (f := check(t)) is not None and f.level == "current")
    false_current = sum(1 for t in none if (f := check(t)) is not None and f.level == "current")
    assert caught >= 80
    assert false_current <= 10


def _current_and_false_alarms(name: str) -> tuple[int, int]:
    """A levelled round of 100 current risks and 150 ordinary answers: how many current
    risks are called current after the send, and how many ordinary answers are."""
    cases = _yaml(name)["cases"]
    current = [c["text"] for c in cases if c["level"] == "current"]
    none = [c["text"] for c in cases if c["level"] == "none"]
    assert len(current) == 100 and len(none) == 150
    caught = sum(1 for t in current if (f := check(t)) is not None and f.level == "current")
    false_current = sum(1 for t in none if (f := check(t)) is not None and f.level == "current")
    return caught, false_current


def test_round_10_independent_blind_floors() -> None:
    """Round 10 was written on 2026-12-04 by someone who had read neither the flagger nor
    any earlier round, in the real-words styles (long answers that praise then disclose,
    misspelt, past and present mixed; short ordinary replies; negated harm words), and
    scored once, blind: 91 of 100 current-risk disclosures flagged (89 as current risk),
    16 of 150 ordinary answers flagged as current risk and 4 more sent to review. Since then
    it is development data: the negation rule and 10 patterns were written after reading
    its misses, so these floors are development figures, above the blind ones."""
    caught, false_current = _current_and_false_alarms("safeguarding_round10.yaml")
    assert caught >= 98
    assert false_current <= 3


def test_round_11_independent_blind_floors() -> None:
    """Round 11 was written on 2026-12-05 by someone who had read neither the flagger nor
    any earlier round (only the real-words file, for its styles), and scored once, blind:
    91 of 100 current-risk disclosures flagged (87 as current risk, 4 to review), 10 of 150
    ordinary answers flagged as current risk and 1 more sent to review; of 50 mentions of
    past harm or distress, 15 went to review and 12 were called current risk. Since then
    it is development data (12 patterns, the denial check before the learned model and
    three signs of now were written after reading its misses): these floors are the blind
    figures; now it gives 100 as current and 3 false alarms."""
    caught, false_current = _current_and_false_alarms("safeguarding_round11.yaml")
    assert caught >= 87
    assert false_current <= 10


def test_round_12_independent_blind_floors() -> None:
    """Round 12 was written on 2026-12-05, after round 11's lessons, by someone who had read
    neither the flagger nor any earlier round, and scored once, blind: 82 of 100
    current-risk disclosures flagged (all as current risk; self-harm 8 of 13), 6 of 150
    ordinary answers flagged as current risk and 1 more sent to review; of 50 mentions of
    past harm or distress, 10 were called current risk. The 0.95 target is not met. Since
    then it is development data (16 patterns written after reading its 18 misses): these
    floors are the blind figures; now it gives 100 as current, false alarms unchanged."""
    caught, false_current = _current_and_false_alarms("safeguarding_round12.yaml")
    assert caught >= 82
    assert false_current <= 6


def test_round_13_independent_blind_floors() -> None:
    """Round 13 was written on 2026-12-06, after round 12's lessons, by someone who had read
    neither the flagger nor any earlier round (only the real-words file, for its styles),
    and scored once, blind: 82 of 100 current-risk disclosures flagged (81 as current risk;
    self-harm 7 of 13, harm 8 of 13, criminal exploitation 9 of 12), 7 of 150 ordinary
    answers called current risk and 3 more sent to review; of 50 mentions of past harm or
    distress, 12 were called current risk. The 0.95 target is not met.

    Since then the encoder flagger learns from rounds 8-13 and reads English alone after a
    send (decision 0016). Trained without round 13, it called 93 of its current risks
    current, with 8 false alarms (``make evaluate``); trained with it, as shipped, 97 and 8:
    these floors are that development figure."""
    caught, false_current = _current_and_false_alarms("safeguarding_round13.yaml")
    assert caught >= 97
    assert false_current <= 8


def test_round_14_independent_blind_floors() -> None:
    """Round 14 was written on 2026-12-06, after decision 0016, by someone who had read
    neither the flagger nor any earlier round (only the real-words file, for its styles;
    16 of its disclosures are the last sentence of 60 to 90 words of ordinary feedback),
    and scored once, blind, at commit 9e32b39: 89 of 100 current-risk disclosures flagged
    after the send (87 as current risk; 82 by the in-request screen alone), 7 of 150
    ordinary answers called current risk and 1 more sent to review. The 0.95 target is
    not met. These floors are the blind figures."""
    caught, false_current = _current_and_false_alarms("safeguarding_round14.yaml")
    assert caught >= 87
    assert false_current <= 7


def test_round_16_independent_blind_floors() -> None:
    """Round 16 was written on 2026-12-06 by someone who had read neither the screen nor
    any earlier round (only the real-words file, for its styles; 25 of its disclosures are
    one sentence in 50 to 100 words of ordinary feedback), and scored once, blind, at
    commit c043999: 98 of 100 current-risk disclosures flagged after the send (96 as
    current risk; 91 by the in-request screen alone), 6 of 150 ordinary answers called
    current risk. Then the learned half learnt from everyday answers (decision 0020), read
    on this round after it was scored: 96 flagged, 94 as current, 2 false alarms. These
    floors are those figures; the round is development data now."""
    caught, false_current = _current_and_false_alarms("safeguarding_round16.yaml")
    assert caught >= 94
    assert false_current <= 2


def test_round_17_independent_blind_floors() -> None:
    """Round 17 was written on 2026-12-06 by someone who had read neither the screen nor
    any earlier round (only the real-words file, for its styles; 34 of its disclosures are
    one or two sentences in 55 to 90 words of ordinary feedback), and scored once, blind,
    at commit a0c9ddd (the engine of e4bd424): 97 of 100 current-risk disclosures flagged
    after the send (96 as current risk; 89 as current by the in-request screen alone), 5
    of 150 ordinary answers called current risk. Two of its misses were then read and
    the rules given the words they lacked ("kipping in the park", "not waking up tbh"):
    98 as current now. These floors are those figures; the round is development data now."""
    caught, false_current = _current_and_false_alarms("safeguarding_round17.yaml")
    assert caught >= 98
    assert false_current <= 5


def test_round_15_independent_blind_floors() -> None:
    """Round 15 was written on 2026-12-06 by someone who had read neither the screen nor
    any earlier round (only the real-words file, for its styles; 24 of its disclosures are
    one sentence in 50 to 100 words of ordinary feedback), and scored once, blind, at
    commit e5cb420: 98 of 100 current-risk disclosures flagged after the send (97 as
    current risk; 91 by the in-request screen alone), 3 of 150 ordinary answers called
    current risk. These floors are the blind figures."""
    caught, false_current = _current_and_false_alarms("safeguarding_round15.yaml")
    assert caught >= 97
    assert false_current <= 3


@pytest.mark.parametrize(
    ("name", "most"),
    [("ordinary_b.yaml", 2), ("ordinary_c.yaml", 25), ("ordinary_e.yaml", 3)],
)
def test_ordinary_answers_in_childrens_words_are_rarely_called_a_current_risk(
    name: str, most: int
) -> None:
    """Everyday answers in children's, care leavers', parents' and carers' words, written on
    2026-12-06 by writers who had read neither the screen nor any test set, never trained
    on. B (250: hobbies, pets, school, carers, wishes, harm words in harmless senses): 8
    called current risk at first (commit 6ca67b8), 6 after the "battered at fifa" exclusion.
    C (300, written to be hard: first-person answers about home, family, nights, going
    places, "I have to..."): 66 at commit c043999. E (300, as answers come in): 12 at
    c043999. The learned half read talk of home, nights and family as disclosure; since both
    its models learn from everyday answers (A and D) and the levelled rounds (decision
    0020), and "buses" is no longer read as "abuse": B 2, C 25, E 3, the bounds here."""
    cases = _yaml(name)["cases"]
    called = [c["text"] for c in cases if (f := check(c["text"])) and f.level == "current"]
    assert len(called) <= most, called


@pytest.mark.parametrize(
    "text",
    [
        "got battered at mario kart again by my foster sister",
        "got battered at chess club by a year 7 lol",
        "i cant go on the school trip cos nobody signed the form",
        "can't go on holiday abroad without a passport and they wont sort it",
    ],
)
def test_game_scores_and_trips_are_not_the_rules_harm(text: str) -> None:
    assert rule_check(text) is None


@pytest.mark.parametrize(
    "text",
    [
        # What those exclusions must not take (a reviewer's examples, 2026-12-06).
        "I can't go on. It's too much and nobody listens",
        "i cant go on itll never get better",
        "I can't go on it hurts too much",
        "honestly i cant go on thats how i feel every night",
        "I can't go on the way things are",
        "i got battered at football by the older lads after school",
        "my stepdad battered me 2-3 times last week",
    ],
)
def test_despair_and_beatings_near_those_words_are_still_current_risks(text: str) -> None:
    flag = rule_check(text)
    assert flag is not None and flag.level == "current", flag


@pytest.mark.parametrize(
    "name",
    [
        "safeguarding_round11_pl_ur.yaml",
        "safeguarding_round14_pl_ur.yaml",
        "safeguarding_round15_pl_ur.yaml",
    ],
)
def test_polish_and_urdu_blind_rounds_leave_no_disclosure_unread(name: str) -> None:
    """Two writers' Polish and Urdu (20 current-risk disclosures and 20 ordinary answers in
    each language), each scored once. Round 11: every disclosure flagged or sent to a
    reader (Polish 17 flagged, 16 as current; Urdu 18 flagged, 12 as current), 2 ordinary
    answers in each language called current risk. Round 14 (2026-12-06, commit 9e32b39):
    every disclosure flagged or sent to a reader (Polish 16 flagged, Urdu 18), 1 ordinary
    answer in each language called current risk (a denial: "nikt mnie nie bije", now
    excluded). Round 15 (2026-12-06, commit e5cb420): Polish 15 flagged and all 20 flagged
    or sent to a reader; Urdu 14 flagged and 18 of 20, the two missed being romanised Urdu
    read as English; none ordinary called current. Since then romanised Urdu is told by
    more of its everyday words, and rules were added for its misses: all 40 are flagged
    (development figures now)."""
    cases = _yaml(name)["cases"]
    for language in ("pl", "ur"):
        mine = [c for c in cases if c["language"] == language]
        current = [c["text"] for c in mine if c["level"] == "current"]
        none = [c["text"] for c in mine if c["level"] == "none"]
        assert len(current) == 20 and len(none) == 20
        found = analyse(current)
        assert all(i.safeguarding is not None or i.needs_reader for i in found), language
        ordinary = analyse(none)
        called = [i for i in ordinary if i.safeguarding and i.safeguarding.level == "current"]
        assert len(called) <= 2, language


@pytest.mark.parametrize(
    "text",
    [
        "I am not being hurt",
        "nobody hurts me here",
        "No one is hurting me. I just want more time with my friends",
        "I have never been hit here",
        "Nobody has hurt me",
        "I've never thought about killing myself, I'm just stressed about exams",
        "There's no abuse going on, we just needed help with his behaviour",
        "i feel sad sometimes",
        "he gets sad at bedtime",
        "im not scared of anyone",
        "i dont get bullied anymore",
    ],
)
def test_denials_and_short_ordinary_replies_raise_no_current_flag(text: str) -> None:
    flag = check(text)
    assert flag is None or flag.level == "review", flag


@pytest.mark.parametrize(
    "text",
    [
        # Written for the rules added after round 11, in other words than its cases.
        "my stepdad gets drunk and punches my mum when we are in bed",
        "she strangled her in the kitchen and my little sister saw",
        "dad still uses his belt on me when i get my spellings wrong",
        "my uncle did it with a cigarette, there's a mark on my arm",
        "a van keeps following me from school and the man waves",
        "there's stuff I can't say on here about what goes on at home",
        "I haven't had my insulin for three days, nobody got it from the chemist",
        "no where to sleep tonight and my phone is dying",
        "the council said there are no rooms so I'm staying wherever I can",
        "i'm 13 and my boyfriend is 22, he says not to tell anyone",
        "I've got tablets hidden in my room for when I decide",
        "my cousin is being used to move drugs for some lads from the city",
        # Written for the rules added after round 12, in other words than its cases.
        "mum is always off her face and we look after ourselves most nights",
        "my foster carer found razor blades hidden in my pencil case and i still do it",
        "i just want to vanish forever, nobody would notice",
        "I've been taking more pills than the doctor said, on purpose",
        "i've made a plan of how i'd do it",
        "a man online pays me money for pictures and I am 15",
        "the olders got me a bike and now i have to do runs for them after school",
        "dad gives us a good hiding when he's been drinking",
        "i ran away this morning and i'm sleeping at the station",
        "my stepdad is punching my mum right now please help",
        "she told the teacher she walked into a cupboard but it was him",
    ],
)
def test_round_11_lessons_catch_other_wordings(text: str) -> None:
    flag = check(text)
    assert flag is not None and flag.level == "current", flag


@pytest.mark.parametrize(
    "text",
    [
        "nobody hits anyone in our house, we sort it out by talking",
        "I never felt like hurting myself, I just wanted more contact with my mum",
        "no one is making me do anything I don't like",
        "I'm not homeless, I've got my own flat now and it's lovely",
        "cut my knee from playing rugby at the weekend",
        "The scratches on my hands are from our new kitten",
        "got a black eye from a hockey ball lol",
    ],
)
def test_denials_and_harmless_marks_raise_no_current_flag(text: str) -> None:
    flag = check(text)
    assert flag is None or flag.level == "review", flag


@pytest.mark.parametrize(
    "text",
    [
        "they said theyll stab my mum if i dont work it off",  # a condition, not a denial
        "i cant tell anyone he hits me",
        "they never stop hitting me",
        "please dont make me go home",
        "Not safe here. Need to move.",
    ],
)
def test_negation_does_not_hide_a_disclosure(text: str) -> None:
    flag = check(text)
    assert flag is not None and flag.level == "current", (text, flag)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "😀😢🙏",
        "x" * 20_000,
        "word " * 4_000,
        "my carer is kind. moja opiekunka jest miła. میری دیکھ بھال کرنے والی اچھی ہے",
        "<script>alert('hi')</script><b>he hits me</b>",
        "a\x00b\x07c\x1b[31mred\x1b[0m",
        "\ufeff\u200b\u202e reversed",
    ],
)
def test_bad_input_always_gives_a_result(text: str) -> None:
    (insight,) = analyse([text])
    assert insight.sentiment in ("negative", "neutral", "positive")
    assert -1.0 <= insight.polarity <= 1.0
    assert isinstance(insight.redacted, str) and isinstance(insight.language, str)


def test_html_does_not_hide_a_disclosure() -> None:
    (insight,) = analyse(["<p>he <b>hits</b> me every night</p>"])
    assert insight.safeguarding is not None and insight.safeguarding.level == "current"


def test_contract_fields_are_in_the_dicts() -> None:
    (insight,) = analyse(["Nie chcę już żyć"])
    data = insight.to_dict()
    assert data["language"] == "pl" and data["needs_reader"] is False
    assert data["safeguarding"]["level"] == "current"


@pytest.mark.parametrize(
    "text",
    [
        "I got bullied in year 7 really bad but it stopped when I moved schools",
        "my birth mum's partner was violent to her. he isnt allowed near us now",
        "I still get nightmares about dad hurting mum but it doesn't happen anymore",
        "I was homeless for a few months after I left care, got my own flat now",
    ],
)
def test_harm_that_is_over_goes_to_review(text: str) -> None:
    flag = check(text)
    assert flag is not None and flag.level == "review", flag
