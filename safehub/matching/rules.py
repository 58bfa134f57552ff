"""Rules on top of the model that keep relatives apart.

Twins share a surname, an address and a birthday; siblings and parents share a surname and an
address, and sometimes a first name (a father and son both called Mohammed). A Fellegi–Sunter score
adds those agreements up and can call a twin the same child. These rules look at which level each
comparison reached and hold the probability below every threshold at which a pair is suggested or
matched when the evidence says "relative", unless the NHS number agrees.

A first name with one typing error ('Authony' and 'Anthony'), another spelling ('Szymon' and 'Simon')
or a short form ('Dani' and 'Daniella') is the same name mistyped, spelt or shortened, not a twin's
name, unless the recorded sexes differ (Louis and Louise, Daniel and Daniela). Two such names (or two forms of a
third name) each written on several records of one family or home are two people's, twins Mia and Mila
(`two_peoples_names`, batch only).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence, Set
from itertools import combinations
from typing import Protocol, TypeVar

from rapidfuzz.distance import DamerauLevenshtein

from safehub.matching import names

Key = TypeVar("Key", bound=Hashable)

RELATIVE_CAP = 0.25  # below every threshold at which a pair is suggested or matched
READS = ("given_name", "family_name", "dob", "sex", "nhs_number")  # the comparisons whose levels the rules read

FIRST_NAMES_DIFFER = frozenset({"jw80", "else"})
# Close but not the same name: the same person's name mistyped or shortened, or a brother and sister's.
_FIRST_NAMES_CLOSE = frozenset({"typo", "sound", "jw92", "short", "pet", "crossed", "middle"})
# The same first name, or one typing error or spelling from it: enough to stand beside a last name that
# differs (a step-parent's surname, a married name).
_FIRST_NAMES_SAME = frozenset({"exact", "forms", "swapped", "typo", "sound"})
_SAME_BIRTH = frozenset({"exact", "swapped", "near", "expected"})

DIFFERENT_FIRST_NAMES = (
    "The first names are different: probably a relative such as a twin, sibling or parent, not the same person"
)
BROTHER_AND_SISTER = (
    "The first names are alike but the recorded sexes differ: probably a brother and sister, not the same person"
)
BOTH_NAMES_DIFFER = (
    "The last names are different and the first names are not the same name: probably not the same person"
)
DIFFERENT_NHS_NUMBERS = (
    "The NHS numbers are different and the names or dates of birth are not the same: probably different people"
)
BORN_APART = (
    "The dates of birth are more than a year apart: probably a parent and child, or siblings, with the same name"
)
AMBIGUOUS = (
    "The record matches two people whom these rules tell apart (a father and a son of one name, say):"
    " it cannot be said which of them it is"
)
MIDDLE_NAME_ONLY = (
    "Only another given name matches the first name, and the dates of birth are not close: probably a relative"
    " given that name as a middle name"
)
BOTH_THE_OTHER_WAY_ROUND = (
    "The names are the other way round on both records: the last names agree, written as first names, and the"
    " first names, written as last names, are different: probably relatives"
)
TWO_PEOPLES_NAMES = (
    "The first names are spelt alike but each is written on several records of one family or home: probably two"
    " people, such as twins, not one name mistyped"
)
NO_FIRST_NAME = (
    "There is no first name to compare (as for an unborn child), and the dates of birth are not close:"
    " probably a different child of the same family"
)


def relative_guard(
    levels: Mapping[str, str],
    *,
    mistyped: bool = False,
    both_swapped: bool = False,
    two_people: bool = False,
) -> str | None:
    """Why these levels must not count as the same person, or None when the score may stand.

    mistyped: the first names are a typing error apart and one of them is a rare name where the other is
    not (`MatchModel.mistyped`): 'Geddy' and 'Teddy', which no twins are called, are one name mistyped.
    both_swapped: the first names agree but are a last name, written the other way round on both records,
    and the last names are different first names (`both_the_other_way_round`).
    two_people: the first names are two people's, seen so in the file (`two_peoples_names`).
    """
    nhs = levels.get("nhs_number")
    if nhs == "exact":
        return None
    given, dob = levels.get("given_name"), levels.get("dob")
    if both_swapped:
        return BOTH_THE_OTHER_WAY_ROUND
    if two_people:
        return TWO_PEOPLES_NAMES
    if given in FIRST_NAMES_DIFFER and not mistyped:
        return DIFFERENT_FIRST_NAMES
    if (given in _FIRST_NAMES_CLOSE or mistyped) and levels.get("sex") == "else":
        return BROTHER_AND_SISTER
    if levels.get("family_name") == "else" and given not in _FIRST_NAMES_SAME:
        return BOTH_NAMES_DIFFER
    if nhs == "else" and (given != "exact" or dob != "exact"):
        return DIFFERENT_NHS_NUMBERS
    if dob == "else":
        return BORN_APART
    if given == "null" and dob not in _SAME_BIRTH:
        return NO_FIRST_NAME
    if given == "middle" and dob not in _SAME_BIRTH:
        return MIDDLE_NAME_ONLY
    return None


def told_apart_by_birth_nhs_or_sex(levels: Mapping[str, str]) -> bool:
    """Whether two records are different people whatever their names say: born more than a year apart,
    with different NHS numbers, or of different recorded sexes (and not sharing an NHS number)."""
    if levels.get("nhs_number") == "exact":
        return False
    return levels.get("dob") == "else" or levels.get("nhs_number") == "else" or levels.get("sex") == "else"


# How far apart two first names may be spelt to be one name mistyped (`mistyped`): one typing error,
# or two in names of at least this many letters ('Anigail' and 'Abigqil', both mistyped).
TWO_TYPOS_FROM = 6
# A first name seen on at most this many records, or a tenth as many as the other, is rare beside it.
RARE_RECORDS = 2
RARER = 10


def mistyped(one: str | None, other: str | None, seen: Callable[[str], float]) -> bool:
    """Whether two first names that are not forms of one name are one name with a typing error.

    They are a typing error apart, anywhere in the name ('Geddy' and 'Teddy', 'Qlbie' and 'Albie'), and
    the rarer of them is a rare name beside the other and in no table of names: a twin's name ('Molly'
    beside 'Holly') is a name other people have too, a name mistyped is not. `seen` gives how many
    records the model was trained on carry a name.
    """
    if not one or not other or one == other:
        return False
    distance = DamerauLevenshtein.distance(one, other, score_cutoff=2)
    if distance > (2 if min(len(one), len(other)) >= TWO_TYPOS_FROM else 1):
        return False
    rarer, commoner = sorted((one, other), key=lambda name: (seen(name), name))
    return seen(rarer) <= max(RARE_RECORDS, seen(commoner) / RARER) and not names.is_known_name(rarer)


# The reasons that say two records are different people even when one of them has a mistyped or
# shortened name: their births are years apart, their NHS numbers differ, or one is a boy and one a girl.
DIFFERENT_PEOPLE = frozenset({BORN_APART, DIFFERENT_NHS_NUMBERS, BROTHER_AND_SISTER})


def told_apart(
    partners: Sequence[Key], apart: Callable[[Key, Key], bool], *, certain: Set[Key] = frozenset()
) -> set[Key]:
    """The partners of one record that are told apart from another of its partners.

    A record with no date of birth may match a father's records and his namesake son's: each pair
    passes, but the father and the son are told apart by their births. The record cannot be both
    people, and nothing in it says which, so neither match may stand (AMBIGUOUS). When the record
    shares its NHS number with some partners (`certain`), it says which: those stand, and the partners
    told apart from them do not.
    """
    found: set[Key] = set()
    for one, other in combinations(partners, 2):
        if apart(one, other):
            found |= {one, other}
    if certain and not any(apart(one, other) for one, other in combinations(sorted(certain, key=repr), 2)):
        return found - set(certain)
    return found


class _Names(Protocol):
    given_name: str | None
    given_forms: list[str] | None
    family_name: str | None


def both_the_other_way_round(
    left: _Names, right: _Names, seen: Callable[[str], float], seen_as_last_name: Callable[[str], float]
) -> bool:
    """Whether two records whose first names agree and whose last names differ have both been written the other
    way round, so that their real first names differ: 'Dobre Isla' and 'Dobre Melissa', a girl and her mother.

    The first name they share is written as a last name more often than as a first name, neither last name is
    written as a last name more often than as a first name, and the two are not forms of one name. `seen` and
    `seen_as_last_name` say on how many records the model was trained on a name is written each way.
    """
    shared, one, other = left.given_name, left.family_name, right.family_name
    if not shared or not one or not other or shared != right.given_name:
        return False
    if seen_as_last_name(shared) <= seen(shared):
        return False
    if any(seen_as_last_name(name) > seen(name) for name in (one, other)):
        return False
    return set(names.name_forms(one)).isdisjoint(names.name_forms(other))


# Two first names spelt alike, each written on at least this many records of one family or home, are two people's.
TWO_PEOPLE_RECORDS = 2
_CONTEXTS = ("family_name", "postcode")


class _Record(_Names, Protocol):
    postcode: str | None
    given_sound: str | None


class TwoPeoplesNames:
    """First names spelt alike that the records themselves show to be two people's (`two_peoples_names`)."""

    def __init__(self, contexts: Mapping[frozenset[str], Set[tuple[str, str]]]) -> None:
        self.contexts = contexts

    def hold(self, left: _Record, right: _Record) -> bool:
        """Whether these two records carry two such names, one of them in a family or at a home where both are."""
        if not left.given_name or not right.given_name:
            return False
        found = self.contexts.get(frozenset((left.given_name, right.given_name)))
        if not found:
            return False
        return any(
            (column, value) in found
            for record in (left, right)
            for column in _CONTEXTS
            if (value := getattr(record, column))
        )


