from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import TestCase
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import DjangoDbBlocker

from safehub.accounts.demo import DEMO_PASSWORD
from safehub.accounts.models import Role, User
from safehub.audit.models import AuditEvent, Verb
from safehub.audit.services import verify_chain
from safehub.casework.models import Assessment as CaseAssessment
from safehub.checks.models import MashChecks
from safehub.consent.models import ConsentOverride, ConsentPurpose, ConsentRecord
from safehub.consent.queries import without_consent
from safehub.consent.workflow import OverrideState
from safehub.contacts.models import ConsentPosition, Contact, ContactSubject, ReferrerKind, StateChange
from safehub.contacts.workflow import ContactState, Event, next_state
from safehub.decisions.models import (
    STATUTORY_OUTCOMES,
    ChildDecision,
    Decision,
    OutcomeAction,
    Recommendation,
    Referral,
    Verdict,
)
from safehub.domestic_abuse.models import Assessment, MaracBasis, Notification
from safehub.meetings.models import AgendaItem, DailyMeeting
from safehub.mfa.codes import RECOVERY_CODES
from safehub.people.identifiers import is_valid_nhs_number
from safehub.people.models import Person, PersonKind
from safehub.reports.dashboard import dashboard_figures
from safehub.reports.measures import measures
from safehub.reports.measures.scope import Filters
from safehub.reports.measures.tiles import Rate, Tile
from safehub.reports.periods import Period, PeriodKind
from safehub.returns.services import build_annex_a, build_census
from safehub.screening.models import Screening
from safehub.strategy.models import StrategyAction, StrategyDiscussion, StrategyRecord
from safehub.strategy.workflow import ActionState, DiscussionState
from safehub.synthetic.year import walked

pytestmark = pytest.mark.django_db

LOADED_AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # the suite's pinned clock (`now`)
YEAR_CONTACTS = 800  # the year of closed work before the weeks walked: smaller than the demo's, to load fast


class _DemoData(TestCase):
    """Holds the module's demo hub in a transaction, as a TestCase holds its class's test data."""

    __test__ = False


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """One demo hub for the whole module, rolled back after its last test: every contact is walked
    through the services, so loading it once per test would take minutes."""
    with django_db_blocker.unblock():
        _DemoData.setUpClass()
        try:
            out = StringIO()
            with time_machine.travel(LOADED_AT, tick=False):
                # Enough families that, with the hub's own outcomes making children known (so that
                # their next contacts are forwarded to their worker), every state still has contacts.
                call_command("load_demo", people=600, weeks=2, year=YEAR_CONTACTS, seed=7, stdout=out)
            yield out.getvalue()
        finally:
            _DemoData.tearDownClass()


def test_every_role_has_a_demo_account_that_signs_in(demo: str) -> None:
    roles: set[str] = set()
    for user in User.objects.filter(username__startswith="demo."):
        assert authenticate(username=user.username, password=DEMO_PASSWORD) == user
        roles |= user.roles()
    assert roles == set(Role.values)


def test_contacts_are_in_every_state(demo: str) -> None:
    states = set(Contact.objects.values_list("state", flat=True))
    assert states == {s.value for s in ContactState}


def test_strategy_discussions_are_in_every_state_with_actions_open_and_closed(demo: str) -> None:
    states = set(StrategyDiscussion.objects.values_list("state", flat=True))
    assert states == {s.value for s in DiscussionState}
    assert set(StrategyAction.objects.values_list("state", flat=True)) == {s.value for s in ActionState}
    assert StrategyRecord.objects.filter(conference_on__isnull=False).exists()


def test_checks_started_only_with_consent_or_an_override_agreed_by_someone_else(demo: str) -> None:
    for checks in MashChecks.objects.select_related("contact"):
        left = without_consent(checks.contact, ConsentPurpose.MASH_CHECKS, on=checks.started_at.date())
        assert left == [], f"{checks.contact} had MASH checks without consent: {left}"
    agreed = ConsentOverride.objects.filter(state=OverrideState.AGREED)
    assert agreed.exists()
    assert not agreed.filter(decided_by=F("asked_by")).exists()
    assert ConsentOverride.objects.filter(state=OverrideState.ASKED).exists()  # the managers' queue has work
    assert ConsentRecord.objects.filter(given_by="parent").exists()
    # The Awaiting consent queue has work, and nothing on it should not be there (002 §19, §22).
    waiting = Contact.objects.filter(state=ContactState.AWAITING_CONSENT)
    assert waiting.exists()
    assert not waiting.exclude(referrer_kind=ReferrerKind.PROFESSIONAL).exists()
    assert not waiting.filter(consent=ConsentPosition.NOT_INFORMED_SAFEGUARDING).exists()


