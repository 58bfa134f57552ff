"""Every page and export that shows a child's record records exactly one read of it; a refusal
records who tried which record; a POST and its redirect are one read. A new page with a record id
in its address must be listed here (or said not to show a child's record), so it cannot skip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safehub.accounts.models import AgencyKind, Role, Team, User
from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
from safehub.audit.models import AuditEvent, Verb
from safehub.checks import services as checks_services
from safehub.checks.models import AgencyRequest, MashChecks
from safehub.consent import services as consent_services
from safehub.consultations.models import Consultation, ConsultationKind
from safehub.contacts.models import Channel, ConsentPosition, Contact, ReferralSource
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory, ContactFactory
from safehub.contacts.workflow import ContactState
from safehub.decisions.models import Outcome
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.domestic_abuse.services import record_notification
from safehub.domestic_abuse.tests.test_notifications import details as notification_details
from safehub.domestic_abuse.tests.test_notifications import notification_contact
from safehub.information_requests import services as information_requests
from safehub.information_requests.rules import Details
from safehub.letters import services as letters
from safehub.letters.models import LetterKind
from safehub.letters.tests.helpers import actioned_contact
from safehub.matching.index import index_people
from safehub.matching.models import DuplicatePair
from safehub.meetings.services import open_meeting
from safehub.mfa.testing import sign_in_both_steps
from safehub.onward import services as onward
from safehub.onward.models import ReceivingTeam
from safehub.people.models import Person
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from safehub.protocols.models import Brag, LocalProtocol
from safehub.strategy.tests.helpers import approved_for_strategy, arrange_for

pytestmark = pytest.mark.django_db

READ_VERBS = (
    Verb.CONTACT_VIEWED,
    Verb.PERSON_VIEWED,
    Verb.CONSULTATION_VIEWED,
    Verb.STRATEGY_DISCUSSION_VIEWED,
    Verb.DAILY_MEETING_VIEWED,
    Verb.TRIAGE_VIEWED,
    Verb.INFORMATION_REQUEST_VIEWED,
    Verb.MESSAGE_VIEWED,
    Verb.REFERRAL_PACK_VIEWED,
)


@dataclass(frozen=True)
class Shown:
    """A page as one user opens it, and the records it must record a read of."""

    user: User
    url: str
    contacts: tuple[int, ...] = ()
    people: tuple[int, ...] = ()
    consultations: tuple[int, ...] = ()
    discussions_of: tuple[int, ...] = ()  # strategy discussions, by their contact's id
    meeting_reads: tuple[int, ...] = ()  # a daily meeting (0) and each contact on its agenda, by id
    meeting_verb: Verb = Verb.DAILY_MEETING_VIEWED  # a triage's reads are the triage's
    requests_about: tuple[int, ...] = ()  # information requests, by the person they are about
    messages_on: tuple[int, ...] = ()  # letters and messages, by their contact's id
    packs_on: tuple[int, ...] = ()  # referral packs, by their contact's id


@dataclass
class Hub:
    team: Team
    manager: User
    social_worker: User
    contact_officer: User
    senior_practitioner: User
    at: dt.datetime

    def checks(self, *kinds: AgencyKind) -> MashChecks:
        agencies = [PartnerAgencyFactory(name=f"Example {kind.label}", kind=kind) for kind in kinds]
        contact = ContactAwaitingThresholdFactory(team=self.team)
        start = checks_services.StartChecks(
            "Unclear risk", Brag.AMBER, self.social_worker, agencies, "Known?", checks_services.DEFAULT_BASES
        )
        return checks_services.start_checks(contact, start, by=self.manager, at=self.at, version=contact.version)

    def partner_of(self, request: AgencyRequest, kind: AgencyKind = AgencyKind.POLICE) -> User:
        agency = request.agency if kind == request.agency.kind else PartnerAgencyFactory(kind=kind)
        desk = TeamFactory(name=f"{agency.name} desk", agency=agency)
        return user_with_role(Role.PARTNER_PROFESSIONAL, team=desk, username=f"partner.{agency.pk}")


def _contact_page(url_name: str, state: ContactState, role: str) -> Callable[[Hub], Shown]:
    def make(hub: Hub) -> Shown:
        contact = ContactFactory(team=hub.team, state=state)
        return Shown(getattr(hub, role), reverse(url_name, args=[contact.pk]), contacts=(contact.pk,))

    return make


def _letters_page(url_name: str, *args: str, role: str = "social_worker", **fields: object) -> Callable[[Hub], Shown]:
    """A page about the letters of a contact whose outcome was approved and actioned."""

    def make(hub: Hub) -> Shown:
        contact = actioned_contact(hub.team, social_worker=hub.social_worker, manager=hub.manager, at=hub.at, **fields)
        return Shown(getattr(hub, role), reverse(url_name, args=[contact.pk, *args]), contacts=(contact.pk,))

    return make


def _tell_school_page(hub: Hub) -> Shown:
    contact = notification_contact(hub.team, hub.at - dt.timedelta(hours=1))
    record_notification(contact, notification_details(contact), by=hub.contact_officer, at=hub.at, version=None)
    url = reverse("letters:tell-school", args=[contact.pk, contact.subjects.get(given_name="Mia").pk])
    return Shown(hub.contact_officer, url, contacts=(contact.pk,))


def _pack_page(url_name: str) -> Callable[[Hub], Shown]:
    """A referral pack: read through its contact's door by the hub's staff, one read of the pack."""

    def make(hub: Hub) -> Shown:
        contact = actioned_contact(hub.team, social_worker=hub.social_worker, manager=hub.manager, at=hub.at)
        receiving = ReceivingTeam.objects.create(
            name="Assessment Team 2", outcomes=["section_17_assessment"], email="assessment@example.gov.uk"
        )
        pack = onward.send_pack(
            contact,
            outcome=Outcome.SECTION_17_ASSESSMENT,
            team=receiving,
            by=hub.social_worker,
            at=hub.at,
            submission_key=None,
        )
        return Shown(hub.manager, reverse(url_name, args=[pack.pk]), packs_on=(contact.pk,))

    return make


def _record_call_page(hub: Hub) -> Shown:
    """A GP practice with no secure address, asked for checks: the page to record it was telephoned."""
    checks = hub.checks(AgencyKind.GP_PRACTICE)
    url = reverse("letters:record-call", args=[checks.contact_id, checks.requests.get().agency_id])
    return Shown(hub.contact_officer, url, contacts=(checks.contact_id,))


def _message_page(url_name: str) -> Callable[[Hub], Shown]:
    """A letter to the family: read through its contact's door, one read of the message."""

    def make(hub: Hub) -> Shown:
        contact = actioned_contact(hub.team, social_worker=hub.social_worker, manager=hub.manager, at=hub.at)
        made = letters.draft(contact, kind=LetterKind.FAMILY, by=hub.social_worker, at=hub.at)
        message = letters.send(
            contact,
            kind=LetterKind.FAMILY,
            template_version=made.template_version,
            channel=made.channel,
            recipient_name=made.recipient_name,
            email="",
            postal_address=made.postal_address,
            subject=made.subject,
            body=made.body,
            by=hub.social_worker,
            at=hub.at,
        )
        return Shown(hub.contact_officer, reverse(url_name, args=[message.pk]), messages_on=(contact.pk,))

    return make


