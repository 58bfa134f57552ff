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


@cache
def _known_names() -> frozenset[str]:
    table = _forms_table()
    return frozenset(table).union(*table.values())


def is_known_name(name: str) -> bool:
    """Whether a first name is in our tables of names and their forms."""
    return name in _known_names()


def name_forms(name: str | None) -> list[str]:
    """The name and every form it is known by, sorted: 'alfie' → ['alf', 'alfie', 'alfred']."""
    if not name:
        return []
    return sorted({name, *_forms_table().get(name, ())})


# The endings of pet forms made from the start of a name: Ossie, Florrie, Kimmy, Ceri.
PET_ENDINGS = ("ie", "ey", "ee", "y", "i")
PET_SHAPED_NAME = 6  # a name this short shaped like a pet form is a name of its own (Harvey, Elsie)


def pet_stem(name: str | None) -> str | None:
    """The start of a name a pet form keeps, when the name looks like one: its ending (-ie, -y, -i) and a
    doubled last consonant taken off ('ossie' → 'os', 'florrie' → 'flor', 'kimmy' → 'kim', 'finn' →
    'fin', 'ceri' → 'cer'). The stem has three letters or more, or two before a doubled consonant (Ossie,
    Emmy), so that Kai is not taken for a pet form of Kacper. None when the name does not look like one."""
    if not name:
        return None
    stem = name
    for ending in PET_ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= 2:
            stem = stem[: -len(ending)]
            break
    doubled = len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiou"
    if doubled:
        stem = stem[:-1]
    if stem == name or len(stem) < (2 if doubled else 3):
        return None
    return stem


def is_pet_form(pet: str | None, name: str | None) -> bool:
    """Whether `pet` is a pet form of `name` made from its start: Ossie of Oscar, Florrie of Florence,
    Ceri of Cerys. The name is at least two letters longer than the stem, three after a two-letter stem
    (Emmy is not a pet form of Emma), and is not itself a short name shaped like a pet form: Harry is
    not a pet form of Harvey, nor Ellie of Elsie."""
    stem = pet_stem(pet)
    if stem is None or name is None or pet == name or not name.startswith(stem):
        return False
    if len(name) < len(stem) + (3 if len(stem) == 2 else 2):
        return False
    return len(name) > PET_SHAPED_NAME or pet_stem(name) is None


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
