"""Reading referral packs through one audited door (`get_pack_for`): the hub's staff read the packs of
the contacts they may see; a receiving team's members read the packs sent to their team, and nothing
else of the contact. A restricted contact's pack only its named users read."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.contacts.models import Contact, ContactRestriction
from safehub.core.queries import by_pk
from safehub.decisions.models import ChildAction
from safehub.onward.models import PACK_OUTCOMES, ReferralPack
from safehub.onward.permissions import can_see_packs
from safehub.onward.workflow import PackState


def _to_my_teams(user: User) -> Q:
    named = ContactRestriction.objects.filter(contact=OuterRef("contact_id"), user=user)
    open_to_me = Q(contact__is_restricted=False) | Q(Exists(named))
    return Q(by_email=False, receiving_team__team_id__in=sorted(user.team_ids())) & open_to_me


def packs_visible_to(user: User) -> QuerySet[ReferralPack]:
    if not can_see_packs(user):
        return ReferralPack.objects.none()
    return ReferralPack.objects.filter(
        Q(contact__in=Contact.objects.visible_to(user).values("pk")) | _to_my_teams(user)
    )


def worktray(user: User) -> QuerySet[ReferralPack]:
    """The packs sent to the user's teams that no one there has accepted yet, oldest first."""
    if not can_see_packs(user):
        return ReferralPack.objects.none()
    return (
        ReferralPack.objects.filter(_to_my_teams(user), state=PackState.WAITING)
        .select_related("contact", "receiving_team", "sent_by")
        .order_by("sent_at", "pk")
    )


def get_pack_for(user: User, pk: int, *, purpose: str) -> ReferralPack:
    """The pack, if `user` may read it, its read recorded; otherwise 404, the refusal recorded."""
    pack = by_pk(packs_visible_to(user).select_related("contact", "receiving_team__team", "sent_by", "accepted_by"), pk)
    if pack is None:
        note_refusal(user, Read(Verb.REFERRAL_PACK_VIEWED, "referral-pack", pk, purpose))
        raise Http404("No referral pack found")
    note_read(
        user,
        Read(
            Verb.REFERRAL_PACK_VIEWED,
            "referral-pack",
            pack.pk,
            purpose,
            contact_id=pack.contact_id,
            restricted=pack.contact.is_restricted,
        ),
    )
    return pack


# How far back the list of referrals still to send looks.
TO_SEND_WITHIN = timedelta(days=30)


def still_to_send(user: User, *, at: datetime, sender: bool = True) -> QuerySet[Contact]:
    """The contacts the user may see whose outcome, actioned lately, sends a child to a service no
    referral pack has gone to yet (or the team returned it): oldest first. None for one who sends none."""
    if not sender:
        return Contact.objects.none()
    unsent = ChildAction.objects.filter(action__contact=OuterRef("pk"), outcome__in=PACK_OUTCOMES).exclude(
        Exists(
            ReferralPack.objects.filter(contact=OuterRef("action__contact"), outcome=OuterRef("outcome")).exclude(
                state=PackState.RETURNED
            )
        )
    )
    return (
        Contact.objects.visible_to(user)
        .filter(outcome_action__actioned_at__gte=at - TO_SEND_WITHIN)
        .filter(Exists(unsent))
        .select_related("outcome_action")
        .order_by("outcome_action__actioned_at", "pk")
    )


def sent_waiting(user: User, *, sender: bool = True) -> QuerySet[ReferralPack]:
    """Packs the hub sent that the team has not yet accepted, or the worker not yet emailed."""
    if not sender:
        return ReferralPack.objects.none()
    return (
        ReferralPack.objects.filter(contact__in=Contact.objects.visible_to(user).values("pk"), state=PackState.WAITING)
        .select_related("contact", "receiving_team", "sent_by")
        .order_by("sent_at", "pk")
    )


def can_open_contact(user: User, pack: ReferralPack) -> bool:
    """Whether the pack's page may link to its contact: the hub's staff who may see it (a receiving
    team's member reads the pack, not the contact)."""
    return Contact.objects.visible_to(user).filter(pk=pack.contact_id).exists()
