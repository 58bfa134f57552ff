"""The local protocol: each hub's rules as data, one profile active per installation."""

from __future__ import annotations

from datetime import date, time

from django.db import models
from django.db.models import Q

from safehub.accounts.models import APPROVAL_CANDIDATE_ROLES, AgencyKind, Role
from safehub.core.working_time import ClockUnit, WorkingHours


class Brag(models.TextChoices):
    """The BRAG rating used by MASH meetings (002 §7)."""

    BLUE = "blue", "Blue"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# What each rating means, as the forms offer it (002 §7).
BRAG_HINTS = {
    Brag.BLUE: "Blue: information or advice; no service from children's social care",
    Brag.RED: "Red: risk of significant harm; act now",
    Brag.AMBER: "Amber: needs are complex or risk is unclear",
    Brag.GREEN: "Green: additional needs that early help or universal services can meet",
}


class Clock(models.TextChoices):
    """What a timescale row times, and from when (ADR 0017; `CLOCK_STARTS` in presenters says it
    in words). DECISION is the overall clock some seeds set: from the contact's receipt to the
    approved decision, shared by the recommendation and the approval, each due by the earlier of
    its own clock and this one (protocols.policy). STRATEGY_EXCEPTION is the latest a manager's
    recorded risk assessment may move a strategy discussion to (000: "up to 72-hour exception"); a
    protocol without one allows no exception. STRATEGY_FROM_RECEIPT is the latest a strategy discussion
    may be due counted from the contact's receipt, where a seed sets the time from the concern itself
    (004 §6: "to progress a child protection concern is within a maximum of 2 hours"); a discussion is
    due by the earlier of it and STRATEGY_DISCUSSION. STRATEGY_RECORD counts from the discussion's
    being held. PHONE_AGENCY is no step: a request to the agency that must be answered sooner than its
    time is to be telephoned too (003 §2.6)."""

    SCREENING = "screening", "Basic screening"
    THRESHOLD_DECISION = "threshold_decision", "Threshold decision (recommendation)"
    APPROVAL = "approval", "Approval of the recommendation"
    DECISION = "decision", "Decision, recommendation and approval together"
    OUTCOME_TO_REFERRER = "outcome_to_referrer", "Outcome sent to referrer"
    CONSULTATION_SUMMARY = "consultation_summary", "Consultation summary sent"
    MASH_CHECKS = "mash_checks", "MASH checks"
    CONSENT_SOUGHT = "consent_sought", "Consent sought by the referrer (a request paused for it)"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    STRATEGY_EXCEPTION = "strategy_exception", "Strategy discussion, at the latest, by a recorded exception"
    STRATEGY_FROM_RECEIPT = "strategy_from_receipt", "Strategy discussion, at the latest, from the contact's receipt"
    STRATEGY_RECORD = "strategy_record", "Strategy discussion's record sent to those who took part"
    PHONE_AGENCY = "phone_agency", "Telephone the agency too"
    # Another professional's request for information (000: levels 1 to 3), from its receipt.
    INFORMATION_REQUEST_1 = "information_request_1", "Information request, level 1 answered"
    INFORMATION_REQUEST_2 = "information_request_2", "Information request, level 2 answered"
    INFORMATION_REQUEST_3 = "information_request_3", "Information request, level 3 answered by the disclosure team"


# The clocks that time a step of a contact (every profile gives each step a due time); the
# others are prompts.
STEP_CLOCKS = tuple(
    clock
    for clock in Clock
    if clock not in (Clock.PHONE_AGENCY, Clock.STRATEGY_EXCEPTION, Clock.STRATEGY_FROM_RECEIPT)
    and not clock.value.startswith("information_request")
)
# The clocks of information requests, by level (000: levels 1 to 3).
INFORMATION_REQUEST_CLOCKS = {
    1: Clock.INFORMATION_REQUEST_1,
    2: Clock.INFORMATION_REQUEST_2,
    3: Clock.INFORMATION_REQUEST_3,
}
# Clocks whose rows may name an agency: the requests of MASH checks, and the telephone prompt.
AGENCY_CLOCKS = frozenset({Clock.MASH_CHECKS, Clock.PHONE_AGENCY})
# Who may approve a threshold recommendation, as a protocol may choose (004 §5, §7: a manager;
# 002 roles table: the MASH team manager and the CSC senior practitioner are both decision makers).
APPROVER_CHOICES = [(role.value, role.label) for role in Role if role in APPROVAL_CANDIDATE_ROLES]
APPROVER_ROLE_VALUES = frozenset(value for value, _ in APPROVER_CHOICES)


# How a timescale's unit reads after its amount ("1 working days to the day's end").
UNIT_LABELS = {
    ClockUnit.ELAPSED_HOURS: "elapsed hours",
    ClockUnit.WORKING_HOURS: "working hours",
    ClockUnit.WORKING_DAYS: "working days",
    ClockUnit.WORKING_DAY_END: "working days to the day's end",
}


def default_approver_roles() -> list[str]:
    return [Role.TEAM_MANAGER.value]


