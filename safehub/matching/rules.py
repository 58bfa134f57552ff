"""Rules on top of the model that keep relatives apart.

Twins share a surname, an address and a birthday; siblings and parents share a surname and an
address, and sometimes a first name (a father and son both called Mohammed). A Fellegi–Sunter score
adds those agreements up and can call a twin the same child. These rules look at which level each
comparison reached and hold the probability below every threshold at which a pair is suggested or
matched when the evidence says "relative", unless the NHS number agrees.
"""

from __future__ import annotations

from collections.abc import Mapping

RELATIVE_CAP = 0.25  # below every threshold at which a pair is suggested or matched

_FIRST_NAMES_DIFFER = frozenset({"jw80", "else"})
_SAME_BIRTH = frozenset({"exact", "swapped", "near", "expected"})

DIFFERENT_FIRST_NAMES = (
    "The first names are different: probably a relative such as a twin, sibling or parent, not the same person"
)
BORN_APART = (
    "The dates of birth are more than a year apart: probably a parent and child, or siblings, with the same name"
)
NO_FIRST_NAME = (
    "There is no first name to compare (as for an unborn child), and the dates of birth are not close:"
    " probably a different child of the same family"
)


def relative_guard(levels: Mapping[str, str]) -> str | None:
    """Why these levels must not count as the same person, or None when the score may stand."""
    if levels.get("nhs_number") == "exact":
        return None
    given = levels.get("given_name")
    if given in _FIRST_NAMES_DIFFER:
        return DIFFERENT_FIRST_NAMES
    if levels.get("dob") == "else":
        return BORN_APART
    if given == "null" and levels.get("dob") not in _SAME_BIRTH:
        return NO_FIRST_NAME
    return None