def _checks_page(hub: Hub) -> Shown:
    checks = hub.checks(AgencyKind.POLICE)
    return Shown(hub.social_worker, reverse("checks:checks", args=[checks.pk]), contacts=(checks.contact_id,))


def _withdraw_page(hub: Hub) -> Shown:
    checks = hub.checks(AgencyKind.POLICE)
    url = reverse("checks:withdraw", args=[checks.pk, checks.requests.get().pk])
    return Shown(hub.manager, url, contacts=(checks.contact_id,))


def _ask_another_agency_page(hub: Hub) -> Shown:
    checks = hub.checks(AgencyKind.POLICE)
    url = reverse("checks:ask-another-agency", args=[checks.pk])
    return Shown(hub.manager, url, contacts=(checks.contact_id,))


def _agency_request_page(hub: Hub) -> Shown:
    request = hub.checks(AgencyKind.POLICE).requests.get()
    url = reverse("checks:request", args=[request.pk])
    return Shown(hub.partner_of(request), url, contacts=(request.checks.contact_id,))


def _gp_form(hub: Hub) -> Shown:
    request = hub.checks(AgencyKind.GP_PRACTICE).requests.get()
    url = reverse("checks:gp-form", args=[request.pk])
    return Shown(hub.partner_of(request, AgencyKind.HEALTH), url, contacts=(request.checks.contact_id,))


