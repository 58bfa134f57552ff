"""The screening page puts the user back where they were working, and tells them what others did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from safehub.accounts.models import Role
from safehub.accounts.tests.factories import user_with_role
from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory
from safehub.contacts.workflow import ContactState
from safehub.people.tests.factories import PersonFactory
from safehub.screening.models import Screening, ScreeningRoute
from safehub.screening.services import record_screening

pytestmark = pytest.mark.django_db


def test_linking_a_person_returns_to_their_block_on_the_page(
    contact_officer_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    second = ContactSubjectFactory(contact=contact, order=1, given_name="Leo")
    url = reverse("screening:screen-contact", args=[contact.pk])
    contact_officer_client.post(url, {"action": "start", "version": contact.version})
    contact.refresh_from_db()
    prefix = f"subject-{second.pk}"
    response = contact_officer_client.post(
        url,
        {
            "action": "identify",
            "subject_pk": second.pk,
            f"{prefix}-person": "new",
            f"{prefix}-version": contact.version,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}#block-subject-{second.pk}"
    page = contact_officer_client.get(url).content.decode()
    assert f'id="block-subject-{second.pk}" tabindex="-1"' in page


def test_a_red_contact_is_never_signposted_and_closed_at_screening(
    contact_officer: Any, mash_team: Any, now: dt.datetime
) -> None:
    from safehub.contacts.workflow import ContactState
    from safehub.core.errors import DomainError
    from safehub.people.tests.factories import PersonFactory
    from safehub.screening.models import ScreeningRoute
    from safehub.screening.services import record_screening

    contact = ContactFactory(team=mash_team, state=ContactState.SCREENING, immediate_protection="yes")
    contact.subjects.update(person=PersonFactory())
    with pytest.raises(DomainError, match="A Red contact"):
        record_screening(
            contact, route=ScreeningRoute.SIGNPOST, signposted_to="Family hub", by=contact_officer, at=now, version=0
        )


def test_linking_to_an_unlikely_match_needs_a_confirmation(
    contact_officer_client: Client, mash_team: Any, now: dt.datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A match below the threshold (the walk-through saw a brother offered at 2% for his sister) is
    linked only when the screener confirms it."""
    from safehub.contacts.workflow import ContactState
    from safehub.matching.index import index_people
    from safehub.people.tests.factories import PersonFactory
    from safehub.screening import services

    someone = PersonFactory(given_name="Zara", family_name="Harlow", sex="female", date_of_birth=dt.date(2014, 8, 9))
    index_people()
    monkeypatch.setattr(services, "UNLIKELY", 1.01)  # so that even this good match counts as unlikely
    contact = ContactFactory(team=mash_team, state=ContactState.SCREENING)
    subject = contact.subjects.get()
    subject.given_name, subject.family_name, subject.sex = "Zara", "Harlow", "female"
    subject.date_of_birth = dt.date(2014, 8, 9)
    subject.save()
    url = reverse("screening:screen-contact", args=[contact.pk])
    prefix = f"subject-{subject.pk}"
    offered = f'name="{prefix}-person" id="id_{prefix}-person_0" value="{someone.pk}"'
    page = contact_officer_client.get(url).content.decode()
    assert offered in page
    assert "I have checked that this unlikely match is the same person" in page
    data = {"action": "identify", "subject_pk": subject.pk, f"{prefix}-person": someone.pk, f"{prefix}-version": 0}
    refused = contact_officer_client.post(url, data)
    assert "This record is an unlikely match" in refused.content.decode()
    subject.refresh_from_db()
    assert subject.person_id is None
    confirmed = contact_officer_client.post(url, {**data, f"{prefix}-confirm_unlikely": "on"})
    assert confirmed.status_code == 302
    subject.refresh_from_db()
    assert subject.person_id == someone.pk


