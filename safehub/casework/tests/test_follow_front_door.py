"""Safehub's referrals start or join a child's episode; its strategy discussions' enquiries and
conferences become section 47 enquiries in it (issue 16: "from Safehub's own strategy discussions")."""

from __future__ import annotations

import datetime as dt

import pytest

from safehub.accounts.models import Team, User
from safehub.casework.models import Episode, EpisodeReferral, Section47
from safehub.casework.services import follow_front_door
from safehub.contacts.models import Contact, ReferralSource
from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory
from safehub.decisions.models import ChildAction, Outcome, Referral
from safehub.decisions.tests.helpers import recommend_and_approve
from safehub.letters.tests.helpers import actioned_contact
from safehub.people.tests.factories import PersonFactory
from safehub.strategy import recording
from safehub.strategy.models import StrategyDiscussion
from safehub.strategy.tests.helpers import hold_for

pytestmark = pytest.mark.django_db


def link_children(contact: Contact) -> None:
    """Screening links each child to the person index before a decision (factories' contacts are not)."""
    for subject in contact.subjects.filter(person__isnull=True):
        subject.person = PersonFactory(given_name=subject.given_name, family_name=subject.family_name)
        subject.save()


def _referred(team: Team, social_worker: User, manager: User, at: dt.datetime, **fields: object) -> Contact:
    contact: Contact = ContactAwaitingThresholdFactory(team=team, **fields)
    link_children(contact)
    return recommend_and_approve(
        contact, outcome=Outcome.SECTION_17_ASSESSMENT, recommended_by=social_worker, approved_by=manager, at=at
    )


def test_a_referral_starts_an_episode_on_the_london_day_its_contact_came_from_the_contacts_source(
    mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    late_evening = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 July in London (BST)
    contact = _referred(
        mash_team,
        social_worker,
        manager,
        late_evening + dt.timedelta(days=1),
        source=ReferralSource.SCHOOLS,
        received_at=late_evening,
    )
    referral = Referral.objects.get(contact=contact)

    followed = follow_front_door()

    assert followed.episodes_started == 1
    episode = Episode.objects.get()
    assert episode.child_id == referral.subject.person_id
    assert episode.referral_date == dt.date(2026, 7, 1)
    assert episode.source == ReferralSource.SCHOOLS
    assert not episode.imported
    assert EpisodeReferral.objects.get().starts_episode
    assert follow_front_door().episodes_started == 0  # once


def test_a_further_referral_while_the_episode_is_open_joins_it_and_after_closure_starts_another(
    mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    first = _referred(
        mash_team, social_worker, manager, now - dt.timedelta(days=40), received_at=now - dt.timedelta(days=41)
    )
    follow_front_door()
    child = Referral.objects.get(contact=first).subject.person
    second: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=now - dt.timedelta(hours=3))
    subject = second.subjects.get()
    subject.person = child
    subject.save()
    recommend_and_approve(
        second, outcome=Outcome.CHILDREN_WITH_DISABILITY, recommended_by=social_worker, approved_by=manager, at=now
    )

    followed = follow_front_door()

    assert (followed.episodes_started, followed.referrals_joined) == (0, 1)
    assert Episode.objects.count() == 1
    Episode.objects.update(closed_on=(now - dt.timedelta(days=5)).date(), closure_reason="RC7")
    EpisodeReferral.objects.filter(referral__contact=second).delete()  # as if it came after the closure
    assert follow_front_door().episodes_started == 1
    assert Episode.objects.count() == 2


def test_a_referral_decided_after_a_later_one_starts_the_childs_episode_instead_of_a_second_beside_it(
    mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    earlier: Contact = ContactAwaitingThresholdFactory(
        team=mash_team, received_at=now - dt.timedelta(days=6), source=ReferralSource.POLICE
    )
    link_children(earlier)
    child = earlier.subjects.get().person
    later: Contact = ContactAwaitingThresholdFactory(team=mash_team, received_at=now - dt.timedelta(days=3))
    later.subjects.update(person=child)
    recommend_and_approve(
        later, outcome=Outcome.SECTION_17_ASSESSMENT, recommended_by=social_worker, approved_by=manager, at=now
    )
    follow_front_door()  # the later contact, decided first, starts an episode on its day
    recommend_and_approve(
        earlier,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        recommended_by=social_worker,
        approved_by=manager,
        at=now + dt.timedelta(hours=1),
    )

    followed = follow_front_door()

    assert followed.episodes_started == 1
    episode = Episode.objects.get()
    assert episode.referral_date == (now - dt.timedelta(days=6)).date()
    assert episode.source == ReferralSource.POLICE
    starts = dict(EpisodeReferral.objects.values_list("referral__contact", "starts_episode"))
    assert starts == {earlier.pk: True, later.pk: False}


def test_a_discussion_that_starts_an_enquiry_makes_one_per_child_and_its_conference_follows(
    arranged: StrategyDiscussion, strategy_coordinator: User, manager: User, now: dt.datetime
) -> None:
    held = hold_for(arranged, by=strategy_coordinator, at=now + dt.timedelta(hours=2))
    assert held.contact is not None
    link_children(held.contact)
    record = held.record

    followed = follow_front_door()

    enquiry = Section47.objects.get()
    assert followed.enquiries == 1
    assert enquiry.discussion == held
    assert enquiry.started_on == record.enquiry_started_on
    assert enquiry.conference_due_on == record.conference_due_on
    assert enquiry.conference_on is None
    # The strategy discussion's child was referred by the approval: the enquiry is in that episode.
    assert enquiry.episode.referral_links.get().referral.contact == held.contact
    assert follow_front_door().enquiries == 0

    held.refresh_from_db()
    conference_on = record.enquiry_started_on + dt.timedelta(days=10)
    recording.record_conference(
        held,
        on=conference_on,
        not_required="",
        by=strategy_coordinator,
        at=now + dt.timedelta(days=1),
        version=held.version,
    )
    assert follow_front_door().enquiries == 1
    enquiry.refresh_from_db()
    assert enquiry.conference_on == conference_on
    assert follow_front_door().enquiries == 0


def test_an_episode_names_the_team_and_worker_the_outcome_was_actioned_to(
    mash_team: Team, social_worker: User, manager: User, now: dt.datetime
) -> None:
    contact = actioned_contact(mash_team, social_worker=social_worker, manager=manager, at=now)
    link_children(contact)
    action = ChildAction.objects.get(subject__contact=contact)

    follow_front_door()

    episode = Episode.objects.get()
    assert (episode.team, episode.worker) == (action.team, action.worker)
    assert episode.team  # the outcome page named one
