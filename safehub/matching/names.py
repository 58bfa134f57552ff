"""Names as matching sees them: normalised, placeholder-aware, with their diminutives and variants."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path

from nicknames import NickNamer

DIMINUTIVES_CSV = Path(__file__).with_name("data") / "diminutives.csv"

# What staff write when a child has no name yet, or the name is not known. These never count as
# agreement: two unborn babies are not the same child because both are recorded as "Baby".
PLACEHOLDER_GIVEN_NAMES = frozenset(
    {
        "baby",
        "babyof",
        "bb",
        "boy",
        "child",
        "female",
        "girl",
        "infant",
        "male",
        "newborn",
        "nk",
        "notknown",
        "tbc",
        "twin",
        "unborn",
        "unknown",
        "unnamed",
    }
)
PLACEHOLDER_FAMILY_NAMES = frozenset({"nk", "notknown", "tbc", "unknown", "unnamed"})

_NOT_LETTERS = re.compile(r"[^a-z]+")
_APOSTROPHES = re.compile(r"['’`]")


def tokens(value: str | None) -> list[str]:
    """Lower-case ASCII words: 'Zoë O'Brien-Smith' → ['zoe', 'obrien', 'smith']."""
    if not value:
        return []
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").lower()
    folded = folded.replace("ł", "l")
    return [t for t in _NOT_LETTERS.split(_APOSTROPHES.sub("", folded)) if t]


def first_given_name(given: str | None) -> str | None:
    """The first given name, or None when it is missing or a placeholder such as 'Baby'."""
    words = tokens(given)
    if not words or words[0] in PLACEHOLDER_GIVEN_NAMES or "".join(words) in PLACEHOLDER_GIVEN_NAMES:
        return None
    return words[0]


def given_names(given: str | None, middle: str | None = None) -> list[str]:
    """Every given and middle name, placeholders left out."""
    return [w for w in tokens(given) + tokens(middle) if w not in PLACEHOLDER_GIVEN_NAMES]


def family_name(family: str | None) -> str | None:
    """The whole family name as one word ('Smith-Jones' → 'smithjones'), or None for a placeholder."""
    words = tokens(family)
    joined = "".join(words)
    if not joined or joined in PLACEHOLDER_FAMILY_NAMES:
        return None
    return joined


def family_name_parts(family: str | None) -> list[str]:
    """The parts of a double-barrelled or hyphenated family name: 'Smith-Jones' → ['smith', 'jones']."""
    if family_name(family) is None:
        return []
    return tokens(family)


@cache
def _forms_table() -> dict[str, frozenset[str]]:
    """Every name that has other forms, mapped to them: ours first, then the general nicknames dataset."""
    forms: dict[str, set[str]] = defaultdict(set)
    with DIMINUTIVES_CSV.open(encoding="utf-8") as rows:
        for row in csv.DictReader(line for line in rows if not line.startswith("#")):
            name, form = row["name"].strip(), row["form"].strip()
            forms[name].add(form)
    for name, canonicals in NickNamer().canonical_lookup.items():
        forms[name].update(canonicals)
    # No closure: 'charles' → 'charlie' → 'charlotte' would make a brother and sister one person.
    return {name: frozenset(found - {name}) for name, found in forms.items()}


def name_forms(name: str | None) -> list[str]:
    """The name and every form it is known by, sorted: 'alfie' → ['alf', 'alfie', 'alfred']."""
    if not name:
        return []
    return sorted({name, *_forms_table().get(name, ())})


_SOUNDEX_CODES = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(word: str | None) -> str | None:
    """American Soundex ('smith' and 'smyth' → 's530'), for blocking keys that survive misspelling."""
    if not word:
        return None
    code = [word[0]]
    previous = _SOUNDEX_CODES.get(word[0], "")
    for letter in word[1:]:
        digit = _SOUNDEX_CODES.get(letter, "")
        if digit and digit != previous:
            code.append(digit)
        if letter not in "hw":
            previous = digit
    return "".join(code)[:4].ljust(4, "0")


_SOUND_SPELLINGS = (
    ("ph", "f"),
    ("sz", "s"),
    ("cz", "X"),
    ("ch", "X"),
    ("sh", "X"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
)
_SOUND_LETTERS = str.maketrans({"c": "k", "z": "s", "w": "v"})
_VOWEL_CLASSES = {"a": "a", "o": "o", "u": "o", "e": "i", "i": "i", "y": "i"}


def sounds_like(name: str | None) -> str | None:
    """A key that other spellings of a name share: Simon and Szymon, Ciara and Keira, Kieran and Ciaran,
    Philip and Filip, Sophia and Zofia. Only equal keys count: names that sound alike but are other
    names (Lily and Lola, Harry and Harvey, Ava and Eva, Thea and Theo) keep different keys."""
    if not name:
        return None
    word = name
    for spelling, sound in _SOUND_SPELLINGS:
        word = word.replace(spelling, sound)
    word = (word[0] + word[1:].replace("h", "")).translate(_SOUND_LETTERS)
    key: list[str] = []
    run = ""  # the vowels read since the last consonant
    for index, letter in enumerate(word):
        vowel = letter in _VOWEL_CLASSES and not (letter == "y" and word[index + 1 : index + 2] in _VOWEL_CLASSES)
        if vowel:
            run += letter
            continue
        if run:
            key.append(_VOWEL_CLASSES[run[0]])  # a run of vowels sounds as its first
            run = ""
        if not key or key[-1] != letter:  # a doubled letter sounds as one
            key.append(letter)
    if run:
        key.append(_VOWEL_CLASSES[run[-1]])  # the last vowel of a name is heard: Thea and Theo differ
    return "".join(key)
