"""Rules on top of the model that keep relatives apart.

Twins share a surname, an address and a birthday; siblings and parents share a surname and an
address. A Fellegi–Sunter score adds those agreements up and can call a twin the same child. These
rules look at which level each comparison reached and cap the probability below any match
threshold when the evidence says "relative", unless the NHS number agrees.
"""

from __future__ import annotations

from collections.abc import Mapping

RELATIVE_CAP = 0.25  # below every threshold at which a pair is suggested or matched

_FIRST_NAMES_DIFFER = frozenset({"jw80", "else"})
_SAME_FAMILY = frozenset({"exact", "part", "jw92"})
_SAME_BIRTH = frozenset({"exact", "swapped", "near", "expected"})

DIFFERENT_FIRST_NAMES = (
    "The first names differ while the family name agrees: probably a relative such as a twin, sibling"
    " or parent, not the same person"
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
    if given in _FIRST_NAMES_DIFFER and levels.get("family_name") in _SAME_FAMILY:
        return DIFFERENT_FIRST_NAMES
    if given == "null" and levels.get("dob") not in _SAME_BIRTH:
        return NO_FIRST_NAME
    return None
