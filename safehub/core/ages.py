"""A person's age, counted as the law counts it: whole years since the birthday (pure, no Django)."""

from __future__ import annotations

from datetime import date

ADULT_AGE = 18  # Children Act 1989 s105: a child is a person under the age of eighteen


def age_on(born: date, day: date) -> int:
    """Completed years on `day`. Someone born on 29 February has their birthday on 1 March in
    other years (they are not a year older on 28 February)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_child_on(born: date, day: date) -> bool:
    return age_on(born, day) < ADULT_AGE
