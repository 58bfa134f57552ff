"""Fuzz targets for information requests: taking one, answering, writing, approving, refusing."""

from __future__ import annotations

import datetime as dt

from safehub.accounts.models import Role
from safehub.information_requests import services
from safehub.information_requests.models import InformationRequest
from safehub.information_requests.rules import Details
from safehub.people.tests.factories import InvolvementFactory, PersonFactory
from tests.fuzz.harness import Target, Variant, World, url

CO, SW, TM = Role.CONTACT_OFFICER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER
AT = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
CALL = Details(
    level=1,
    requester_name="Ann Teacher",
    requester_role="Designated safeguarding lead",
    requester_organisation="Example Primary School",
    requester_email="ann.teacher@example-primary.sch.uk",
    child_name="Mia Harlow",
    reason="Mia told her teacher she is scared to go home",
    identity_checked="She emailed me from her school address during the call",
)


def _taken(world: World, level: int = 1) -> InformationRequest:
    person = PersonFactory(local_id=f"P09{level}{InformationRequest.objects.count():04d}")
    # Level 2 is a closed case's account (000): its involvement has ended.
    InvolvementFactory(person=person, ended_on=dt.date(2026, 6, 1) if level == 2 else None)
    details = Details(**{**CALL.__dict__, "level": level, "consent_evidence": "signed" if level == 2 else ""})
    return services.take_request(details, agency=None, person=person, by=world.user(SW), at=AT)


def _take(world: World) -> list[Variant]:
    fill = {
        "level": "1",
        "requester_name": CALL.requester_name,
        "requester_role": CALL.requester_role,
        "requester_organisation": CALL.requester_organisation,
        "requester_email": CALL.requester_email,
        "identity_checked": CALL.identity_checked,
        "child_name": CALL.child_name,
        "reason": CALL.reason,
    }
    variant = Variant.from_page(world.client(CO), url("information_requests:take"), fill=fill)
    variant.fixed = {"requester_email": [CALL.requester_email]}  # other words are not an organisation's address
    return [variant]


def _answer(world: World) -> list[Variant]:
    phoned = _taken(world)
    written = _taken(world, level=2)
    reasons = "Concerns about neglect of the home in January 2026"
    return [
        Variant.from_page(
            world.client(CO),
            url("information_requests:request", phoned.pk),
            fill={"person": phoned.person.local_id if phoned.person else ""},
            button=("action", "identify"),
        ),
        Variant.from_page(
            world.client(SW),
            url("information_requests:request", written.pk),
            fill={"reasons": reasons},
            button=("action", "draft"),
        ),
    ]


def _approve(world: World) -> list[Variant]:
    written = _taken(world, level=2)
    services.draft_level_two(
        written,
        person=written.person,
        not_found=False,
        reasons="Concerns about neglect of the home in January 2026",
        by=world.user(SW),
        at=AT,
        version=written.version,
    )
    written.refresh_from_db()
    page = url("information_requests:request", written.pk)
    return [Variant.from_page(world.client(TM), url("information_requests:approve", written.pk), page=page)]


TARGETS = [
    Target("information_requests:take", _take),
    Target("information_requests:request", _answer),
    Target("information_requests:approve", _approve),
]
