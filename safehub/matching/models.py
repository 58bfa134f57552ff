from __future__ import annotations

from typing import ClassVar, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.accounts.models import User
from safehub.accounts.permissions import can_work_on_cases
from safehub.matching.permissions import can_review_duplicates
from safehub.people.models import Person

_Reviewed = TypeVar("_Reviewed", bound=models.Model)


class MatcherModel(models.Model):
    """A trained matching model: the versioned artefact the interactive search scores with."""

    version = models.PositiveIntegerField(unique=True)
    trained_at = models.DateTimeField(default=timezone.now)
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    records = models.PositiveIntegerField(help_text="People in the index when it was trained.")
    seconds = models.FloatField(default=0.0)
    parameters = models.JSONField()
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_matcher"),
        ]

    def __str__(self) -> str:
        return f"Matcher version {self.version}"


class PersonIndexEntryQuerySet(models.QuerySet["PersonIndexEntry"]):
    def visible_to(self, user: User) -> PersonIndexEntryQuerySet:
        """The person index is for children's social care staff, as the person records are."""
        return self if can_work_on_cases(user) else self.none()


class PersonIndexEntry(models.Model):
    """A person's normalised matching fields, kept beside the person record for fast scoring."""

    person = models.OneToOneField(Person, primary_key=True, on_delete=models.CASCADE, related_name="+")
    features = models.JSONField()

    objects = PersonIndexEntryQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Index entry for person {self.person_id}"


class BlockingKey(models.Model):
    """One retrieval key of a person ('d:2019-03-04', 'n:9434765919'): search looks keys up, never scans."""

    pk = models.CompositePrimaryKey("key", "person")
    key = models.CharField(max_length=80)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["person"], name="blockingkey_person")]

    def __str__(self) -> str:
        return self.key


class PairStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    MERGED = "merged", "Merged"
    NOT_SAME = "not_same", "Not the same person"


class ReviewQuerySet(models.QuerySet[_Reviewed]):
    def visible_to(self, user: User) -> ReviewQuerySet[_Reviewed]:
        """Suspected duplicates and merges are for the reviewers of the person index."""
        return self if can_review_duplicates(user) else self.none()


class DuplicatePair(models.Model):
    """Two person records the matcher thinks may be one person, waiting for a person to decide."""

    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    found_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=PairStatus, default=PairStatus.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects: ClassVar[ReviewQuerySet[DuplicatePair]] = ReviewQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(left__lt=models.F("right")), name="duplicate_pair_ordered"),
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=1), name="duplicate_pair_probability"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"])]

    def __str__(self) -> str:
        return f"Possible duplicate: {self.left_id} and {self.right_id}"


class Merge(models.Model):
    """One merge of `merged` into `kept`, with every link it moved, so that it can be undone exactly."""

    pair = models.ForeignKey(DuplicatePair, on_delete=models.PROTECT, related_name="merges")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
    moved = models.JSONField(help_text="Ids of the rows re-pointed from the merged record to the kept one, by kind.")
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ReviewQuerySet[Merge]] = ReviewQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"Merge of {self.merged_id} into {self.kept_id}"
