"""The exact terms the People search finds a person by, and how they are kept beside the person.

The probabilistic search (safehub.matching.search) needs a name with a date of birth or an NHS
number; a team often knows less: only a surname, a street, a postcode. Those are exact lookups,
and a person is stored with a term for each way they can be looked up (`SearchTerm`), so that a
surname search reads an index rather than the person table:

- `s:<surname>`: the whole family name folded to one word ("O'Donnell" → `s:odonnell`), and each
  part of a double-barrelled or hyphenated one ("Smith-Jones" → `s:smith`, `s:jones`, `s:smithjones`);
- `g:<given name>`: every given and middle name, for a first name with a surname or postcode, and for
  a parent's first name;
- `a:<address>`: the first line of the address, each comma-separated part of it, its street without
  the house number ("elm road") and with it ("12 elm road").

Folding takes out case, accents and apostrophes and keeps letters of every script, so "ODONNELL",
"O’Donnell" and "odonnell" are one term and a name written in Arabic or Chinese is still found. The
query side folds what is typed the same way (`surname_term`, `given_terms`, `address_term`).
The terms are written with the person's matching index entry (safehub.matching.index), in the
same transaction, and rebuilt with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from safehub.core.bulk import insert_rows
from safehub.people.models import Person, SearchTerm

SURNAME, GIVEN, ADDRESS = "s:", "g:", "a:"
MAX_TERM = SearchTerm._meta.get_field("term").max_length or 0

_APOSTROPHES = str.maketrans("", "", "'’‘`´ʼʹ")
# Letters that do not decompose into a base letter and an accent.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "þ": "th", "æ": "ae", "œ": "oe"})
_WORD = re.compile(r"[^\W_]+")
# What an address's last word is often shortened to, and the word it stands for.
_STREET_WORDS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "cl": "close",
    "ct": "court",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "ln": "lane",
    "pl": "place",
    "sq": "square",
    "tce": "terrace",
    "terr": "terrace",
}
PLACEHOLDER_ADDRESSES = frozenset({"address not known", "not known", "unknown", "nfa", "no fixed abode"})


def words(text: str) -> list[str]:
    """Lower-case words without accents or apostrophes: "Zoë O’Brien-Smith" → ['zoe', 'obrien', 'smith']."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in folded if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return _WORD.findall(kept.translate(_APOSTROPHES).translate(_LETTERS))


def _term(prefix: str, value: str) -> str:
    return f"{prefix}{value}"[:MAX_TERM]


def surname_term(text: str) -> str | None:
    """The term a typed surname looks up: its words as one ("O Donnell" and "O'Donnell" → s:odonnell)."""
    joined = "".join(words(text))
    return _term(SURNAME, joined) if joined else None


def given_terms(text: str) -> list[str]:
    """The terms a typed first name looks up, one per word: a person must have all of them."""
    return [_term(GIVEN, word) for word in words(text)]


def word_forms(word: str) -> list[str]:
    """A typed word and the word it may stand for in an address ('rd' → ['rd', 'road'])."""
    return [word, _STREET_WORDS[word]] if word in _STREET_WORDS else [word]


def address_words(text: str) -> list[str]:
    found = words(text)
    if found and found[-1] in _STREET_WORDS:
        found[-1] = _STREET_WORDS[found[-1]]
    return found


def address_term(text: str) -> str | None:
    """The term a typed first line of an address looks up: "12 Elm Rd" → a:12 elm road."""
    found = address_words(text)
    return _term(ADDRESS, " ".join(found)) if found else None


def _address_keys(line: str) -> set[str]:
    whole = " ".join(address_words(line))
    if not whole or whole in PLACEHOLDER_ADDRESSES:
        return set()
    keys = {whole}
    for part in line.split(","):
        found = address_words(part)
        if not found:
            continue
        keys.add(" ".join(found))
        numbered = [i for i, word in enumerate(found) if any(c.isdigit() for c in word)]
        if numbered and numbered[-1] < len(found) - 1:
            keys.add(" ".join(found[numbered[-1] + 1 :]))  # the street: "elm road"
            keys.add(" ".join(found[numbered[-1] :]))  # the house on it: "12 elm road"
    return keys


def terms_for(*, given_name: str, middle_names: str, family_name: str, address_line: str) -> set[str]:
    """Every term a person with these details is found by (pure: the migration that first filled
    the table calls it too)."""
    terms: set[str] = set()
    parts = words(family_name)
    if parts:
        terms.add(_term(SURNAME, "".join(parts)))
        terms.update(_term(SURNAME, part) for part in parts)
    terms.update(_term(GIVEN, word) for word in words(given_name) + words(middle_names))
    terms.update(_term(ADDRESS, key) for key in _address_keys(address_line))
    return terms


def terms_of(person: Person) -> set[str]:
    return terms_for(
        given_name=person.given_name,
        middle_names=person.middle_names,
        family_name=person.family_name,
        address_line=person.address.line_1 if person.address else "",
    )


def forget(ids: Iterable[int] | None) -> None:
    """Remove these people's terms (everyone's when `ids` is None) before they are written again."""
    if ids is None:
        SearchTerm.objects.all().delete()
    else:
        SearchTerm.objects.filter(person_id__in=list(ids)).delete()


def write(people: Iterable[Person]) -> None:
    """Store the terms of these people (with their addresses loaded), whose terms are not stored yet."""
    insert_rows(
        SearchTerm, ("term", "person_id"), ((term, person.pk) for person in people for term in sorted(terms_of(person)))
    )
