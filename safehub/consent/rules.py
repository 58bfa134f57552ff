"""Whose answer counts, and the consent position it gives (ADR 0034). Pure: no database.

A person's position for a purpose is worked out from the latest answers recorded for them — their
own, a parent's — the latest competence assessment, and whether an agreed override covers them:

- an adult: their own answer;
- a young person at or over the protocol's consent age (16, 003 App. 4 §4): their own answer when
  there is one, else a parent's;
- a young person between the competence age (12) and the consent age: their own answer only when the
  latest assessment found them competent, and then it governs, yes or no; else a parent's (an
  assessment that found them not competent never sets a parent's answer aside);
- a younger child, an unborn baby, or a child whose age is not known: a parent's answer.

With no answer recorded for the person at all, the contact's own position stands (what the referrer
said, or the family's answer recorded on the contact before consent was per person). A position of
refused or not sought becomes overridden where an agreed override covers the person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from safehub.core.ages import age_on as completed_years
from safehub.core.errors import Problem


class Position(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_SOUGHT = "not_sought"
    OVERRIDDEN = "overridden"

    @property
    def label(self) -> str:
        return POSITION_LABELS[self]

    @property
    def may_share(self) -> bool:
        return self in (Position.GIVEN, Position.OVERRIDDEN)


POSITION_LABELS = {
    Position.GIVEN: "Consent given",
    Position.REFUSED: "Consent refused",
    Position.NOT_SOUGHT: "Consent not sought or not known",
    Position.OVERRIDDEN: "Shared without consent (override agreed)",
}


@dataclass(frozen=True)
class AgeBands:
    """The protocol's ages: at `self_age` a young person answers for themselves; from `competence_age`
    to below it, only once assessed as competent."""

    self_age: int = 16
    competence_age: int = 12


class Band(StrEnum):
    ADULT = "adult"
    SELF = "self"  # a young person at or over the consent age
    COMPETENCE = "competence"  # answers for themselves only if assessed competent
    PARENT = "parent"  # a parent answers (younger, unborn, or age not known)


def age_on(date_of_birth: date | None, day: date) -> int | None:
    """Completed years on `day` (core.ages), or None when the date of birth is not known."""
    return None if date_of_birth is None else completed_years(date_of_birth, day)


def band(*, is_child: bool, age: int | None, bands: AgeBands) -> Band:
    if not is_child:
        return Band.ADULT
    if age is None:
        return Band.PARENT
    if age >= bands.self_age:
        return Band.SELF
    if age >= bands.competence_age:
        return Band.COMPETENCE
    return Band.PARENT


def _as_position(answer: str | None) -> Position | None:
    if answer is None:
        return None
    return Position.GIVEN if answer == "given" else Position.REFUSED


def position(
    *,
    age_band: Band,
    own: str | None,
    parent: str | None,
    competent: bool | None,
    overridden: bool,
    fallback: Position,
) -> Position:
    """The position from the latest own answer and the latest parent's answer ("given", "refused" or
    None), the latest competence assessment (None: none made), whether an agreed override covers the
    person, and the contact's own position (`fallback`) for a person with no answer recorded."""
    own_position, parent_position = _as_position(own), _as_position(parent)
    if own_position is None and parent_position is None:
        found = fallback
    elif age_band == Band.ADULT:
        found = own_position or Position.NOT_SOUGHT  # a parent does not answer for an adult
    elif age_band == Band.SELF:
        found = own_position or parent_position or Position.NOT_SOUGHT
    elif age_band == Band.COMPETENCE and competent and own_position is not None:
        found = own_position
    else:
        found = parent_position or Position.NOT_SOUGHT
    if overridden and found in (Position.REFUSED, Position.NOT_SOUGHT):
        return Position.OVERRIDDEN
    return found


def giver_problems(*, given_by: str, age_band: Band, competent: bool | None, name: str) -> list[Problem]:
    """Whether this person may answer for `name` (a person on the contact in `age_band`); `competent`
    is the latest competence assessment's finding for the purpose (None: none made)."""
    problems = []
    if age_band == Band.ADULT and given_by != "themselves":
        problems.append(Problem(f"{name} is an adult: only they answer for themselves", field="given_by"))
    elif age_band != Band.ADULT and given_by == "themselves":
        options = "a parent or carer" if age_band == Band.PARENT else "a parent or carer, or the young person"
        problems.append(Problem(f"{name} is a child: choose {options}", field="given_by"))
    elif given_by == "young_person" and age_band != Band.SELF:
        problems.append(
            Problem(
                f"{name} is under the age at which a young person answers for themselves without an assessment"
                " of their competence, or their age is not known",
                field="given_by",
            )
        )
    elif given_by == "competent_young_person":
        if age_band == Band.PARENT:
            problems.append(
                Problem(
                    f"{name} is too young to answer for themselves, or their age is not known: record a parent's"
                    " or carer's answer",
                    field="given_by",
                )
            )
        elif age_band == Band.SELF:
            problems.append(
                Problem(f"{name} answers for themselves at their age: choose the young person", field="given_by")
            )
        elif not competent:
            problems.append(
                Problem(
                    f"Record an assessment that found {name} competent to decide this before recording their own answer",
                    field="given_by",
                )
            )
    return problems


def day_problems(*, day: date | None, today: date, earliest: date, field: str, what: str) -> list[Problem]:
    """A day that must be neither in the future nor before the contact's (`earliest`)."""
    if day is None:
        return [Problem(f"Enter the day {what}", field=field)]
    if day > today:
        return [Problem(f"The day {what} cannot be in the future", field=field)]
    if day < earliest:
        return [
            Problem(f"The day {what} cannot be before the contact was received ({earliest:%-d %B %Y})", field=field)
        ]
    return []


# "A rationale of real length" (issue 14): enough to say what was weighed, not a word or two.
RATIONALE_MIN_LENGTH = 50


def rationale_problems(text: str, *, field: str, what: str) -> list[Problem]:
    words = text.strip()
    if not words:
        return [Problem(f"Enter {what}", field=field)]
    if len(words) < RATIONALE_MIN_LENGTH:
        return [
            Problem(
                f"Say more in {what}: at least {RATIONALE_MIN_LENGTH} characters, saying what was weighed",
                field=field,
            )
        ]
    return []
