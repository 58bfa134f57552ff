"""The screening page puts the user back where they were working."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.contacts.tests.factories import ContactFactory, ContactSubjectFactory

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
