"""The worker a contact is forwarded to finds it, reads it and marks it received (issue 11 §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from safehub.accounts.models import Role, User
from safehub.accounts.tests.factories import TeamFactory, user_with_role
from safehub.contacts.models import Contact, ContactSubject
from safehub.contacts.tests.factories import ContactInScreeningFactory
from safehub.people.models import Service
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.screening.models import ScreeningRoute
from safehub.screening.services import record_screening

Check = Callable[[Page], None]


def test_a_forwarded_contact_reaches_the_allocated_worker(
    page: Page,
    sign_in_as: Callable[..., None],
    assert_accessible: Check,
    console_errors: list[str],
    contact_officer: User,
    mash_team: Any,
) -> None:
    worker = user_with_role(Role.SOCIAL_WORKER, team=TeamFactory(name="Locality team 2"), username="locality.sw")
    worker.email = "locality.sw@example.org"
    worker.save()
    child = PersonFactory(given_name="Mia", family_name="Harlow")
    InvolvementFactory(person=child, service=Service.CHILD_IN_NEED, worker_email=worker.email, team="Locality team 2")
    contact: Contact = ContactInScreeningFactory(team=mash_team)
    ContactSubject.objects.filter(contact=contact).update(person=child)
    record_screening(
        contact,
        route=ScreeningRoute.FORWARD_TO_ALLOCATED_WORKER,
        by=contact_officer,
        at=dt.datetime.now(dt.UTC),
        version=contact.version,
    )

    sign_in_as(page, worker)
    page.goto(reverse("queues:queue", args=["threshold"]))
    expect(page.get_by_text("A contact was sent to you and is not yet marked received")).to_be_visible()
    page.get_by_role("link", name="Open your caseload").click()
    expect(page.get_by_role("heading", name="My caseload", level=1)).to_be_visible()
    page.goto(reverse("queues:home"))  # while something waits for them, they start on their caseload
    expect(page.get_by_role("heading", name="My caseload", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Mia Harlow")).to_have_count(2)  # waiting, and among the children
    assert_accessible(page)

    page.get_by_role("link", name=contact.reference).first.click()
    expect(page.get_by_role("heading", name="Sent to")).to_be_visible()
    expect(page.get_by_text("Not yet received")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as received").click()
    expect(page.get_by_text(f"Contact {contact.reference} marked as received")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as received")).to_have_count(0)
    assert_accessible(page)

    page.goto(reverse("queues:caseload"))
    expect(page.get_by_text("Nothing waiting: every contact sent to you is marked received.")).to_be_visible()
    assert console_errors == []
