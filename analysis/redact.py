"""Redaction: personal details replaced by placeholders before any quote leaves the raw view.

Regular expressions, not a named-entity model: they run offline at batch speed, every rule
can be read and tested, and for the kinds of detail that matter here (phone numbers,
emails, postcodes, addresses, dates of birth, school names, people's names after a cue
like "my social worker") patterns catch more than a general-purpose tagger trained on
news text. Names without a cue are found from a list of common first names and, mid-
sentence, from capitalised words that are not English words: over-redaction is the safe
side. What it catches is measured on tests/unit/analysis/fixtures/redaction_cases.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from analysis.text import textblob_data

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{2,30}\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}\b"
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.I)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\.?,?\s+(?:19|20)\d{{2}}"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})"
)
_DOB = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date of birth|birthday(?: is)?|born(?: on)?|bday"
    rf"|(?:turn|turns|turning|be|i'll be|ill be|will be) \d{{1,2}}(?: on)?)"
    rf"\s*(?:is|was|:|-)?\s*(?:on\s+)?(?:the\s+)?"
    rf"(?:{_DATE}|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)",
    re.I,
)
_ANY_DATE = re.compile(rf"\b{_DATE}\b", re.I)
# NHS numbers (3-3-4 digits) and National Insurance numbers (two letters, six digits, a letter).
_ID_NUMBER = re.compile(
    r"(?<![\w+])\d{3}[ -]?\d{3}[ -]?\d{4}\b|\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I
)
# Current British number plates (two letters, two digits, three letters), written in capitals.
_NUMBER_PLATE = re.compile(r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b")
# A user name given after the app's name: "add me on snap its jaydn_x09".
_APP_HANDLE = re.compile(
    r"\b(?:snap|snapchat|sc|insta|instagram|ig|tiktok|tt|discord|twitter|x|xbox|psn|kik|"
    r"telegram|threads)\b(?:\s+(?:is|its|it's|name|username|user|handle|id|tag|me|at|on|=|:|-))*"
    r"\s+([a-z0-9_.]*[0-9_.][a-z0-9_.]*[a-z0-9_])\b",
    re.I,
)
_STREET = (
    r"(?:road|rd|street|st|avenue|ave|close|lane|ln|drive|dr|way|crescent|cres|court|ct|grove|"
    r"place|pl|gardens|gdns|terrace|walk|hill|park|square|sq|mews|rise|view|row|green|parade|"
    r"estate|house|towers|heights)"
)
_ADDRESS = re.compile(
    rf"\b(?:(?:flat|apartment|apt|unit)\s*\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+"
    rf"(?:[a-z][\w']*\s+){{1,3}}{_STREET}\b",
    re.I,
)
_STREET_NAME = re.compile(
    r"\b(?:[A-Z][\w']+\s+){1,3}(?:Road|Street|Avenue|Close|Lane|Drive|Crescent|Court|Grove|"
    r"Gardens|Terrace|Mews|Rise|Parade|Walk|Square)\b"
    r"|\b(?<=on |in |at )(?:[a-z][\w']+\s+){1,2}(?:road|street|avenue|close|lane|drive|crescent|"
    r"grove|gardens|terrace|mews)\b"
)
_SCHOOL_KIND = r"(?:primary|secondary|high|junior|infants?|grammar|academy|college|school|prep)"
_SCHOOL = re.compile(
    rf"\b(?:(?:St\.?|Saint)\s+)?(?:[A-Z][\w'-]+\s+){{1,3}}(?i:{_SCHOOL_KIND}"
    rf"(?:\s+(?:school|academy|college))?)\b"
)
_SCHOOL_LOWER = re.compile(
    r"\b((?:st\s+|saint\s+)?(?:[a-z][\w'-]+\s+){1,2})(?:primary|junior|infants?|grammar|"
    r"high school|secondary school|academy|community college|prep)\b(?:\s+school)?"
)
# A named building: a children's home, a hostel, a family centre ("Oak Lodge", "Riverside
# House", "Northgate Family Centre", "Elm Tree children's home"). A home may house two or
# three children, so its name can tie a quote to a child. Generic names ("the Town Hall",
# "the youth centre", "my children's home") stay.
_BUILDING_KIND = (
    r"(?:House|Lodge|Hall|Centre|Center|Cottages?|Manor|Farm|Grange|Hostel|Foyer|Villa|Barn"
    r"|Refuge)"
)
_HOME_KIND = (
    r"(?:children'?s home|childrens home|care home|residential home|residential unit|hostel"
    r"|refuge|family centre|contact centre|foyer|supported (?:lodgings|accommodation|housing))"
)
_BUILDING = re.compile(
    rf"\b(?:[A-Z][\w'-]+\s+){{1,3}}{_BUILDING_KIND}\b(?:\s+(?i:{_HOME_KIND}))?"
    rf"|\b(?:[A-Z][\w'-]+\s+){{1,2}}(?i:{_HOME_KIND})\b"
)
# In lower case, only words that are not English ("kingsbridge children's home"): "am in
# supported accommodation" and "a really nice children's home" stay.
_HOME_LOWER = re.compile(rf"\b((?:[a-z][\w'-]+\s+){{1,2}})(?:{_HOME_KIND})\b")
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr|Miss|Sir|mr|mrs|ms|mx|dr)\.?\s+[A-Za-z][\w'-]+")
_CUE = re.compile(
    r"\b(?:social worker|sw|worker|carer|foster carer|teacher|key ?worker|pa|personal advis[eo]r|"
    r"iro|advocate|mentor|manager|nurse|doctor|therapist|counsell?or|mum|mam|dad|brother|sister|"
    r"friend|mate|boyfriend|girlfriend|nan|nanna|grandad|uncle|auntie|aunt|cousin|son|daughter|"
    r"called|named|name is|names|name's|thanks to|thank you|thankyou|with|and|from|to|to see|"
    r"see|saw|miss|love|hi|dear)\s+([A-Za-z][a-z'-]+)",
    re.I,
)
_ROLE_AFTER = re.compile(
    r"\b([A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)(?=\s+(?:is|was|has been|'s|is still|was always) "
    r"(?:my|our|the|his|her|their) (?:new |old |lovely |best )?(?:foster carer|foster mum|"
    r"foster dad|carer|social worker|sw|worker|iro|pa|personal advis[eo]r|teacher|key ?worker|"
    r"advocate|mentor|manager|nurse|therapist|counsell?or|support worker)\b"
    r"|\s+from (?:the |my )?(?:[a-z]+ ){0,3}(?:team|service|office|council|charity|project|"
    r"hub|unit)\b)"
)
# A word beside a found name: "Bill and [NAME]", "[NAME] whitfield", "Abdirahman [NAME]".
_BESIDE_NAME = re.compile(
    r"\b([A-Za-z][a-z]+(?:[-'][A-Za-z]?[a-z]+)?)(?=\s+(?:and |& )?\[NAME\])"
    r"|(?<=\[NAME\] )([a-z][a-z]+(?:[-'][a-z]+)?)\b"
)
# Text-speak and short forms that are not in the English word list but are not names.
_NOT_NAMES_TEXT = (
    "tbh ngl idk idc imo lol lmao omg pls plz thx gonna wanna gotta innit dunno yeah yep "
    "nope cuz coz cos bcos bcoz bruh fam mate mates ppl peeps rn atm asap tho thru ur u r "
    "y youse yous aint ain't wasnt isnt dont cant wont didnt doesnt havent shes hes theyre "
    "were youre im ive id ill its lets thats whats theres heres okay ok kinda sorta"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_ALLOW = frozenset(
    [
        "i",
        "covid",
        "camhs",
        "childline",
        "nhs",
        "ofsted",
        "xbox",
        "playstation",
        "snapchat",
        "instagram",
        "tiktok",
        "youtube",
        "facebook",
        "whatsapp",
        "google",
        "netflix",
        "christmas",
        "easter",
        "eid",
        "diwali",
        "ramadan",
        "hanukkah",
        "english",
        "british",
        "muslim",
        "christian",
        "jewish",
        "hindu",
        "sikh",
        "polish",
        "romanian",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "mcdonalds",
        "kfc",
        "tesco",
        "asda",
        "aldi",
        "lidl",
        "primark",
        "fifa",
        "fortnite",
        "minecraft",
        "roblox",
        "iphone",
        "ipad",
        "mum",
        "dad",
        "nan",
        "god",
        "jesus",
        "allah",
        "council",
        "uk",
        "england",
        "london",
        "birmingham",
        "manchester",
        "leeds",
        "liverpool",
        "europe",
        "barnardo's",
        "barnardos",
        "nspcc",
        "coram",
        "unicef",
        "ofsted",
        "cafcass",
        "dwp",
        "pip",
        "sen",
        "send",
        "ehcp",
        "pshe",
        "gcse",
        "gcses",
        "ucas",
        "btec",
    ]
)


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("analysis").joinpath("data/first_names.txt").read_text("utf-8")
    sections: dict[str, set[str]] = {"names": set(), "ambiguous": set()}
    current = "names"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            continue
        sections[current].update(line.lower().split())
    return frozenset(sections["names"]), frozenset(sections["ambiguous"])


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    path = textblob_data("en-spelling.txt")
    names, ambiguous = _names()
    words = {
        line.split(" ", 1)[0].lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(";")
    }
    return frozenset(words - names)


_IRISH_PREFIX = re.compile(r"\b(?:[OD]'|Mc|Mac)\[NAME\]")
_PLACEHOLDER_RUN = re.compile(r"\[(NAME|SCHOOL|ADDRESS|PLACE)\](?:\s+\[\1\])+")
_FOLLOWING_CAP = re.compile(r"\[NAME\]\s+(?:[OD]'|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Towns, cities, counties and regions: capitalised, not English words, not people."""
    text = resources.files("analysis").joinpath("data/places.txt").read_text("utf-8")
    return frozenset(
        w for line in text.splitlines() if not line.startswith("#") for w in line.lower().split()
    )


