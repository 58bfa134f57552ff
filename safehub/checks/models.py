"""MASH checks: partner agencies asked what they hold about a contact's people, on the clock."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from safehub.accounts.models import Agency, AgencyKind, Role, User
from safehub.accounts.permissions import can_work_on_cases
from safehub.checks import workflow
from safehub.checks.workflow import ChecksEvent, RequestEvent, ResponseEvent
from safehub.checks.workflow import ChecksState as ChecksState
from safehub.checks.workflow import RequestState as RequestState
from safehub.checks.workflow import ResponseStatus as ResponseStatus
from safehub.contacts.models import Contact
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord
from safehub.protocols.models import Brag
from safehub.sharing.exits import Exit, Item
from safehub.sharing.models import Disclosure
from safehub.sharing.vocabulary import Condition, statement


def _choices(states: type[ChecksState | RequestState | ResponseStatus]) -> list[tuple[str, str]]:
    return [(state.value, state.label) for state in states]


class MashChecks(models.Model):
    """A manager's decision that a contact needs MASH checks, and the coordinator's collation of them."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="mash_checks")
    reason = models.TextField()
    left_out_reason = models.TextField(
        blank=True, help_text="Why any of the local protocol's always-checked agencies was not asked."
    )
    rating = models.CharField(max_length=10, choices=Brag, help_text="The level of risk the due times follow.")
    # The lawful bases the requests are sent under (sharing.vocabulary.Basis), as coded choices.
    bases = models.JSONField(default=list)
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=_choices(ChecksState), default=ChecksState.OPEN)
    analysis = models.TextField(blank=True)
    outstanding_reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    lifecycle: ClassVar[Lifecycle[ChecksState, ChecksEvent]] = Lifecycle(workflow.CHECKS)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["contact"], condition=Q(state="open"), name="one_open_checks_per_contact"),
            models.CheckConstraint(
                condition=Q(state="open") | Q(submitted_at__isnull=False), name="submitted_checks_have_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"MASH checks on {self.contact.reference}"

    @property
    def basis_statement(self) -> str:
        return statement(self.bases)

    def late_requests(self) -> list[AgencyRequest]:
        """Requests answered after the checks were submitted for decision (uses prefetched requests)."""
        if self.submitted_at is None:
            return []
        return [r for r in self.requests.all() if r.answered_at is not None and r.answered_at > self.submitted_at]


def partner_agencies(user: User) -> models.QuerySet[Agency]:
    """The agencies a user works for as a partner professional."""
    return Agency.objects.filter(
        teams__memberships__user=user, teams__memberships__role=Role.PARTNER_PROFESSIONAL
    ).distinct()


class AgencyRequestQuerySet(models.QuerySet["AgencyRequest"]):
    def visible_to(self, user: User) -> AgencyRequestQuerySet:
        """A partner professional sees the requests addressed to their own agency, and nothing else;
        the hub's health professional also sees GP practice requests, to record GPs' answers (003 §2.6).
        Hub staff see the requests on the contacts they may see."""
        if can_work_on_cases(user):
            return self.filter(checks__contact__in=Contact.objects.visible_to(user).values("pk"))
        agencies = list(partner_agencies(user))
        ids = {agency.pk for agency in agencies}
        if any(agency.kind == AgencyKind.HEALTH for agency in agencies):
            # Named, not joined: a filter on the request's own agency column keeps to its indexes.
            ids.update(Agency.objects.filter(kind=AgencyKind.GP_PRACTICE).values_list("pk", flat=True))
        return self.filter(agency_id__in=sorted(ids))

    def outstanding(self) -> AgencyRequestQuerySet:
        return self.filter(state=RequestState.SENT)


class AgencyRequest(models.Model):
    """What one agency is asked: only what it needs to search its systems (000 partner offers)."""

    checks = models.ForeignKey(MashChecks, on_delete=models.PROTECT, related_name="requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="mash_requests")
    questions = models.TextField()
    subjects = models.JSONField(help_text="Names, dates of birth, address and NHS number of the people to search for.")
    due_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=_choices(RequestState), default=RequestState.SENT)
    answered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = AgencyRequestQuerySet.as_manager()
    lifecycle: ClassVar[Lifecycle[RequestState, RequestEvent]] = Lifecycle(workflow.REQUESTS)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checks", "agency"], name="one_request_per_agency"),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | (Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason="")),
                name="withdrawn_request_has_a_time_and_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "due_at"]),
            # Outstanding requests by due time: a partner's queue, and the worker's reminders and escalations.
            models.Index(fields=["due_at", "id"], condition=Q(state="sent"), name="checks_request_outstanding_idx"),
            models.Index(fields=["agency", "state", "-answered_at"], name="checks_request_answered_idx"),
        ]

    def __str__(self) -> str:
        return f"Request to {self.agency} about {self.checks.contact.reference}"

    @cached_property
    def disclosure(self) -> Disclosure:
        """What the agency was sent with this request: its one disclosure in the sharing ledger."""
        return Disclosure.objects.made_for(self).get()

    @property
    def people(self) -> str:
        """Who the request is about, as the agency was told."""
        return ", ".join(str(person.get("name", "")) for person in self.subjects if person.get("name"))