def test_a_week_of_daily_meetings_with_decisions_and_items_carried(demo: str) -> None:
    assert DailyMeeting.objects.filter(state="closed").exists()
    assert AgendaItem.objects.exclude(decision="").exists()
    assert AgendaItem.objects.filter(carried_from__isnull=False).exists()


def test_police_domestic_abuse_notifications_with_dash_scores_some_over_the_threshold(demo: str) -> None:
    recorded = Notification.objects.all()
    assert set(recorded.values_list("assessment", flat=True)) == set(Assessment.values)
    scores = [n for n in recorded.values_list("dash_score", flat=True) if n is not None]
    assert min(scores) < 14 <= max(scores)
    assert recorded.filter(marac_basis=MaracBasis.JUDGEMENT).exclude(judgement_rationale="").exists()
    assert AgendaItem.objects.filter(contact__domestic_abuse__isnull=False, reason="domestic_abuse").exists()
    assert "Police domestic-abuse notifications with their risk assessments" in demo


def test_histories_follow_the_workflow_table(demo: str) -> None:
    linked = Counter(ContactSubject.objects.exclude(person=None).values_list("contact", flat=True))
    # A manager starting a strategy discussion at once rates the contact Red: one more version.
    rated = Counter(
        AuditEvent.objects.filter(verb=Verb.CONTACT_UPDATED, data__has_key="initial_rating").values_list(
            "contact", flat=True
        )
    )
    for contact in Contact.objects.prefetch_related("state_changes"):
        state = ContactState.RECEIVED
        changes = sorted(contact.state_changes.all(), key=lambda c: (c.at, c.pk))
        for change in changes:
            assert change.from_state == state
            state = next_state(state, Event(change.event))
            assert change.to_state == state
        assert contact.state == state
        # Every change moves the version on: each state change, each person screening linked, each rating.
        assert contact.version == len(changes) + linked[contact.pk] + rated[contact.pk]


def test_every_step_has_the_audit_events_its_service_writes(demo: str) -> None:
    """The steps are taken by the services, so each has its service's audit event, by the person
    who took it, at the moment it was taken."""
    contacts = walked(Contact.objects.all())  # the year before them was written in bulk, as history
    events = AuditEvent.objects.exclude(contact=None)
    changed = Counter((e.contact_id, e.data["event"], e.by_id, e.at) for e in events.filter(verb=Verb.STATE_CHANGED))
    changes = Counter((c.contact_id, c.event, c.by_id, c.at) for c in StateChange.objects.filter(contact__in=contacts))
    assert changes
    assert changed == changes
    recorded = {e.contact_id: e for e in events.filter(verb=Verb.CONTACT_RECORDED)}
    for contact in contacts:
        assert recorded[contact.pk].by_id == contact.recorded_by_id
        assert recorded[contact.pk].at == contact.recorded_at
    linked = events.filter(verb=Verb.CONTACT_UPDATED, data__linked_person__isnull=False)
    assert linked.count() == ContactSubject.objects.filter(contact__in=contacts).exclude(person=None).count()
    for verb, rows in [
        (Verb.SCREENING_RECORDED, Screening.objects.filter(contact__in=contacts)),
        (Verb.RECOMMENDATION_RECORDED, Recommendation.objects.filter(contact__in=contacts)),
        (Verb.DECISION_APPROVED, Decision.objects.filter(verdict=Verdict.APPROVED, contact__in=contacts)),
        (Verb.DECISION_RETURNED, Decision.objects.filter(verdict=Verdict.RETURNED, contact__in=contacts)),
        (Verb.REFERRAL_CREATED, Referral.objects.filter(contact__in=contacts)),
        (Verb.OUTCOME_ACTIONED, OutcomeAction.objects.filter(contact__in=contacts)),
    ]:
        assert rows.exists(), verb
        assert events.filter(verb=verb).count() == rows.count(), verb


def test_referrals_exist_exactly_for_each_child_with_an_approved_statutory_outcome(demo: str) -> None:
    approved_statutory = set(
        ChildDecision.objects.filter(
            decision__verdict="approved", outcome__in=[o.value for o in STATUTORY_OUTCOMES]
        ).values_list("decision__contact", "subject")
    )
    assert approved_statutory
    assert set(Referral.objects.values_list("contact", "subject")) == approved_statutory
    # Siblings are decided for one by one: some contacts refer one child and send another elsewhere.
    outcomes: dict[int, set[str]] = {}
    for contact, outcome in ChildDecision.objects.values_list("decision__contact", "outcome"):
        outcomes.setdefault(contact, set()).add(outcome)
    assert any(len(each) > 1 for each in outcomes.values())


def test_no_one_approves_their_own_recommendation(demo: str) -> None:
    for decision in Decision.objects.select_related("recommendation"):
        assert decision.decided_by_id != decision.recommendation.recommended_by_id


def test_people_are_plausible(demo: str) -> None:
    assert Person.objects.count() >= 150
    assert all(
        is_valid_nhs_number(n) for n in Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
    )
    assert not Person.objects.filter(kind=PersonKind.UNBORN, date_of_birth__isnull=False).exists()