_CONTRACTION = re.compile(r"^(\w+)'(m|s|ve|ll|d|re|t)$")


def _allowed(low: str) -> bool:
    """Not a person: a listed organisation, brand, day or month, place (plurals too), or a
    contraction of English words ("I'm", "that's")."""
    contraction = _CONTRACTION.match(low)
    if contraction and (contraction.group(1) in _english() or contraction.group(1) == "i"):
        return True
    return (
        low in _ALLOW
        or (low.endswith("s") and low[:-1] in _ALLOW)
        or low in _places()
        or low in _NOT_NAMES
    )


def _is_name(word: str, cue: bool) -> bool:
    """A first name from the list, or with a cue and a capital, a word English lacks.

    After a cue, a lower-case word of four letters or more that English lacks is a name
    too ("me and dazza", "with hodan"): children rarely capitalise names.
    """
    names, ambiguous = _names()
    low = word.lower()
    if _allowed(low):
        return False
    if low in names:
        return True
    capital = word[:1].isupper()
    if low in ambiguous:
        return cue and capital
    if low in _english() or len(low) <= 2:
        return False
    if capital:
        return True
    # Lower case after a cue: not contractions ("it's"), and the word must look like one.
    return cue and len(low) >= 4 and "'" not in low and re.search(r"[aeiouy]", low) is not None


