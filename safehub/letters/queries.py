"""Reading letters and messages for a user, through the one audited door: a message is read through
its contact, which the user must be able to see."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.consultations.models import Consultation
from safehub.contacts.models import Contact
from safehub.core.queries import by_pk
from safehub.letters.models import Message, MessageQuerySet
from safehub.letters.permissions import can_see_messages


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