def test_closed_contacts_have_no_due_time_and_the_audit_chain_holds(demo: str, now: dt.datetime) -> None:
    assert AuditEvent.objects.filter(at__gt=now).count() == 0
    assert not Contact.objects.filter(state=ContactState.CLOSED, current_due_at__isnull=False).exists()
    assert StateChange.objects.filter(at__gt=now).count() == 0
    assert verify_chain().intact


def test_if_empty_adds_nothing_the_second_time(demo: str) -> None:
    before = Contact.objects.count()
    out = StringIO()
    call_command("load_demo", if_empty=True, stdout=out)
    assert "already loaded" in out.getvalue()
    assert Contact.objects.count() == before
    with pytest.raises(CommandError, match="empty database"):
        call_command("load_demo", people=20, weeks=1, stdout=StringIO())


def test_statutory_outcomes_name_an_assessment_social_worker_who_can_open_the_contact(demo: str) -> None:
    actions = OutcomeAction.objects.select_related("allocated_worker", "contact").prefetch_related("decision__children")
    referring = {a.pk: any(c.outcome in STATUTORY_OUTCOMES for c in a.decision.children.all()) for a in actions}
    statutory = [a for a in actions if referring[a.pk]]
    assert statutory
    assert all(a.allocated_worker is not None for a in statutory)
    assert not any(a.allocated_worker for a in actions if not referring[a.pk])
    worker = statutory[0].allocated_worker
    assert worker is not None
    assert worker.memberships.get().team.name == "Assessment team 1"
    assert Contact.objects.visible_to(worker).filter(pk=statutory[0].contact_id).exists()


def test_every_demo_account_has_an_authenticator_app_and_recovery_codes(demo: str) -> None:
    users = User.objects.filter(username__startswith="demo.")
    assert users.exists()
    for user in users:
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1, user
        assert StaticToken.objects.filter(device__user=user).count() == RECOVERY_CODES, user
    assert AuditEvent.objects.filter(verb=Verb.MFA_ENROLLED, system_process="load-demo").count() == users.count()


def test_letters_are_written_sent_posted_and_withheld_with_a_reason(demo: str) -> None:
    from safehub.letters.models import FamilyLetterDecision, LetterKind, Message
    from safehub.letters.workflow import MessageState

    kinds = set(Message.objects.values_list("kind", flat=True))
    # The demo's MASH checks ask no GP practice, so no practice is told an outcome (Sefton 003 §2.6).
    assert kinds == {kind.value for kind in LetterKind} - {LetterKind.GP_OUTCOME}
    states = set(Message.objects.values_list("state", flat=True))
    assert {MessageState.ACCEPTED, MessageState.TO_PRINT, MessageState.POSTED} <= states
    assert FamilyLetterDecision.objects.filter(withhold=True).exclude(reason="").exists()
    for message in Message.objects.all():
        assert "((" not in message.body
        assert message.disclosure_id is not None


def _counts_something(tile: Tile) -> bool:
    """Some figure of the tile is more than nothing: a count, or a rate with something to count."""
    for figure in tile.figures:
        for row in figure.table.rows:
            for cell in row.cells:
                if isinstance(cell, Rate) and cell.part > 0:
                    return True
                if isinstance(cell, int | float) and not isinstance(cell, bool) and cell > 0:
                    return True
    return False


def test_the_year_gives_every_dashboard_tile_figures(demo: str) -> None:
    assert "A year of closed work before the weeks walked below" in demo
    today = LOADED_AT.date()
    year = Period(PeriodKind.RANGE, today - dt.timedelta(days=364), today)

    tiles = dashboard_figures(year, Filters(), at=LOADED_AT)

    assert {tile.slug for tile in tiles} == {measure.slug for measure in measures()}
    assert [tile.slug for tile in tiles if not _counts_something(tile)] == []
    assert CaseAssessment.objects.filter(authorised_on__isnull=False).exists()  # from the casework import
    assert AuditEvent.objects.filter(verb=Verb.CASEWORK_IMPORTED).count() > 10


# The returns run the DfE's rules and Ofsted's cleaner, each in its own environment (a few seconds a run).
@pytest.mark.parametrize("year", ["2026", "2027"])
def test_the_census_of_the_demos_years_passes_the_dfes_rules(demo: str, year: str) -> None:
    built = build_census(year)

    assert built.errors == [], [(issue.rule, issue.message, issue.children[:5]) for issue in built.errors]
    assert built.rows > 50


def test_annex_a_of_the_demo_passes_the_cleaner(demo: str) -> None:
    built = build_annex_a(LOADED_AT.date().isoformat())

    assert built.errors == [], [(issue.rule, issue.message, issue.children[:5]) for issue in built.errors]
    assert built.rows > 100
