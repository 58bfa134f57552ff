"""Statutory returns (issue 16; ADR 0040): each time a return is built and checked by its validator,
for the worker's nightly rebuild or for an export, what the validator found."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReturnKind(models.TextChoices):
    CIN_CENSUS = "cin_census", "DfE Children in Need census"
    ANNEX_A = "annex_a", "Ofsted ILACS Annex A, lists 1 to 5"


class ReturnCheck(models.Model):
    """A return built and run through its validator. `issues` are what stops it (errors) or asks a
    person to look (queries), each with the rule and the children (their local person IDs) it names."""

    kind = models.CharField(max_length=20, choices=ReturnKind)
    period = models.CharField(max_length=20)  # the census's collection year, or Annex A's as-at date (ISO)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)  # none while it is being built
    made_by = models.ForeignKey(  # none: the worker's nightly rebuild
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nightly_on = models.DateField(null=True, blank=True)  # the night it was rebuilt for, once a night
    # Asked for on the Statutory returns page: the worker builds it (`claimed_at`) and keeps the file
    # for the person who asked, to download once it passes.
    requested = models.BooleanField(default=False)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)  # the request form's one-time key
    claimed_at = models.DateTimeField(null=True, blank=True)
    file = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=100, blank=True)
    exported = models.BooleanField(default=False)
    children = models.PositiveIntegerField(default=0)
    children_ids = models.JSONField(default=list)  # their local person IDs: who a download discloses
    rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{"rule", "message", "children": [local ids]}]
    queries = models.JSONField(default=list)
    failure = models.TextField(blank=True)  # why it could not be built or checked at all
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "nightly_on"], condition=Q(nightly_on__isnull=False), name="return_rebuilt_once_a_night"
            ),
        ]
        indexes = [models.Index(fields=["kind", "started_at"], name="return_check_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"

    @property
    def period_label(self) -> str:
        """The period in words: the census's collection year, or the date Annex A is as at."""
        if self.kind == ReturnKind.CIN_CENSUS:
            return f"Year to 31 March {self.period}"
        return f"As at {date.fromisoformat(self.period):%-d %B %Y}"

    @property
    def building(self) -> bool:
        return self.finished_at is None

    @property
    def passes(self) -> bool:
        return self.finished_at is not None and not self.failure and not self.errors
