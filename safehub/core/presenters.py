"""Display helpers shared by every page: due-time wording, BRAG tags, and dates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
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


def record_links(url_name: str) -> Callable[[int], str]:
    """`reverse(url_name, args=[pk])` for every row of a list: the address is reversed once and
    each row's id put in its place (reversing is the slowest part of drawing a 50-row list)."""
    marker = "2147483647"
    head, found, tail = reverse(url_name, args=[int(marker)]).rpartition(marker)
    if not found:
        raise ValueError(f"{url_name} does not put its one argument in the path")
    return lambda pk: f"{head}{int(pk)}{tail}"


def format_row_html(template: str, **values: str | SafeString) -> SafeString:
    """`django.utils.html.format_html` for the rows of a long list: each value escaped with the
    standard library's `html.escape` (what Django's `escape` calls), unless it is already safe
    HTML. format_html's lazy-text handling costs a 50-row table a tenth of a page's time; rows
    hold plain text, never lazy translations."""
    escaped = {
        name: value.__html__() if hasattr(value, "__html__") else escape(str(value), quote=True)
        for name, value in values.items()
    }
    return mark_safe(template.format(**escaped))  # noqa: S308 - every value is escaped above


def brag_tag_class(rating: str) -> str:
    return BRAG_TAG_CLASSES.get(rating, "govuk-tag govuk-tag--grey")


# The one way every page shows a day and a moment: "5 December 2026", "5 December 2026, 14:05"
# (London time). The templates use the same through the `day` and `day_time` filters.
DAY = "j F Y"
DAY_TIME = "j F Y, H:i"


# The month names of the one language Safehub's pages are in (settings.LANGUAGE_CODE, en-gb).
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def how_many(count: int, one: str, many: str) -> str:
    """A count with the words that agree with it: '1 contact was', '2,345 contacts were'."""
    return f"{count:,} {one if count == 1 else many}"


def lower_first(text: str) -> str:
    """A label to go inside a sentence: 'Sharing information for MASH checks' → 'sharing information
    for MASH checks' (its first letter alone: an initialism keeps its capitals)."""
    return text[:1].lower() + text[1:]


def shown_date(value: date | datetime | None, pattern: str = DAY_TIME) -> str:
    """A date or time as the templates' `date` filter shows it (times in London time); "" for None.
    The two patterns every page uses are written directly: Django's formatter, which looks each
    letter up for the active language, took a tenth of a long worktray's time (a test holds the two
    to the same text)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and is_aware(value):
        value = localtime(value)
    if pattern == DAY_TIME and isinstance(value, datetime):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}, {value.hour:02d}:{value.minute:02d}"
    if pattern == DAY:
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return date_format(value, pattern)


LONDON = ZoneInfo("Europe/London")


def shown_london_time(value: datetime) -> str:
    """'5 December 2026, 14:05 GMT' or '5 July 2026, 14:05 BST': a moment in an email, which is read
    away from Safehub's pages (on a phone abroad, in a mail system in UTC), so it names its clock.
    Always London time, whatever time zone the process sending it has active; a naive time is
    taken to be London time already."""
    local = value.astimezone(LONDON) if is_aware(value) else value.replace(tzinfo=LONDON)
    return f"{date_format(local, DAY_TIME)} {local.tzname()}"


def shown_london_day(value: datetime) -> str:
    """'5 December 2026': the day a moment fell on in London, for an email."""
    return date_format(value.astimezone(LONDON) if is_aware(value) else value, DAY)


def as_day(value: date | datetime | str | None) -> date | datetime | None:
    """A date, a time, or a date written as ISO text (as a sent request holds it), as a date or
    time to show; None for nothing or text that is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def shown_day(value: date | datetime | str | None) -> str:
    """'5 December 2026' (a time's day in London); "" for nothing."""
    return shown_date(as_day(value), DAY)


def shown_nhs_number(value: str) -> str:
    """'485 777 3456', as the NHS writes it; anything not ten digits as it is."""
    digits = "".join(value.split())
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 and digits.isdigit() else value


@dataclass(frozen=True)
class Action:
    """A button on a page: what it says and where it goes."""

    text: str
    href: str


class Panel:
    """One app's part of a record's page (the contact page is assembled from them in
    `safehub.pages`): the related rows it shows (`lookups`, fetched once for the whole page), its
    template's context (None when it has nothing to show) and the buttons it offers the user now.

    `related` names the rows there is at most one of (a one-to-one, with the users it names), which
    come with the record in its own query; `lookups` the rest, one query each for the whole page."""

    template_name: str = ""
    related: tuple[str, ...] = ()
    lookups: tuple[Any, ...] = ()

    def present(self, record: Any, *, user: Any, at: datetime) -> Mapping[str, Any] | None:
        raise NotImplementedError

    def actions(self, record: Any, *, user: Any) -> list[Action]:
        return []
