"""A form sent after someone else changed the record answers 409 with the reason, and changes
nothing: in every app whose forms carry a version."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import Agency, AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent
from safehub.checks.models import MashChecks
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactInScreeningFactory
from safehub.matching.models import DuplicatePair
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.tests.factories import PersonFactory
from safehub.protocols.policy import active_protocol

pytestmark = pytest.mark.django_db
STALE = 99


@dataclass(frozen=True)
class Post:
    user: User
    url: str
    data: dict[str, object]


@dataclass
class Hub:
    team: Team
    manager: User
    social_worker: User
    police: Agency
    at: dt.datetime

    def checks(self) -> MashChecks:
        contact = ContactAwaitingThresholdFactory(team=self.team)
        return start_checks(
            contact, by=self.manager, coordinator=self.social_worker, agencies=[self.police], at=self.at
        )


def _start_checks(hub: Hub) -> Post:
    contact = ContactAwaitingThresholdFactory(team=hub.team)
    data = {
        "version": STALE,
        "reason": "Unclear risk",
        "rating": "amber",
        "coordinator": hub.social_worker.pk,
        "agencies": [hub.police.pk],
        "questions": "Known?",
        "bases": ["gdpr_6_1_e"],
    }
    return Post(hub.manager, reverse("checks:start", args=[contact.pk]), data)


def _submit_checks(hub: Hub) -> Post:
    checks = hub.checks()
    data = {"version": STALE, "analysis": "Police know the family", "outstanding_reason": "Urgent"}
    return Post(hub.social_worker, reverse("checks:checks", args=[checks.pk]), data)


def _withdraw(hub: Hub) -> Post:
    checks = hub.checks()
    url = reverse("checks:withdraw", args=[checks.pk, checks.requests.get().pk])
    return Post(hub.manager, url, {"version": STALE, "reason": "Asked in error"})


def _ask_another_agency(hub: Hub) -> Post:
    checks = hub.checks()
    health = PartnerAgencyFactory(name="Example Health Trust", kind=AgencyKind.HEALTH)
    data = {"version": STALE, "agencies": [health.pk], "questions": "Known?", "bases": ["gdpr_6_1_e"]}
    return Post(hub.social_worker, reverse("checks:ask-another-agency", args=[checks.pk]), data)


def _answer(hub: Hub) -> Post:
    request = hub.checks().requests.get()
    partner = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Desk", agency=hub.police), username="stale.partner"
    )
    data = {"version": STALE, "information": "Known", "analysis": "Risk", "action": "submit"}
    return Post(partner, reverse("checks:request", args=[request.pk]), data)


def _correct(hub: Hub) -> Post:
    request = hub.checks().requests.get()
    partner = user_with_role(
        Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="Desk", agency=hub.police), username="stale.partner"
    )
    submit_answer(request, by=partner, at=hub.at)
    data = {"version": STALE, "nothing_known": "on", "sources_searched": "Niche, PND", "reason": "Searched PND too"}
    return Post(partner, reverse("checks:request", args=[request.pk]), data)


def _recommend(hub: Hub) -> Post:
    contact = ContactAwaitingThresholdFactory(team=hub.team)
    level = active_protocol().levels.first()
    assert level is not None
    child = f"child-{contact.subjects.get().pk}"
    data = {
        "version": STALE,
        f"{child}-rating": "amber",
        f"{child}-level": level.pk,
        f"{child}-outcome": "early_help",
        "rationale": "Needs help",
    }
    return Post(hub.social_worker, reverse("decisions:recommend", args=[contact.pk]), data)


def _screening(hub: Hub) -> Post:
    contact = ContactInScreeningFactory(team=hub.team)
    return Post(
        hub.social_worker, reverse("screening:screen-contact", args=[contact.pk]), {"action": "start", "version": STALE}
    )


def _restrict(hub: Hub) -> Post:
    contact = ContactAwaitingThresholdFactory(team=hub.team)
    return Post(
        hub.manager, reverse("contacts:restrict", args=[contact.pk]), {"version": STALE, "reason": "Staff child"}
    )


def _amend(hub: Hub) -> Post:
    contact = ContactAwaitingThresholdFactory(team=hub.team)
    data = {"version": STALE, "submission_key": str(uuid.uuid4()), "information": "Dad is back", "source": "School"}
    return Post(hub.social_worker, reverse("contacts:amend-information", args=[contact.pk]), data)


def _identify_added(hub: Hub) -> Post:
    contact = ContactAwaitingThresholdFactory(team=hub.team)
    subject = contact.subjects.get()
    prefix = f"subject-{subject.pk}"
    data = {"action": "identify", "subject_pk": subject.pk, f"{prefix}-person": "new", f"{prefix}-version": STALE}
    return Post(hub.social_worker, reverse("screening:identify-people", args=[contact.pk]), data)


def _duplicate_pair(hub: Hub) -> Post:
    left, right = sorted([PersonFactory(), PersonFactory()], key=lambda p: p.pk)
    pair = DuplicatePair.objects.create(left=left, right=right, probability=0.8, found_at=hub.at)
    return Post(hub.manager, reverse("matching:pair", args=[pair.pk]), {"version": STALE, "decision": "not_same"})


STALE_POSTS: dict[str, Callable[[Hub], Post]] = {
    "start MASH checks": _start_checks,
    "submit MASH checks": _submit_checks,
    "withdraw a request": _withdraw,
    "ask another agency": _ask_another_agency,
    "answer a request": _answer,
    "correct an answer": _correct,
    "recommend": _recommend,
    "screening": _screening,
    "restrict a contact": _restrict,
    "amend a contact": _amend,
    "identify a person added": _identify_added,
    "duplicate pair": _duplicate_pair,
}


@pytest.fixture
def hub(mash_team: Team, manager: User, social_worker: User, now: dt.datetime) -> Hub:
    return Hub(
        mash_team, manager, social_worker, PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE), now
    )


@pytest.mark.parametrize("name", sorted(STALE_POSTS))
def test_a_stale_form_answers_409_and_changes_nothing(name: str, hub: Hub) -> None:
    post = STALE_POSTS[name](hub)
    client = Client()
    sign_in_both_steps(client, post.user)
    writes_before = AuditEvent.objects.exclude(verb__in=["contact_viewed", "person_viewed"]).count()
    response = client.post(post.url, post.data)
    assert response.status_code == 409, name
    assert "changed by someone else" in response.content.decode(), name
    assert AuditEvent.objects.exclude(verb__in=["contact_viewed", "person_viewed"]).count() == writes_before, name
