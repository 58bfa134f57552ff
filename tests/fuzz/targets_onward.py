"""Fuzz targets for onward referrals: sending a referral pack, the receiving team accepting it, and the
register of receiving teams."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from safehub.accounts.models import Role
from safehub.decisions.models import Outcome
from safehub.letters.tests.helpers import actioned_contact
from safehub.onward import services
from safehub.onward.models import ReceivingTeam, ReferralPack
from tests.fuzz.harness import Target, Variant, World, bare, redirected, url

SW, TM, ADMIN = Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.ADMINISTRATOR


def _receiving(world: World) -> ReceivingTeam:
    """The MASH team itself as the team receiving assessments in Safehub, so its social worker accepts."""
    return ReceivingTeam.objects.create(
        name="Assessment Team 2", outcomes=[Outcome.SECTION_17_ASSESSMENT.value], team=world.team
    )


def _send(world: World) -> list[Variant]:
    _receiving(world)
    contact = actioned_contact(world.team, social_worker=world.user(SW), manager=world.user(TM), at=timezone.now())
    return [Variant.from_page(world.client(SW), url("onward:send", contact.pk, Outcome.SECTION_17_ASSESSMENT.value))]


def _sent(world: World) -> ReferralPack:
    receiving = _receiving(world)
    contact = actioned_contact(world.team, social_worker=world.user(SW), manager=world.user(TM), at=timezone.now())
    pack = services.send_pack(
        contact,
        outcome=Outcome.SECTION_17_ASSESSMENT,
        team=receiving,
        by=world.user(SW),
        at=timezone.now(),
        submission_key=None,
    )
    return pack


def _accept(world: World) -> list[Variant]:
    pack = _sent(world)
    return [bare(world.client(SW), url("onward:accept", pack.pk), {"version": [str(pack.version)]})]


def _return(world: World) -> list[Variant]:
    pack = _sent(world)
    why = "The family has moved to another borough"
    return [bare(world.client(SW), url("onward:return", pack.pk), {"version": [str(pack.version)], "reason": [why]})]


def _returned_or_told(response: HttpResponse) -> bool:
    """Returned, or the page shown again saying why not (a reason too short, or returned already)."""
    return redirected(response) or response.status_code == 200


def _saved_or_taken(response: HttpResponse) -> bool:
    """Saved, or refused because an example before it added a team of that name."""
    return redirected(response) or (
        response.status_code == 200 and b"already a receiving team with that name" in response.content
    )


def _add_team(world: World) -> list[Variant]:
    fill = {"name": "Family Wellbeing Service", "outcomes": ["early_help"], "email": "fws@example.gov.uk"}
    return [Variant.from_page(world.client(ADMIN), url("onward:add-team"), fill=fill)]


def _team(world: World) -> list[Variant]:
    team = ReceivingTeam.objects.create(
        name="Children with Disability Team", outcomes=["children_with_disability"], email="cwd@example.gov.uk"
    )
    return [Variant.from_page(world.client(ADMIN), url("onward:team", team.pk))]


TARGETS = [
    Target("onward:send", _send),
    Target("onward:accept", _accept),
    Target("onward:return", _return, passed=_returned_or_told),
    Target("onward:add-team", _add_team, passed=_saved_or_taken),
    Target("onward:team", _team, passed=_saved_or_taken),
]
