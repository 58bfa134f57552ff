"""Who may start MASH checks, coordinate them, and answer them for an agency."""

from __future__ import annotations

from safehub.accounts.models import User
from safehub.accounts.permissions import can_answer_for_an_agency, can_make_threshold_decisions, can_manage
from safehub.checks.models import AgencyRequest, AgencyResponse, ChecksState, MashChecks, ResponseStatus
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState


def can_start_checks(user: User, contact: Contact | None = None) -> bool:
    """A manager decides that MASH checks are needed, before the threshold decision (002 §15);
    without a contact, whether the user's role ever may."""
    return can_manage(user) and (contact is None or contact.state == ContactState.AWAITING_THRESHOLD)


def can_ask_for_checks(user: User, contact: Contact | None = None) -> bool:
    """A social worker or senior practitioner deciding the threshold asks a manager for checks (a
    manager starts them directly), while the contact has none open or gone for decision: once the
    agencies have been asked, their answers are read beside the decision, not asked for again."""
    return (
        can_make_threshold_decisions(user)
        and not can_manage(user)
        and (contact is None or (contact.state == ContactState.AWAITING_THRESHOLD and not has_checks(contact)))
    )


def has_checks(contact: Contact) -> bool:
    """MASH checks on the contact are open, or were submitted for its decision."""
    return contact.mash_checks.filter(state__in=[ChecksState.OPEN, ChecksState.SUBMITTED]).exists()


def can_coordinate(user: User, checks: MashChecks) -> bool:
    """The coordinating social worker, or a manager (000: the MASH social worker coordinates)."""
    return user.pk == checks.coordinator_id or can_manage(user)


def can_submit_checks(user: User, checks: MashChecks) -> bool:
    return checks.state == ChecksState.OPEN and can_coordinate(user, checks)


def can_ask_another_agency(user: User, checks: MashChecks) -> bool:
    """Whoever may start checks (a manager), or their coordinator, asks an agency they left out,
    while the checks are open."""
    return checks.state == ChecksState.OPEN and can_coordinate(user, checks)


def can_withdraw_request(user: User, checks: MashChecks) -> bool:
    return can_coordinate(user, checks)


def can_be_coordinator(user: User) -> bool:
    """A qualified social worker coordinates the checks (002 §15)."""
    return user.is_active and can_make_threshold_decisions(user)


def can_see_checks_under_way(user: User) -> bool:
    """Every set of MASH checks the hub has open, not only those the user coordinates: managers."""
    return can_manage(user)


def can_answer_requests(user: User) -> bool:
    """Partner professionals answer the requests to their agency in their workspace (002 §16)."""
    return can_answer_for_an_agency(user)


def can_answer(user: User, request: AgencyRequest) -> bool:
    """A partner professional of the request's agency (or, for a GP practice, the hub's health partner)."""
    return can_answer_requests(user) and AgencyRequest.objects.visible_to(user).filter(pk=request.pk).exists()


def can_read_mash_only(user: User) -> bool:
    """An answer its agency keeps to "the MASH social worker and manager only" is read by the hub's
    qualified staff (social workers, senior practitioners, managers) and no one else in the hub."""
    return can_make_threshold_decisions(user)


def can_agree_handling(user: User, response: AgencyResponse) -> bool:
    """Only the agency that gave an answer may agree that it goes where its conditions bar it
    (issue 14): a partner professional who may answer for it (for a GP practice, the hub's health
    partner who records the practice's answers), on its current answer."""
    return (
        response.status == ResponseStatus.SUBMITTED
        and not AgencyResponse.objects.filter(supersedes=response).exists()
        and can_answer(user, response.request)
    )
