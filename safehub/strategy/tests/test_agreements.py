"""An invited agency agreeing that the contribution it asked to keep from the other agencies may go in
the record sent to them (issue 14): only that agency can, the refusal of anyone else is in the audit
trail, and only until the record is sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.audit.models import AuditEvent, Verb
from safehub.core.errors import Refused
from safehub.mfa.testing import sign_in_both_steps
from safehub.strategy import agreements, recording
from safehub.strategy.models import ContributionAgreement, Invitation, StrategyDiscussion
from safehub.strategy.tests.test_recording import H, _hold, _presence

pytestmark = pytest.mark.django_db

KEPT = "An investigation into the father is under way"


@pytest.fixture
def held(arranged: StrategyDiscussion, manager: User, now: dt.datetime, time_machine: Any) -> StrategyDiscussion:
    """Held, the police asking that their contribution go no further than the hub."""
    time_machine.move_to(now + 2 * H, tick=False)
    presence = _presence(arranged, police={"contribution": KEPT, "restricted": True})
    _hold(arranged, manager, now + 2 * H, presence=presence)
    arranged.refresh_from_db()
    return arranged


def _police(discussion: StrategyDiscussion) -> Invitation:
    return discussion.invitations.get(agency__name="Example Police")


def _health_copy(discussion: StrategyDiscussion, coordinator: User, at: dt.datetime) -> dict[str, str]:
    discussion.refresh_from_db()
    copies = recording.send_record(discussion, by=coordinator, at=at, version=discussion.version)
    sent = next(copy.disclosure for copy in copies if str(copy.invitation) == "Example Health")
    return {row["invitee"]: row["contribution"] for row in sent.content["attendance"]}


def test_once_the_police_agree_their_contribution_goes_in_the_record_to_the_others(
    held: StrategyDiscussion, police_partner: User, strategy_coordinator: User, now: dt.datetime
) -> None:
    police = _police(held)
    made = agreements.agree_to_pass_on(police, note="Health may know of it", by=police_partner, at=now + 2 * H)
    assert (made.agreed_by, made.note) == (police_partner, "Health may know of it")
    event = AuditEvent.objects.get(verb=Verb.HANDLING_AGREED)
    assert event.data == {"invitation": police.pk, "routes": ["strategy_record"]}
    assert _health_copy(held, strategy_coordinator, now + 3 * H)["Example Police"] == KEPT
    # Agreed once; and once the record has gone, there is nothing left to agree to.
    with pytest.raises(Refused, match="already agreed"):
        agreements.agree_to_pass_on(police, note="Health may know of it", by=police_partner, at=now + 3 * H)


def test_another_agency_or_the_hub_cannot_agree_for_the_police_and_is_recorded_trying(
    held: StrategyDiscussion, health_visitor: User, strategy_coordinator: User, manager: User, now: dt.datetime
) -> None:
    police = _police(held)
    for someone in (health_visitor, manager):
        with pytest.raises(PermissionDenied):
            agreements.agree_to_pass_on(police, note="On their behalf, surely", by=someone, at=now + 2 * H)
    assert AuditEvent.objects.filter(verb=Verb.HANDLING_AGREEMENT_REFUSED).count() == 2
    assert not ContributionAgreement.objects.exists()
    sent = _health_copy(held, strategy_coordinator, now + 3 * H)
    assert sent["Example Police"] == "Given to the chair; not passed on at the agency's request"


def test_after_the_record_is_sent_or_without_a_restriction_there_is_nothing_to_agree(
    held: StrategyDiscussion, police_partner: User, health_visitor: User, strategy_coordinator: User, now: dt.datetime
) -> None:
    theirs = held.invitations.get(agency__name="Example Health")
    with pytest.raises(Refused, match="not kept from the other agencies"):
        agreements.agree_to_pass_on(theirs, note="Share what we said", by=health_visitor, at=now + 2 * H)
    _health_copy(held, strategy_coordinator, now + 3 * H)
    with pytest.raises(Refused, match=r"The record was sent on 24 November 2026.* without your contribution"):
        agreements.agree_to_pass_on(_police(held), note="Health may know", by=police_partner, at=now + 4 * H)
    with pytest.raises(Refused) as short:
        agreements.agree_to_pass_on(_police(held), note="ok", by=police_partner, at=now + 4 * H)
    assert {problem.field for problem in short.value.problems} == {None, "note"}
    assert not ContributionAgreement.objects.exists()


def test_the_police_agree_on_their_page_with_a_problem_beside_the_field(
    held: StrategyDiscussion, police_partner: User, now: dt.datetime
) -> None:
    client = sign_in_both_steps(Client(), police_partner)
    page = client.get(reverse("strategy:discussion", args=[held.pk])).content.decode()
    assert "Your agency's contribution" in page
    assert KEPT in page
    police = _police(held)
    url = reverse("strategy:agree-contribution", args=[held.pk, police.pk])
    assert url in page
    short = client.post(url, {f"agree-{police.pk}-note": "Yes"})
    html = short.content.decode()
    assert short.status_code == 200
    assert re.search(r"<title>\s*Error:", html)
    assert f'<a href="#id_agree-{police.pk}-note">Say what you agree to' in html
    assert ">\nYes</textarea>" in html
    done = client.post(url, {f"agree-{police.pk}-note": "Health may know of the investigation"}, follow=True)
    html = done.content.decode()
    assert "Agreed: your contribution will go in the record sent to the other agencies" in html
    assert f"Agreed by {police_partner}" in html
    assert url not in html  # no second agreement offered


def test_the_hub_sees_the_agreement_in_the_record_and_history_and_the_police_see_why_once_sent(
    held: StrategyDiscussion,
    police_partner: User,
    strategy_coordinator: User,
    now: dt.datetime,
) -> None:
    """Walk-through: the hub's page still said "Not passed on" after the police agreed, its history had
    no entry, and after the record went the police page said nothing of why they could not agree."""
    agreements.agree_to_pass_on(_police(held), note="Health may know of it", by=police_partner, at=now + 2 * H)
    hub = sign_in_both_steps(Client(), strategy_coordinator)
    page = hub.get(reverse("strategy:discussion", args=[held.pk])).content.decode()
    assert "Passed on with the agency's agreement" in page
    assert "Not passed on to the other agencies" not in page
    assert "Example Police agreed its contribution may go in the record" in page


def test_once_the_record_went_without_it_the_police_page_says_so(
    held: StrategyDiscussion, police_partner: User, strategy_coordinator: User, now: dt.datetime
) -> None:
    _health_copy(held, strategy_coordinator, now + 3 * H)
    police = sign_in_both_steps(Client(), police_partner)
    page = police.get(reverse("strategy:discussion", args=[held.pk])).content.decode()
    assert "The record was sent to them on 24 November 2026, 13:00 without it" in page
    assert reverse("strategy:agree-contribution", args=[held.pk, _police(held).pk]) not in page
