"""Demo information requests from other professionals (000, levels 1 to 3), each taken, answered,
approved, referred or refused through the services: a few in each state, so the front door, the
managers and the DPO find work and history on their lists."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from safehub.accounts.models import User
from safehub.information_requests import services
from safehub.information_requests.models import InformationRequest
from safehub.information_requests.rules import Details
from safehub.people.models import Person

SCHOOLS = [
    ("Ann Teacher", "Designated safeguarding lead", "Example Primary School", "example-primary.sch.uk"),
    ("Ravi Shah", "Health visitor", "Example Community Health Trust", "example-health.nhs.uk"),
    ("Claire Dunn", "Family court adviser", "Example CAFCASS office", "example-cafcass.gov.uk"),
    ("Tom Price", "Housing officer", "Example Housing Association", "example-housing.org.uk"),
]


def _details(person: Person, level: int, rng: random.Random, **changes: str) -> Details:
    name, role, organisation, domain = rng.choice(SCHOOLS)
    return Details(
        level=level,
        requester_name=name,
        requester_role=role,
        requester_organisation=organisation,
        requester_email=f"{name.lower().replace(' ', '.')}@{domain}",
        child_name=f"{person.given_name} {person.family_name}",
        child_date_of_birth=person.date_of_birth,
        reason=changes.pop("reason", "A new pupil: we want to know whether there is a worker we should talk to"),
        identity_checked="Emailed me from their work address during the call" if level == 1 else "",
        **changes,
    )


def add_information_requests(
    *, officers: list[User], workers: list[User], managers: list[User], dpo: User, now: datetime, seed: int
) -> dict[str, int]:
    """Eight requests about children in the index: level 1 answered and waiting; level 2 answered,
    waiting for approval and refused; level 3 with the disclosure team and answered. Drawn from their
    own random numbers, so that the rest of the demo is as it was."""
    rng = random.Random(seed)
    known = Person.objects.filter(kind="child", involvements__isnull=False).distinct().order_by("pk")
    # Level 2 is for a closed case: no service open, and no contact the MASH is considering now.
    candidates = known.exclude(involvements__ended_on__isnull=True)[:80]
    closed = [p for p in candidates if all(each.ended is not None for each in services.involvements_of(p))][:40]
    children = [person for person in known[:80] if person not in closed]
    if len(children) < 5 or len(closed) < 3:
        return {}
    opened, ended = rng.sample(children, 5), rng.sample(closed, 3)
    chosen = [opened[0], opened[1], ended[0], ended[1], ended[2], opened[2], opened[3], opened[4]]
    at = now - timedelta(days=6)

    def take(person: Person, level: int, by: User, hours: int, **changes: str) -> InformationRequest:
        return services.take_request(
            _details(person, level, rng, **changes), agency=None, person=person, by=by, at=at + timedelta(hours=hours)
        )

    answered = take(chosen[0], 1, officers[0], 2)
    services.answer_level_one(
        answered, person=chosen[0], not_found=False, by=officers[0], at=answered.received_at, version=answered.version
    )
    take(chosen[1], 1, officers[-1], 120)
    consent = {"consent_evidence": "signed", "reason": "Past involvement before the family moved to our area"}
    for index, by_manager in ((2, True), (3, False)):
        written = take(chosen[index], 2, workers[0], 24 + index, **consent)
        services.draft_level_two(
            written,
            person=chosen[index],
            not_found=False,
            reasons="Neglect of the home and missed health appointments; a child in need plan followed",
            by=workers[0],
            at=written.received_at + timedelta(hours=3),
            version=written.version,
        )
        if by_manager:
            written.refresh_from_db()
            services.approve(
                written, by=managers[0], at=written.received_at + timedelta(hours=5), version=written.version
            )
    refused = take(chosen[4], 2, workers[-1], 30, **consent)
    services.refuse(
        refused,
        reason="The signed consent covers the mother only; asked for the father's before anything is shared",
        by=workers[-1],
        at=refused.received_at + timedelta(hours=1),
        version=refused.version,
    )
    court = {"exemption": "care_proceedings", "reason": "Care proceedings: the court has directed disclosure"}
    take(chosen[5], 3, workers[0], 50, **court)
    filed = take(chosen[6], 3, workers[-1], 10, **court)
    services.close_level_three(
        filed,
        disclosed="The whole file, redacted for third parties, sent to the court by secure email",
        by=dpo,
        at=filed.received_at + timedelta(days=3),
        version=filed.version,
    )
    return dict(Counter(InformationRequest.objects.values_list("state", flat=True)))
