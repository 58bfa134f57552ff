"""Sending a contact's referral pack to the team its outcome sends children to, the team accepting it,
and the worker emailing it to a team that works outside Safehub (issue 15; ADR 0039).

003 App. 4 §11–12 and 002 §9–11: the MASH social worker refers the child on, with the family letter and
the concerns noted in the contact. A pack is sent once for each team and outcome (a second click, a
second tab or the back button find the first); it is a row of the sharing ledger, through the exits
gate, so an answer whose agency's conditions bar it from the team is left out and named as left out."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.timezone import localdate

from safehub.accounts.models import Agency, AgencyKind, Team, User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks.queries import answer_items
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import sharing_position
from safehub.contacts.models import Contact, ContactSubject
from safehub.core import lifecycle
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.core.mail_batches import OvertakenError, deliver_in_batches, lock_for_sending
from safehub.decisions.models import SHORT_LABELS, Outcome
from safehub.decisions.services import check_outcome_allowed
from safehub.onward import contents, permissions
from safehub.onward.models import PACK_OUTCOMES, ReceivingTeam, ReferralPack
from safehub.onward.pdf import pack_pdf
from safehub.onward.workflow import PackEvent, PackState
from safehub.protocols.policy import active_protocol
from safehub.sharing.exits import Exit, Release, release
from safehub.sharing.services import record_disclosure
from safehub.sharing.vocabulary import SAFEGUARDING_BASES, Category, Purpose

BATCH = 20

# What a pack holds, as the ledger names it.
PACK_CATEGORIES = (
    Category.IDENTITY,
    Category.CONCERN,
    Category.RISK,
    Category.CONSENT,
    Category.AGENCY_INFORMATION,
    Category.DECISION,
)


@dataclass(frozen=True)
class Route:
    """The children a contact's actioned outcome sends to one kind of service, the team entered for
    them on the outcome page, and the pack sent for them (None until it is)."""

    outcome: Outcome
    children: list[ContactSubject]
    team_entered: str
    packs: list[ReferralPack]  # the pack sent (one at most), not counting those the team returned
    returned: list[ReferralPack]

    @property
    def names(self) -> str:
        return ", ".join(child.display_name for child in self.children)

    @property
    def label(self) -> str:
        return SHORT_LABELS[self.outcome]


def routes(contact: Contact) -> list[Route]:
    """Each service the actioned outcome sends children to, in the outcomes' order, with its packs."""
    action = getattr(contact, "outcome_action", None)
    if action is None:
        return []
    placed = list(action.children.all())
    packs = list(contact.referral_packs.all())
    found = []
    for outcome in PACK_OUTCOMES:
        here = [child for child in placed if child.outcome == outcome]
        if not here:
            continue
        teams = [child.team for child in here if child.team.strip()]
        found.append(
            Route(
                outcome=outcome,
                children=[child.subject for child in here],
                team_entered=teams[0] if teams else "",
                packs=[pack for pack in packs if pack.outcome == outcome and pack.state != PackState.RETURNED],
                returned=[pack for pack in packs if pack.outcome == outcome and pack.state == PackState.RETURNED],
            )
        )
    return found


def teams_taking(outcome: Outcome) -> list[ReceivingTeam]:
    """The active receiving teams that take children with this outcome (read in Python: the register
    is short, and JSON containment differs between the databases)."""
    return [
        team
        for team in ReceivingTeam.objects.filter(is_active=True).select_related("team__agency")
        if outcome.value in team.outcomes
    ]


def suggested(route: Route, teams: Sequence[ReceivingTeam]) -> ReceivingTeam | None:
    """The team the outcome page named, when the register has it by that name; else the only one."""
    entered = route.team_entered.strip().lower()
    named = [team for team in teams if entered and team.name.strip().lower() == entered]
    if named:
        return named[0]
    return teams[0] if len(teams) == 1 else None


def route_for(contact: Contact, outcome: Outcome) -> Route:
    for route in routes(contact):
        if route.outcome == outcome:
            return route
    raise DomainError("No child's actioned outcome sends them to that service: there is nobody to refer on")


def _agency_of(team: ReceivingTeam) -> Agency | None:
    return team.team.agency if team.team is not None else None