def test_linking_a_person_someone_else_has_just_linked_says_so_and_changes_nothing(
    contact_officer_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    second = ContactSubjectFactory(contact=contact, order=1, given_name="Leo")
    url = reverse("screening:screen-contact", args=[contact.pk])
    contact_officer_client.post(url, {"action": "start", "version": contact.version})
    contact.refresh_from_db()
    prefix = f"subject-{second.pk}"
    link = {
        "action": "identify",
        "subject_pk": second.pk,
        f"{prefix}-person": "new",
        f"{prefix}-version": contact.version,
    }
    assert contact_officer_client.post(url, link).status_code == 302
    second.refresh_from_db()
    linked_to = second.person_id

    stale = contact_officer_client.post(url, link)  # the same Link pressed again from a page loaded before

    assert stale.status_code == 409
    assert "Leo" in stale.content.decode()
    assert "was linked to a person record while this page was open" in stale.content.decode()
    second.refresh_from_db()
    assert second.person_id == linked_to


def test_the_page_does_not_say_not_known_before_anyone_is_linked(
    contact_officer_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    """The walk-through read "Not known to children's services" while the top match was a child with
    an open section 47 enquiry: nothing is known until the children are linked."""
    contact = ContactFactory(team=mash_team)
    url = reverse("screening:screen-contact", args=[contact.pk])
    contact_officer_client.post(url, {"action": "start", "version": contact.version})
    page = contact_officer_client.get(url).content.decode()
    assert "Not known to children" not in page
    assert "not worked out yet" in page
    subject = contact.subjects.get()
    contact.refresh_from_db()
    prefix = f"subject-{subject.pk}"
    contact_officer_client.post(
        url,
        {
            "action": "identify",
            "subject_pk": subject.pk,
            f"{prefix}-person": "new",
            f"{prefix}-version": contact.version,
        },
    )
    assert "Not known to children" in contact_officer_client.get(url).content.decode()


def test_the_unlikely_match_box_is_shown_only_beside_an_unlikely_match(
    contact_officer_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    """Walk-through: every person block asked to confirm an unlikely match, even with no candidates."""
    contact = ContactFactory(team=mash_team)
    url = reverse("screening:screen-contact", args=[contact.pk])
    contact_officer_client.post(url, {"action": "start", "version": contact.version})
    page = contact_officer_client.get(url).content.decode()
    assert "No one in the person index is a likely match" in page
    assert "unlikely match is the same person" not in page


def test_a_contact_that_can_only_be_forwarded_asks_for_no_signposting_service() -> None:
    """Walk-through: the forward-only choice still showed "Service signposted to"."""
    from safehub.screening.forms import RouteForm
    from safehub.screening.models import ScreeningRoute

    assert "signposted_to" not in RouteForm(routes=[ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER]).fields
    assert "signposted_to" in RouteForm(routes=[ScreeningRoute.REFER_FOR_THRESHOLD, ScreeningRoute.SIGNPOST]).fields


@pytest.mark.parametrize(
    ("route", "signposted_to", "went"),
    [
        ("signpost", "Children's centre", "Signposted at screening (Children's centre)"),
        ("refer_for_threshold", "", "Sent to a MASH social worker for a threshold decision"),
    ],
)
def test_a_second_screener_is_told_who_screened_it_where_it_went_and_that_nothing_was_saved(
    contact_officer_client: Client, mash_team: Any, now: dt.datetime, route: str, signposted_to: str, went: str
) -> None:
    """Walk-through: two screeners at once; the one whose screening came second saw only "This
    contact has already been screened", not what the other decided."""
    colleague = user_with_role(Role.CONTACT_OFFICER, team=mash_team, username="terence.newton")
    contact = ContactFactory(team=mash_team, state=ContactState.SCREENING)
    contact.subjects.update(person=PersonFactory())
    url = reverse("screening:screen-contact", args=[contact.pk])
    assert contact_officer_client.get(url).status_code == 200  # the page, open before the colleague's screening
    record_screening(contact, route=ScreeningRoute(route), signposted_to=signposted_to, by=colleague, at=now, version=0)
    mine = {"action": "route", "version": 0, "route": "refer_for_threshold", "notes": "Needs a threshold decision"}
    if route == "refer_for_threshold":
        mine = {**mine, "route": "signpost", "signposted_to": "Family hub"}

    refused = contact_officer_client.post(url, mine, follow=True)

    page = refused.content.decode()
    told = f"{colleague} screened this contact on 24 November 2026, 10:00: {went}. Nothing you entered was saved."
    assert escape(told) in page
    screening = Screening.objects.get(contact=contact)
    assert (screening.screened_by, screening.route, screening.notes) == (colleague, route, "")
    later = contact_officer_client.get(url, follow=True).content.decode()
    assert escape(f"{colleague} screened this contact on 24 November 2026, 10:00: {went}.") in later
    assert "Nothing you entered was saved" not in later
