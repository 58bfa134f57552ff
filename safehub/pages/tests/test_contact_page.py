"""The contact page is the panels of every app, in order, fetched in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime
from typing import Any

import pytest
from django.db.models import Prefetch
from django.test import Client

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.casework.models import Assessment, CinPlan, Episode, ProtectionPlan, Section47
from safehub.casework.services import follow_front_door
from safehub.casework.tests.test_follow_front_door import link_children
from safehub.checks import services
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.contacts import amendments, known
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactFactory
from safehub.core.presenters import Action, Panel
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.pages.presenters import PANELS, contact_page, page_lookups
from safehub.protocols.models import Brag
from safehub.screening.models import KnownStatus, Screening, ScreeningRoute

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)

HEADINGS = [
    "Children and adults",
    "The concern",
    "Referrer",
    "Information added since the contact",
    "Basic screening",
    "MASH checks",
    "Recommendations and decisions",
    "Outcome actioned",
    "Sent to",
    "Letters and messages",
    "Onward referrals",
    "After the referral",
    "Added after the decision",
    "Timeline",
]


def _through_to_the_outcome(
    team: Any, *, agencies: list[Agency], manager: User, second_manager: User, social_worker: User, at: datetime
) -> Contact:
    """Screened, checked (one agency answering after the decision), recommended, approved, actioned."""
    contact: Contact = ContactAwaitingThresholdFactory(team=team)
    Screening.objects.create(
        contact=contact,
        known_status=KnownStatus.values[0],
        route=ScreeningRoute.values[0],
        screened_by=social_worker,
        screened_at=at - HOUR,
    )
    amendments.add_information(contact, "Dad is back", source="School", by=social_worker, at=at, version=0)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=agencies, at=at)
    services.submit_for_decision(
        checks, analysis="Enough", outstanding_reason="Decide now", by=social_worker, at=at + HOUR, version=0
    )
    contact = recommend_and_approve(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=social_worker,
        approved_by=second_manager,
        at=at + 2 * HOUR,
    )
    contact.refresh_from_db()
    decisions.action_outcome(
        contact,
        sent_to="Assessment team north",
        referrer_informed_at=at + 3 * HOUR,
        referrer_informed_by="phone",
        notes="",
        by=manager,
        at=at + 3 * HOUR,
        version=contact.version,
        allocated_worker=social_worker,
    )
    contact.refresh_from_db()
    mia = contact.subjects.get()
    fields = {**known.known_subject_values(mia), "given_name": "Mya"}
    amendments.correct_person(
        contact, mia, fields, reason="Spelling", by=social_worker, at=at + 3 * HOUR, version=contact.version
    )
    desk = user_with_role(Role.PARTNER_PROFESSIONAL, team=TeamFactory(name="desk", agency=agencies[0]), username="desk")
    submit_answer(checks.requests.get(agency=agencies[0]), by=desk, at=at + 4 * HOUR, information="Known")
    # What the case system did since: an assessment, an enquiry, both kinds of plan (issue 16).
    link_children(contact)
    follow_front_door()
    episode = Episode.objects.get(referral_links__referral__contact=contact)
    day = at.date()
    Assessment.objects.create(episode=episode, started_on=day, authorised_on=day + dt.timedelta(days=30))
    Section47.objects.create(episode=episode, started_on=day, conference_on=day + dt.timedelta(days=12))
    CinPlan.objects.create(episode=episode, started_on=day + dt.timedelta(days=31))
    ProtectionPlan.objects.create(
        episode=episode, started_on=day + dt.timedelta(days=12), initial_category="NEG", latest_category="NEG"
    )
    return contact


@pytest.fixture
def full_contact(mash_team: Any, manager: User, second_manager: User, social_worker: User, now: dt.datetime) -> Contact:
    agencies = [PartnerAgencyFactory(name=f"Example Police {n}", kind=AgencyKind.POLICE) for n in range(3)]
    return _through_to_the_outcome(
        mash_team,
        agencies=agencies,
        manager=manager,
        second_manager=second_manager,
        social_worker=social_worker,
        at=now,
    )


def test_every_panel_shows_in_order(full_contact: Contact, social_worker_client: Client) -> None:
    page = social_worker_client.get(full_contact.get_absolute_url()).content.decode()
    assert re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', page) == HEADINGS
    assert "Example Police 0 answered on" in page
    assert "It was sent to the allocated social worker" in page
    # After the referral: the child's episode and what the case system did in it, in date order.
    assert "Episode of need from 24 November 2026: open" in page
    since = page[page.index("After the referral") :]
    steps = ["Assessment started", "Section 47 enquiry from", "Child protection plan (neglect)", "Child in need plan"]
    assert sorted(steps, key=since.index) == steps


def test_a_contact_with_nothing_yet_shows_only_its_details_and_history(
    mash_team: Any, social_worker_client: Client, now: dt.datetime
) -> None:
    contact = ContactFactory(team=mash_team)
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', page) == [
        "Children and adults",
        "The concern",
        "Referrer",
        "Letters and messages",  # a professional's contact: when its acknowledgement is due (issue 15)
        "Timeline",
    ]


def test_the_page_takes_a_fixed_number_of_queries_however_much_it_shows(
    full_contact: Contact, social_worker_client: Client, django_assert_num_queries: Any
) -> None:
    # Session, and the user with their roles and teams (2); the contact with its one-to-one rows
    # joined in: screening, who late answers go to, the outcome, and the people they name (1);
    # subjects, MASH checks, their requests, the agencies' answers, recommendations, decisions, each
    # one's children (per-child outcomes), where each child went, hand-offs, state changes,
    # amendments, asks for MASH checks, strategy discussions and the daily meetings that discussed it,
    # each with its people joined in (15);
    # consent's answers, competence assessments and requests to share without consent (3), and the
    # protocol's consent ages, for the panel and for its buttons (2);
    # the agreements the agencies gave to share their answers despite its conditions, and the
    # contact's rows of the sharing ledger (2); its letters and messages, and the decisions about
    # writing to the family (2); its referral packs (1); its referrals with their episodes, and the
    # episodes' assessments, enquiries, child in need and child protection plans (5); the protocol's
    # time to tell the referrer and its closure days (2);
    # the protocol's telephone prompts for outstanding requests (1); information requests about its
    # people, now that its child is in the person index (1); the recorded read (5); the
    # session saved (3). A prefetch lookup per related table would take about twice as many.
    with django_assert_num_queries(45):
        response = social_worker_client.get(full_contact.get_absolute_url())
    assert response.status_code == 200


def test_each_view_of_the_page_is_one_audited_read(full_contact: Contact, social_worker_client: Client) -> None:
    before = AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED).count()
    social_worker_client.get(full_contact.get_absolute_url())
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED).count() == before + 1
    event = AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED).latest("seq")
    assert event.contact_id == full_contact.pk
    assert event.data["page"] == "contact"


def test_lookups_with_their_own_queryset_come_first_and_each_lookup_once() -> None:
    lookups = page_lookups(PANELS)
    prefetches = [lookup for lookup in lookups if isinstance(lookup, Prefetch)]
    assert lookups[: len(prefetches)] == prefetches
    assert len({p.prefetch_to for p in prefetches}) == len(prefetches)
    plain = lookups[len(prefetches) :]
    assert len(set(plain)) == len(plain)
    assert "recommendations" in plain


class _NotesPanel(Panel):
    """A capability that arrives later: its panel is added to the list, nothing else changes."""

    template_name = "notes/_contact_panel.html"
    lookups: tuple[str, ...] = ("state_changes",)

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        return {"changes": len(contact.state_changes.all())}

    def actions(self, contact: Contact, *, user: User) -> list[Action]:
        return [Action("Add a note", f"/notes/{contact.pk}/")]


def test_a_new_panel_is_presented_where_it_is_listed(
    full_contact: Contact, social_worker: User, now: dt.datetime
) -> None:
    panels = (*PANELS[:-1], _NotesPanel(), PANELS[-1])
    page = contact_page(social_worker, full_contact, at=now, panels=panels)
    assert [shown.template_name for shown in page.panels] == [
        "contacts/_details_panel.html",
        "screening/_contact_panel.html",
        "consent/_contact_panel.html",
        "checks/_contact_panel.html",
        "decisions/_contact_panel.html",
        "handoffs/_contact_panel.html",
        "letters/_contact_panel.html",
        "onward/_contact_panel.html",
        "casework/_contact_panel.html",
        "sharing/_contact_panel.html",
        "contacts/_addenda_panel.html",
        "notes/_contact_panel.html",
        "contacts/_history_panel.html",
    ]
    assert page.panels[11].context == {"changes": full_contact.state_changes.count()}
    assert Action("Add a note", f"/notes/{full_contact.pk}/") in page.actions  # its button too
    assert page.rating is not None
    assert page.rating.text == Brag.AMBER.label
