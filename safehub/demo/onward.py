"""The demo's receiving teams and referral packs: the assessment team works in Safehub (its members'
worktray); the Family Wellbeing service and the Children with Disability team are emailed the pack as a
PDF (the demo's Outbox, once the worker runs). The packs of the last month are sent through the services,
some accepted, and the last few left for the social workers to send, so that each list has something on it."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from safehub.accounts.models import Team, User
from safehub.contacts.models import Contact
from safehub.contacts.workflow import ContactState
from safehub.core.errors import DomainError
from safehub.decisions.models import Outcome
from safehub.onward import services
from safehub.onward.models import PACK_OUTCOMES, ReceivingTeam
from safehub.onward.queries import TO_SEND_WITHIN
from safehub.synthetic.year import walked

# Left unsent, for the list of referral packs still to send.
LEFT_TO_SEND = 3


def add_receiving_teams(assessment: Team) -> dict[Outcome, ReceivingTeam]:
    teams = {
        Outcome.SECTION_17_ASSESSMENT: ReceivingTeam.objects.create(
            name="Assessment team 1",
            outcomes=[Outcome.SECTION_17_ASSESSMENT.value, Outcome.STRATEGY_DISCUSSION.value],
            team=assessment,
        ),
        Outcome.EARLY_HELP: ReceivingTeam.objects.create(
            name="Family Wellbeing service", outcomes=[Outcome.EARLY_HELP.value], email="fws.referrals@demo.invalid"
        ),
        Outcome.CHILDREN_WITH_DISABILITY: ReceivingTeam.objects.create(
            name="Children with Disability team",
            outcomes=[Outcome.CHILDREN_WITH_DISABILITY.value],
            email="cwd.referrals@demo.invalid",
        ),
    }
    teams[Outcome.STRATEGY_DISCUSSION] = teams[Outcome.SECTION_17_ASSESSMENT]
    return teams


def add_referral_packs(
    *, workers: list[User], assessment: Team, receivers: list[User], now: datetime, seed: int
) -> dict[str, int]:
    rng = random.Random(seed)
    teams = add_receiving_teams(assessment)
    made: Counter[str] = Counter()
    closed = list(
        walked(
            Contact.objects.filter(
                state=ContactState.CLOSED,
                outcome_action__actioned_at__gte=now - TO_SEND_WITHIN,
                outcome_action__children__outcome__in=PACK_OUTCOMES,
            )
        )
        .distinct()
        .select_related("outcome_action")
        .order_by("outcome_action__actioned_at", "pk")
    )
    for contact in closed[: max(0, len(closed) - LEFT_TO_SEND)]:
        for route in services.routes(contact):
            at = contact.outcome_action.actioned_at + timedelta(minutes=rng.randint(20, 120))
            if at > now:
                continue
            try:
                pack = services.send_pack(
                    contact,
                    outcome=route.outcome,
                    team=teams[route.outcome],
                    by=rng.choice(workers),
                    at=at,
                    submission_key=None,
                )
            except DomainError:
                continue  # consent to early help withdrawn since: the social worker tells the team another way
            made["referral packs sent"] += 1
            if not pack.by_email and rng.random() < 0.6 and at + timedelta(hours=2) < now:
                services.accept_pack(pack, by=rng.choice(receivers), at=at + timedelta(hours=2), version=pack.version)
                made["accepted by the assessment team"] += 1
    # The packs for teams outside Safehub are emailed by the background worker as `./run start` runs it.
    return dict(made)
