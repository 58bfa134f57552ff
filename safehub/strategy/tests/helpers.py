"""Steps strategy tests take again and again, through the real services."""

from __future__ import annotations

from datetime import datetime, timedelta

from safehub.accounts.models import Agency, AgencyKind, Team, User
from safehub.contacts.models import Contact
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.decisions import services as decisions
from safehub.decisions.models import Outcome
from safehub.protocols.models import Brag, LocalProtocol
from safehub.strategy import recording, services
from safehub.strategy.models import Attendance, Decision, Invitation, MeetingFormat, StrategyDiscussion


def use_protocol(slug: str) -> None:
    LocalProtocol.objects.update(is_active=False)
    LocalProtocol.objects.filter(slug=slug).update(is_active=True)


def approved_for_strategy(team: Team, *, social_worker: User, manager: User, at: datetime) -> StrategyDiscussion:
    """A contact whose children a social worker rates Red at the highest level and recommends a
    strategy discussion for, approved by a manager: the discussion the approval starts."""
    contact: Contact = ContactAwaitingThresholdFactory(team=team)
    return approve_strategy_for(contact, social_worker=social_worker, manager=manager, at=at)


def approve_strategy_for(contact: Contact, *, social_worker: User, manager: User, at: datetime) -> StrategyDiscussion:
    """`contact`'s children rated Red at the highest level, a strategy discussion recommended and
    approved: the discussion the approval starts."""
    contact.refresh_from_db()
    level = LocalProtocol.objects.get(is_active=True).levels.order_by("-order").first()
    assert level is not None
    decisions.recommend(
        contact,
        children=decisions.same_for_all(contact, decisions.ChildChoice(Brag.RED, level, Outcome.STRATEGY_DISCUSSION)),
        rationale="Bruising to the face, explained differently by each parent",
        by=social_worker,
        at=at,
        version=contact.version,
    )
    contact.refresh_from_db()
    outcomes = {subject.pk: Outcome.STRATEGY_DISCUSSION for subject in decisions.children_on(contact)}
    decisions.approve(contact, outcomes=outcomes, rationale="Agreed", by=manager, at=at, version=contact.version)
    # The one the approval started (a manager may have started another at once before it).
    return StrategyDiscussion.objects.filter(contact=contact).latest("pk")


def arrange_for(discussion: StrategyDiscussion, *, by: User, chair: User, at: datetime) -> StrategyDiscussion:
    """Arranged by video half an hour after `at`, with the police and health agencies the hub has."""
    agencies = tuple(Agency.objects.filter(is_host=False, kind__in=[AgencyKind.POLICE, AgencyKind.HEALTH]))
    arrangement = services.Arrangement(
        at + timedelta(minutes=30), MeetingFormat.VIDEO, "https://meet.example/s", chair, agencies
    )
    services.arrange(discussion, arrangement, by=by, at=at, version=discussion.version)
    discussion.refresh_from_db()
    return discussion


def hold_for(discussion: StrategyDiscussion, *, by: User, at: datetime, kept_by_police: str = "") -> StrategyDiscussion:
    """Recorded as held at its meeting time: everyone attended; a joint section 47 enquiry; the family told;
    one action for the police (or the first agency invited), due a day after `at`. With `kept_by_police`,
    the police contributed that and asked that it go no further than the hub."""
    invited = list(discussion.invitations.select_related("agency"))
    agencies = [i.agency for i in invited if i.agency is not None]
    first = next((a for a in agencies if a.kind == AgencyKind.POLICE), agencies[0])

    def presence(invitation: Invitation) -> recording.Presence:
        if kept_by_police and invitation.agency is not None and invitation.agency.kind == AgencyKind.POLICE:
            return recording.Presence(invitation.pk, Attendance.ATTENDED, contribution=kept_by_police, restricted=True)
        return recording.Presence(invitation.pk, Attendance.ATTENDED)

    recording.hold(
        discussion,
        recording.Outcome(
            held_at=discussion.meeting_at,
            analysis="Injuries fit the account of a slap",
            decision=Decision.JOINT,
            police_investigate=True,
            medical_examination=False,
            family_told=True,
            who_tells="The social worker",
            tell_by=at + timedelta(hours=4),
            safety_plan="Father stays away while enquiries are made",
            presence=tuple(presence(i) for i in invited),
            actions=(recording.NewAction("Interview the father", first, "DC Example", at + timedelta(days=1)),),
        ),
        by=by,
        at=at,
        version=discussion.version,
    )
    discussion.refresh_from_db()
    return discussion
