"""Every state of every record with a lifecycle has a label, a tag and a queue, or an explicit
"no queue"; and a contact in each state is on the work queue its state names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactFactory
from safehub.contacts.workflow import STATES, ContactState
from safehub.core.lifecycle import NO_QUEUE, Lifecycle, Tag
from safehub.queues.queries import QUEUE_BY_SLUG, QUEUES

# The work lists outside the contact queues, where a record waiting on them is worked.
OTHER_WORK_LISTS = {
    "requests": "checks:workspace",
    "consultations": "consultations:list",
    "strategy": "strategy:worktray",
    "meetings": "meetings:meetings",
    "consent-overrides": "consent:overrides",
    "information-requests": "information_requests:list",
    "disclosure-team": "information_requests:list",
    "messages": "letters:waiting",
    "referral-packs": "onward:packs",
}

STATEFUL = sorted(
    (model for model in apps.get_models() if isinstance(getattr(model, "lifecycle", None), Lifecycle)),
    key=lambda model: model._meta.label,
)


def test_the_records_with_a_lifecycle_are_found() -> None:
    assert [model._meta.label for model in STATEFUL] == [
        "checks.AgencyRequest",
        "checks.AgencyResponse",
        "checks.MashChecks",
        "consent.ConsentOverride",
        "consultations.Consultation",
        "contacts.Contact",
        "information_requests.InformationRequest",
        "letters.Message",
        "meetings.DailyMeeting",
        "onward.ReferralPack",
        "strategy.StrategyAction",
        "strategy.StrategyDiscussion",
    ]


@pytest.mark.parametrize("model", STATEFUL, ids=lambda model: model._meta.label)
def test_every_state_has_a_label_a_tag_and_a_queue_or_explicitly_none(model: Any) -> None:
    lifecycle: Lifecycle[Any, Any] = model.lifecycle
    table = lifecycle.table
    field = model._meta.get_field(lifecycle.state_field)
    assert dict(field.choices) == {state.value: table.label(state) for state in type(table.initial)}
    terminal = set(table.terminal_states())
    for state in type(table.initial):
        info = table.states[state]
        assert info.label.strip(), f"{model._meta.label} {state} has no label"
        assert isinstance(info.tag, Tag), f"{model._meta.label} {state} has no GOV.UK tag"
        if info.queue is NO_QUEUE:
            # Only a record that can move no further may wait on no queue: someone must make the next move.
            assert state in terminal, f"{model._meta.label} {state} can move on but is on no queue"
        else:
            assert info.queue in QUEUE_BY_SLUG or info.queue in OTHER_WORK_LISTS, (
                f"{model._meta.label} {state} waits on '{info.queue}', which is no work queue"
            )


def test_the_other_work_lists_are_pages() -> None:
    for url_name in OTHER_WORK_LISTS.values():
        assert reverse(url_name)


@pytest.mark.django_db
def test_a_contact_in_each_state_is_on_the_queue_its_state_names(mash_team: Any, now: dt.datetime) -> None:
    contacts = {state: ContactFactory(team=mash_team, state=state, current_due_at=None) for state in ContactState}
    for state, contact in contacts.items():
        holding = {queue.slug for queue in QUEUES if queue.select(Contact.objects.filter(pk=contact.pk), now).exists()}
        expected = set() if STATES[state].queue is NO_QUEUE else {STATES[state].queue}
        assert holding == expected, f"A contact in {state} is on {sorted(holding) or 'no queue'}, not {expected}"


@pytest.mark.django_db
def test_a_contact_under_mash_checks_is_on_the_mash_checks_queue(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    contact: Contact = ContactFactory(
        team=mash_team, state=ContactState.MASH_CHECKS, current_due_at=now + dt.timedelta(hours=3)
    )
    response = social_worker_client.get(reverse("queues:queue", args=["checks"]))
    page = response.content.decode()
    assert contact.reference in page
    assert '<strong class="govuk-tag govuk-tag--yellow">MASH checks under way</strong>' in page
    assert "1 contact, soonest due first" in page
    assert response.context["counts"]["checks"] == 1


@pytest.mark.django_db
def test_each_queues_count_is_the_number_it_lists(
    social_worker_client: Client, mash_team: Any, now: dt.datetime
) -> None:
    for state in ContactState:
        ContactFactory(team=mash_team, state=state, current_due_at=now - dt.timedelta(hours=1))
        ContactFactory(team=mash_team, state=state, current_due_at=None)
    for queue in QUEUES:
        page = social_worker_client.get(reverse("queues:queue", args=[queue.slug]))
        listed = page.context["page"].paginator.count
        assert page.context["counts"][queue.slug] == listed
        assert listed == (len(ContactState) - 1 if queue.slug == "overdue" else 2 * len(queue.states))
