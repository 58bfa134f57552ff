"""Who may record consent, assess a young person's competence, and ask for or decide an override
(ADR 0034). The contact itself is read through its own door (contacts.queries.get_contact_for)."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import (
    can_make_threshold_decisions,
    can_override_consent,
    can_protect_data,
    can_read_performance,
    can_work_the_front_door,
)
from safehub.consent.models import ConsentOverride
from safehub.contacts.models import AmendmentKind, Contact
from safehub.contacts.permissions import amendable_kinds, why_not_amendable
from safehub.protocols.models import LocalProtocol


def can_record_consent(user: User) -> bool:
    """The front door's staff, who hear what the family said (a contact officer on the phone too)."""
    return can_work_the_front_door(user)


def why_no_answers(contact: Contact) -> str:
    """Why answers are no longer taken on this contact ("" while they are): the contact's own table of
    what each state allows (contacts.permissions.AMENDMENTS) says, as it did for the contact-wide answer."""
    if AmendmentKind.CONSENT_RECORDED in amendable_kinds(contact):
        return ""
    return why_not_amendable(contact, AmendmentKind.CONSENT_RECORDED)


def can_assess_competence(user: User) -> bool:
    """A qualified worker of the hub (social worker, senior practitioner, manager); never a partner."""
    return can_make_threshold_decisions(user)


def can_ask_override(user: User) -> bool:
    """A qualified worker who needs to share without consent asks; someone else decides."""
    return can_make_threshold_decisions(user)


def could_decide_overrides(user: User, protocol: LocalProtocol) -> bool:
    """A team manager; a senior practitioner too where the protocol says so (002 §27: "Manager/SSW")."""
    return can_override_consent(user, senior_practitioners_too=protocol.override_by_senior_practitioner)


def can_decide_override(user: User, override: ConsentOverride, protocol: LocalProtocol) -> bool:
    """Four eyes: one who may decide overrides, and not the person who asked for this one."""
    return could_decide_overrides(user, protocol) and override.asked_by_id != user.pk


def can_withdraw_override(user: User, override: ConsentOverride) -> bool:
    """Only whoever asked may withdraw the request (a manager declines it instead)."""
    return override.asked_by_id == user.pk


def can_read_consent_figures(user: User) -> bool:
    """The performance lead and managers, who read the hub's figures (001), and the data protection
    officer, who answers for sharing without consent (issue 14: overrides "counted in the figures")."""
    return can_read_performance(user) or can_protect_data(user)


def can_pause_for_consent(user: User) -> bool:
    """The social worker deciding the threshold may ask a professional referrer to discuss a request
    with the family first (002 §19), and resumes it when they come back."""
    return can_make_threshold_decisions(user)