def _referral_outcome_page(hub: Hub) -> Shown:
    """A contact the police referred, its outcome approved, as the police read it."""
    police = PartnerAgencyFactory(name="Example Constabulary", kind=AgencyKind.POLICE)
    desk = TeamFactory(name="Referrals desk", agency=police)
    officer = user_with_role(Role.PARTNER_PROFESSIONAL, team=desk, username="police.referrals")
    contact = ContactAwaitingThresholdFactory(
        team=hub.team, source=ReferralSource.POLICE, referrer_agency="Example Constabulary"
    )
    recommend_and_approve(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=hub.social_worker,
        approved_by=hub.manager,
        at=hub.at,
    )
    return Shown(officer, reverse("partner_outcomes:referral", args=[contact.pk]), contacts=(contact.pk,))


def _information_request_page(hub: Hub) -> Shown:
    person = PersonFactory()
    taken = information_requests.take_request(
        Details(
            level=1,
            requester_name="Ann Teacher",
            requester_role="Designated safeguarding lead",
            requester_organisation="Example Primary School",
            requester_email="ann.teacher@example-primary.sch.uk",
            child_name="Mia Harlow",
            reason="Mia told her teacher she is scared to go home",
            identity_checked="She emailed me from her school address during the call",
        ),
        agency=None,
        person=person,
        by=hub.contact_officer,
        at=hub.at,
    )
    url = reverse("information_requests:request", args=[taken.pk])
    return Shown(hub.contact_officer, url, requests_about=(person.pk,))


def _correct_person_page(hub: Hub) -> Shown:
    contact = ContactFactory(team=hub.team, state=ContactState.AWAITING_THRESHOLD)
    url = reverse("contacts:amend-person", args=[contact.pk, contact.subjects.get().pk])
    return Shown(hub.social_worker, url, contacts=(contact.pk,))


def _consultation_page(hub: Hub) -> Shown:
    consultation = Consultation.objects.create(
        kind=ConsultationKind.NAMED,
        team=hub.team,
        received_at=hub.at,
        consultee_name="A teacher",
        child_family_name="Harlow",
        question="Should I refer?",
        advice="Yes",
        recorded_by=hub.social_worker,
    )
    url = reverse("consultations:consultation", args=[consultation.pk])
    return Shown(hub.social_worker, url, consultations=(consultation.pk,))


def _summary_page(hub: Hub) -> Shown:
    shown = _consultation_page(hub)
    return Shown(
        hub.social_worker, reverse("letters:write-summary", args=shown.consultations), consultations=shown.consultations
    )


def _person_page(url_name: str, role: str) -> Callable[[Hub], Shown]:
    def make(hub: Hub) -> Shown:
        person: Person = PersonFactory()
        return Shown(getattr(hub, role), reverse(url_name, args=[person.pk]), people=(person.pk,))

    return make


def _end_involvement_page(hub: Hub) -> Shown:
    involvement = InvolvementFactory()
    url = reverse("people:end-involvement", args=[involvement.person_id, involvement.pk])
    return Shown(hub.contact_officer, url, people=(involvement.person_id,))


def _strategy_discussion_page(hub: Hub) -> Shown:
    discussion = approved_for_strategy(hub.team, social_worker=hub.social_worker, manager=hub.manager, at=hub.at)
    assert discussion.contact_id is not None
    url = reverse("strategy:discussion", args=[discussion.pk])
    return Shown(hub.social_worker, url, discussions_of=(discussion.contact_id,))


def _strategy_record_page(hub: Hub) -> Shown:
    discussion = approved_for_strategy(hub.team, social_worker=hub.social_worker, manager=hub.manager, at=hub.at)
    arrange_for(discussion, by=hub.manager, chair=hub.manager, at=hub.at)
    assert discussion.contact_id is not None
    return Shown(hub.manager, reverse("strategy:record", args=[discussion.pk]), discussions_of=(discussion.contact_id,))


def _daily_meeting_page(hub: Hub) -> Shown:
    contact = ContactFactory(team=hub.team, initial_rating="red")
    meeting = open_meeting(hub.team, by=hub.manager, at=hub.at)
    # The meeting itself, then the contact its agenda shows.
    return Shown(hub.social_worker, reverse("meetings:meeting", args=[meeting.pk]), meeting_reads=(0, contact.pk))


