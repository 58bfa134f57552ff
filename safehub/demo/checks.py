"""MASH checks in the demo hub, made through the real services: started by a manager, answered or not
by the demo partner agencies, some collated and submitted for decision, some late."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.checks import answers, services
from safehub.checks.answers import Answer
from safehub.checks.models import AgencyRequest
from safehub.checks.services import StartChecks
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.demo.consent import settle_before_checks
from safehub.protocols.models import Brag
from safehub.sharing.vocabulary import Condition

FINDINGS = {
    AgencyKind.POLICE: ("Domestic incident at the address last year; mother recorded as the victim.", "Niche, PND"),
    AgencyKind.HEALTH: ("Missed health visitor appointments; child not brought to two clinic visits.", "SystmOne"),
    AgencyKind.EDUCATION: ("Attendance 82% this term; often arrives hungry.", "School MIS"),
    AgencyKind.HOUSING: ("Rent arrears; notice seeking possession served.", "Housing register"),
}


def _partner(agency: Agency) -> User | None:
    return User.objects.filter(memberships__team__agency=agency).first()


def add_mash_checks(
    *, managers: list[User], coordinators: list[User], rng: random.Random, now: datetime, count: int
) -> int:
    """Start checks on up to `count` contacts waiting for a threshold decision; returns how many."""
    waiting = list(
        Contact.objects.filter(state=ContactState.AWAITING_THRESHOLD)
        .prefetch_related("state_changes")
        .order_by("received_at")
    )
    chosen = rng.sample(waiting, min(count, len(waiting)))
    always = services.preselected_agencies()
    extra = list(Agency.objects.filter(kind__in=[AgencyKind.HOUSING, AgencyKind.PROBATION], is_host=False))
    settled: Counter[str] = Counter()
    for number, contact in enumerate(chosen):
        last = max(change.at for change in contact.state_changes.all())
        start_at = min(last + timedelta(minutes=rng.randint(20, 240)), now - timedelta(minutes=5))
        rating = rng.choice([Brag.RED, Brag.AMBER, Brag.AMBER, Brag.GREEN])
        agencies = always + ([rng.choice(extra)] if extra and rng.random() < 0.3 else [])
        coordinator, manager = rng.choice(coordinators), rng.choice(managers)
        # Where the family has not consented: their consent is recorded, or (one time in three, and the
        # first time, so that the demo shows both) a manager agrees to share without it.
        override = not settled["override"] or (bool(settled["consent"]) and rng.random() < 0.33)
        settled[
            settle_before_checks(contact, worker=coordinator, manager=manager, at=start_at, rng=rng, override=override)
        ] += 1
        checks = services.start_checks(
            contact,
            StartChecks(
                reason="Need and risk are unclear: partner information is needed before deciding",
                rating=rating,
                coordinator=coordinator,
                agencies=agencies,
                questions="Is the family known to you? Any concerns about the children or the adults?",
                bases=services.DEFAULT_BASES,
            ),
            by=manager,
            at=start_at,
            version=contact.version,
        )
        answered_all = True
        for request in AgencyRequest.objects.filter(checks=checks).select_related("agency"):
            answered_all &= _answer(request, rng=rng, now=now)
        if number % 3 == 0:
            checks.refresh_from_db()
            when = min(max(r.answered_at or start_at for r in checks.requests.all()) + timedelta(hours=1), now)
            services.submit_for_decision(
                checks,
                analysis="Partner information gathered; see the responses. Risk appears to be escalating.",
                outstanding_reason=""
                if answered_all
                else "Enough is known to decide; late answers go to the allocated worker",
                by=checks.coordinator,
                at=when,
                version=checks.version,
            )
    return len(chosen)


def _answer(request: AgencyRequest, *, rng: random.Random, now: datetime) -> bool:
    """Answer (or not) as a partner would; True when answered."""
    partner = _partner(request.agency)
    roll = rng.random()
    if partner is None or roll < 0.25:
        return False  # still outstanding: some of these will be overdue
    when = request.sent_at + timedelta(minutes=rng.randint(30, 60 * 30))
    if when >= now:
        return False
    finding, sources = FINDINGS.get(AgencyKind(request.agency.kind), ("", "Case management system"))
    nothing = not finding or rng.random() < 0.4
    restricted = request.agency.kind == AgencyKind.POLICE and not nothing
    # Police information with handling conditions (000): every other one kept inside the MASH too,
    # chosen by the request's number so that the demo's random draws stay as they were.
    conditions = (Condition.NOT_TO_FAMILY,) + ((Condition.NO_ONWARD,) if request.pk % 2 else ())
    answer = Answer(
        nothing_known=nothing,
        information="" if nothing else finding,
        analysis="" if nothing else "Suggests the child's needs are not being met consistently.",
        sources_searched=sources,
        handling_restriction="Ask the MASH police sergeant before it is passed on" if restricted else "",
        conditions=conditions if restricted else (),
    )
    submit = roll > 0.35
    answers.save_response(request, answer, by=partner, at=when, submit=submit, version=request.version)
    return submit
