"""The consent position of each person on a contact for a purpose, from the records (consent.rules), and
reading a request to share without consent through the contact's one audited door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from safehub.accounts.models import User
from safehub.consent.models import (
    CompetenceAssessment,
    ConsentOverride,
    ConsentPurpose,
    ConsentRecord,
)
from safehub.consent.rules import AgeBands, Band, Position, age_on, band, position
from safehub.consent.workflow import OverrideState
from safehub.contacts.consent import current_consent
from safehub.contacts.models import ConsentPosition, Contact, ContactSubject
from safehub.contacts.queries import get_contact_for
from safehub.core.queries import by_pk
from safehub.protocols.models import LocalProtocol
from safehub.protocols.policy import active_protocol

# The purposes the contact's own position (the referrer's, or the family's answer recorded on the
# contact before consent was per person) stands for; a named service is always asked for apart.
CONTACT_WIDE = frozenset({ConsentPurpose.MASH_CHECKS, ConsentPurpose.EARLY_HELP})


def age_bands(protocol: LocalProtocol) -> AgeBands:
    return AgeBands(self_age=protocol.consent_self_age, competence_age=protocol.consent_competence_age)


def contact_position(contact: Contact, purpose: str) -> Position:
    """What a person with no answer recorded takes: the contact's own position, for MASH checks and
    early help ("given" or "refused"; anything else, such as the family informed, is not consent);
    for a named service, not sought."""
    if purpose not in CONTACT_WIDE:
        return Position.NOT_SOUGHT
    stated = current_consent(contact)
    if stated == ConsentPosition.GIVEN:
        return Position.GIVEN
    if stated == ConsentPosition.REFUSED:
        return Position.REFUSED
    return Position.NOT_SOUGHT


@dataclass(frozen=True)
class PersonConsent:
    """One person's consent for one purpose, and what it rests on."""

    subject: ContactSubject
    purpose: ConsentPurpose
    position: Position
    band: Band
    own: ConsentRecord | None  # their own latest answer
    parent: ConsentRecord | None  # a parent's or carer's latest answer for them
    competence: CompetenceAssessment | None  # the latest assessment for the purpose
    override: ConsentOverride | None  # the agreed override that covers them, if any
    from_contact: bool  # no answer recorded: the contact's own position stands

    @property
    def may_share(self) -> bool:
        return self.position.may_share


def positions(
    contact: Contact, purpose: ConsentPurpose, *, on: date, bands: AgeBands | None = None
) -> list[PersonConsent]:
    """Each person on the contact now (in the contact's order) with their position for `purpose` on
    `on` (ages are counted on that day). Three queries."""
    bands = bands or age_bands(active_protocol())
    subjects = list(contact.subjects.all())
    own: dict[int, ConsentRecord] = {}
    parent: dict[int, ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(contact=contact, purpose=purpose).order_by("recorded_at", "pk"):
        (own if record.is_own else parent)[record.subject_id] = record  # the latest of each kind wins
    competence: dict[int, CompetenceAssessment] = {}
    assessed = CompetenceAssessment.objects.filter(contact=contact, purpose=purpose)
    for made in assessed.order_by("recorded_at", "pk"):
        competence[made.subject_id] = made
    covering: dict[int, ConsentOverride] = {}
    agreed = ConsentOverride.objects.filter(contact=contact, purpose=purpose, state=OverrideState.AGREED)
    for agreement in agreed.prefetch_related("people").order_by("decided_at", "pk"):
        for person in agreement.people.all():
            covering[person.pk] = agreement
    fallback = contact_position(contact, purpose)
    found = []
    for subject in subjects:
        age_band = band(is_child=subject.is_child, age=age_on(subject.date_of_birth, on), bands=bands)
        assessment = competence.get(subject.pk)
        override = covering.get(subject.pk)
        mine, parents = own.get(subject.pk), parent.get(subject.pk)
        found.append(
            PersonConsent(
                subject=subject,
                purpose=purpose,
                position=position(
                    age_band=age_band,
                    own=mine.answer if mine is not None else None,
                    parent=parents.answer if parents is not None else None,
                    competent=assessment.competent if assessment is not None else None,
                    overridden=override is not None,
                    fallback=fallback,
                ),
                band=age_band,
                own=mine,
                parent=parents,
                competence=assessment,
                override=override,
                from_contact=mine is None and parents is None,
            )
        )
    return found


def without_consent(contact: Contact, purpose: ConsentPurpose, *, on: date) -> list[PersonConsent]:
    """The people on the contact whose information may not be shared for `purpose`: no consent, and no
    agreed override covering them."""
    return [found for found in positions(contact, purpose, on=on) if not found.may_share]


def latest_competence(subject: ContactSubject, purpose: str) -> CompetenceAssessment | None:
    return CompetenceAssessment.objects.filter(subject=subject, purpose=purpose).order_by("-recorded_at", "-pk").first()


def open_override(contact: Contact, purpose: str) -> ConsentOverride | None:
    """The request to share without consent for `purpose` still waiting to be decided, if any."""
    return ConsentOverride.objects.filter(contact=contact, purpose=purpose, state=OverrideState.ASKED).first()


def history(contact: Contact) -> list[ConsentRecord]:
    """Every answer recorded on the contact, oldest first, with who recorded it."""
    return list(
        ConsentRecord.objects.filter(contact=contact)
        .select_related("subject", "recorded_by", "competence")
        .order_by("recorded_at", "pk")
    )


def overrides(contact: Contact) -> list[ConsentOverride]:
    """The contact's requests to share without consent, oldest first, with their people and deciders."""
    return list(
        ConsentOverride.objects.filter(contact=contact)
        .select_related("asked_by", "decided_by", "owner")
        .prefetch_related("people")
        .order_by("asked_at", "pk")
    )


def get_override_for(user: User, pk: int, *, purpose: str) -> tuple[Contact, ConsentOverride]:
    """A request to share without consent, through its contact's audited door: 404 unless the user may
    see the contact (the read, or the refusal, recorded as the contact's)."""
    found = by_pk(ConsentOverride.objects.all(), pk)
    if found is None:
        raise Http404("No request to share without consent found")
    return get_contact_for(user, found.contact_id, purpose=purpose), found


def waiting_overrides(user: User) -> list[ConsentOverride]:
    """The requests to share without consent waiting to be decided on the contacts `user` may see."""
    return list(
        ConsentOverride.objects.filter(state=OverrideState.ASKED, contact__in=Contact.objects.visible_to(user))
        .select_related("contact", "asked_by")
        .prefetch_related("people")
        .order_by("asked_at", "pk")
    )