class PracticeEmail(models.Model):
    """A request to a GP practice emailed, with its form, to the practice's agreed secure address (003
    §2.6: the form "sent to a GP surgery's agreed email address"), by the worker, exactly once
    (core.mail_batches; ADR 0006). Made with the request, for a practice that has such an address; the
    address is kept as it was then."""

    request = models.OneToOneField(AgencyRequest, on_delete=models.PROTECT, related_name="practice_email")
    address = models.EmailField()
    queued_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["queued_at", "id"], condition=Q(emailed_at__isnull=True), name="checks_gp_email_unsent_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.request_id} to {self.address}"


class AgencyResponse(models.Model):
    """What an agency holds and what it means for the child. Submitted responses never change:
    a correction is a new response that supersedes, with a reason."""

    request = models.ForeignKey(AgencyRequest, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(max_length=10, choices=_choices(ResponseStatus), default=ResponseStatus.DRAFT)
    nothing_known = models.BooleanField(default=False)
    information = models.TextField(blank=True)
    analysis = models.TextField(blank=True, help_text="What the information means for the child (002 §16).")
    sources_searched = models.TextField(blank=True)
    # The agency's handling conditions (sharing.vocabulary.Condition), kept at every exit
    # (sharing.exits), and anything more it says about them.
    handling_conditions = models.JSONField(default=list, blank=True)
    handling_restriction = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.CharField(max_length=200, blank=True, help_text="A GP practice answering by phone or email.")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    # The one-time key of the form that submitted it (core.submissions): the same form sent again, after
    # a lost connection, is recognised as this response, not refused as someone else's answer.
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    lifecycle: ClassVar[Lifecycle[ResponseStatus, ResponseEvent]] = Lifecycle(workflow.RESPONSES, state_field="status")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(status="draft"), name="one_draft_response_per_request"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="submitted_response_has_a_time"
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""), name="correction_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Response to request {self.request_id} ({self.get_status_display()})"

    @property
    def conditions(self) -> list[Condition]:
        """The handling conditions; a restriction written in words alone (before conditions were
        coded) is kept as "no onward disclosure", so that it still holds at every exit."""
        coded = [Condition(value) for value in self.handling_conditions if value in Condition.values]
        if not coded and self.handling_restriction.strip():
            return [Condition.NO_ONWARD]
        return coded

    def as_item(self, current: AgencyResponse | None = None) -> Item:
        """The answer as an exit sends it, with its conditions and the routes its agency agreed to
        (`sharing.exits.release` decides where it may go). An earlier answer a correction superseded
        is the same information: the `current` answer's conditions hold for it too, and only what the
        agency agreed for the current answer opens a route. Apps beside this one call it on the
        responses they read through a contact's relations."""
        agency = self.request.agency
        governing = current or self
        return Item(
            key=f"checks.agencyresponse:{self.pk}",
            source=agency.pk,
            source_name=agency.name,
            conditions=frozenset(self.conditions) | frozenset(governing.conditions),
            agreed=frozenset(Exit(agreement.route) for agreement in governing.agreements.all()),
            content={
                "nothing_known": self.nothing_known,
                "information": self.information,
                "analysis": self.analysis,
            },
        )

    @property
    def condition_labels(self) -> list[str]:
        return [condition.label for condition in self.conditions]


