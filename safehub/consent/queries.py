"""The consent position of each person on a contact for a purpose, from the records (consent.rules), and
reading a request to share without consent through the contact's one audited door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_refusal
from safehub.consent.models import (
    CompetenceAssessment,
    ConsentOverride,
    ConsentPurpose,
    ConsentRecord,
)
from safehub.consent.rules import AgeBands, Band, Position, age_on, band, position
from safehub.consent.workflow import OverrideState
from safehub.contacts.consent import current_consent
from safehub.contacts.models import (
    CHILD_ROLES,
    ConsentPosition,
    Contact,
    ContactSubject,
    NotToldReason,
    SubjectRole,
)
from safehub.contacts.queries import get_contact_for
from safehub.core.presenters import lower_first
from safehub.core.queries import by_pk
from safehub.protocols.models import LocalProtocol
from safehub.protocols.policy import active_protocol

# The purposes the contact's own position (the referrer's, or the family's answer recorded on the
# contact before consent was per person) stands for; a named service is always asked for apart.
CONTACT_WIDE = frozenset({ConsentPurpose.MASH_CHECKS, ConsentPurpose.EARLY_HELP})


def age_bands(protocol: LocalProtocol) -> AgeBands:
    return AgeBands(self_age=protocol.consent_self_age, competence_age=protocol.consent_competence_age)


def contact_position(stated: str, purpose: str) -> Position:
    """What a person with no answer recorded takes: the contact's own position (`stated`, a
    ConsentPosition value) for MASH checks and early help ("given" or "refused"; anything else, such
    as the family informed, is not consent); for a named service, not sought."""
    if purpose not in CONTACT_WIDE:
        return Position.NOT_SOUGHT
    if stated == ConsentPosition.GIVEN:
        return Position.GIVEN
    if stated == ConsentPosition.REFUSED:
        return Position.REFUSED
    return Position.NOT_SOUGHT


@dataclass(frozen=True)
class Records:
    """What a contact's consent positions are worked out from, oldest first."""

    answers: list[ConsentRecord]
    assessments: list[CompetenceAssessment]
    overrides: list[ConsentOverride]  # with their people
    stated: str  # the contact's own position: the referrer's, or the family's answer recorded on it


def records_of(contact: Contact) -> Records:
    """The contact's consent records, read now (four queries, and one for the contact's own position)."""
    return Records(
        answers=list(ConsentRecord.objects.filter(contact=contact).order_by("recorded_at", "pk")),
        assessments=list(CompetenceAssessment.objects.filter(contact=contact).order_by("recorded_at", "pk")),
        overrides=list(
            ConsentOverride.objects.filter(contact=contact).prefetch_related("people").order_by("asked_at", "pk")
        ),
        stated=current_consent(contact),
    )


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
    stated: str = ""  # the contact's own position (a ConsentPosition value)

    @property
    def stated_label(self) -> str:
        return ConsentPosition(self.stated).label if self.stated in ConsentPosition.values else "not known"

    @property
    def may_share(self) -> bool:
        return self.position.may_share


def positions(
    contact: Contact,
    purpose: ConsentPurpose,
    *,
    on: date,
    bands: AgeBands | None = None,
    records: Records | None = None,
) -> list[PersonConsent]:
    """Each person on the contact now (in the contact's order) with their position for `purpose` on
    `on` (ages are counted on that day), from `records` (read now when not given)."""
    bands = bands or age_bands(active_protocol())
    records = records or records_of(contact)
    own: dict[int, ConsentRecord] = {}
    parent: dict[int, ConsentRecord] = {}
    for answer in records.answers:
        if answer.purpose == purpose:
            (own if answer.is_own else parent)[answer.subject_id] = answer  # the latest of each kind wins
    competence = {made.subject_id: made for made in records.assessments if made.purpose == purpose}
    covering: dict[int, ConsentOverride] = {}
    for agreement in records.overrides:
        if agreement.purpose == purpose and agreement.state == OverrideState.AGREED:
            for person in agreement.people.all():
                covering[person.pk] = agreement
    fallback = contact_position(records.stated, purpose)
    found = []
    for subject in contact.subjects.all():
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
                stated=records.stated,
            )
        )
    return found


def without_consent(
    contact: Contact,
    purpose: ConsentPurpose,
    *,
    on: date,
    bands: AgeBands | None = None,
    records: Records | None = None,
) -> list[PersonConsent]:
    """The people on the contact whose information may not be shared for `purpose`: no consent, and no
    agreed override covering them."""
    found = positions(contact, purpose, on=on, bands=bands, records=records)
    return [item for item in found if not item.may_share]


def latest_competence(subject: ContactSubject, purpose: str) -> CompetenceAssessment | None:
    return CompetenceAssessment.objects.filter(subject=subject, purpose=purpose).order_by("-recorded_at", "-pk").first()


