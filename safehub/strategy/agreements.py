"""An invited agency agreeing that the contribution it asked to keep from the other agencies may go in
the strategy discussion's record sent to them (issue 14: a restricted item leaves only with the
agreement of the agency that gave it, which only that agency can give; a refusal is in the audit
trail). The record is sent once, so the agreement counts only until it goes (`recording.send_record`)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import DomainError, Problem, Refused
from safehub.core.presenters import shown_date
from safehub.sharing.exits import Exit
from safehub.strategy import permissions
from safehub.strategy.models import ContributionAgreement, Invitation, StrategyDiscussion
from safehub.strategy.queries import invited_agencies
from safehub.strategy.workflow import DiscussionState

MIN_NOTE = 10  # characters: what was agreed, and any limit on it


def open_to_agree(invitation: Invitation) -> bool:
    """Whether the invited agency may still agree: its contribution is kept from the others, not yet
    agreed, and the record not yet sent (the page offers the form only then)."""
    return (
        invitation.contribution_restricted
        and not ContributionAgreement.objects.filter(invitation=invitation).exists()
        and invitation.discussion.state != DiscussionState.RECORD_SENT
    )


def agreement_problems(invitation: Invitation, note: str) -> list[Problem]:
    """Everything wrong with agreeing now, at once."""
    problems = []
    discussion = invitation.discussion
    if not invitation.contribution_restricted:
        problems.append(Problem("Your contribution is not kept from the other agencies: there is nothing to agree"))
    elif ContributionAgreement.objects.filter(invitation=invitation).exists():
        problems.append(Problem("Your agency has already agreed to this: read the agreement on the page"))
    elif discussion.state == DiscussionState.RECORD_SENT:
        sent = discussion.record.sent_at if hasattr(discussion, "record") else None
        when = f" on {shown_date(sent)}" if sent is not None else ""
        problems.append(
            Problem(f"The record was sent{when} without your contribution: ask the chair to send it on if needed")
        )
    if len(note.strip()) < MIN_NOTE:
        problems.append(
            Problem(f"Say what you agree to, and any limit on it, in at least {MIN_NOTE} characters", field="note")
        )
    return problems


def agree_to_pass_on(invitation: Invitation, *, note: str, by: User, at: datetime) -> ContributionAgreement:
    """The invited agency agrees that its contribution may go in the record sent to the others. Anyone
    else is refused, and the refusal recorded."""
    if not permissions.can_agree_contribution(by, invitation, agencies=invited_agencies(by)):
        with transaction.atomic():
            record(
                Verb.HANDLING_AGREEMENT_REFUSED,
                by=by,
                contact=invitation.discussion.contact,
                at=at,
                data={"invitation": invitation.pk, "routes": [Exit.STRATEGY_RECORD.value]},
            )
        raise PermissionDenied
    return _agree(invitation, note=note, by=by, at=at)


@transaction.atomic(durable=True)
def _agree(invitation: Invitation, *, note: str, by: User, at: datetime) -> ContributionAgreement:
    # Locked with its discussion: the record is not sent halfway through an agreement (sending it
    # claims the discussion's row), nor agreed twice.
    StrategyDiscussion.objects.select_for_update().filter(pk=invitation.discussion_id).first()
    locked = Invitation.objects.select_for_update().select_related("discussion").get(pk=invitation.pk)
    problems = agreement_problems(locked, note)
    if problems:
        raise Refused(problems)
    try:
        made = ContributionAgreement.objects.create(invitation=locked, note=note.strip(), agreed_by=by, agreed_at=at)
    except IntegrityError as error:  # a colleague agreed at the same moment (SQLite takes no row lock)
        raise DomainError("A colleague has just agreed to this: read their agreement on the page") from error
    record(
        Verb.HANDLING_AGREED,
        by=by,
        contact=locked.discussion.contact,
        at=at,
        data={"invitation": locked.pk, "routes": [Exit.STRATEGY_RECORD.value]},
    )
    return made
