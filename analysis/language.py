"""Which language an answer is written in, from the text itself, offline.

The page's language is not enough: children mix languages, answer an English page in
Polish, or write Urdu in Latin letters. The engine needs to know so that a Polish or Urdu
answer gets the screen written for it, and so that an answer it cannot read goes to a
person ("needs a reader") instead of being scored as if it were English.

py3langid (a maintained fork of langid.py; its model ships inside the package) is limited
to the languages families in England most often write in, which makes short answers far
more reliable than choosing among 97. Urdu in Latin letters is not in its model, so a
short list of very common Urdu words recognises it first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Heard's own languages first; the rest are there so that, say, Romanian or Arabic is
# named as itself (and sent to a reader) rather than forced into English or Polish.
OFFERED = ("en", "pl", "ur")
CANDIDATES = OFFERED + (
    "ar", "fa", "pa", "hi", "bn", "ro", "pt", "es", "fr", "de", "it", "lt", "lv", "sk",
    "cs", "bg", "so", "tr", "ru", "uk", "sq", "ku",
)  # fmt: skip
UNKNOWN = "und"
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_LATIN_WORD = re.compile(r"[a-z]+")
# Frequent words of romanised Urdu that are not also common English words.
_URDU_LATIN = frozenset(
    [
        "hai",
        "hain",
        "nahi",
        "nahin",
        "nhi",
        "mujhe",
        "mujhko",
        "mera",
        "meri",
        "mere",
        "hum",
        "humein",
        "tum",
        "aap",
        "ap",
        "ko",
        "ki",
        "ke",
        "kya",
        "kyun",
        "kyon",
        "aur",
        "bohat",
        "bahut",
        "tha",
        "thi",
        "the",
        "wo",
        "woh",
        "yeh",
        "ye",
        "se",
        "mein",
        "main",
        "raha",
        "rahi",
        "rahe",
        "karta",
        "karti",
        "karte",
        "kar",
        "gaya",
        "gayi",
        "abbu",
        "ammi",
        "ami",
        "abu",
        "baap",
        "bhai",
        "behen",
        "ghar",
        "sab",
        "kuch",
        "koi",
        "jab",
        "tab",
        "lekin",
        "magar",
        "phir",
        "par",
        "pe",
        "wala",
        "wali",
        "bilkul",
        "theek",
        "thik",
        "acha",
        "achha",
        "accha",
        # verbs, pronouns and everyday words of texting Urdu (round 15's misses were
        # romanised Urdu with too few of the words above to be told from English); not
        # words that are also given names or family words in English answers ("Mara",
        # "Kal", "Jana", "Diya", "Tera", "nani", "dadi", "nana", "dada", "hun")
        "ne",
        "aaj",
        "kabhi",
        "hamesha",
        "raat",
        "saal",
        "lagi",
        "laga",
        "lagta",
        "lagti",
        "deta",
        "deti",
        "dete",
        "kehta",
        "kehti",
        "kehte",
        "hoon",
        "hota",
        "hoti",
        "hote",
        "gaye",
        "uske",
        "uski",
        "uska",
        "unke",
        "unki",
        "apna",
        "apni",
        "apne",
        "hamara",
        "hamari",
        "humara",
        "humari",
        "yahan",
        "wahan",
        "wahin",
        "saath",
        "sath",
        "liye",
        "chahiye",
        "bahar",
        "andar",
        "ek",
        "baat",
        "larka",
        "larki",
        "ladka",
        "ladki",
        "jaata",
        "jata",
        "jati",
        "aati",
        "aaya",
        "aayi",
        "aao",
        "jao",
        "karna",
        "rehta",
        "rehti",
        "ruko",
        "pata",
        "maine",
        "humne",
        "usne",
        "unhon",
        "unhone",
        "sirf",
        "bhi",
        "jaldi",
        "zyada",
        "paise",
        "paisa",
        "shukriya",
    ]
)
_ENGLISH_TOO = frozenset({"the", "main", "par", "pe", "me", "to", "he", "ki", "bus"})


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def _romanised_urdu(text: str) -> bool:
    words = _LATIN_WORD.findall(text.lower())
    hits = sum(1 for w in words if w in _URDU_LATIN and w not in _ENGLISH_TOO)
    return hits >= 2 and hits >= 0.3 * len(words)


def detect(text: str) -> str:
    """An ISO 639-1 code ("en", "pl", "ur" ...), or "und" when there are no letters.

    Short Latin-script answers that the model cannot place ("ok", "he hits me") are taken
    as English, the language of the service; anything with Urdu letters is Urdu unless the
    model is sure it is Arabic or Persian.
    """
    if not isinstance(text, str):
        return UNKNOWN
    letters = _LETTER.findall(text)
    if not letters:
        return UNKNOWN
    arabic = sum(1 for c in letters if _ARABIC_SCRIPT.match(c))
    if arabic >= 0.3 * len(letters):
        found, confidence = _identifier().classify(text[:2000])
        if found in ("ar", "fa", "ku", "pa") and confidence > 0.9:
            return str(found)
        return "ur"
    if _romanised_urdu(text):
        return "ur"
    found, confidence = _identifier().classify(text[:2000])
    if found == "en":
        return "en"
    if text.isascii() and found != "pl" and (confidence < 0.8 or len(text.split()) <= 6):
        return "en"  # a short English reply the model is unsure of ("i got a new bike")
    if confidence < 0.6 and len(text.split()) <= 4 and text.isascii():
        return "en"
    return str(found)
