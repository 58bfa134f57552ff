"""Display helpers shared by every page: due-time wording, BRAG tags, and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime

BRAG_TAG_CLASSES = {
    "blue": "govuk-tag app-tag--blue",
    "red": "govuk-tag govuk-tag--red",
    "amber": "govuk-tag govuk-tag--orange",
    "green": "govuk-tag govuk-tag--green",
}


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} days"


@dataclass(frozen=True)
class Due:
    text: str
    is_overdue: bool

    @property
    def tag_class(self) -> str:
        return "govuk-tag govuk-tag--red" if self.is_overdue else "govuk-tag govuk-tag--grey"


def due(due_at: datetime | None, *, at: datetime) -> Due | None:
    """'Due in 3 hours' or 'Overdue by 2 days', measured at `at`."""
    if due_at is None:
        return None
    if due_at < at:
        return Due(f"Overdue by {_span(at - due_at)}", True)
    return Due(f"Due in {_span(due_at - at)}", False)


def brag_tag_class(rating: str) -> str:
    return BRAG_TAG_CLASSES.get(rating, "govuk-tag govuk-tag--grey")


def shown_date(value: date | datetime | None, pattern: str = "j F Y, H:i") -> str:
    """A date or time as the templates' `date` filter shows it (times in London time); "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime) and is_aware(value):
        value = localtime(value)
    return date_format(value, pattern)
