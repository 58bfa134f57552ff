"""Build and inspect the data of `test_server_killed`, in a process of its own.

The test's own database is in memory (SQLite) or inside a transaction (PostgreSQL): the web server
it starts cannot see it. So the test uses a scratch database, and this command, run with that
database's DATABASE_URL, writes to it and reads from it:

    python -m safehub.checks.tests.server_scenario setup
        A police partner, and MASH checks with one request to the police waiting for an answer.
        Prints {"request": pk, "version": v, "cookie": the partner's session cookie}.
    python -m safehub.checks.tests.server_scenario state <request_pk>
        Prints the request's state and version, its responses counted by status, how many
        "response submitted" audit entries name it, and whether the audit chain verifies.

Run it only through the test: it writes test data into whatever database it is given.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from typing import Any


def setup() -> dict[str, Any]:
    from django.utils import timezone

    from safehub.accounts.models import AgencyKind, Role
    from safehub.accounts.tests.factories import PartnerAgencyFactory, TeamFactory, user_with_role
    from safehub.benchmarks.loadtest import sign_in
    from safehub.checks.tests.helpers import start_checks
    from safehub.contacts.tests.factories import ContactAwaitingThresholdFactory

    # A fresh name per run: both scenarios share the database, and each needs its own people.
    run = uuid.uuid4().hex[:8]
    mash_team = TeamFactory()
    police = PartnerAgencyFactory(name="Example Police", kind=AgencyKind.POLICE)
    desk = TeamFactory(name="Public protection desk", agency=police)
    partner = user_with_role(Role.PARTNER_PROFESSIONAL, team=desk, username=f"police.partner.{run}")
    manager = user_with_role(Role.TEAM_MANAGER, team=mash_team, username=f"team.manager.{run}")
    social_worker = user_with_role(Role.SOCIAL_WORKER, team=mash_team, username=f"social.worker.{run}")
    contact = ContactAwaitingThresholdFactory(team=mash_team, reference=f"KILL-{run}", recorded_by=social_worker)
    checks = start_checks(contact, by=manager, coordinator=social_worker, agencies=[police], at=timezone.now())
    request = checks.requests.get()
    return {"request": request.pk, "version": request.version, "cookie": sign_in(partner)}


def state(request_pk: int) -> dict[str, Any]:
    from django.db.models import Count

    from safehub.audit.models import AuditEvent, Verb
    from safehub.audit.services import verify_chain
    from safehub.checks.models import AgencyRequest

    request = AgencyRequest.objects.get(pk=request_pk)
    by_status = request.responses.values("status").annotate(n=Count("pk")).order_by("status")
    report = verify_chain()
    return {
        "state": request.state,
        "version": request.version,
        "responses": {row["status"]: row["n"] for row in by_status},
        # Filtered in Python: JSON lookups differ between the databases; the numbers are tiny.
        "submitted_events": sum(
            1
            for data in AuditEvent.objects.filter(verb=Verb.AGENCY_RESPONSE_SUBMITTED).values_list("data", flat=True)
            if data.get("request") == request_pk
        ),
        # Every page a partner opens is recorded as a read; what changes the record is the rest.
        "audit_writes": AuditEvent.objects.exclude(verb__in=[Verb.CONTACT_VIEWED, Verb.PERSON_VIEWED]).count(),
        "audit": {"intact": report.intact, "checked": report.checked, "reason": report.reason},
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.settings")
    import django

    django.setup()
    if argv[:1] == ["setup"] and len(argv) == 1:
        result = setup()
    elif argv[:1] == ["state"] and len(argv) == 2:
        result = state(int(argv[1]))
    else:
        raise SystemExit("usage: python -m safehub.checks.tests.server_scenario setup | state <request_pk>")
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
