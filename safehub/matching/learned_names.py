"""First-name forms learnt from the records themselves: names one person is recorded under.

Our table of forms (`names.name_forms`) cannot hold every nickname and spelling a hub meets ('Ossie'
for Oscar, 'Simmi' for Simran). Records that share an NHS number, a last name and a date of birth are
one person, so two first names seen together on such records are forms of one name. Records that share
a last name, a date of birth and a postcode are one person or twins: they add support to a pair that an
NHS number confirms for someone, unless their records say twins (different sexes or NHS numbers). A
pair counts only when at least `MINIMUM_PEOPLE` different people show it: one mistyped NHS number (a
brother's on his sister's record) must not make two names one. Twins never share an NHS number, so
this never teaches that a twin's name is the other's.

The forms learnt are stored with the model. Batch linkage adds them to both sides of every pair; the
screening search adds them to the search's own forms, which is enough for the `forms` level (it asks
whether the two lists share a name) and for the retrieval keys built from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import combinations

import pandas as pd

from safehub.matching.features import Features

MINIMUM_PEOPLE = 2
_SAME_PERSON = ["nhs_number", "family_name", "dob"]
# Records that share these are one person or twins: they support a pair of names that other evidence confirms.
_SAME_HOME_AND_BIRTH = ["family_name", "dob", "postcode"]

Pair = tuple[str, str]


def learn(frames: Sequence[pd.DataFrame]) -> dict[str, tuple[str, ...]]:
    """Each first name → the other first names at least MINIMUM_PEOPLE people are recorded under.

    A pair of names is learnt when records sharing an NHS number, a last name and a birth show it for one
    person at least, and records of MINIMUM_PEOPLE people in all show it: those, and records sharing a last
    name, a birth and a postcode (one person, or twins). Twins are told apart where their records say so:
    a pair recorded with different sexes, or whose records carry only different NHS numbers, is never
    learnt. People are counted by last name and birth, so one person's records are one person.
    """
    rows = pd.concat([frame[[*_SAME_PERSON, "postcode", "given_name", "sex"]] for frame in frames])
    rows = rows.dropna(subset=["given_name", "family_name", "dob"])
    people: dict[Pair, set[tuple[str, str]]] = defaultdict(set)
    confirmed: set[Pair] = set()
    vetoed: set[Pair] = set()
    for columns, by_nhs in ((_SAME_PERSON, True), (_SAME_HOME_AND_BIRTH, False)):
        for _, group in rows.dropna(subset=columns).groupby(columns):
            names = sorted(set(group["given_name"]))
            if len(names) < 2:
                continue
            person = (str(group["family_name"].iloc[0]), str(group["dob"].iloc[0]))
            for pair in combinations(names, 2):
                if _told_apart(group, pair):
                    vetoed.add(pair)
                    continue
                people[pair].add(person)
                if by_nhs:
                    confirmed.add(pair)
    forms: dict[str, set[str]] = defaultdict(set)
    for (one, other), seen in people.items():
        if len(seen) >= MINIMUM_PEOPLE and (one, other) in confirmed and (one, other) not in vetoed:
            forms[one].add(other)
            forms[other].add(one)
    return {name: tuple(sorted(found)) for name, found in sorted(forms.items())}


def _told_apart(group: pd.DataFrame, pair: Pair) -> bool:
    """Whether the records of one group under these two names say two people: different sexes, or NHS
    numbers that differ with none in common."""
    one, other = (group[group["given_name"] == name] for name in pair)
    sexes = set(one["sex"].dropna()), set(other["sex"].dropna())
    numbers = set(one["nhs_number"].dropna()), set(other["nhs_number"].dropna())
    return bool(all(sexes) and sexes[0].isdisjoint(sexes[1])) or bool(
        all(numbers) and numbers[0].isdisjoint(numbers[1])
    )


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