def _names_after_cues(text: str) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(1)
        if not _is_name(word, cue=True):
            return match.group(0)
        return match.group(0)[: match.start(1) - match.start(0)] + "[NAME]"

    return _CUE.sub(swap, text)


def _loose_names(text: str) -> str:
    """Known first names anywhere; capitalised words English lacks, anywhere."""
    names, _ = _names()

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low in names and not _allowed(low):
            return "[NAME]"
        if word[:1].isupper() and _is_name(word, cue=False):
            # Mid-sentence, or opening a sentence: a capitalised word English lacks that is
            # no listed place or organisation is most often a name ("Tomasz lives ...").
            return "[NAME]"
        return word

    return re.sub(r"\b[A-Za-z][a-z]+(?:[-'][A-Za-z]?[a-z]+)?\b", swap, text)


def _names_by_role(text: str) -> str:
    """A word that names a role's holder ("Hope is my foster carer"): a name, even when it is
    also an ordinary word, unless it is a common English word that is not a first name."""

    def swap(match: re.Match[str]) -> str:
        low = match.group(1).lower()
        _, ambiguous = _names()
        if _allowed(low) or (low in _english() and low not in ambiguous):
            return match.group(0)
        return "[NAME]"

    return _ROLE_AFTER.sub(swap, text)


