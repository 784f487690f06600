"""Synthetic free-text answers for the demo, composed from the phrases in phrases.py.

An answer is one to three sentences chosen for the question's topic and the person's tone,
joined the way people write ("... but ..."), then typed the way the person would: children
in lower case, without apostrophes, with the odd misspelling, so the analysis and the
review pages meet text like the real thing.
"""

from __future__ import annotations

import random
import re

from survey.demo.phrases import (
    CHILD_VOICES,
    COMPLAINT,
    FILL,
    NOTHING,
    PRAISE,
    SAFEGUARDING,
    SAFER,
    TRAINING,
    TREATED,
    TYPOS,
    WISH,
    WORRY,
)


def _pick(rng: random.Random, pool: dict[str, list[str]], voice: str) -> str:
    choices = pool.get(voice) or pool.get(_fallback(voice)) or []
    text = rng.choice(choices) if choices else ""
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(FILL[m.group(1)]), text)


def _fallback(voice: str) -> str:
    return {"young-child": "child", "child": "teen", "carer": "parent"}.get(voice, "teen")


def _join(rng: random.Random, first: str, second: str, contrast: bool) -> str:
    link = rng.choice([" but ", ". But ", " although "] if contrast else [". ", " and ", ". "])
    if link == ". ":
        return f"{first.rstrip('.')}. {second}"
    words = second.split()
    # Keep "I", names ("Universal Credit") and acronyms ("PA", "LAC") as they are.
    proper = words[0] == "I" or words[0].isupper() or (len(words) > 1 and words[1][:1].isupper())
    if not proper:
        second = second[:1].lower() + second[1:]
    if link == ". But ":
        return f"{first.rstrip('.')}. But {second}"
    return first.rstrip(".") + link + second


def compose(rng: random.Random, voice: str, topic: str, tone: str) -> str:
    """One answer to a free-text question on ``topic`` ("good", "change", "safer",
    "complaint", "compliment", "comment"), in ``voice``, with ``tone`` ("positive",
    "mixed", "negative", "worried")."""
    parts = _parts(rng, voice, topic, tone)
    kind, text = parts[0]
    for next_kind, part in parts[1:]:
        text = _join(rng, text, part, contrast=next_kind != kind)
        kind = next_kind
    return roughen(rng, text, voice, casual=parts[0][0] != "disclosure")


def _parts(rng: random.Random, voice: str, topic: str, tone: str) -> list[tuple[str, str]]:
    """Sentences as (kind, text): a change of kind is joined with "but"."""

    used: set[str] = set()

    def say(pool: dict[str, list[str]]) -> tuple[str, str]:
        text = _pick(rng, pool, voice)
        for _ in range(3):
            if text not in used:
                break
            text = _pick(rng, pool, voice)
        used.add(text)
        kind = "disclosure" if pool is SAFEGUARDING else "bad"
        return ("good" if pool is PRAISE or pool is SAFER else kind, text)

    if tone == "worried" and topic in ("change", "safer", "complaint") and voice in SAFEGUARDING:
        return [say(SAFEGUARDING)]
    if topic == "training":
        return [say(TRAINING)] + ([say(TRAINING)] if rng.random() < 0.3 else [])
    if topic == "outcome":
        return [say(WISH)] + ([say(WISH)] if rng.random() < 0.3 else [])
    if topic in ("good", "compliment"):
        if tone == "negative" and rng.random() < 0.4:
            return [say(NOTHING)]
        parts = [say(PRAISE)]
        if rng.random() < 0.35:
            parts.append(say(PRAISE))
        if tone == "mixed" and rng.random() < 0.5:
            parts.append(say(COMPLAINT))
        return parts
    if topic == "safer":
        parts = [say(SAFER)] if rng.random() < 0.6 else [say(WORRY), say(SAFER)]
        return parts
    if topic == "treated":
        return [say(TREATED)] + ([say(TREATED)] if rng.random() < 0.25 else [])
    if tone == "positive":
        return [say(NOTHING)] if rng.random() < 0.3 else [say(WISH)]
    if tone == "mixed" or topic == "comment":
        return [say(PRAISE), say(COMPLAINT)] if rng.random() < 0.6 else [say(WISH)]
    parts = [say(COMPLAINT)]
    if rng.random() < 0.5:
        parts.append(say(COMPLAINT) if topic == "complaint" else say(WISH))
    if tone == "worried" and voice in WORRY:
        parts.append(say(WORRY))
    return parts


def roughen(rng: random.Random, text: str, voice: str, casual: bool = True) -> str:
    """Type it the way the respondent would: children in lower case, without apostrophes,
    with the odd misspelling; adults mostly as written, sometimes in a hurry. ``casual``
    allows a teenager's "lol" at the end (never after a disclosure)."""
    if voice in CHILD_VOICES or (voice == "care-leaver" and rng.random() < 0.4):
        if voice == "young-child" and rng.random() < 0.5:
            return text  # written down by the adult helping
        if rng.random() < 0.8:
            text = text.lower()
        if rng.random() < 0.85:
            text = text.replace("'", "").replace("\u2019", "")
        for word, variants in TYPOS.items():
            if word in text and rng.random() < 0.35:
                text = text.replace(word, rng.choice(variants), 1)
        if rng.random() < 0.6:
            text = text.rstrip(".")
        if voice == "teen" and casual and not text.endswith(".") and rng.random() < 0.1:
            text += rng.choice([" tbh", " lol", " idk"])
    elif rng.random() < 0.15:
        text = text.rstrip(".")
    return text
