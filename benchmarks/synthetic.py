"""Seeded synthetic feedback comments for the speed benchmark (no real data needed).

Comments are assembled from openings, subjects, verbs and endings typical of children's
and parents' feedback, in one to four sentences, so their length (median about 15 words,
a long tail to 80) matches the free-text answers in public feedback data.
"""

from __future__ import annotations

import random

SUBJECTS = [
    "my social worker",
    "my sw",
    "the conference chair",
    "my foster carer",
    "the staff",
    "my pa",
    "the iro",
    "my teacher",
    "the worker",
    "they",
    "she",
    "he",
    "my advocate",
    "the manager at the home",
    "the duty team",
    "my key worker",
    "my carers",
]
VIEWS = [
    "never rings me back",
    "always listens to me",
    "was really kind",
    "explained everything",
    "is always late",
    "helped me with my pathway plan",
    "didn't turn up to the meeting",
    "makes me feel safe",
    "keeps changing",
    "talks over me",
    "was amazing",
    "was rude to my mum",
    "sorted out my contact with my brother",
    "got the minutes to us months later",
    "never tells us what is happening",
    "made me feel welcome",
    "did not explain my rights",
    "takes me to football on saturdays",
    "forgot my review",
    "went above and beyond",
]
EXTRAS = [
    "I would like to see my mum more.",
    "Nothing was too much trouble.",
    "It was ok I guess.",
    "The meeting had too many people in it.",
    "I don't know who to call when things go wrong.",
    "School is going better now.",
    "I want more activities at weekends.",
    "Thanks for everything.",
    "The house is nice and I have my own room.",
    "We waited weeks for a reply.",
    "I'm worried about turning 18 and moving into my own flat.",
    "My allowance was late again.",
    "The review was in the afternoon so I missed school.",
    "i dont feel listened to at all",
    "Please call Sarah on 07700 900123 about it.",
    "lol it was fine tbh",
]


def comment(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 4])):
        if rng.random() < 0.55:
            view = f"{rng.choice(SUBJECTS)} {rng.choice(VIEWS)}"
            parts.append(view[0].upper() + view[1:] + rng.choice([".", ".", "!", ""]))
        else:
            parts.append(rng.choice(EXTRAS))
    return " ".join(parts)


def comments(n: int, seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    return [comment(rng) for _ in range(n)]