def _names_beside_names(text: str) -> str:
    """Surnames and partners of a name already found: both sides are personal."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(1) or match.group(2)
        low = word.lower()
        _, ambiguous = _names()
        if _allowed(low):
            return match.group(0)
        if low in ambiguous and word[:1].isupper():
            return "[NAME]"
        if low in _english() or len(low) <= 2:
            return match.group(0)
        return "[NAME]"

    return _BESIDE_NAME.sub(swap, text)


def redact(text: str) -> str:
    """The text with personal details replaced by [NAME], [PHONE], [EMAIL] and the like.

    Order matters: structured details first (an email contains a name, an address holds
    a number that looks like a date), names last.
    """
    out = _EMAIL.sub("[EMAIL]", text)
    out = _URL.sub("[LINK]", out)
    out = _HANDLE.sub("[HANDLE]", out)
    out = _DOB.sub("[DATE OF BIRTH]", out)
    out = _ANY_DATE.sub("[DATE]", out)
    out = _PHONE.sub("[PHONE]", out)
    out = _ID_NUMBER.sub("[ID NUMBER]", out)
    out = _NUMBER_PLATE.sub("[NUMBER PLATE]", out)
    out = _APP_HANDLE.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + "[HANDLE]", out)
    out = _POSTCODE.sub("[POSTCODE]", out)
    out = _ADDRESS.sub("[ADDRESS]", out)
    out = _STREET_NAME.sub("[ADDRESS]", out)
    out = _SCHOOL.sub(_school, out)
    out = _SCHOOL_LOWER.sub(_school_lower, out)
    out = _BUILDING.sub(_building, out)
    out = _HOME_LOWER.sub(_home_lower, out)
    out = _TITLE.sub("[NAME]", out)
    out = _names_by_role(out)
    out = _names_after_cues(out)
    out = _loose_names(out)
    out = _FOLLOWING_CAP.sub("[NAME]", out)
    out = _names_beside_names(out)
    out = _IRISH_PREFIX.sub("[NAME]", out)
    return _PLACEHOLDER_RUN.sub(r"[\1]", out)


_GENERIC_SCHOOL_WORDS = frozenset(
    [
        "my",
        "the",
        "a",
        "an",
        "his",
        "her",
        "their",
        "our",
        "your",
        "this",
        "that",
        "new",
        "old",
        "local",
        "secondary",
        "primary",
        "high",
        "special",
        "boarding",
        "good",
        "same",
        "different",
        "at",
        "to",
        "from",
        "in",
        "next",
        "last",
        "big",
        "little",
        "nice",
        "great",
        "whole",
        "other",
        "another",
        "any",
        "every",
        "which",
        "what",
        "senior",
        "junior",
        "sixth",
        "form",
        "of",
        "for",
        "main",
        "mainstream",
        "catholic",
        "church",
        "independent",
        "state",
        "private",
        "free",
        "public",
        "sixth",
        "virtual",
        "school",
    ]
)


def _school(match: re.Match[str]) -> str:
    words = match.group(0).split()
    if words[0].lower() in _GENERIC_SCHOOL_WORDS and not words[0].lower().startswith("st"):
        rest = [w for w in words[1:] if w.lower() not in _GENERIC_SCHOOL_WORDS]
        if len(rest) <= 1:
            return match.group(0)
        return words[0] + " " + "[SCHOOL]"
    return "[SCHOOL]"


def _school_lower(match: re.Match[str]) -> str:
    lead = match.group(1).split()
    while lead and lead[0] in _GENERIC_SCHOOL_WORDS:
        lead.pop(0)
    if not lead or all(w in _GENERIC_SCHOOL_WORDS for w in lead):
        return match.group(0)
    prefix = match.group(0)[: match.group(0).find(lead[0])] if lead else ""
    return prefix + "[SCHOOL]"


#: Words that make a building's name generic ("the Town Hall", "a youth centre", "my nan's
#: house", "the new children's home"), beside the school list's.
_GENERIC_BUILDING_WORDS = _GENERIC_SCHOOL_WORDS | frozenset(
    [
        "town",
        "city",
        "county",
        "council",
        "civic",
        "village",
        "community",
        "youth",
        "leisure",
        "sports",
        "sport",
        "job",
        "jobcentre",
        "family",
        "contact",
        "children's",
        "childrens",
        "care",
        "respite",
        "residential",
        "health",
        "medical",
        "dental",
        "day",
        "assessment",
        "resource",
        "hub",
        "parish",
        "court",
        "council's",
        "police",
        "fire",
        "open",
        "semi",
        "independent",
        "supported",
        "really",
        "very",
        "quite",
        "nice",
        "lovely",
        "horrible",
        "awful",
        "first",
        "current",
        "previous",
        "last",
        "temporary",
        "emergency",
        "foster",
        "placement",
        "mum's",
        "dad's",
        "nan's",
        "nana's",
        "gran's",
        "grandma's",
        "grandad's",
        "auntie's",
        "aunt's",
        "uncle's",
        "carer's",
        "carers'",
        "friend's",
        "mate's",
        "sister's",
        "brother's",
        "dads",
        "mums",
        "nans",
        "grans",
        "white",
        "opera",
        "bingo",
        "dolls",
        "tree",
        "haunted",
        "bouncy",
        "guest",
        "green",
        "summer",
        "farm",
        "school",
    ]
)


def _building(match: re.Match[str]) -> str:
    """[PLACE] for the named part of a building's name; generic names stay whole."""
    text = match.group(0)
    words = text.split()
    named = [w for w in words if w.lower() not in _GENERIC_BUILDING_WORDS]
    kinds = [w for w in named if re.fullmatch(_BUILDING_KIND, w) or w.lower() in _HOME_WORDS]
    if len(named) - len(kinds) <= 0:
        return text
    lead = []
    for word in words:  # keep the generic words before the name ("the", "my", "a")
        if word.lower() not in _GENERIC_BUILDING_WORDS:
            break
        lead.append(word)
    return " ".join([*lead, "[PLACE]"])


_HOME_WORDS = frozenset(
    [
        "home",
        "unit",
        "hostel",
        "refuge",
        "centre",
        "foyer",
        "lodgings",
        "accommodation",
        "housing",
        "supported",
    ]
)


def _home_lower(match: re.Match[str]) -> str:
    english = _english()
    lead = match.group(1).split()
    if not any(w not in english and w not in _GENERIC_BUILDING_WORDS for w in lead):
        return match.group(0)
    while lead and (lead[0] in english or lead[0] in _GENERIC_BUILDING_WORDS):
        lead.pop(0)
    prefix = match.group(0)[: match.group(0).find(lead[0])]
    return prefix + "[PLACE]"
