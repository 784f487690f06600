"""How urgent a flag is: a possible current risk, or a mention of harm that is over.

A lead must reach "my stepdad hits me when mum is at work" at once; "when I lived with my
birth dad he used to hit us, I'm safe now" needs reading within the week, not a call out
of hours. The difference is time: what the sentence that raised the flag says about now.
So the level is read from the sentences holding the matched words:

- a sign of now ("still", "every night", "tonight", "keeps", "again", a present-tense
  verb of harm, "I'm scared") makes it current;
- otherwise a sign that it is over ("when I was little", "used to", "years ago", "in my
  old placement", "I'm safe now", "not any more") makes it a review;
- with neither, it is current: when unsure, the flag goes to the lead at once. The past
  tense alone is not a sign that harm is over ("got a beating last night").
"""

from __future__ import annotations

import re
from typing import Literal

Level = Literal["current", "review"]
CURRENT: Level = "current"
REVIEW: Level = "review"

_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+|;\s+|\s+-\s+|\s+but\s+|\s+now\s+that\s+")
# Written against normalised English ("i'm", "don't"), folded Polish and Urdu.
_NOW = re.compile(
    r"\b(still(?! (get|gets|have|has|feel|feels|check|checks|startle|startles|remember|"
    r"think|thinks|miss|misses|worry|worries|love|like|talk|talking|see|struggle|struggles|"
    r"upset|jump|jumps|flinch|flinches|cry|cries|wet|dream|dreams)\b)|"
    r"every (day|night|time|weekend|week)|everyday|tonight|today|right now|"
    r"at the moment|atm|these days|nowadays|again|keeps|keep (on )?(hitting|hurting|"
    r"touching|asking|messaging|making)|won't stop|will not stop|is (hitting|hurting|"
    r"touching|making|threatening)|are (hitting|hurting|making)|i'm (scared|frightened|"
    r"terrified|afraid|worried he|worried she|not safe)|i am (scared|frightened|terrified|"
    r"afraid|not safe)|(don't|do not|doesn't) feel safe|want to die|want to end|"
    r"but now|(hits|beats|punches|kicks|slaps|chokes|strangles|touches|hurts|burns|grabs|"
    r"threatens|throws|pushes|shoves|drags|bites|"
    r"makes|forces|locks|shouts|drinks|leaves) (me|us|my|her|him|mum)|i (cut|self harm|"
    r"hurt myself|starve)|there's no food|there is no food|no food (in|at)|"
    r"(have|got) nowhere to (sleep|stay|go|live)|yesterday|last night|this (week|morning)|"
    r"last (week|weekend)|(other|few) (day|days|night|nights) ago|"
    r"most (days|nights|mornings|weekends)|some nights|all the time|"
    r"(being|getting|is being|are being) used to (sell|deal|move|carry|hold|run|drop)|"
    r"started (doing it|hitting|hurting|beating) (to me |to us )?(too|as well|again)|"
    r"since (monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend)|"
    r"(i've|i have|we've|we have) been (sleeping|staying|living|getting|going|cutting|"
    r"hurting|starving|kipping)|been (sleeping|staying|kipping) (in|on|at|rough)|"
    # Polish and Urdu signs of now
    r"ciagle|caly czas|codziennie|kazdego dnia|teraz|znowu|nadal|wciaz|dzisiaj|dzis w nocy|"
    r"ابھی|اب بھی|روز|ہر روز|ہر رات|آج|پھر سے|abhi|ab bhi|roz|har roz|har raat|aaj)\b"
)
_OVER = re.compile(
    r"\b(when i was (little|younger|small|a kid|a child|a baby|in year|at primary|\d+|"
    r"living with|with my (birth|real|old))|when we (were|lived)|used to|years ago|"
    r"(a|one|two|three|few) years? ago|long time ago|back then|in the past|as a (child|kid)|"
    r"growing up|(my )?(old|last|previous|first|former) (placement|foster|carers?|home|house|"
    r"school|children's home|care home|flat)|before (i|we) (came|went|was|were) "
    r"(put )?(into|in) care|before care|(i'm|i am|we're|we are|i feel) (safe|okay|ok|fine|"
    r"better|happy|settled) (now|here)|(it|that|this|they|he|she) (has |have )?stopped|"
    r"(not|no) (any ?more|longer)|(that|it) was (years|a long time|ages)|had been|i'd been|"
    r"in those days|at the time|\w+ years ago|last year|"
    r"(my )?(last|previous|old|ex|former) (relationship|partner|boyfriend|girlfriend|husband|wife)|"
    r"(it|that|this|the \w+) (has |have )?stopped|"
    r"(it|that) (doesn't|does not|don't) happen any ?more|"
    r"now (it's|its|it is|we're|we are|i'm|i am) (fine|ok|okay|safe|better|settled|good)|"
    r"(he's|she's|they're|he is|she is|they are) (gone|in prison|in jail|locked up)|"
    r"in prison since|"
    r"(isn't|isnt|is not|aren't|are not|not) allowed (near|to see|to come near|contact)|"
    r"(got|have|moved into|living in) my own (flat|place|home)|doing (a lot |much |so )?better|"
    r"(we're|we are|we've been) (talking|fine|safe|ok|okay|settled|settling)|"
    r"settling (in )?(really )?well|"
    r"as a (baby|toddler|little one)|came (to us )?from a home|when i was (small|\d+)|"
    r"(last|that) (winter|summer|spring|autumn|christmas|year)|moved schools|"
    r"(after|since) (i|we) (left|moved)|"
    r"it got (fixed|sorted|better)|said no and told|"
    r"(years|months) (that )?followed|back in (the day|\d+)|"
    r"since (i|we) (moved|left|came)|"
    r"kiedy bylem (maly|mlodszy)|kiedy bylam (mala|mlodsza)|lata temu|kiedys|dawniej|"
    r"juz nie|teraz jestem bezpieczn\w*|"
    r"جب میں (چھوٹا|چھوٹی)|سال پہلے|پہلے|اب میں محفوظ|اب نہیں|"
    r"jab main (chota|choti|chhota|chhoti)|saal pehle|pehle)\b"
)


def _sentences_with(text: str, matched: tuple[str, ...]) -> list[str]:
    parts = [p for p in _SENTENCES.split(text) if p and p.strip()]
    keys = [m for m in matched if m]
    hits = [p for p in parts if any(k in p for k in keys)]
    return hits or [text]


def level_for(text: str, matched: tuple[str, ...] = ()) -> Level:
    """``current`` unless the sentences that raised the flag speak of harm that is over.

    ``text`` must be in the form the rules matched (normalised English, folded Polish or
    Urdu) so the matched words can be found in it.
    """
    sentences = _sentences_with(text, matched)
    if any(_NOW.search(s) for s in sentences):
        return CURRENT
    if any(_OVER.search(s) for s in sentences):
        return REVIEW
    # "I got bullied in year 7 but it stopped when I moved schools": the sign that it is
    # over may sit in the next clause; it counts when nothing in the answer speaks of now.
    if _OVER.search(text) and not _NOW.search(text):
        return REVIEW
    return CURRENT