def _triage_page(hub: Hub) -> Shown:
    LocalProtocol.objects.filter(is_active=True).update(
        triage_days=[0, 1, 2, 3, 4, 5, 6], triage_time=dt.time(10, 0), triage_members=["police"]
    )
    contact = ContactFactory(
        team=hub.team,
        received_at=hub.at - dt.timedelta(hours=1),
        channel=Channel.POLICE_NOTIFICATION,
        concern_categories=["domestic_abuse"],
    )
    triage = open_meeting(hub.team, by=hub.manager, at=hub.at, kind="triage")
    url = reverse("meetings:triage-meeting", args=[triage.pk])
    return Shown(hub.social_worker, url, meeting_reads=(0, contact.pk), meeting_verb=Verb.TRIAGE_VIEWED)


def _domestic_abuse_page(hub: Hub) -> Shown:
    contact = ContactFactory(team=hub.team, channel=Channel.POLICE_NOTIFICATION, concern_categories=["domestic_abuse"])
    return Shown(hub.contact_officer, reverse("domestic_abuse:record", args=[contact.pk]), contacts=(contact.pk,))


def _override_page(hub: Hub) -> Shown:
    contact = ContactFactory(team=hub.team, state=ContactState.AWAITING_THRESHOLD, consent=ConsentPosition.REFUSED)
    asked = consent_services.ask_override(
        contact,
        "mash_checks",
        "The family refused, and the bruising needs partners' information today.",
        by=hub.social_worker,
        at=hub.at,
    )
    return Shown(hub.manager, reverse("consent:override", args=[asked.pk]), contacts=(contact.pk,))


def _pair_page(hub: Hub) -> Shown:
    left, right = sorted([PersonFactory(), PersonFactory()], key=lambda p: p.pk)
    pair = DuplicatePair.objects.create(left=left, right=right, probability=0.8, found_at=hub.at)
    return Shown(hub.manager, reverse("matching:pair", args=[pair.pk]), people=(left.pk, right.pk))


