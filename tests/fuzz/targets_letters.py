"""Fuzz targets for letters and messages: writing one, deciding not to write to the family and lifting
that, what happened to a letter, a template's new words, and GOV.UK Notify's callbacks."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone

from safehub.accounts.models import AgencyKind, Role
from safehub.accounts.tests.factories import PartnerAgencyFactory
from safehub.consultations.models import Consultation, ConsultationKind
from safehub.contacts.models import ConsentPosition, Contact
from safehub.domestic_abuse.services import record_notification
from safehub.domestic_abuse.tests.test_notifications import details as notification_details
from safehub.domestic_abuse.tests.test_notifications import notification_contact
from safehub.letters import services
from safehub.letters.models import LetterKind, Message, School, Template
from safehub.letters.tests.helpers import action_it, actioned_contact, decided_with_practices, set_hub_details
from tests.fuzz.harness import Target, Variant, World, bare, redirected, url

SW, TM, CO, ADMIN = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CONTACT_OFFICER, Role.ADMINISTRATOR
WHY = "The social worker visited both parents and explained the decision to them in person"


def _actioned(world: World, **fields: object) -> Contact:
    return actioned_contact(
        world.team, social_worker=world.user(SW), manager=world.user(TM), at=timezone.now(), **fields
    )


def _write(world: World) -> list[Variant]:
    contact = _actioned(world)
    variants = []
    for kind in ("outcome", "family"):
        address = url("letters:write", contact.pk, kind)
        variants.append(Variant.from_page(world.client(SW), address, button=("action", "send")))
    return variants


def _write_summary(world: World) -> list[Variant]:
    set_hub_details()
    consultation = Consultation.objects.create(
        kind=ConsultationKind.ANONYMOUS,
        team=world.team,
        received_at=timezone.now(),
        consultee_name="A teacher",
        consultee_email="teacher@example-primary.sch.uk",
        question="Should I refer a pupil who comes in hungry?",
        advice="Talk to the parents first and offer early help; refer if it continues.",
        recorded_by=world.user(SW),
    )
    address = url("letters:write-summary", consultation.pk)
    return [Variant.from_page(world.client(SW), address, button=("action", "send"))]


def _tell_school(world: World) -> list[Variant]:
    set_hub_details()
    contact = notification_contact(world.team, timezone.now() - dt.timedelta(hours=1))
    record_notification(contact, notification_details(contact), by=world.user(CO), at=timezone.now(), version=None)
    School.objects.create(name="Example Primary School", dsl_name="Ms A Lead", dsl_email="dsl@example.sch.uk")
    address = url("letters:tell-school", contact.pk, contact.subjects.get(given_name="Mia").pk)
    school = School.objects.get(name="Example Primary School")
    return [Variant.from_page(world.client(CO), address, fill={"school": str(school.pk)})]


def _record_call(world: World) -> list[Variant]:
    """A GP practice with no secure address, told the outcome by telephone (Sefton 003 §2.6)."""
    practice = PartnerAgencyFactory(name="Ash Grove Medical Centre", kind=AgencyKind.GP_PRACTICE, secure_email="")
    decided = decided_with_practices(
        world.team, [practice], social_worker=world.user(SW), manager=world.user(TM), at=timezone.now()
    )
    contact = action_it(decided, by=world.user(TM), at=timezone.now())
    address = url("letters:record-call", contact.pk, practice.pk)
    return [Variant.from_page(world.client(CO), address, fill={"explanation": WHY})]


def _add_school(world: World) -> list[Variant]:
    fill = {"name": "Example High School", "dsl_name": "Mr C Lead", "dsl_email": "dsl@example-high.sch.uk"}
    return [Variant.from_page(world.client(ADMIN), url("letters:add-school"), fill=fill)]


def _school(world: World) -> list[Variant]:
    school = School.objects.create(name="Example Academy", dsl_name="Ms D Lead", dsl_email="dsl@example-academy.sch.uk")
    return [Variant.from_page(world.client(ADMIN), url("letters:school", school.pk))]


def _not_to_write(world: World) -> list[Variant]:
    contact = _actioned(world)
    address = url("letters:not-to-write", contact.pk)
    variant = Variant.from_page(world.client(SW), address, fill={"reason": "told_in_person", "explanation": WHY})
    variant.fixed = {"explanation": [WHY]}  # other words are shorter than the 20 characters it needs
    return [variant]


def _lift(world: World) -> list[Variant]:
    contact = _actioned(
        world,
        consent=ConsentPosition.NOT_INFORMED_SAFEGUARDING,
        parents_aware="no",
        parents_agree="no",
        not_told={"increased_risk": "Father reads the family's post"},
    )
    address = url("letters:lift", contact.pk)
    variant = Variant.from_page(world.client(TM), address, fill={"explanation": WHY})
    variant.fixed = {"explanation": [WHY]}
    return [variant]


def _letter(world: World) -> Message:
    contact = _actioned(world)
    made = services.draft(contact, kind=LetterKind.FAMILY, by=world.user(SW), at=timezone.now())
    return services.send(
        contact,
        kind=LetterKind.FAMILY,
        template_version=made.template_version,
        channel=made.channel,
        recipient_name=made.recipient_name,
        email="",
        postal_address=made.postal_address,
        subject=made.subject,
        body=made.body,
        by=world.user(SW),
        at=timezone.now(),
    )


def _message_action(world: World) -> list[Variant]:
    message = _letter(world)
    version = {"version": [str(message.version)]}
    return [
        bare(world.client(CO), url("letters:message-action", message.pk, "posted"), version),
        bare(
            world.client(CO),
            url("letters:message-action", message.pk, "told-another-way"),
            {**version, "explanation": [WHY]},
        ),
        bare(world.client(SW), url("letters:message-action", message.pk, "send-again"), version),
    ]


def _saved_or_taken(response: HttpResponse) -> bool:
    """Saved, or refused because an example before it added a school of that name."""
    return redirected(response) or (
        response.status_code == 200 and b"already has a school of that name" in response.content
    )


def _reached_the_service(response: HttpResponse) -> bool:
    """Saved, or refused by the service because an example before it saved a version first."""
    return redirected(response) or (response.status_code == 200 and b"Someone saved version" in response.content)


def _template(world: World) -> list[Variant]:
    template = Template.objects.get(kind=LetterKind.ACKNOWLEDGEMENT)
    address = url("letters:template", template.pk)
    fill = {"subject": "Contact ((reference))", "body": "Dear ((recipient_name))\n\nWe received it.", "note": "x"}
    return [Variant.from_page(world.client(ADMIN), address, fill=fill)]


def _refused_without_notifys_token(response: HttpResponse) -> bool:
    """Without the token Notify is given, every post is refused before its body is read (401); the
    token and the body are tested in letters/tests/test_delivery.py."""
    return response.status_code == 401


def _notify_callback(world: World) -> list[Variant]:
    return [bare(world.client(SW), url("letters:notify-callback"), {"id": ["x"], "status": ["delivered"]})]


TARGETS = [
    Target("letters:write", _write),
    Target("letters:write-summary", _write_summary),
    Target("letters:not-to-write", _not_to_write),
    Target("letters:tell-school", _tell_school),
    Target("letters:record-call", _record_call),
    Target("letters:add-school", _add_school, passed=_saved_or_taken),
    Target("letters:school", _school),
    Target("letters:lift", _lift),
    Target("letters:message-action", _message_action),
    Target("letters:template", _template, passed=_reached_the_service),
    Target("letters:notify-callback", _notify_callback, passed=_refused_without_notifys_token),
]
