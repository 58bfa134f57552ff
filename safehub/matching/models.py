from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.people.models import Person


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


class PersonIndexEntry(models.Model):
    """A person's normalised matching fields, kept beside the person record for fast scoring."""

    person = models.OneToOneField(Person, primary_key=True, on_delete=models.CASCADE, related_name="+")
    features = models.JSONField()

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