# Every page or export that shows a child's record, by URL name.
PAGES: dict[str, Callable[[Hub], Shown]] = {
    "contacts:contact": _contact_page("contacts:contact", ContactState.RECEIVED, "social_worker"),
    "contacts:contact-pack": _contact_page("contacts:contact-pack", ContactState.AWAITING_THRESHOLD, "social_worker"),
    "contacts:restrict": _contact_page("contacts:restrict", ContactState.RECEIVED, "manager"),
    "contacts:allocate": _contact_page("contacts:allocate", ContactState.SCREENING, "manager"),
    **{
        f"contacts:{name}": _contact_page(f"contacts:{name}", ContactState.AWAITING_THRESHOLD, "social_worker")
        for name in ("amend", "amend-add-person", "amend-remove-person", "amend-details")
    },
    "contacts:amend-information": _contact_page("contacts:amend-information", ContactState.APPROVED, "contact_officer"),
    "contacts:amend-person": _correct_person_page,
    "screening:screen-contact": _contact_page("screening:screen-contact", ContactState.SCREENING, "contact_officer"),
    "screening:identify-people": _contact_page(
        "screening:identify-people", ContactState.AWAITING_THRESHOLD, "social_worker"
    ),
    "decisions:recommend": _contact_page("decisions:recommend", ContactState.AWAITING_THRESHOLD, "social_worker"),
    "decisions:approve": _contact_page("decisions:approve", ContactState.AWAITING_APPROVAL, "manager"),
    "decisions:action-outcome": _contact_page("decisions:action-outcome", ContactState.APPROVED, "contact_officer"),
    "checks:start": _contact_page("checks:start", ContactState.AWAITING_THRESHOLD, "manager"),
    "checks:checks": _checks_page,
    "checks:withdraw": _withdraw_page,
    "checks:ask-another-agency": _ask_another_agency_page,
    "checks:request": _agency_request_page,
    "checks:gp-form": _gp_form,
    "partner_outcomes:referral": _referral_outcome_page,
    "consultations:consultation": _consultation_page,
    "letters:write-summary": _summary_page,
    "people:person": _person_page("people:person", "social_worker"),
    "people:add-involvement": _person_page("people:add-involvement", "contact_officer"),
    "people:record-warnings": _person_page("people:record-warnings", "contact_officer"),
    "people:end-involvement": _end_involvement_page,
    "matching:pair": _pair_page,
    "strategy:discussion": _strategy_discussion_page,
    "strategy:record": _strategy_record_page,
    "meetings:meeting": _daily_meeting_page,
    "domestic_abuse:record": _domestic_abuse_page,
    "meetings:triage-meeting": _triage_page,
    "strategy:start-now": _contact_page("strategy:start-now", ContactState.RECEIVED, "manager"),
    "strategy:start-for-person": _person_page("strategy:start-for-person", "manager"),
    "consent:answer": _contact_page("consent:answer", ContactState.SCREENING, "contact_officer"),
    "consent:competence": _contact_page("consent:competence", ContactState.SCREENING, "social_worker"),
    "consent:ask": _contact_page("consent:ask", ContactState.AWAITING_THRESHOLD, "social_worker"),
    "consent:override": _override_page,
    "consent:pause": _contact_page("consent:pause", ContactState.AWAITING_THRESHOLD, "social_worker"),
    "consent:resume": _contact_page("consent:resume", ContactState.AWAITING_CONSENT, "social_worker"),
    "information_requests:request": _information_request_page,
    "letters:write": _letters_page("letters:write", "outcome"),
    "letters:not-to-write": _letters_page("letters:not-to-write"),
    "letters:lift": _letters_page(
        "letters:lift",
        role="manager",
        consent=ConsentPosition.NOT_INFORMED_SAFEGUARDING,
        parents_aware="no",
        parents_agree="no",
        not_told={"increased_risk": "Father reads the family's post"},
    ),
    "letters:tell-school": _tell_school_page,
    "letters:record-call": _record_call_page,
    "letters:message": _message_page("letters:message"),
    "letters:message-pdf": _message_page("letters:message-pdf"),
    "onward:send": _letters_page("onward:send", "section_17_assessment"),
    "onward:pack": _pack_page("onward:pack"),
    "onward:pdf": _pack_page("onward:pdf"),
    "sharing:decline": _contact_page("sharing:decline", ContactState.AWAITING_THRESHOLD, "social_worker"),
}

# Addresses with a record id that show no child's record (or only act and redirect).
NOT_A_CHILDS_RECORD = {
    "consultations:send-summary": "POST only: records the summary as sent and redirects",
    "matching:undo-merge": "POST only: undoes a merge and redirects",
    "handoffs:mark-received": "POST only: marks a hand-off received and redirects to the contact",
    "protocols:protocol": "a local protocol",
    "protocols:activate": "POST only: a local protocol",
    "users:user": "a staff member's account (administrators only; changes audited)",
    "users:change-user": "POST only: changes a staff member's account, audited, and redirects",
    "users:agency": "an agency and its teams",
    "users:rename-team": "a team's name",
    "strategy:arrange": "POST only: arranges a strategy discussion and redirects",
    "strategy:exception": "POST only: moves a strategy discussion's due time and redirects",
    "strategy:cancel": "POST only: cancels a strategy discussion and redirects",
    "strategy:send-record": "POST only: sends a strategy discussion's record and redirects",
    "strategy:add-action": "POST only: adds an action to a strategy discussion and redirects",
    "strategy:close-action": "POST only: closes a strategy discussion's action and redirects",
    "strategy:conference": "POST only: records the conference date and redirects",
    "meetings:attendance": "POST only: records who attended and redirects",
    "meetings:decide": "POST only: records an agenda item's decision and redirects",
    "meetings:close": "POST only: closes the meeting and redirects",
    "domestic_abuse:question": "a question of the DASH checklist (administrators only)",
    "consent:decide": "POST only: decides a request to share without consent and redirects",
    "consent:withdraw": "POST only: withdraws a request to share without consent and redirects",
    "checks:agree": "POST only: the answering agency agrees to a route for its answer, and redirects",
    "strategy:agree-contribution": "POST only: an invited agency agrees to pass on its contribution, and redirects",
    "information_requests:approve": "POST only: approves an information request's answer and redirects",
    "letters:message-action": "POST only: records a letter posted, a message sent again or told another way",
    "letters:template": "a letter template: the hub's words, with no child's record in them",
    "letters:school": "a school in the register and its designated safeguarding lead",
    "onward:accept": "POST only: the receiving team accepts a referral pack, and redirects",
    "onward:return": "POST only: the receiving team returns a referral pack, and redirects (its page again on a refusal)",
    "onward:team": "a team in the register of those that receive referrals",
    "returns:check": "a statutory return's check: the validators' rules and children's IDs, no record of a child",
    "returns:download": "a statutory return's file: recorded as a disclosure of every child in it (sharing ledger)",
}