def two_peoples_names(records: Iterable[_Record]) -> TwoPeoplesNames:
    """First names that are two people's, not one name mistyped or one name's two forms: names a typing error
    apart (Mia and Mila) or forms of a third name only (Lewis and Louie, both forms of Louis), each written, as
    it is, on at least TWO_PEOPLE_RECORDS records of one last name or of one postcode. A typing error is seldom
    made twice the same way, and one child is seldom written under two forms of a third name, while twins
    each have several records. Names that are spellings or forms of each other (the same sound key, or forms
    in our tables or learnt) are left out: one person may be written either way by several agencies."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    sounds: dict[str, str | None] = {}
    forms: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if not record.given_name:
            continue
        sounds[record.given_name] = record.given_sound
        forms[record.given_name].update(record.given_forms or ())
        for column in _CONTEXTS:
            if value := getattr(record, column):
                counts[column, value][record.given_name] += 1
    contexts: dict[frozenset[str], set[tuple[str, str]]] = defaultdict(set)
    for context, counted in counts.items():
        written = [name for name, n in counted.items() if n >= TWO_PEOPLE_RECORDS]
        for one, other in _one_typing_error_apart(written) | _forms_of_a_third(written, forms):
            if sounds[one] != sounds[other] and one not in forms[other] and other not in forms[one]:
                contexts[frozenset((one, other))].add(context)
    return TwoPeoplesNames(contexts)


def _forms_of_a_third(words: Sequence[str], forms: Mapping[str, set[str]]) -> set[tuple[str, str]]:
    """The pairs of these names that are forms of a third name (Lewis and Louie of Louis, Ada and Lena of
    Adelina); `two_peoples_names` keeps those that are not forms of each other."""
    by_form: dict[str, set[str]] = defaultdict(set)
    for word in words:
        for form in forms[word]:
            by_form[form].add(word)
    return {pair for alike in by_form.values() for pair in combinations(sorted(alike), 2)}


def _one_typing_error_apart(words: Sequence[str]) -> set[tuple[str, str]]:
    """The pairs of these words one typing error apart, found through the words with one letter taken out
    (two words one error apart share one of them), so that a common last name's many first names are not
    compared each with each."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for word in words:
        for key in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            by_key[key].add(word)
    found: set[tuple[str, str]] = set()
    for alike in by_key.values():
        for one, other in combinations(sorted(alike), 2):
            if DamerauLevenshtein.distance(one, other, score_cutoff=2) <= 1:
                found.add((one, other))
    return found