def _check_consent(outcome: Outcome, contact: Contact, children: Sequence[ContactSubject]) -> None:
    """Early help is offered only with the family's consent (002 §9(b), §19), as it stands when the
    pack goes: consent withdrawn since the decision stops the referral."""
    for child in children:
        try:
            check_outcome_allowed(contact, outcome, subject=child)
        except DomainError:
            raise DomainError(
                f"Early help needs the family's consent, and it is not recorded as given for {child.display_name}"
                " now (002 §19): record consent on the contact, or tell the team another way",
                field="team",
            ) from None


def _sent_before(contact: Contact, outcome: Outcome) -> DomainError:
    first = (
        ReferralPack.objects.filter(contact=contact, outcome=outcome)
        .select_related("sent_by", "receiving_team")
        .first()
    )
    if first is None:
        return DomainError("The referral pack was sent by someone else meanwhile: it was not sent again")
    who = first.sent_by.get_full_name() or first.sent_by.username
    return DomainError(f"{who} already sent the referral pack to {first.receiving_team.name}: it was not sent again")


def _pack(contact: Contact, route: Route, team: ReceivingTeam, *, at: datetime) -> tuple[Release, dict[str, Any]]:
    """The pack for the route's children as `team` would read it: the partners' answers through the
    exits gate (the team's agency is sent back what it gave)."""
    agency = _agency_of(team)
    released = release(answer_items(contact), route=Exit.ONWARD_REFERRAL, to=agency.pk if agency is not None else None)
    content = contents.build(
        contact,
        outcome=route.outcome,
        children=route.children,
        team_name=team.name,
        released=released,
        protocol=active_protocol(),
        at=at,
    )
    return released, content


def preview(contact: Contact, route: Route, team: ReceivingTeam, *, at: datetime) -> dict[str, Any]:
    """What `team` would read if the pack went now (nothing is recorded)."""
    return _pack(contact, route, team, at=at)[1]


def send_pack(
    contact: Contact,
    *,
    outcome: Outcome,
    team: ReceivingTeam,
    by: User,
    at: datetime,
    submission_key: uuid.UUID | None,
) -> ReferralPack:
    """Send the pack for the children the outcome sends to `outcome`'s service, to `team`: into its
    worktray, or, for a team outside Safehub, for the worker to email as a PDF. Recorded in the sharing
    ledger with what the gate left out; exactly once for the team and outcome, and once for the form."""
    if not permissions.can_send_packs(by):
        raise PermissionDenied
    if submission_key is not None:
        earlier = ReferralPack.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier  # the same form sent twice (back and resubmit): the pack it sent
    if outcome not in PACK_OUTCOMES:
        raise DomainError("That outcome refers nobody on")
    route = route_for(contact, outcome)
    if not team.is_active or outcome.value not in team.outcomes:
        raise DomainError(
            f"{team.name} does not take children for {route.label.lower()}: choose another team", field="team"
        )
    if route.packs:
        raise _sent_before(contact, outcome)
    if outcome == Outcome.EARLY_HELP:
        _check_consent(outcome, contact, route.children)
    agency = _agency_of(team)
    released, content = _pack(contact, route, team, at=at)
    try:
        with transaction.atomic():
            disclosure = record_disclosure(
                contact,
                to=agency if agency is not None else team.name,
                released=released,
                content=content,
                purpose=Purpose.ONWARD_REFERRAL,
                bases=SAFEGUARDING_BASES,
                categories=PACK_CATEGORIES,
                consent_position=sharing_position(
                    contact,
                    ConsentPurpose.EARLY_HELP if outcome == Outcome.EARLY_HELP else ConsentPurpose.MASH_CHECKS,
                    on=localdate(at),
                ),
                people=[child.person for child in route.children if child.person is not None],
                by=by,
                at=at,
            )
            pack = ReferralPack.objects.create(
                contact=contact,
                receiving_team=team,
                outcome=outcome,
                by_email=not team.in_safehub,
                email=team.email if not team.in_safehub else "",
                content=content,
                sent_by=by,
                sent_at=at,
                disclosure=disclosure,
                submission_key=submission_key,
            )
            record(
                Verb.REFERRAL_PACK_SENT,
                by=by,
                contact=contact,
                at=at,
                data={
                    "pack": pack.pk,
                    "team": team.pk,
                    "outcome": outcome.value,
                    "by_email": pack.by_email,
                    "withheld": len(released.withheld),
                },
            )
    except IntegrityError:
        if submission_key is not None:
            earlier = ReferralPack.objects.filter(submission_key=submission_key).first()
            if earlier is not None:
                return earlier
        raise _sent_before(contact, outcome) from None
    return pack