@pytest.fixture
def hub(
    mash_team: Team,
    manager: User,
    social_worker: User,
    contact_officer: User,
    senior_practitioner: User,
    now: dt.datetime,
) -> Hub:
    return Hub(mash_team, manager, social_worker, contact_officer, senior_practitioner, now)


def _client(user: User) -> Client:
    client = Client()
    sign_in_both_steps(client, user)
    return client


def _reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb__in=READ_VERBS).order_by("seq"))


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_every_page_that_shows_a_childs_record_records_exactly_one_read_of_it(url_name: str, hub: Hub) -> None:
    shown = PAGES[url_name](hub)
    before = AuditEvent.objects.filter(verb__in=READ_VERBS).count()
    response = _client(shown.user).get(shown.url)
    assert response.status_code == 200, url_name
    reads = _reads()[before:]
    recorded = sorted(
        (event.verb, event.contact_id or event.person_id or 0)
        for event in reads
        if event.by_id == shown.user.pk and event.verb != Verb.CONSULTATION_VIEWED
    )
    expected = sorted(
        [(Verb.CONTACT_VIEWED.value, pk) for pk in shown.contacts]
        + [(Verb.PERSON_VIEWED.value, pk) for pk in shown.people]
        + [(Verb.STRATEGY_DISCUSSION_VIEWED.value, pk) for pk in shown.discussions_of]
        + [(shown.meeting_verb.value, pk) for pk in shown.meeting_reads]
        + [(Verb.INFORMATION_REQUEST_VIEWED.value, pk) for pk in shown.requests_about]
        + [(Verb.MESSAGE_VIEWED.value, pk) for pk in shown.messages_on]
        + [(Verb.REFERRAL_PACK_VIEWED.value, pk) for pk in shown.packs_on]
    )
    assert recorded == expected, url_name
    shown_records = (
        len(shown.contacts)
        + len(shown.people)
        + len(shown.consultations)
        + len(shown.discussions_of)
        + len(shown.meeting_reads)
        + len(shown.requests_about)
        + len(shown.messages_on)
        + len(shown.packs_on)
    )
    assert len(reads) == shown_records, url_name


