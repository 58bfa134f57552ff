"""The consent position as a truth table (ADR 0034; 003 App. 4 §4; 002 §18–19): every combination of a
parent's answer, the young person's own, a competence assessment, the age band, an override and the
contact's own position, against the rules written out a second way: who decides, then what they said."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from safehub.consent.rules import AgeBands, Band, Position, age_on, band, giver_problems, position

ANSWERS = (None, "given", "refused")
COMPETENCE = (None, True, False)


def _who_decides(age_band: Band, own: str | None, parent: str | None, competent: bool | None) -> str:
    """Whose answer counts, said as the protocols say it."""
    if own is None and parent is None:
        return "contact"  # nobody has answered for this person: the referrer's statement stands
    if age_band == Band.ADULT:
        return "own"  # an adult answers for themselves; a parent's answer is no answer for them
    if age_band == Band.SELF:
        return "own" if own is not None else "parent"  # 16 or over: their own answer first
    if age_band == Band.COMPETENCE and competent is True:
        return "own" if own is not None else "parent"  # a competent young person's decision governs
    return "parent"  # under 12, age unknown, or not (yet) found competent: a parent decides


def _expected(
    age_band: Band, own: str | None, parent: str | None, competent: bool | None, overridden: bool, fallback: Position
) -> Position:
    said = {"contact": fallback, "own": own, "parent": parent}[_who_decides(age_band, own, parent, competent)]
    found = {None: Position.NOT_SOUGHT, "given": Position.GIVEN, "refused": Position.REFUSED}.get(said, said)
    assert isinstance(found, Position)
    if overridden and found in (Position.REFUSED, Position.NOT_SOUGHT):
        return Position.OVERRIDDEN
    return found


CASES = list(
    itertools.product(
        Band, ANSWERS, ANSWERS, COMPETENCE, (False, True), (Position.GIVEN, Position.REFUSED, Position.NOT_SOUGHT)
    )
)


@pytest.mark.parametrize(("age_band", "own", "parent", "competent", "overridden", "fallback"), CASES)
def test_the_position_follows_whose_answer_counts(
    age_band: Band, own: str | None, parent: str | None, competent: bool | None, overridden: bool, fallback: Position
) -> None:
    found = position(
        age_band=age_band, own=own, parent=parent, competent=competent, overridden=overridden, fallback=fallback
    )
    assert found == _expected(age_band, own, parent, competent, overridden, fallback)


def test_the_table_has_every_combination() -> None:
    assert len(CASES) == 4 * 3 * 3 * 3 * 2 * 3


@pytest.mark.parametrize("parent", ["given", "refused"])
def test_a_failed_competence_assessment_never_sets_a_parents_answer_aside(parent: str) -> None:
    for own in ("given", "refused"):
        found = position(
            age_band=Band.COMPETENCE, own=own, parent=parent, competent=False, overridden=False, fallback=Position.GIVEN
        )
        assert found == Position(parent)


def test_a_competent_young_persons_own_decision_governs_either_way() -> None:
    refused = position(
        age_band=Band.COMPETENCE,
        own="refused",
        parent="given",
        competent=True,
        overridden=False,
        fallback=Position.GIVEN,
    )
    given = position(
        age_band=Band.COMPETENCE,
        own="given",
        parent="refused",
        competent=True,
        overridden=False,
        fallback=Position.GIVEN,
    )
    assert (refused, given) == (Position.REFUSED, Position.GIVEN)


def test_an_override_never_turns_consent_given_into_anything_else() -> None:
    found = position(
        age_band=Band.PARENT, own=None, parent="given", competent=None, overridden=True, fallback=Position.REFUSED
    )
    assert found == Position.GIVEN


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2010, 12, 5), date(2026, 12, 4), Band.COMPETENCE),  # 15 the day before their birthday
        (date(2010, 12, 4), date(2026, 12, 4), Band.SELF),  # 16 on the day
        (date(2014, 12, 5), date(2026, 12, 4), Band.PARENT),  # 11
        (date(2014, 12, 4), date(2026, 12, 4), Band.COMPETENCE),  # 12 on the day
        (None, date(2026, 12, 4), Band.PARENT),  # age not known: a parent answers
    ],
)
def test_the_age_bands_turn_on_the_birthday(born: date | None, on: date, expected: Band) -> None:
    assert band(is_child=True, age=age_on(born, on), bands=AgeBands()) == expected


def test_the_bands_are_the_protocols() -> None:
    later = AgeBands(self_age=17, competence_age=13)
    assert band(is_child=True, age=16, bands=later) == Band.COMPETENCE
    assert band(is_child=True, age=12, bands=later) == Band.PARENT
    assert band(is_child=False, age=40, bands=later) == Band.ADULT


@pytest.mark.parametrize(
    ("given_by", "age_band", "competent", "refused"),
    [
        ("themselves", Band.ADULT, None, False),
        ("parent", Band.ADULT, None, True),
        ("themselves", Band.PARENT, None, True),
        ("parent", Band.PARENT, None, False),
        ("young_person", Band.SELF, None, False),
        ("young_person", Band.COMPETENCE, True, True),  # under 16: only as assessed competent
        ("competent_young_person", Band.COMPETENCE, True, False),
        ("competent_young_person", Band.COMPETENCE, False, True),
        ("competent_young_person", Band.COMPETENCE, None, True),
        ("competent_young_person", Band.PARENT, True, True),  # under 12: never for themselves
        ("competent_young_person", Band.SELF, None, True),
    ],
)
def test_who_may_answer(given_by: str, age_band: Band, competent: bool | None, refused: bool) -> None:
    problems = giver_problems(given_by=given_by, age_band=age_band, competent=competent, name="Mia Harlow")
    assert bool(problems) == refused
    assert all(problem.field == "given_by" for problem in problems)
