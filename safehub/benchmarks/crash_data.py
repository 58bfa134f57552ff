"""The crash harness's data, built and read in a process of its own (`safehub crash-harness-data`),
against the scratch cluster's database: the harness itself only speaks HTTP and never opens it.

`setup` casts the hub's staff and the police's partners (as the load benchmark does), walks contacts
through the front door's services until each waits for a threshold decision, and starts MASH checks
on each asking the police, so that each request waits for an answer; it returns a session cookie for
each writer and the requests each answer writer is to answer. `verify` counts the contacts each
write marker is on and the answers each request holds, and asks `verify_chain` about the audit trail.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from safehub.accounts.models import AgencyKind, Membership, Role
from safehub.audit.services import verify_chain
from safehub.benchmarks.checks_data import make_cast
from safehub.benchmarks.loadtest import sign_in
from safehub.benchmarks.open_work import Queued
from safehub.checks import services as checks
from safehub.checks.models import AgencyResponse, ResponseStatus
from safehub.contacts.models import (
    Channel,
    ConsentPosition,
    Contact,
    ReferralSource,
    ReferrerKind,
    SubjectRole,
    YesNoUnknown,
)
from safehub.contacts.services import ContactDetails
from safehub.contacts.workflow import ContactState
from safehub.people.models import PersonKind, Sex
from safehub.protocols.models import Brag, LocalProtocol
from safehub.synthetic.walk import Turn, Walk, walk_together

NARRATIVE = "Crash harness {run}: write {marker}."
MARKER = re.compile(r": write (\S+)\.")


def _details(n: int, received: datetime) -> ContactDetails:
    fields = {
        "received_at": received,
        "channel": Channel.PHONE,
        "source": ReferralSource.values[0],
        "referrer_kind": ReferrerKind.PROFESSIONAL,
        "referrer_name": "Harness referrer",
        "referrer_agency": "Harness school",
        "narrative": f"Waiting for MASH checks ({n}).",
        "immediate_protection": YesNoUnknown.NO,
        "parents_aware": YesNoUnknown.YES,
        "parents_agree": YesNoUnknown.YES,
        "consent": ConsentPosition.GIVEN,
    }
    child = {
        "role": SubjectRole.CHILD,
        "kind": PersonKind.CHILD,
        "given_name": f"Child{n}",
        "family_name": "Harness",
        "sex": Sex.FEMALE,
        "date_of_birth": received.date() - timedelta(days=3000 + n),
        "postcode": "B1 1AA",
    }
    return ContactDetails(fields, [child])


def setup(plan: dict[str, Any]) -> dict[str, Any]:
    rng = random.Random(plan.get("seed", 1))  # noqa: S311 - generated data, not security
    now = timezone.now()
    with transaction.atomic():
        cast = make_cast(at=now)
    protocol = LocalProtocol.objects.filter(is_active=True).first()
    if protocol is None:
        raise ValueError("No local protocol is active in the scratch database")
    levels = list(protocol.levels.all())
    police = cast.partners[AgencyKind.POLICE]
    police_agency = Membership.objects.filter(user=police[0], role=Role.PARTNER_PROFESSIONAL).get().team.agency

    start = now - timedelta(days=2)
    walks = [
        Walk(
            _details(n, start + timedelta(seconds=n)),
            team=cast.team,
            recorded=Turn(rng.choice(cast.social_workers), start + timedelta(seconds=n)),
            scenario=Queued(rng, cast.social_workers, cast.managers, levels, ContactState.AWAITING_THRESHOLD, now),
        )
        for n in range(plan["answers"])
    ]
    walk_together(walks, until=now)
    requests = []
    for walk in walks:
        contact = walk.contact
        if contact is None:
            raise ValueError("A contact of the harness was not recorded")
        started = checks.start_checks(
            contact,
            checks.StartChecks(
                reason="Unclear risk",
                rating=Brag.AMBER,
                coordinator=rng.choice(cast.social_workers),
                agencies=[police_agency],
                questions="Is the family known to you?",
                bases=checks.DEFAULT_BASES,
                left_out_reason="The crash harness asks the police only",
            ),
            by=rng.choice(cast.managers),
            at=now,
            version=contact.version,
        )
        requests.append(started.requests.get().pk)

    writers = plan["answer_writers"]
    return {
        "contact_writers": [sign_in(user) for user in cast.social_workers[: plan["contact_writers"]]],
        "negative_writers": [
            sign_in(user)
            for user in cast.social_workers[
                plan["contact_writers"] : plan["contact_writers"] + plan["negative_writers"]
            ]
        ],
        "answer_writers": [
            {"cookie": sign_in(police[n % len(police)]), "requests": requests[n::writers]} for n in range(writers)
        ],
    }


def verify(run: dict[str, Any]) -> dict[str, Any]:
    prefix = NARRATIVE.format(run=run["run"], marker="")[: -len(".")]
    contacts: dict[str, int] = {}
    for narrative in Contact.objects.filter(narrative__startswith=prefix).values_list("narrative", flat=True):
        found = MARKER.search(narrative)
        if found:
            contacts[found.group(1)] = contacts.get(found.group(1), 0) + 1
    answers = (
        AgencyResponse.objects.filter(request__in=run["requests"], supersedes__isnull=True)
        .exclude(status=ResponseStatus.DRAFT)
        .values("request")
        .annotate(n=Count("pk"))
    )
    report = verify_chain()
    return {
        "contacts": contacts,
        "answers": {str(row["request"]): row["n"] for row in answers},
        "chain": {"intact": report.intact, "checked": report.checked, "reason": report.reason},
    }
