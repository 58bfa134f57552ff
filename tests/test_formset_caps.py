"""Every formset in Safehub holds at most the rows it really can, however many a post claims, and a
post whose counts of rows differ from the rows there are is refused with a message: never a
server error, never hundreds of forms drawn, nothing saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent, Verb
from safehub.contacts.forms import MAX_PEOPLE
from safehub.contacts.models import Contact
from safehub.contacts.tests.test_views import contact_post
from safehub.core.forms import ROWS_CHANGED
from safehub.protocols.forms import MAX_LEVELS, MAX_TIMESCALES, LevelFormSet, TimescaleFormSet
from safehub.protocols.models import LocalProtocol
from safehub.protocols.tests.test_views import _edit_post

pytestmark = pytest.mark.django_db

PERSON = re.compile(r'<fieldset class="govuk-fieldset govuk-!-margin-bottom-6" id="person-\d+">')
RECORD_CONTACT = reverse("contacts:record-contact")


@pytest.mark.parametrize("button", [{}, {"add-person": "Add another person"}, {"remove-person-0": "Remove"}])
def test_record_a_contact_claiming_a_thousand_people_draws_at_most_the_most_a_contact_names(
    contact_officer_client: Client, button: dict[str, str]
) -> None:
    response = contact_officer_client.post(RECORD_CONTACT, contact_post(**{"person-TOTAL_FORMS": "1000"}, **button))
    assert response.status_code == 200
    assert len(PERSON.findall(response.content.decode())) <= MAX_PEOPLE
    assert len(response.content) < 1_000_000
    assert not Contact.objects.exists()


def test_adding_a_person_beyond_the_most_a_contact_names_says_so(contact_officer_client: Client) -> None:
    people = {f"person-{i}-given_name": f"Child{i}" for i in range(MAX_PEOPLE)}
    data = contact_post(**{"person-TOTAL_FORMS": str(MAX_PEOPLE)}, **people, **{"add-person": "Add another person"})
    page = contact_officer_client.post(RECORD_CONTACT, data).content.decode()
    assert len(PERSON.findall(page)) == MAX_PEOPLE
    assert f"A contact can name at most {MAX_PEOPLE} people" in page


def _bexley() -> LocalProtocol:
    return LocalProtocol.objects.get(slug="bexley")


def _post_protocol(client: Client, **overrides: Any) -> Any:
    protocol = _bexley()
    return client.post(reverse("protocols:protocol", args=[protocol.pk]), _edit_post(protocol, **overrides))


def _unchanged(before: tuple[list[Any], list[Any]]) -> None:
    protocol = _bexley()
    assert protocol.version == 0
    assert (list(protocol.timescales.values()), list(protocol.levels.values())) == before
    assert not AuditEvent.objects.filter(verb=Verb.PROTOCOL_CHANGED).exists()


def _counts(prefix: str) -> tuple[int, int]:
    data = _edit_post(_bexley())
    return int(data[f"{prefix}-TOTAL_FORMS"]), int(data[f"{prefix}-INITIAL_FORMS"])


TAMPERED = [
    ("fewer existing timescales", lambda t, i: {"timescale-INITIAL_FORMS": str(i - 2)}),
    ("no existing timescales", lambda t, i: {"timescale-INITIAL_FORMS": "0"}),
    ("more existing timescales", lambda t, i: {"timescale-INITIAL_FORMS": str(i + 3)}),
    ("a negative count", lambda t, i: {"timescale-INITIAL_FORMS": "-1"}),
    ("fewer rows than exist", lambda t, i: {"timescale-TOTAL_FORMS": str(i - 1)}),
    ("more rows than the page drew", lambda t, i: {"timescale-TOTAL_FORMS": str(t + 3)}),
    ("no existing levels", lambda t, i: {"level-INITIAL_FORMS": "0"}),
]


@pytest.mark.parametrize(("case", "overrides"), TAMPERED, ids=[case for case, _ in TAMPERED])
def test_a_protocol_post_whose_row_counts_differ_is_refused(
    administrator_client: Client, case: str, overrides: Any
) -> None:
    protocol = _bexley()
    before = (list(protocol.timescales.values()), list(protocol.levels.values()))
    response = _post_protocol(administrator_client, **overrides(*_counts("timescale")))
    assert response.status_code == 200, case
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert ROWS_CHANGED in page, case
    _unchanged(before)


@pytest.mark.parametrize("total", [str(MAX_TIMESCALES + 1), "100000", "1" * 30])
def test_a_protocol_post_claiming_thousands_of_rows_is_refused_without_drawing_them(
    administrator_client: Client, total: str
) -> None:
    protocol = _bexley()
    before = (list(protocol.timescales.values()), list(protocol.levels.values()))
    response = _post_protocol(administrator_client, **{"timescale-TOTAL_FORMS": total, "level-TOTAL_FORMS": total})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert f"There can be at most {MAX_TIMESCALES} rows" in page or "ManagementForm" in page
    assert page.count('name="timescale-') < 10 * MAX_TIMESCALES
    _unchanged(before)


def test_a_protocol_post_without_its_blank_rows_is_saved(administrator_client: Client) -> None:
    """The blank row for adding one may be left out of the counts: the existing rows are all there."""
    _, existing = _counts("timescale")
    response = _post_protocol(administrator_client, **{"timescale-TOTAL_FORMS": str(existing), "name": "Renamed"})
    assert response.status_code == 302
    assert _bexley().name == "Renamed"


def test_the_protocol_formsets_hold_at_most_their_real_maximum() -> None:
    assert (LevelFormSet.max_num, LevelFormSet.absolute_max) == (MAX_LEVELS, MAX_LEVELS)
    assert (TimescaleFormSet.max_num, TimescaleFormSet.absolute_max) == (MAX_TIMESCALES, MAX_TIMESCALES)
    assert LevelFormSet.validate_max
    assert TimescaleFormSet.validate_max
