"""Reading letters and messages for a user, through the one audited door: a message is read through
its contact, which the user must be able to see."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.consultations.models import Consultation
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.core.queries import by_pk
from safehub.decisions.services import SEND_FROM_SAFEHUB
from safehub.letters.models import LetterKind, Message, MessageQuerySet
from safehub.letters.permissions import can_see_messages
from safehub.letters.workflow import MessageState


def messages_visible_to(user: User) -> MessageQuerySet:
    if not can_see_messages(user):
        return Message.objects.none()
    return Message.objects.filter(
        Q(contact__in=Contact.objects.visible_to(user).values("pk"))
        | Q(consultation__in=Consultation.objects.visible_to(user).values("pk"))
    )


def get_message_for(user: User, pk: int, *, purpose: str) -> Message:
    """The message, if `user` may see its contact, its read recorded; otherwise 404, refusal recorded."""
    message = by_pk(
        messages_visible_to(user).select_related("contact", "consultation", "sent_by", "template_version__template"),
        pk,
    )
    if message is None:
        note_refusal(user, Read(Verb.MESSAGE_VIEWED, "message", pk, purpose))
        raise Http404("No message found")
    note_read(
        user,
        Read(
            Verb.MESSAGE_VIEWED,
            "message",
            message.pk,
            purpose,
            contact_id=message.contact_id,
            restricted=message.contact is not None and message.contact.is_restricted,
        ),
    )
    return message


# How far back the list of families not yet written to looks.
FAMILIES_WITHIN = timedelta(days=30)


def _written(kind: LetterKind) -> QuerySet[Message, int]:
    return (
        Message.objects.filter(kind=kind)
        .exclude(state__in=[MessageState.FAILED, MessageState.WITHDRAWN])
        .values_list("contact_id", flat=True)
    )


def outcomes_to_write(user: User, *, writer: bool = True) -> QuerySet[Contact]:
    """Contacts closed with "Not yet: write the outcome from Safehub next" whose outcome nobody wrote
    (none for one who writes none)."""
    if not writer:
        return Contact.objects.none()
    return (
        Contact.objects.visible_to(user)
        .filter(state=ContactState.CLOSED, outcome_action__referrer_informed_by=SEND_FROM_SAFEHUB)
        .exclude(pk__in=_written(LetterKind.OUTCOME))
        .select_related("outcome_action")
        .order_by("outcome_action__actioned_at", "pk")
    )


def families_to_write(user: User, *, at: datetime, writer: bool = True) -> QuerySet[Contact]:
    """Contacts whose outcome was actioned lately, whose family nobody wrote to and nobody decided not
    to (003 App. 4 §11), nor was the family kept from knowing for safety (002 §22); none for one who
    writes none."""
    if not writer:
        return Contact.objects.none()
    return (
        Contact.objects.visible_to(user)
        .filter(state=ContactState.CLOSED, outcome_action__actioned_at__gte=at - FAMILIES_WITHIN, not_told={})
        .exclude(pk__in=_written(LetterKind.FAMILY))
        .exclude(family_letter_decisions__isnull=False)
        .select_related("outcome_action")
        .order_by("outcome_action__actioned_at", "pk")
    )
