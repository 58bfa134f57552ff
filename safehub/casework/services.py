"""Keeping what happened after the front door (issue 16): Safehub's own referrals start or join a
child's episode of need, and its strategy discussions' section 47 enquiries and conferences become
enquiries in that episode (`follow_front_door`, run by the worker each round and before every return).
The rest of an episode comes from the case system by import (`importer`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from safehub.casework.models import Episode, EpisodeReferral, Section47
from safehub.contacts.models import ReferralSource
from safehub.core.working_time import london_date
from safehub.decisions.models import ChildAction, Referral
from safehub.people.models import Person
from safehub.strategy.models import STARTS_ENQUIRY, StrategyChild, StrategyRecord

MAX_MERGES = 10  # a longer chain of merged records is a data error, not one to follow
BATCH = 500


@dataclass(frozen=True)
class Followed:
    episodes_started: int = 0
    referrals_joined: int = 0
    enquiries: int = 0


def surviving_person(person_id: int) -> int:
    """The record a person now lives on: themselves, or the record theirs was merged into (and on)."""
    current = person_id
    for _ in range(MAX_MERGES):
        later = Person.objects.filter(pk=current).values_list("merged_into_id", flat=True).first()
        if later is None:
            return current
        current = later
    return current


def open_episode(child_id: int, on: date) -> Episode | None:
    """The child's episode open on `on`: referred on or before it and not closed before it."""
    return (
        Episode.objects.filter(child_id=child_id, referral_date__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=on))
        .order_by("-referral_date")
        .first()
    )


def episode_for(child_id: int, on: date, *, source: str) -> tuple[Episode, bool]:
    """The child's episode open on `on`, or one that `on` now starts; and whether `on` starts it. A
    referral decided after a later one (its contact waited longer) starts the episode that later one
    began, moved back to its day and source, rather than a second episode open beside it (the census:
    a child's episodes never overlap). Otherwise a new episode, referred that day from `source`."""
    found = open_episode(child_id, on)
    if found is not None:
        return found, False
    later = (
        Episode.objects.filter(child_id=child_id, referral_date__gt=on, imported=False)
        .order_by("referral_date")
        .first()
    )
    if later is not None:
        Episode.objects.filter(pk=later.pk).update(referral_date=on, source=source)
        later.referral_date, later.source = on, source
        return later, True
    return Episode.objects.create(child_id=child_id, referral_date=on, source=source), True


def _follow_referral(referral: Referral) -> bool:
    """Put a new referral in its child's episode; whether it started one. The census dates a referral
    by the day the council received it: the contact's day, in London."""
    person_id = referral.subject.person_id
    assert person_id is not None  # noqa: S101 - follow_front_door takes only linked children
    on = london_date(referral.contact.received_at)
    episode, new = episode_for(surviving_person(person_id), on, source=referral.contact.source)
    if new:  # a referral that started it before, decided earlier, now joins it
        EpisodeReferral.objects.filter(episode=episode, starts_episode=True).update(starts_episode=False)
    EpisodeReferral.objects.create(referral=referral, episode=episode, starts_episode=new)
    return new


def _children_of(discussion_id: int) -> list[int]:
    people = []
    for child in StrategyChild.objects.filter(discussion_id=discussion_id).select_related("subject"):
        person_id = child.person_id or (child.subject.person_id if child.subject is not None else None)
        if person_id is not None:
            people.append(surviving_person(person_id))
    return people


def _follow_record(record: StrategyRecord) -> int:
    """Make or bring up to date each child's enquiry from a discussion that started one; how many changed."""
    started = record.enquiry_started_on
    assert started is not None  # noqa: S101 - the record's constraint: an enquiry has a start
    discussion = record.discussion
    source = discussion.contact.source if discussion.contact is not None else ReferralSource.LA_SOCIAL_CARE
    changed = 0
    wanted = {
        "conference_due_on": record.conference_due_on,
        "conference_on": record.conference_on,
        "conference_not_required": bool(record.conference_not_required),
    }
    for child_id in _children_of(discussion.pk):
        episode, _ = episode_for(child_id, started, source=source)
        enquiry = Section47.objects.filter(episode=episode, started_on=started).first()
        if enquiry is None:
            Section47.objects.create(episode=episode, started_on=started, discussion=discussion, **wanted)
            changed += 1
        elif enquiry.discussion_id is None:  # imported first: the case system's dates stand
            Section47.objects.filter(pk=enquiry.pk).update(discussion=discussion)
            changed += 1
        elif enquiry.discussion_id == discussion.pk and any(getattr(enquiry, k) != v for k, v in wanted.items()):
            Section47.objects.filter(pk=enquiry.pk).update(**wanted)
            changed += 1
    return changed


def _records_to_follow() -> list[StrategyRecord]:
    """Discussions that started an enquiry with no enquiry from them yet, or whose conference was
    recorded after their enquiries were made."""
    enquiries = Section47.objects.filter(discussion=OuterRef("discussion"))
    waiting = enquiries.filter(conference_on__isnull=True, conference_not_required=False)
    return list(
        StrategyRecord.objects.filter(decision__in=sorted(STARTS_ENQUIRY), enquiry_started_on__isnull=False)
        .filter(~Exists(enquiries) | (Q(conference_recorded_at__isnull=False) & Exists(waiting)))
        .select_related("discussion__contact")
        .order_by("pk")
    )


def _follow_actions() -> int:
    """Name the team and worker of each episode a Safehub referral started, once its outcome is
    actioned to them (decisions.ChildAction), until the case system's import names its own."""
    named = ChildAction.objects.filter(subject_id=OuterRef("referral__subject_id")).exclude(team="", worker="")
    links = (
        EpisodeReferral.objects.filter(starts_episode=True, episode__team="", episode__worker="")
        .filter(Exists(named))
        .select_related("referral")
    )
    changed = 0
    for link in links:
        action = ChildAction.objects.filter(subject_id=link.referral.subject_id).exclude(team="", worker="").first()
        if action is not None:
            changed += Episode.objects.filter(pk=link.episode_id, team="", worker="").update(
                team=action.team, worker=action.worker
            )
    return changed


def follow_front_door() -> Followed:
    """Bring episodes up to date with Safehub's referrals and strategy discussions. Safe to run at any
    time and from several processes: each referral is placed once (its link is unique), each in a
    transaction of its own."""
    started = joined = 0
    while True:
        batch = list(
            # Screening links every child to the index before a decision; a child that is not is left out.
            Referral.objects.filter(episode_link__isnull=True, subject__person__isnull=False)
            .select_related("subject", "contact")
            .order_by("referred_at", "pk")[:BATCH]
        )
        if not batch:
            break
        for referral in batch:
            with transaction.atomic():
                if _follow_referral(referral):
                    started += 1
                else:
                    joined += 1
    enquiries = 0
    for record in _records_to_follow():
        with transaction.atomic():
            enquiries += _follow_record(record)
    _follow_actions()
    return Followed(episodes_started=started, referrals_joined=joined, enquiries=enquiries)