class HandlingAgreement(models.Model):
    """The agency that gave an answer agrees that it may go down one route despite its handling
    conditions (issue 14: "unless the originating agency's agreement is recorded — which only that
    agency's partner can give"). Never changed; one per answer and route."""

    response = models.ForeignKey(AgencyResponse, on_delete=models.PROTECT, related_name="agreements")
    route = models.CharField(max_length=30, choices=Exit)
    note = models.TextField(help_text="What the agency agreed, and any limit on it.")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField()

    class Meta:
        ordering = ["agreed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "route"], name="one_agreement_per_answer_and_route"),
        ]

    def __str__(self) -> str:
        return f"{self.agreed_by} agreed to {self.get_route_display().lower()} for response {self.response_id}"


def _valid(states: type[ChecksState | RequestState | ResponseStatus], events: type[StrEnum]) -> Q:
    values = [state.value for state in states]
    return Q(from_state__in=values, to_state__in=values, event__in=[event.value for event in events])


class ChecksStateChange(StateChangeRecord):
    """A set of checks moving on (submitted for decision), written by `core.lifecycle.transition`."""

    checks = models.ForeignKey(MashChecks, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        indexes = [models.Index(fields=["checks", "at"])]
        constraints = [models.CheckConstraint(condition=_valid(ChecksState, ChecksEvent), name="checks_change_valid")]

    def __str__(self) -> str:
        return f"Checks {self.checks_id}: {self.from_state} → {self.to_state}"


class RequestStateChange(StateChangeRecord):
    """A request answered or withdrawn, written by `core.lifecycle.transition`."""

    request = models.ForeignKey(AgencyRequest, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        indexes = [models.Index(fields=["request", "at"])]
        constraints = [
            models.CheckConstraint(condition=_valid(RequestState, RequestEvent), name="request_change_valid")
        ]

    def __str__(self) -> str:
        return f"Request {self.request_id}: {self.from_state} → {self.to_state}"


class ResponseStateChange(StateChangeRecord):
    """A draft response submitted, written by `core.lifecycle.transition`."""

    response = models.ForeignKey(AgencyResponse, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        indexes = [models.Index(fields=["response", "at"])]
        constraints = [
            models.CheckConstraint(condition=_valid(ResponseStatus, ResponseEvent), name="response_change_valid")
        ]

    def __str__(self) -> str:
        return f"Response {self.response_id}: {self.from_state} → {self.to_state}"


class AlertKind(models.TextChoices):
    REMINDER = "reminder", "Reminder: answer due soon"
    BREACH = "breach", "Overdue: the due time has passed"
    LATE_ANSWER = "late_answer", "Answered after the checks went for decision"


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, user: User) -> AlertQuerySet:
        """An alert is seen by the person it was sent to, and nobody else."""
        return self.filter(recipient=user)


class Alert(models.Model):
    """One alert to one person about one request. The unique constraint is what makes each alert
    happen once: however many workers run, or however often one restarts, the row exists once,
    and it is sent in the same transaction that marks it sent."""

    request = models.ForeignKey(AgencyRequest, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "recipient"], name="one_alert_per_request_kind_person")
        ]
        indexes = [
            models.Index(
                fields=["created_at", "id"], condition=Q(sent_at__isnull=True), name="checks_alert_unsent_idx"
            ),
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(read_at__isnull=True, sent_at__isnull=False),
                name="checks_alert_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} about request {self.request_id}"


class LateAnswerRecipients(models.Model):
    """Who, beside the coordinator, is told of an answer that arrives after the checks went for
    decision (000): the manager who last decided on the contact and the social worker its outcome
    allocated the child to. The decision services write it; the checks read it."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="late_answer_recipients")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Late answers on contact {self.contact_id}"


class ChecksAsked(models.Model):
    """A social worker asks a manager to start MASH checks on a contact waiting for its threshold
    decision (only a manager starts them, 002 §15). Settled when checks start on the contact."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="checks_asked")
    reason = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact"], condition=Q(settled_at__isnull=True), name="one_open_ask_for_checks_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"MASH checks asked for on {self.contact.reference}"