class LocalProtocol(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=200, blank=True, help_text="The document the rules come from.")
    is_active = models.BooleanField(default=False)
    working_day_start = models.TimeField(default=time(9, 0))
    working_day_end = models.TimeField(default=time(17, 0))
    three_month_rule = models.BooleanField(
        default=False, help_text="Allocate to the previous social worker if open to CSC in the last three months."
    )
    daily_meeting = models.CharField(max_length=200, blank=True)
    # The daily MASH meeting (002 §7: "Tuesdays – Friday at 11am"): its weekdays (0 Monday … 6 Sunday),
    # its time, and the kinds of agency that sit in it; no days, no meeting.
    meeting_days = models.JSONField(default=list, blank=True)
    meeting_time = models.TimeField(null=True, blank=True)
    meeting_members = models.JSONField(default=list, blank=True)
    # The domestic-abuse triage (000: the police offer "To support the domestic abuse daily triage with
    # attendance, decision making, and information sharing"): the same three settings; no days, none.
    triage_days = models.JSONField(default=list, blank=True)
    triage_time = models.TimeField(null=True, blank=True)
    triage_members = models.JSONField(default=list, blank=True)
    # A DASH checklist with this many "yes" answers or more is a referral to MARAC (SafeLives: "visible
    # high risk", 14 of its 24 risk questions); below it, referral only on professional judgement.
    marac_threshold = models.PositiveSmallIntegerField(default=14)
    # Consent (ADR 0034; 003 App. 4 §4): a young person answers for themselves at `consent_self_age`, and
    # from `consent_competence_age` once assessed as competent; younger, a parent or carer answers.
    consent_self_age = models.PositiveSmallIntegerField(default=16)
    consent_competence_age = models.PositiveSmallIntegerField(default=12)
    # Who may agree to share without consent: a team manager always; a senior practitioner too where the
    # protocol says so (002 §27: "the MASH Manager/SSW"); and whether the agency that owns the information
    # must agree as well (002 §27).
    override_by_senior_practitioner = models.BooleanField(default=False)
    override_needs_owner_agreement = models.BooleanField(default=False)
    # Whether MASH checks may start without everyone's consent and without an agreed override (000, Data
    # and Information Sharing: "Information is shared initially within CASS with or without consent in
    # order to assess risk and harm"). Each request still records each person's consent and the lawful
    # basis; early help always needs consent whatever this says (002 §19).
    checks_without_consent = models.BooleanField(
        "MASH checks may start without consent",
        default=False,
        help_text="Information is shared initially within the MASH with or without consent, to assess risk and harm.",
    )
    early_help_criteria = models.JSONField(default=list, blank=True)
    # How letters and messages sign off and where they send people (issue 15; letters.fields).
    hub_phone = models.CharField("Hub's telephone number", max_length=40, blank=True)
    hub_email = models.EmailField("Hub's email address", blank=True)
    hub_address = models.TextField("Hub's postal address", blank=True)
    # The council's three-digit number in the DfE's returns (the census's <LEA>; issue 16).
    la_code = models.CharField("DfE local authority number", max_length=3, blank=True)
    # Operation Encompass: a school is told before its next school day starts (Home Office statutory
    # guidance, November 2025); schools in the area start at about this time.
    school_day_start = models.TimeField(default=time(8, 30))
    always_checked_agencies = models.JSONField(default=list, blank=True)
    approver_roles = models.JSONField(
        default=default_approver_roles, help_text="The roles that may approve a threshold recommendation."
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_protocol"),
            models.CheckConstraint(
                condition=Q(working_day_start__lt=models.F("working_day_end")), name="protocol_working_day_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def working_hours(self) -> WorkingHours:
        return WorkingHours(self.working_day_start, self.working_day_end)

    def extra_holidays(self) -> frozenset[date]:
        return frozenset(self.local_holidays.values_list("day", flat=True))


class ThresholdLevel(models.Model):
    protocol = models.ForeignKey(LocalProtocol, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["protocol_id", "order"]
        constraints = [models.UniqueConstraint(fields=["protocol", "code"], name="threshold_level_code_unique")]

    def __str__(self) -> str:
        return self.label


class Timescale(models.Model):
    """How long a step may take: `amount` `unit`s, for one BRAG rating or for any rating."""

    protocol = models.ForeignKey(LocalProtocol, on_delete=models.CASCADE, related_name="timescales")
    clock = models.CharField(max_length=40, choices=Clock)
    rating = models.CharField(max_length=10, choices=Brag, blank=True, help_text="Blank: any rating.")
    agency = models.CharField(
        max_length=40,
        choices=AgencyKind,
        blank=True,
        help_text="For MASH checks and the telephone prompt: blank for any agency.",
    )
    amount = models.DecimalField(max_digits=6, decimal_places=2)
    unit = models.CharField(max_length=20, choices=[(u.value, UNIT_LABELS[u]) for u in ClockUnit])
    note = models.CharField(max_length=300, blank=True, help_text="Where the rule comes from.")

    class Meta:
        ordering = ["protocol_id", "clock", "rating"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "clock", "rating", "agency"], name="timescale_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="timescale_amount_not_negative"),
        ]

    def __str__(self) -> str:
        agency = f" ({self.get_agency_display()})" if self.agency else ""
        return f"{self.get_clock_display()}{agency} {self.rating or 'any'}: {self.amount} {self.unit}"


class LocalHoliday(models.Model):
    """A one-off closure day on top of England and Wales bank holidays."""

    protocol = models.ForeignKey(LocalProtocol, on_delete=models.CASCADE, related_name="local_holidays")
    day = models.DateField()
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["protocol", "day"], name="local_holiday_unique")]

    def __str__(self) -> str:
        return f"{self.day}: {self.name}"
