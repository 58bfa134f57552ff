"""The DPO's ledger search and export, "who has seen this record", a decision not to share, and the
partner's agreement page (issue 14)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.audit.models import AuditEvent, Verb
from safehub.checks.answers import Answer, correct_response
from safehub.checks.tests.helpers import start_checks, submit_answer
from safehub.consent import services as consent
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.information_requests import services as information_requests
from safehub.information_requests.rules import Details
from safehub.mfa.testing import sign_in_both_steps
from safehub.people.tests.factories import PersonFactory
from safehub.sharing.models import Disclosure
from safehub.sharing.vocabulary import Condition

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(
    mash_team: object, manager: User, social_worker: User, police_partner: User, now: dt.datetime
) -> tuple[Contact, Agency]:
    """Checks asked of the police and housing about a contact whose child is on the person index;
    the police answered with conditions."""
    police = Agency.objects.get(kind=AgencyKind.POLICE)
    housing = PartnerAgencyFactory(name="Example Housing", kind=AgencyKind.HOUSING)
    contact: Contact = ContactAwaitingThresholdFactory(team=mash_team)
    child = contact.subjects.first()
    child.person = PersonFactory(local_id="P0000777")
    child.save()
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police, housing], at=now)
    submit_answer(
        checks.requests.get(agency=police),
        by=police_partner,
        at=now,
        information="An investigation is under way",
        conditions=(Condition.NO_ONWARD,),
    )
    return contact, housing


def test_the_dpo_finds_a_persons_rows_by_agency_and_basis_and_exports_them_audited(
    answered: tuple[Contact, Agency], data_protection_officer_client: Client
) -> None:
    contact, housing = answered
    url = reverse("sharing:ledger")
    page = data_protection_officer_client.get(url, {"person": "p0000777"}).content.decode()
    assert "3 rows" in page  # two requests out, one answer in
    assert "Received" in page
    assert "No onward disclosure outside the MASH without our agreement" in page
    only_housing = data_protection_officer_client.get(url, {"agency": housing.pk}).content.decode()
    assert "1 row," in only_housing
    by_basis = data_protection_officer_client.get(url, {"basis": "dpa_sch8"}).content.decode()
    assert "1 row," in by_basis  # the police's answer, under Schedule 8

    download = data_protection_officer_client.get(reverse("sharing:ledger-csv"), {"person": "P0000777"})
    assert download["Content-Disposition"] == 'attachment; filename="sharing-ledger.csv"'
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:3] == ["When", "Sent or received", "Shared"]
    assert len(rows) == 4
    assert all(row[3] == contact.reference for row in rows[1:])
    assert "An investigation is under way" not in download.content.decode()  # named, never copied
    # In words, as the page shows them, not the codes the ledger keeps (walk-through).
    text = download.content.decode()
    assert "No onward disclosure outside the MASH without our agreement" in text
    assert "no_onward" not in text
    assert "dpa_sch8" not in text
    event = AuditEvent.objects.get(verb=Verb.LEDGER_EXPORTED)
    assert event.data == {"rows": 3, "search": {"person": "P0000777"}}


def test_a_bad_search_says_what_to_change_and_lists_nothing(
    answered: tuple[Contact, Agency], data_protection_officer_client: Client
) -> None:
    url = reverse("sharing:ledger")
    page = data_protection_officer_client.get(url, {"person": "P999", "start_0": "31", "start_1": "2"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "No one in the person index has that ID" in html
    # Not "0 rows": the search was not run (walk-through), and nothing to download.
    assert "Correct the search to see the rows it finds" in html
    assert "0 rows" not in html
    assert "Download these rows" not in html
    download = data_protection_officer_client.get(reverse("sharing:ledger-csv"), {"person": "P999"})
    assert download.status_code == 302
    assert not AuditEvent.objects.filter(verb=Verb.LEDGER_EXPORTED).exists()


def test_who_has_seen_a_record_counts_reads_and_refusals_per_user_and_is_itself_recorded(
    answered: tuple[Contact, Agency],
    social_worker_client: Client,
    other_team_social_worker: User,
    data_protection_officer_client: Client,
    data_protection_officer: User,
    manager: User,
    manager_client: Client,
) -> None:
    contact, _ = answered
    social_worker_client.get(contact.get_absolute_url())
    social_worker_client.get(contact.get_absolute_url())
    outsider = Client()
    sign_in_both_steps(outsider, other_team_social_worker)
    assert outsider.get(contact.get_absolute_url()).status_code == 404
    page = data_protection_officer_client.get(reverse("sharing:seen"), {"person": "P0000777"})
    html = page.content.decode()
    assert "2 users" in html
    assert "social.worker" in html
    assert other_team_social_worker.username in html
    assert 'govuk-tag--red">1<' in html  # the refusal
    event = AuditEvent.objects.get(verb=Verb.SEEN_BY_REPORT)
    assert (event.by, event.person.local_id, event.data) == (data_protection_officer, "P0000777", {"users": 2})
    # Reads of an information request about the child count too (walk-through: they were left out).
    person = contact.subjects.first().person
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
        by=manager,
        at=timezone.now(),
    )
    manager_client.get(reverse("information_requests:request", args=[taken.pk]))
    page = data_protection_officer_client.get(reverse("sharing:seen"), {"person": "P0000777"}).content.decode()
    assert "3 users" in page


def test_a_decision_not_to_share_is_a_ledger_row_once_however_often_it_is_sent(
    answered: tuple[Contact, Agency], social_worker_client: Client, social_worker: User
) -> None:
    contact, housing = answered
    url = reverse("sharing:decline", args=[contact.pk])
    data = {
        "asked_by": "A housing officer",
        "agency": housing.pk,
        "asked": "Whether the family is known",
        "declined_reason": "No consent, and no sign of risk of harm to the children",
    }
    assert social_worker_client.post(url, data).status_code == 302
    assert social_worker_client.post(url, data).status_code == 302  # back and send again
    [row] = Disclosure.objects.filter(shared=False)
    assert (row.agency, row.asked_by, row.decided_by) == (housing, "A housing officer", social_worker)
    assert row.content == {"asked": "Whether the family is known"}
    assert AuditEvent.objects.filter(verb=Verb.SHARING_DECLINED).count() == 1
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    assert "Not shared with Example Housing, asked by A housing officer" in page

    refused = social_worker_client.post(url, {**data, "declined_reason": "no", "asked": ""})
    html = refused.content.decode()
    assert "Say what was asked for" in html
    assert "Say why it is not shared, in at least 20 characters" in html
    assert Disclosure.objects.filter(shared=False).count() == 1


def test_the_police_partner_agrees_on_their_answers_page_and_no_one_else_can(
    answered: tuple[Contact, Agency], police_partner_client: Client, manager_client: Client
) -> None:
    contact, _ = answered
    request = contact.mash_checks.get().requests.get(agency__kind=AgencyKind.POLICE)
    page = police_partner_client.get(reverse("checks:request", args=[request.pk])).content.decode()
    assert "Agree to share despite your conditions" in page
    assert "The contact&#x27;s PDF pack" in page
    url = reverse("checks:agree", args=[request.pk])
    done = police_partner_client.post(url, {"routes": ["contact_pack"], "note": "May go in the pack"}, follow=True)
    assert "Agreed. Your answer may now go in: The contact&#x27;s PDF pack" in done.content.decode()
    assert "What your agency has agreed" in done.content.decode()
    assert request.responses.get().agreements.count() == 1
    again = police_partner_client.post(url, {"routes": ["contact_pack"], "note": "May go in the pack"}, follow=True)
    assert "You have already agreed to the contact" in again.content.decode()
    # A problem is shown beside its field, with what was typed kept (walk-through: a banner, the note wiped).
    short = police_partner_client.post(url, {"routes": ["strategy_papers"], "note": "Fine"})
    html = short.content.decode()
    assert short.status_code == 200
    assert re.search(r"<title>\s*Error:", html)  # the page's title says so too (walk-through)
    assert '<a href="#id_note">Say what you agree to, and any limit on it, in at least 10 characters</a>' in html
    assert "govuk-error-message" in html
    assert ">\nFine</textarea>" in html
    assert 'value="strategy_papers" checked' in html
    assert 'value="contact_pack"' not in html  # agreed already: no longer offered
    # Hub staff are not told the partner's page exists; the refusal is in the trail as a refused read.
    assert manager_client.post(url, {"routes": ["strategy_papers"], "note": "On their behalf"}).status_code == 404
    assert AuditEvent.objects.filter(verb=Verb.READ_REFUSED, data__status=404).exists()
    assert request.responses.get().agreements.count() == 1


def test_the_contact_lists_each_row_with_its_bases_cited_and_a_correction_marked(
    answered: tuple[Contact, Agency], police_partner: User, social_worker_client: Client, now: dt.datetime
) -> None:
    contact, _ = answered
    answer = contact.mash_checks.get().requests.get(agency__kind=AgencyKind.POLICE).responses.get()
    correct_response(
        answer,
        Answer(
            information="An investigation is under way; he is on bail",
            sources_searched="Niche",
            conditions=(Condition.NO_ONWARD,),
        ),
        reason="Bail conditions set this morning",
        by=police_partner,
        at=now,
        version=answer.request.version,
    )
    page = social_worker_client.get(contact.get_absolute_url()).content.decode()
    shared = page[page.index('id="information-shared"') :]
    assert "Correction from Example Police" in shared
    assert "A correction: it replaces their earlier answer. Why: Bail conditions set this morning" in shared
    # The bases cited, not spelt out on every line (walk-through): the ledger has them in full.
    assert "Basis: UK GDPR Art 6(1)(e)" in shared
    assert "a public task with a clear basis in law" not in shared


def test_the_partner_is_told_when_consent_changed_since_the_hub_asked(
    answered: tuple[Contact, Agency], police_partner_client: Client, social_worker: User, now: dt.datetime
) -> None:
    """Walk-through: the police's request still said "consent given" after the family refused."""
    contact, _ = answered
    request = contact.mash_checks.get().requests.get(agency__kind=AgencyKind.POLICE)
    url = reverse("checks:request", args=[request.pk])
    assert "Changed since the hub asked" not in police_partner_client.get(url).content.decode()
    mia = contact.subjects.get(given_name="Mia")
    refused = consent.Answer(mia.pk, "mash_checks", "refused", "parent", "Lena Harlow", now.date(), "verbal")
    consent.record_consent(contact, refused, by=social_worker, at=now)
    page = police_partner_client.get(url).content.decode()
    assert "Changed since the hub asked" in page
    assert "Mia Harlow: consent refused" in page
    assert f"When the hub asked, on 24 November 2026, 10:00: {request.disclosure.consent_position}" in page