@transaction.atomic(durable=True)
def accept_pack(pack: ReferralPack, *, by: User, at: datetime, version: int) -> None:
    """Someone in the receiving team says the team has the referral: it leaves the worktray."""
    if not permissions.can_accept_pack(by, pack):
        raise PermissionDenied
    _still_waiting(pack, version)
    lifecycle.transition(pack, PackEvent.ACCEPT, by=by, at=at, fields={"accepted_by_id": by.pk, "accepted_at": at})
    pack.accepted_by = by
    record(Verb.REFERRAL_PACK_ACCEPTED, by=by, contact=pack.contact, at=at, data={"pack": pack.pk})


def _still_waiting(pack: ReferralPack, version: int) -> None:
    """Refuse, saying what happened, a pack someone in the team has already accepted or returned."""
    current = ReferralPack.objects.select_related("accepted_by").get(pk=pack.pk)
    if current.state == PackState.ACCEPTED and current.accepted_by is not None:
        who = current.accepted_by.get_full_name() or current.accepted_by.username
        raise DomainError(f"{who} already accepted this referral for the team")
    if current.state == PackState.RETURNED:
        raise DomainError("Someone in the team already returned this referral to the MASH")
    if pack.version != version or current.version != version:
        raise ConcurrentChange("referral pack")


# The least a reason for returning a referral says: what the MASH will read to put it right.
MIN_REASON = 10


@transaction.atomic(durable=True)
def return_pack(pack: ReferralPack, *, reason: str, by: User, at: datetime, version: int) -> None:
    """Someone in the receiving team sends the referral back to the MASH, saying why (not theirs, not
    enough to go on): it leaves the worktray, and the outcome is on the hub's list to send again."""
    if not permissions.can_accept_pack(by, pack):
        raise PermissionDenied
    why = " ".join(reason.split())
    if len(why) < MIN_REASON:
        raise DomainError("Say why it is returned, so that the MASH can put it right", field="reason")
    _still_waiting(pack, version)
    lifecycle.transition(pack, PackEvent.RETURN, by=by, at=at, note=why, fields={"returned_because": why})
    record(Verb.REFERRAL_PACK_RETURNED, by=by, contact=pack.contact, at=at, data={"pack": pack.pk})


# Emailing packs to teams outside Safehub ---------------------------------------------------------------


