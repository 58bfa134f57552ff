from __future__ import annotations

from datetime import date

import pytest

from safehub.core.ages import age_on, is_child_on


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2008, 12, 2), date(2026, 12, 1), 17),  # the day before the 18th birthday
        (date(2008, 12, 2), date(2026, 12, 2), 18),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # a leap-day birthday comes on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2026, 12, 1), date(2026, 12, 1), 0),
    ],
)
def test_age_counts_whole_years_since_the_birthday(born: date, day: date, age: int) -> None:
    assert age_on(born, day) == age


def test_a_child_is_under_eighteen_until_the_birthday() -> None:
    # 6,574 days is 18 years counted in 365s, but this young person is 17 for four more days.
    born = date(2008, 12, 5)
    day = date(2026, 12, 1)
    assert (day - born).days // 365 == 18
    assert is_child_on(born, day)
