"""How every page shows days, times and NHS numbers: one format each (core.presenters). Loaded as
a built-in (settings.TEMPLATES), so every template has them without `{% load %}`.

    {{ contact.received_at|day_time }}   5 December 2026, 14:05
    {{ person.date_of_birth|day }}       5 December 2026 (an ISO date text works too)
    {{ person.nhs_number|nhs_number }}   485 777 3456
    {{ request.due_at|london_time }}     5 December 2026, 14:05 GMT (a document read away from Safehub)
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

from safehub.core.presenters import DAY_TIME, as_day, shown_date, shown_day, shown_london_time, shown_nhs_number

register = template.Library()


@register.filter
def day(value: date | datetime | str | None) -> str:
    return shown_day(value)


@register.filter
def day_time(value: date | datetime | str | None) -> str:
    shown = as_day(value)
    if isinstance(shown, datetime):
        return shown_date(shown, DAY_TIME)
    return shown_day(shown)


@register.filter
def nhs_number(value: str | None) -> str:
    return shown_nhs_number(value or "")


@register.filter
def london_time(value: datetime | None) -> str:
    return "" if value is None else shown_london_time(value)