def message_id(pack: ReferralPack) -> str:
    """The same for every attempt to email this pack, so a repeat after a crash can be recognised."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "safehub.invalid"
    return f"<safehub-referral-pack-{pack.pk}@{domain}>"


def email_for(pack: ReferralPack) -> EmailMessage:
    """The pack as a PDF attached, to the team's agreed secure address; the email's own words name no
    child (its subject line is seen by whoever handles the inbox)."""
    sender = pack.sent_by.get_full_name() or pack.sent_by.username
    body = (
        f"The Multi-Agency Safeguarding Hub refers contact {pack.contact.reference} to {pack.receiving_team.name}"
        f" ({pack.get_outcome_display().lower()}).\n\nThe referral pack is attached: the contact, the hub's reasons,"
        " what partner agencies shared that may come to you, and the letter to the family. It was sent to this"
        f" address because it is the one your team agreed for such information.\n\n{sender}"
        f" ({pack.sent_by.email or 'the MASH'}) sent it: contact them with any question."
    )
    message = EmailMessage(
        f"MASH referral {pack.contact.reference}: {pack.get_outcome_display()}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [pack.email],
        headers={"Message-ID": message_id(pack), "Auto-Submitted": "auto-generated"},
    )
    message.attach(f"referral-{pack.contact.reference}.pdf", pack_pdf(pack), "application/pdf")
    return message


def _claim(batch: int) -> list[ReferralPack]:
    waiting = lock_for_sending(
        ReferralPack.objects.filter(by_email=True, state=PackState.WAITING).order_by("sent_at", "pk")
    )
    ids = list(waiting.values_list("pk", flat=True)[:batch])
    return list(
        ReferralPack.objects.filter(pk__in=ids)
        .select_related("contact", "receiving_team", "sent_by")
        .order_by("sent_at", "pk")
    )


def deliver_pack_emails(at: datetime, *, limit: int = 10_000, batch: int = BATCH) -> int:
    """Email every pack waiting to go to a team outside Safehub, each exactly once (core.mail_batches);
    how many were."""

    def mark_sent(claimed: Sequence[ReferralPack]) -> tuple[int, list[EmailMessage]]:
        for pack in claimed:
            try:
                lifecycle.transition(pack, PackEvent.EMAIL, by=pack.sent_by, at=at, fields={"emailed_at": at})
            except DomainError:
                raise OvertakenError() from None
            record(
                Verb.REFERRAL_PACK_EMAILED,
                by=pack.sent_by,
                contact=pack.contact,
                at=at,
                data={"pack": pack.pk, "team": pack.receiving_team_id},
            )
        return len(claimed), [email_for(pack) for pack in claimed]

    return deliver_in_batches(_claim, mark_sent, limit=limit, batch=batch)


# The register of receiving teams ------------------------------------------------------------------------


def receiving_teams_in_safehub() -> QuerySet[Team]:
    """The teams a receiving team may be in Safehub: the council's own (children's services, early help);
    never a partner agency's, whose professionals read only what the hub shares with their agency."""
    return Team.objects.filter(
        Q(agency__is_host=True) | Q(agency__kind__in=[AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.EARLY_HELP])
    ).select_related("agency")


def save_receiving_team(
    team: ReceivingTeam | None,
    *,
    name: str,
    outcomes: Sequence[str],
    safehub_team_id: int | None,
    email: str,
    is_active: bool,
    by: User,
    at: datetime,
    version: int = 0,
) -> ReceivingTeam:
    """Add a receiving team, or change one; each change audited with what it now says."""
    if not permissions.can_manage_receiving_teams(by):
        raise PermissionDenied
    chosen = [value for value in Outcome.values if value in set(outcomes)]
    if not chosen or not set(chosen) <= {outcome.value for outcome in PACK_OUTCOMES}:
        raise DomainError("Choose the outcomes the team takes children for", field="outcomes")
    if safehub_team_id is None and not email.strip():
        raise DomainError(
            "Choose the team's team in Safehub, or enter the secure email address its referrals go to", field="email"
        )
    if safehub_team_id is not None and email.strip():
        raise DomainError(
            "Choose one: its team in Safehub (referrals go to its worktray) or an email address (they go as a PDF)",
            field="email",
        )
    if safehub_team_id is not None and not receiving_teams_in_safehub().filter(pk=safehub_team_id).exists():
        raise DomainError(
            "Choose a children's services or early help team: a partner agency's team may not receive the hub's"
            " referrals",
            field="safehub_team",
        )
    clash = ReceivingTeam.objects.filter(name__iexact=name.strip())
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise DomainError("There is already a receiving team with that name", field="name")
    values = {
        "name": name.strip(),
        "outcomes": chosen,
        "team_id": safehub_team_id,
        "email": email.strip(),
        "is_active": is_active,
    }
    try:
        with transaction.atomic():
            if team is None:
                saved = ReceivingTeam.objects.create(**values)
            else:
                rows = ReceivingTeam.objects.filter(pk=team.pk, version=version)
                if rows.update(version=version + 1, **values) != 1:
                    raise ConcurrentChange("receiving team")
                saved = ReceivingTeam.objects.get(pk=team.pk)
    except IntegrityError:
        raise DomainError("There is already a receiving team with that name", field="name") from None
    record(
        Verb.RECEIVING_TEAM_SAVED,
        by=by,
        at=at,
        data={
            "team": saved.pk,
            "name": saved.name,
            "outcomes": chosen,
            "in_safehub": saved.team_id,
            "email": saved.email,
            "active": is_active,
        },
    )
    return saved