def open_override(contact: Contact, purpose: str) -> ConsentOverride | None:
    """The request to share without consent for `purpose` still waiting to be decided, if any."""
    return ConsentOverride.objects.filter(contact=contact, purpose=purpose, state=OverrideState.ASKED).first()


def get_override_for(user: User, pk: int, *, purpose: str) -> tuple[Contact, ConsentOverride]:
    """A request to share without consent, through its contact's audited door: 404 unless the user may
    see the contact (the read, or the refusal, recorded as the contact's)."""
    found = by_pk(ConsentOverride.objects.all(), pk)
    if found is None:
        note_refusal(user, Read(Verb.CONTACT_VIEWED, "consent-override", pk, purpose))
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


def sharing_line(found: PersonConsent) -> str:
    """One person's position as a disclosure records it: 'Mia Harlow: consent given', or for an override
    who agreed and the power relied on."""
    name = found.subject.display_name
    if found.position == Position.OVERRIDDEN and found.override is not None:
        agreed = found.override
        return f"{name}: shared without consent, agreed by {agreed.decided_by} ({agreed.get_power_display()})"
    return f"{name}: {lower_first(found.position.label)}"


def sharing_position(contact: Contact, purpose: ConsentPurpose, *, on: date) -> str:
    """Everyone's position for `purpose`, as a disclosure records it (the sharing ledger's consent)."""
    return "; ".join(sharing_line(found) for found in positions(contact, purpose, on=on))


def _before_override(found: PersonConsent) -> Position:
    """The person's position as their answers (or the contact's own position) leave it, before any
    agreed override: whether they refused, or were never asked."""
    return position(
        age_band=found.band,
        own=found.own.answer if found.own is not None else None,
        parent=found.parent.answer if found.parent is not None else None,
        competent=found.competence.competent if found.competence is not None else None,
        overridden=False,
        fallback=contact_position(found.stated, found.purpose),
    )


def _why_not(contact: Contact, found: PersonConsent) -> str:
    """Why a person's consent was not obtained, in full, as a request for information must say it
    for the case (003 App. 5 §7): whether they refused or were not asked, why the family was not told
    when the referrer did not tell them, and the agreed decision to share without it."""
    before = _before_override(found)
    parts = [before.label + "."]
    if found.from_contact and found.stated == ConsentPosition.NOT_INFORMED_SAFEGUARDING:
        reasons = [NotToldReason(key).label.lower() for key in contact.not_told if key in NotToldReason.values]
        told = "; ".join(reasons) or "telling them would increase the risk or prejudice an investigation"
        parts.append(f"The family were not told of the referral: {told}.")
    elif found.from_contact and found.stated == ConsentPosition.NOT_REQUIRED_PUBLIC:
        parts.append("A member of the public made the referral: the family may not know of it.")
    agreed = found.override
    if found.position == Position.OVERRIDDEN and agreed is not None:
        reason = agreed.reason.strip().rstrip(".")
        parts.append(
            f"Shared without consent because: {reason}. Agreed by {agreed.decided_by} ({agreed.get_power_display()})."
        )
    return " ".join(parts)


def _group(subject: ContactSubject) -> str:
    """The form's three questions (003 App. 5 §7): the children, the parents or guardians, others."""
    if subject.role in CHILD_ROLES:
        return "child"
    return "parent" if subject.role == SubjectRole.PARENT else "other"


def consent_by_person(contact: Contact, purpose: ConsentPurpose, *, on: date) -> list[dict[str, Any]]:
    """Each person's consent for `purpose` as a request for information tells an agency (003 App. 5 §7:
    the children's, the parents' and the other family contacts' consent, and, where it was not obtained,
    a full and clear explanation of why not for this case), as the sharing ledger keeps it."""
    return [
        {
            "name": found.subject.display_name,
            "role": found.subject.get_role_display(),
            "group": _group(found.subject),
            "obtained": found.position == Position.GIVEN,
            "position": found.position.label,
            "why_not": "" if found.position == Position.GIVEN else _why_not(contact, found),
        }
        for found in positions(contact, purpose, on=on)
    ]


def everyone_consented(contact: Contact, purpose: ConsentPurpose, *, on: date) -> bool:
    """Whether everyone on the contact gave consent for `purpose` (an override is not consent), so
    that consent may be named as the lawful basis for sharing (003 Appendix 3, Article 6 (a))."""
    return all(found.position == Position.GIVEN for found in positions(contact, purpose, on=on))


def overrides_about(user: User, person_id: int) -> list[ConsentOverride]:
    """The agreed requests to share without consent that covered the person, on the contacts `user`
    may see, the latest first (the person's record shows them: issue 14)."""
    return list(
        ConsentOverride.objects.filter(
            state=OverrideState.AGREED,
            people__person_id=person_id,
            contact__in=Contact.objects.visible_to(user),
        )
        .select_related("contact", "decided_by")
        .distinct()
        .order_by("-decided_at", "-pk")
    )
