"""The benchmark's year of data fills every work queue, and the pages the simulated users load
answer on it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.tests.factories import UserFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.benchmarks import checks_data, loadtest, open_work
from safehub.contacts.models import Contact, StateChange
from safehub.contacts.workflow import ContactState
from safehub.mfa.testing import sign_in_both_steps
from safehub.queues.queries import QUEUES


@pytest.mark.django_db
def test_the_year_leaves_open_work_on_every_queue_and_its_pages_answer(client: Client) -> None:
    now = timezone.now()
    data = checks_data.populate(checks_data.Scale(contacts=2000, checks=100, requests=300), now=now)

    states = Counter(Contact.objects.values_list("state", flat=True))
    for state, count in open_work.OPEN_WORK:
        assert states[state] == count
    assert sorted(data.open_contacts) == sorted(
        Contact.objects.exclude(state=ContactState.CLOSED).values_list("pk", flat=True)
    )
    # The open work went through the front door's services: every move has its state-change row
    # and its audit event, and no step is later than now.
    walked = Contact.objects.filter(pk__in=data.open_contacts).exclude(state=ContactState.MASH_CHECKS)
    changes = StateChange.objects.filter(contact__in=walked)
    assert changes.count() == AuditEvent.objects.filter(verb=Verb.STATE_CHANGED, contact__in=walked).count() > 0
    assert not changes.filter(at__gt=now).exists()
    again = checks_data.existing(now=now)
    assert again is not None
    assert (again.open_contacts, again.all_contacts) == (data.open_contacts, data.all_contacts)

    sign_in_both_steps(client, data.cast.social_workers[0])
    for queue in QUEUES:
        response = client.get(reverse("queues:queue", kwargs={"slug": queue.slug}))
        assert response.status_code == 200
        if queue.states:
            assert response.context["page"].paginator.count == sum(states[state] for state in queue.states)
    for state, _ in open_work.OPEN_WORK:
        contact = Contact.objects.filter(state=state).first()
        assert contact is not None
        assert client.get(reverse("contacts:contact", kwargs={"pk": contact.pk})).status_code == 200


@pytest.mark.django_db
def test_the_load_benchmarks_sessions_have_passed_the_second_step(client: Client, now: Any) -> None:
    """Its users load real pages, not the second step's redirect."""
    cast = checks_data.make_cast(at=now)
    client.cookies["sessionid"] = loadtest.sign_in(cast.social_workers[0])
    assert client.get(reverse("people:search")).status_code == 200
    with pytest.raises(ValueError, match="no authenticator app"):
        loadtest.sign_in(UserFactory(authenticator=False))
