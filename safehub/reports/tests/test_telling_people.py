"""The telling-people figures (issue 15), computed by hand on a small hub: every measure of one month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import AgencyKind
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.consultations import services as consultations
from safehub.consultations.models import ConsultationKind
from safehub.contacts.tests.factories import ContactFactory
from safehub.core.errors import DomainError
from safehub.letters import gp_outcomes
from safehub.letters import services as letters
from safehub.letters.models import LetterKind, WithheldReason
from safehub.letters.tests.helpers import action_it, actioned_contact, decided_with_practices, send_drafted
from safehub.reports.indicators import telling_people

pytestmark = pytest.mark.django_db


_send = send_drafted


def test_each_measure_of_a_month(mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime) -> None:
    # A: decided this morning, acknowledged by the worker, told and written to at once.
    told = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)
    # D: decided five days ago; nobody told; the family not written to, for safety.
    forgotten = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now - dt.timedelta(days=5))
    # C: a school's contact last Friday, never acknowledged (past the worker's three days).
    ContactFactory(team=mash_team, received_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    assert letters.queue_acknowledgements(now) == 1  # A only: D and C came too long ago
    # B: a contact this hour, still within its working day.
    ContactFactory(team=mash_team, received_at=now - dt.timedelta(hours=1))
    _send(told, LetterKind.OUTCOME, social_worker, now)
    _send(told, LetterKind.FAMILY, social_worker, now)
    letters.decide_not_to_write(
        forgotten,
        reason=WithheldReason.INCREASED_RISK,
        explanation="The father intercepts the post and has threatened the mother before.",
        by=social_worker,
        at=now,
    )
    asked = {
        "kind": ConsultationKind.ANONYMOUS,
        "consultee_name": "Ann Teacher",
        "question": "Should I refer?",
        "advice": "Talk to the parents first.",
    }
    consultations.record_consultation(
        {**asked, "received_at": now - dt.timedelta(days=5)}, team=mash_team, by=social_worker, at=now
    )
    answered = consultations.record_consultation(
        {**asked, "received_at": now - dt.timedelta(hours=1), "consultee_name": "Ben Nurse"},
        team=mash_team,
        by=social_worker,
        at=now,
    )
    consultations.send_summary(answered, by=social_worker, at=now, version=answered.version)

    [row] = telling_people.figures(at=now)
    assert row.month == dt.date(2026, 11, 1)
    assert row.counts == {
        "acknowledgements_due": 4,  # A, B, C, D: every professional's contact
        "acknowledged_on_time": 1,  # A
        "acknowledged_late": 0,
        "not_acknowledged": 2,  # C and D, past their working day; B still has time
        "outcomes_due": 2,
        "told_on_time": 1,  # A, within Bexley's 48 hours (002 §12)
        "told_late": 0,
        "not_told": 1,  # D, 48 hours gone
        "family_letters": 1,
        "family_not_written_to": 1,
        "not_written_increased_risk": 1,
        "not_written_prejudice_investigation": 0,
        "not_written_undue_delay": 0,
        "not_written_strategy_decided": 0,
        "not_written_told_in_person": 0,
        "not_written_no_safe_address": 0,
        "family_neither": 0,
        "summaries_due": 2,
        "summaries_on_time": 1,
        "summaries_late": 0,
        "summaries_not_sent": 1,  # 48 hours gone (002 §5–6)
        "encompass_due": 0,
        "encompass_on_time": 0,
        "encompass_late": 0,
        "encompass_not_sent": 0,
        "gp_practices_due": 0,
        "gp_told_on_time": 0,
        "gp_told_late": 0,
        "gp_not_told": 0,
    }


def test_a_family_kept_from_knowing_for_safety_is_counted_as_not_written_to_with_that_reason(
    mash_team: Any, social_worker: Any, manager: Any, now: dt.datetime
) -> None:
    # 002 §22(b): the referrer said telling the family would prejudice an investigation; the letter is
    # refused while that holds, and the hub records no decision of its own.
    held = actioned_contact(
        mash_team,
        social_worker=social_worker,
        manager=manager,
        at=now,
        not_told={"prejudice_investigation": "The partner is to be interviewed under caution."},
    )
    # The same reason, lifted by a manager: nothing stops the letter, and nobody wrote it.
    lifted = actioned_contact(
        mash_team,
        social_worker=social_worker,
        manager=manager,
        at=now,
        not_told={"increased_risk": "The father reads the post."},
    )
    letters.lift_reasons_not_to_write(
        lifted, explanation="The father has left the home and the mother asked to be told.", by=manager, at=now
    )
    with pytest.raises(DomainError, match="must not be written to"):
        _send(held, LetterKind.FAMILY, social_worker, now)

    [row] = telling_people.figures(at=now)
    assert (row.counts["family_not_written_to"], row.counts["not_written_prejudice_investigation"]) == (1, 1)
    assert (row.counts["not_written_increased_risk"], row.counts["family_neither"]) == (0, 1)


def test_the_report_and_its_csv_are_for_the_performance_lead_and_managers(
    client_for_role: Any, manager_client: Client, social_worker_client: Client
) -> None:
    assert social_worker_client.get(reverse("reports:telling-people")).status_code == 403
    assert manager_client.get(reverse("reports:telling-people")).status_code == 200
    response = manager_client.get(reverse("reports:telling-people-csv"))
    assert response.content.decode().splitlines()[0].startswith("month,acknowledgements_due,")
    assert AuditEvent.objects.filter(verb=Verb.REPORT_EXPORTED).count() == 1


def test_each_gp_practice_asked_is_counted_told_within_three_working_days_or_not(
    mash_team: Any, social_worker: Any, manager: Any, contact_officer: Any, now: dt.datetime
) -> None:
    elm = PartnerAgencyFactory(name="Elm Road Surgery", kind=AgencyKind.GP_PRACTICE, secure_email="elm@nhs.example")
    ash = PartnerAgencyFactory(name="Ash Grove Medical Centre", kind=AgencyKind.GP_PRACTICE, secure_email="")
    oak = PartnerAgencyFactory(name="Oak Lane Practice", kind=AgencyKind.GP_PRACTICE, secure_email="oak@nhs.example")
    # Actioned this morning: Elm Road emailed at once (in time); Ash Grove, no address, still has time.
    today = decided_with_practices(mash_team, [elm, ash], social_worker=social_worker, manager=manager, at=now)
    action_it(today, by=manager, at=now - dt.timedelta(hours=1))
    # Actioned on Thursday the 12th (due the 17th): Oak Lane told today (late); Ash Grove never (not told).
    then = dt.datetime(2026, 11, 12, 12, tzinfo=dt.UTC)
    earlier = decided_with_practices(mash_team, [oak, ash], social_worker=social_worker, manager=manager, at=then)
    action_it(earlier, by=manager, at=then)
    assert gp_outcomes.queue_gp_outcomes(now) == 2
    [row] = telling_people.figures(at=now)
    assert [row.counts[m] for m in ("gp_practices_due", "gp_told_on_time", "gp_told_late", "gp_not_told")] == [
        4,
        1,
        1,
        1,
    ]
    gp_outcomes.record_call(
        earlier, ash, explanation="Telephoned Ash Grove's safeguarding lead today", by=contact_officer, at=now
    )
    [row] = telling_people.figures(at=now)
    assert (row.counts["gp_told_late"], row.counts["gp_not_told"]) == (2, 0)
    csv = telling_people.as_csv(telling_people.figures(at=now))
    assert csv.splitlines()[0].endswith("gp_practices_due,gp_told_on_time,gp_told_late,gp_not_told")


def test_the_report_shows_gp_practices_told_within_three_working_days(manager_client: Client) -> None:
    ContactFactory()
    page = manager_client.get(reverse("reports:telling-people")).content.decode()
    assert "GP practices told within 3 working days" in page
