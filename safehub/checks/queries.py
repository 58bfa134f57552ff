"""Reading MASH checks for a user, through the one audited door: partners through their agency,
hub staff through the contact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.reads import Read, note_read, note_refusal
from safehub.checks.models import AgencyRequest, AgencyResponse, Alert, AlertKind, ChecksAsked, MashChecks
from safehub.contacts.models import Contact
from safehub.core.queries import by_pk
from safehub.sharing.exits import Item


def get_request_for(user: User, pk: int, *, purpose: str) -> AgencyRequest:
    """A request the user may see (a partner: addressed to their agency), its read recorded as a
    read of the contact it is about; anything else is 404 (it must not leak) and the refusal recorded."""
    request = by_pk(
        AgencyRequest.objects.visible_to(user)
        .select_related("agency", "checks__contact")
        .prefetch_related("responses__author"),
        pk,
    )
    if request is None:
        contact_id = AgencyRequest.objects.filter(pk=pk).values_list("checks__contact_id", flat=True).first()
        note_refusal(user, Read(Verb.CONTACT_VIEWED, "agency-request", pk, purpose, contact_id=contact_id))
        raise Http404("No such request")
    note_read(user, Read(Verb.CONTACT_VIEWED, "agency-request", pk, purpose, contact_id=request.checks.contact_id))
    return request


def checks_with_answers() -> QuerySet[MashChecks]:
    """MashChecks with what a page needs to show their answers (checks.presenters.checks_shown):
    the people named on them, each request's agency and every response with its author."""
    return MashChecks.objects.select_related("coordinator", "started_by", "submitted_by").prefetch_related(
        Prefetch("requests", queryset=AgencyRequest.objects.select_related("agency")),
        Prefetch("requests__responses", queryset=AgencyResponse.objects.select_related("author")),
        "requests__responses__agreements",
    )


def checks_on(contact: Contact) -> list[MashChecks]:
    """Every set of checks on a contact the caller has already fetched for the user
    (contacts.queries.get_contact_for, which recorded the read), newest first, with their answers:
    beside the recommend and approve forms, and in the contact's PDF pack."""
    return list(checks_with_answers().filter(contact=contact).order_by("-started_at", "-pk"))


def get_checks_for(user: User, pk: int, *, purpose: str) -> MashChecks:
    """The checks on a contact the user may see (hub staff of the contact's team), its read
    recorded as a read of the contact; otherwise 404 and the refusal recorded.

    The checks are found by key first and the contact's visibility asked of that one contact: a
    subquery over every contact the user may see is slow in a year's data."""
    checks = by_pk(
        MashChecks.objects.select_related("contact", "coordinator", "started_by", "submitted_by").prefetch_related(
            "requests__agency", "requests__responses__author"
        ),
        pk,
    )
    if checks is None or not Contact.objects.visible_to(user).filter(pk=checks.contact_id).exists():
        contact_id = checks.contact_id if checks is not None else None
        note_refusal(user, Read(Verb.CONTACT_VIEWED, "mash-checks", pk, purpose, contact_id=contact_id))
        raise Http404("No such checks")
    note_read(user, Read(Verb.CONTACT_VIEWED, "mash-checks", pk, purpose, contact_id=checks.contact_id))
    return checks


# What the alerts banner shows (checks.presenters.alert_rows), not the request's people and questions.
ALERT_BANNER_FIELDS = ("pk", "kind", "request_id", "request__checks_id", "request__due_at", "request__agency__name")


def unread_alerts(user: User, *, limit: int = 10, kinds: Sequence[AlertKind] = ()) -> QuerySet[Alert, dict[str, Any]]:
    """The user's alerts that the worker has delivered and that are still to act on (not dismissed,
    and, for reminders and escalations, the request not yet answered or withdrawn), newest first,
    as rows of what the banner shows; only those of `kinds` when it names some."""
    unread = Alert.objects.visible_to(user).filter(sent_at__isnull=False, read_at__isnull=True)
    if kinds:
        unread = unread.filter(kind__in=kinds)
    rows: QuerySet[Alert, dict[str, Any]] = unread.order_by("-created_at", "-pk").values(*ALERT_BANNER_FIELDS)[:limit]
    return rows


def checks_rating(contact: str = "pk") -> Subquery:
    """The level of risk the contact's newest MASH checks follow, open or submitted for decision,
    as a column of a contacts query (`OuterRef("pk")`, or another model's rows through their `contact`):
    what a work queue shows until a recommendation rates the contact (a red contact whose checks went
    for decision stays red)."""
    newest = MashChecks.objects.filter(contact=OuterRef(contact)).order_by("-started_at", "-pk")
    return Subquery(newest.values("rating")[:1])


def checks_asked_for() -> Exists:
    """Whether a social worker has asked a manager to start MASH checks on the contact and they have
    not started yet, as a column of a contacts query (`OuterRef("pk")`)."""
    return Exists(ChecksAsked.objects.filter(contact=OuterRef("pk"), settled_at__isnull=True))


def answer_items(contact: Contact) -> list[Item]:
    """Every submitted answer on the contact as an exit sends it, each earlier answer governed by the
    answer that superseded it last (`AgencyResponse.as_item`)."""
    items = []
    for checks in contact.mash_checks.all():
        for request in checks.requests.all():
            submitted = [r for r in request.responses.all() if r.status == "submitted"]
            if submitted:
                current = submitted[-1]
                items += [response.as_item(current) for response in submitted]
    return items