def _named_routes(
    patterns: list[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def test_every_address_with_a_record_id_is_listed_as_audited_or_not_a_childs_record() -> None:
    with_ids = {
        name
        for name, route in _named_routes(get_resolver().url_patterns)
        if "<int:" in route and not name.startswith("admin:")
    }
    unlisted = with_ids - set(PAGES) - set(NOT_A_CHILDS_RECORD)
    assert not unlisted, f"add these pages to PAGES (with the read they record) or NOT_A_CHILDS_RECORD: {unlisted}"
    assert not (set(PAGES) | set(NOT_A_CHILDS_RECORD)) - with_ids  # nothing listed that no longer exists


# Search results list names of many records: each search is one event saying how many it found,
# never one read per row; opening a result records its read.
SEARCHES = [
    ("contacts:find-contact", {"q": "Harlow"}, Verb.CONTACTS_SEARCHED),
    ("people:search", {"family_name": "Harlow"}, Verb.PERSON_SEARCHED),
]


@pytest.mark.parametrize(("url_name", "query", "verb"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_a_search_records_one_search_and_no_read_of_the_records_it_lists(
    url_name: str, query: dict[str, str], verb: Verb, hub: Hub
) -> None:
    for _ in range(3):
        ContactFactory(team=hub.team)  # each names Mia Harlow
    harlows = [PersonFactory(family_name="Harlow") for _ in range(3)]
    index_people([person.pk for person in harlows])
    response = _client(hub.social_worker).post(reverse(url_name), query, follow=True)
    assert response.status_code == 200
    assert "3 " in response.content.decode()
    event = AuditEvent.objects.get(verb=verb)
    assert (event.by, event.data["results"]) == (hub.social_worker, 3)
    assert not AuditEvent.objects.filter(verb__in=READ_VERBS).exists()


def test_another_teams_contact_answers_404_and_records_who_tried(hub: Hub, other_team_social_worker: User) -> None:
    contact: Contact = ContactFactory(team=hub.team)
    response = _client(other_team_social_worker).get(reverse("screening:screen-contact", args=[contact.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb__in=READ_VERBS).exists()
    refusal = AuditEvent.objects.get(verb=Verb.READ_REFUSED)
    assert refusal.by == other_team_social_worker
    assert refusal.contact_id == contact.pk
    assert refusal.data == {"page": "screening", "record": "contact", "id": contact.pk, "status": 404}


def test_a_record_that_does_not_exist_is_refused_by_its_id(hub: Hub) -> None:
    missing = (Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 100
    assert _client(hub.social_worker).get(reverse("contacts:contact", args=[missing])).status_code == 404
    refusal = AuditEvent.objects.get(verb=Verb.READ_REFUSED)
    assert refusal.contact_id is None
    assert refusal.data["id"] == missing


def test_a_page_the_role_may_never_open_answers_403_and_the_refusal_is_recorded(hub: Hub) -> None:
    contact: Contact = ContactFactory(team=hub.team, state=ContactState.AWAITING_APPROVAL)
    assert _client(hub.social_worker).get(reverse("decisions:approve", args=[contact.pk])).status_code == 403
    assert not AuditEvent.objects.filter(verb__in=READ_VERBS).exists()
    refusal = AuditEvent.objects.get(verb=Verb.READ_REFUSED)
    assert (refusal.by, refusal.contact_id, refusal.data["status"]) == (hub.social_worker, contact.pk, 403)


def test_a_partner_probing_a_contact_is_refused_and_recorded(hub: Hub, police_partner: User) -> None:
    contact: Contact = ContactFactory(team=hub.team)
    assert _client(police_partner).get(contact.get_absolute_url()).status_code == 404
    assert AuditEvent.objects.get(verb=Verb.READ_REFUSED).by == police_partner


def test_a_page_that_sends_the_user_elsewhere_records_no_read(hub: Hub) -> None:
    contact: Contact = ContactFactory(team=hub.team, state=ContactState.SCREENING)
    response = _client(hub.social_worker).get(reverse("decisions:recommend", args=[contact.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb__in=(*READ_VERBS, Verb.READ_REFUSED)).exists()


def test_a_partners_answer_and_the_page_it_returns_to_are_one_read(hub: Hub) -> None:
    request = hub.checks(AgencyKind.POLICE).requests.get()
    partner = hub.partner_of(request)
    client = _client(partner)
    url = reverse("checks:request", args=[request.pk])
    form = {"version": request.version, "information": "Known to police", "analysis": "Risk", "action": "save"}
    response = client.post(url, form, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_RESPONSE_SAVED, by=partner).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_VIEWED, by=partner).count() == 1


def test_the_data_protection_officer_lists_refusals_by_user(
    hub: Hub, other_team_social_worker: User, data_protection_officer_client: Client
) -> None:
    contact: Contact = ContactFactory(team=hub.team)
    _client(other_team_social_worker).get(contact.get_absolute_url())
    _client(hub.social_worker).get(contact.get_absolute_url())
    page = data_protection_officer_client.get(
        reverse("audit:events"), {"verb": Verb.READ_REFUSED.value, "username": other_team_social_worker.username}
    ).content.decode()
    assert Verb.READ_REFUSED.label in page
    assert page.count(Verb.READ_REFUSED.label) >= 2  # the filter's option and the row
    assert Verb.CONTACT_VIEWED.label not in page.split("</form>")[-1]


def test_the_trail_says_which_record_a_refusal_was_for_even_one_that_does_not_exist(
    hub: Hub, data_protection_officer_client: Client
) -> None:
    missing = (Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 100
    _client(hub.social_worker).get(reverse("contacts:contact", args=[missing]))
    page = data_protection_officer_client.get(reverse("audit:events"), {"verb": Verb.READ_REFUSED.value})
    assert f"contact {missing}, answered 404, on the contact page" in page.content.decode()
