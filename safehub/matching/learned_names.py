"""First-name forms learnt from the records themselves: names one person is recorded under.

Our table of forms (`names.name_forms`) cannot hold every nickname and spelling a hub meets ('Ossie'
for Oscar, 'Simmi' for Simran). Records that share an NHS number, a last name and a date of birth are
one person, so two first names seen together on such records are forms of one name. A pair counts
only when at least `MINIMUM_PEOPLE` different people show it: one mistyped NHS number (a brother's on
his sister's record) must not make two names one. Twins never share an NHS number, so this never
teaches that a twin's name is the other's.

The forms learnt are stored with the model. Batch linkage adds them to both sides of every pair; the
screening search adds them to the search's own forms, which is enough for the `forms` level (it asks
whether the two lists share a name) and for the retrieval keys built from them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import combinations

import pandas as pd

from safehub.matching.features import Features

MINIMUM_PEOPLE = 2
_SAME_PERSON = ["nhs_number", "family_name", "dob"]


def learn(frames: Sequence[pd.DataFrame]) -> dict[str, tuple[str, ...]]:
    """Each first name → the other first names at least MINIMUM_PEOPLE people are recorded under."""
    rows = pd.concat([frame[[*_SAME_PERSON, "given_name"]] for frame in frames]).dropna()
    people: Counter[tuple[str, str]] = Counter()
    for _, given in rows.groupby(_SAME_PERSON)["given_name"]:
        for pair in combinations(sorted(set(given)), 2):
            people[pair] += 1
    forms: dict[str, set[str]] = defaultdict(set)
    for (one, other), count in people.items():
        if count >= MINIMUM_PEOPLE:
            forms[one].add(other)
            forms[other].add(one)
    return {name: tuple(sorted(found)) for name, found in sorted(forms.items())}


def _forms(given: str | None, known: list[str] | None, learnt: Mapping[str, tuple[str, ...]]) -> list[str] | None:
    extra = learnt.get(given or "")
    if not extra:
        return known
    return sorted({*(known or [given or ""]), *extra})


def add_to_frame(frame: pd.DataFrame, learnt: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    """A copy of the feature table with the learnt forms added to each record's `given_forms`."""
    if not learnt:
        return frame
    added = frame.copy()
    added["given_forms"] = [
        _forms(given if isinstance(given, str) else None, known, learnt)
        for given, known in zip(frame["given_name"], frame["given_forms"], strict=True)
    ]
    return added


def add_to_features(features: Features, learnt: Mapping[str, tuple[str, ...]]) -> Features:
    forms = _forms(features.given_name, features.given_forms, learnt)
    return features if forms is features.given_forms else replace(features, given_forms=forms)
