from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from safehub.core.presenters import DAY, DAY_TIME, format_row_html, record_links, shown_date

NASTY = [
    "",
    "O'Donnell",
    'say "hi"',
    "<b>",
    "&amp;",
    "a & b < c > d",
    "{}",
    "{name}",
    "\u00e9\u2019\U0001f600",
    "\x00\n\t",
]


@pytest.mark.parametrize("name", NASTY)
@pytest.mark.parametrize("note", ["", "<script>alert(1)</script>", "Tom & Jerry's"])
def test_a_row_is_escaped_exactly_as_format_html_escapes_it(name: str, note: str) -> None:
    template = '<td class="{css}">{name}</td><td>{note}</td>'
    ours = format_row_html(template, css='a"b', name=name, note=note)
    assert ours == format_html(template, css='a"b', name=name, note=note)


def test_safe_html_goes_into_a_row_as_it_is_and_everything_else_is_escaped() -> None:
    tag = mark_safe("<strong>Red</strong>")
    row = format_row_html("<td>{tag}</td><td>{name}</td>", tag=tag, name="<script>alert('x')</script> & Co")
    assert row == "<td><strong>Red</strong></td><td>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co</td>"


@pytest.mark.parametrize("pk", [1, 7, 2147483646, 10**12])
def test_a_record_link_is_the_address_reverse_gives(pk: int) -> None:
    assert record_links("contacts:contact")(pk) == reverse("contacts:contact", args=[pk])


# Hypothesis takes naive bounds and adds the time zone itself.
EARLIEST, LATEST = dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)  # noqa: DTZ001


@given(st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=st.just(dt.UTC)))
def test_the_two_everyday_patterns_read_as_djangos_formatter_writes_them(moment: dt.datetime) -> None:
    """shown_date writes "5 December 2026, 14:05" and "5 December 2026" itself, for speed: as Django would."""
    with translation.override("en-gb"):
        local = timezone.localtime(moment)
        assert shown_date(moment) == date_format(local, DAY_TIME)
        assert shown_date(moment, DAY) == date_format(local, DAY)
        assert shown_date(local.date(), DAY) == date_format(local.date(), DAY)
