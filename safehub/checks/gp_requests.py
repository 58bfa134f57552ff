"""What a request for information to a GP practice holds beyond any other agency's request (003 §2.6,
Appendix 5): the person making it and how to reach them, the earlier MASH enquiries about the children
and their reasons, the information the practice is asked to look for, each person's consent with why
it was not obtained, and whether it is urgent. It is kept in the request's row of the sharing ledger
with the rest of what was sent, so that the form, printed or emailed, shows only what that row holds
(checks.gp_form). A practice with an agreed secure address is emailed the form (checks.gp_emails)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.timezone import localtime

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.checks.models import AgencyRequest, MashChecks, PracticeEmail
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import consent_by_person
from safehub.contacts.models import CHILD_ROLES, ConcernCategory, Contact, ContactSubject
from safehub.contacts.queries import contacts_naming
from safehub.protocols.models import Brag, LocalProtocol
from safehub.protocols.policy import Deadlines, active_protocol

# What the practice is asked to look for (003 App. 5 §6), besides the hub's own questions: the
# children's health, and whatever may affect the parents' capacity to care for them.
CHECKLIST: tuple[str, ...] = (
    "Mental health problems of the child or an adult, and any misuse of drugs or alcohol",
    "Any domestic abuse",
    "Any concern that a child is being sexually or criminally exploited",
    "Signs of neglect, such as missed health appointments or poor conditions at home",
    "A parent's long-term health condition that may affect their care of the children",
    "Attendances at A&E or a walk-in centre, by a child or a parent, that matter here",
    "When the practice last saw the children and their parents",
    "Any known criminal activity",
    "Other services involved, such as drug and alcohol or mental health services",
    "Earlier concerns about the children or their parents known to children's social care",
    "Whether medication and treatment are taken as prescribed",
)


def is_gp_practice(agency: Agency) -> bool:
    return agency.kind == AgencyKind.GP_PRACTICE


def is_urgent(*, rating: str, due: datetime, usual: datetime | None) -> bool:
    """App. 5's "URGENT REQUEST": the request is rated Red, or is due sooner than the local protocol's
    usual time for a GP practice's answer (the manager asked for it sooner, or a rule for the rating)."""
    return rating == Brag.RED or (usual is not None and due < usual)


def requester(by: User, contact: Contact, protocol: LocalProtocol) -> dict[str, str]:
    """The person making the request and how to reach them (App. 5 §3: name, job title, contact
    details, address and telephone): who sent it, their team and email, and the hub's telephone number,
    address and email address (the local protocol's, which the practice returns its answer to)."""
    return {
        "name": by.get_full_name() or by.username,
        "job_title": by.job_title,
        "team": contact.team.name,
        "email": by.email,
        "telephone": protocol.hub_phone,
        "address": protocol.hub_address,
        "return_email": protocol.hub_email or by.email,
    }


def previous_enquiries(contact: Contact, *, by: User, at: datetime) -> list[dict[str, Any]]:
    """The earlier contacts the hub holds about the children on this one (App. 5 §5, "previous MASH
    enquiries and reasons"), newest first: when each came, which of the children it was about, and its
    concerns. Read as `by` may see them, as a person's chronology is; a restricted contact (a staff
    member's child, say) is never named outside the hub."""
    children = {
        subject.person_id: subject.display_name
        for subject in contact.subjects.all()
        if subject.role in CHILD_ROLES and subject.person_id is not None
    }
    if not children:
        return []
    earlier = list(
        contacts_naming(by, children)
        .filter(is_restricted=False, received_at__lte=at)
        .exclude(pk=contact.pk)
        .order_by("-received_at", "-pk")
        .values_list("pk", "received_at", "concern_categories")
    )
    about: dict[int, list[str]] = {}
    named = ContactSubject.objects.filter(contact_id__in=[pk for pk, _, _ in earlier], person_id__in=children)
    for contact_id, person_id in named.order_by("order", "pk").values_list("contact_id", "person_id"):
        about.setdefault(contact_id, []).append(children[person_id])
    labels = dict(ConcernCategory.choices)
    return [
        {
            "received": localtime(received).date().isoformat(),
            "about": list(dict.fromkeys(about.get(pk, []))),
            "reasons": [str(labels.get(code, code)) for code in concerns],
        }
        for pk, received, concerns in earlier
    ]


def form_content(checks: MashChecks, agency: Agency, *, due: datetime, by: User, at: datetime) -> dict[str, Any]:
    """What a GP practice's request holds beyond any agency's, as its ledger row keeps it."""
    contact = checks.contact
    protocol = active_protocol()
    usual = Deadlines(protocol).request_due(start=at, agency=agency.kind)
    return {
        "urgent": is_urgent(rating=checks.rating, due=due, usual=usual),
        "requester": requester(by, contact, protocol),
        "previous_enquiries": previous_enquiries(contact, by=by, at=at),
        "checklist": list(CHECKLIST),
        "consent_by_person": consent_by_person(contact, ConsentPurpose.MASH_CHECKS, on=localtime(at).date()),
    }


def queue_email(request: AgencyRequest, *, at: datetime) -> PracticeEmail | None:
    """The request to be emailed to its practice's agreed secure address by the worker; None when the
    practice has none (the request page then says so). Call inside the service that sends the request."""
    address = request.agency.secure_email.strip()
    if not is_gp_practice(request.agency) or not address:
        return None
    return PracticeEmail.objects.create(request=request, address=address, queued_at=at)
