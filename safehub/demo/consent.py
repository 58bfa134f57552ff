"""Consent in the demo hub, through the real services (ADR 0034): before MASH checks, the family's
answers recorded for everyone without consent, or a request to share without it agreed by a second
person; and some requests still waiting for a manager."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.consent import services
from safehub.consent.models import ConsentOverride, ConsentPurpose
from safehub.consent.pauses import pause_for_consent, why_not_pause
from safehub.consent.queries import without_consent
from safehub.contacts.models import Contact, ReferrerKind, SubjectRole
from safehub.contacts.workflow import ContactState

CHECKS = ConsentPurpose.MASH_CHECKS
REASONS = (
    "The family could not be reached today and the school's account of the injuries cannot wait for them.",
    "Telling the father before police have spoken to him could put the mother and the children at more risk.",
    "The referrer is a neighbour: nobody has asked the family, and the concern is of harm at home tonight.",
)
AGREEMENTS = (
    "Risk of significant harm if we wait; partner information is needed to decide today, so consent is set aside.",
    "The children's safety outweighs the family's privacy here: share what is necessary with the named agencies.",
)


def _parent_name(contact: Contact) -> str:
    parent = contact.subjects.filter(role=SubjectRole.PARENT).first()
    return parent.display_name if parent is not None else "Their mother"


def record_family_consent(contact: Contact, *, by: User, at: datetime) -> None:
    """The family said yes by phone: a parent for each child, each adult for themselves."""
    for found in without_consent(contact, CHECKS, on=timezone.localdate(at)):
        adult = found.subject.role not in (SubjectRole.CHILD, SubjectRole.SIBLING)
        services.record_consent(
            contact,
            services.Answer(
                subject_id=found.subject.pk,
                purpose=CHECKS,
                answer="given",
                given_by="themselves" if adult else "parent",
                giver_name="" if adult else _parent_name(contact),
                given_on=timezone.localdate(at),
                method="verbal",
            ),
            by=by,
            at=at,
        )


def ask_to_share(contact: Contact, *, by: User, at: datetime, rng: random.Random) -> ConsentOverride:
    return services.ask_override(contact, CHECKS, rng.choice(REASONS), by=by, at=at)


def agree_to_share(override: ConsentOverride, *, by: User, at: datetime, rng: random.Random) -> ConsentOverride:
    """Agreed, with the police as the agency whose information it is when the protocol asks for theirs."""
    police = Agency.objects.filter(kind=AgencyKind.POLICE, is_host=False).first()
    return services.decide_override(
        override,
        services.Decision(
            agree=True,
            rationale=rng.choice(AGREEMENTS),
            power=rng.choice(["children_act_s47", "dpa_sch8"]),
            owner_id=police.pk if police is not None else None,
            owner_agreed_by="DS Rowe, public protection desk",
            owner_agreed_at=max(at - timedelta(minutes=10), override.asked_at),
        ),
        by=by,
        at=at,
        version=override.version,
    )


def settle_before_checks(
    contact: Contact, *, worker: User, manager: User, at: datetime, rng: random.Random, override: bool
) -> str:
    """Before `manager` starts MASH checks at `at`: nothing to do where everyone has consented ("");
    else the family's consent recorded by `worker` ("consent"), or, with `override`, `worker` asks to
    share without it and `manager`, who did not ask, agrees ("override")."""
    if not without_consent(contact, CHECKS, on=timezone.localdate(at)):
        return ""
    asked = max(at - timedelta(minutes=30), contact.received_at + timedelta(minutes=1))
    if not override:
        record_family_consent(contact, by=worker, at=asked)
        return "consent"
    made = ask_to_share(contact, by=worker, at=asked, rng=rng)
    agree_to_share(made, by=manager, at=max(at - timedelta(minutes=15), asked + timedelta(minutes=12)), rng=rng)
    return "override"


def add_waiting_overrides(*, workers: list[User], rng: random.Random, now: datetime, count: int) -> int:
    """Up to `count` contacts in screening or waiting for a threshold decision whose family has not
    consented: a social worker has asked to share without consent, and a manager is still to decide."""
    made = 0
    open_states = [ContactState.SCREENING, ContactState.AWAITING_THRESHOLD]
    waiting = Contact.objects.filter(state__in=open_states).order_by("-received_at")
    for contact in waiting:
        if made >= count:
            break
        if not without_consent(contact, CHECKS, on=timezone.localdate(now)):
            continue
        asked = max(now - timedelta(minutes=rng.randint(5, 90)), contact.received_at + timedelta(minutes=1))
        ask_to_share(contact, by=rng.choice(workers), at=asked, rng=rng)
        made += 1
    return made


def add_waiting_for_consent(*, workers: list[User], now: datetime, count: int) -> int:
    """Pause `count` professionals' requests still without consent (002 §19): the referrer is asking the
    family. The oldest such contacts waiting for a threshold decision, so no random number is drawn."""
    paused = 0
    waiting = Contact.objects.filter(
        state=ContactState.AWAITING_THRESHOLD, referrer_kind=ReferrerKind.PROFESSIONAL
    ).order_by("received_at", "pk")
    for contact in waiting:
        if paused == count:
            break
        if why_not_pause(contact):
            continue
        # Three hours ago, or just after it came to wait for its decision if that was later: never before.
        came = contact.state_changes.order_by("-at", "-pk").values_list("at", flat=True).first() or now
        pause_for_consent(
            contact,
            asked="Asked the referrer to talk to the family about the referral and call back with their answer",
            by=workers[paused % len(workers)],
            at=min(now, max(now - timedelta(hours=3), came + timedelta(minutes=5))),
            version=contact.version,
        )
        paused += 1
    return paused
