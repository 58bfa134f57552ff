"""The second step of signing in: how many codes in a row a user got wrong, and administrators'
resets. The authenticator apps and recovery codes themselves are django-otp's devices
(`TOTPDevice`, `StaticDevice`), stored as that library stores them (ADR 0024)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CodeAttempts(models.Model):
    """Wrong codes in a row at the second step of signing in. At `MFA_MAX_FAILED_CODES` the second
    step is locked (`locked_at`) until an administrator unlocks it or resets the user's authenticator."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="code_attempts"
    )
    failures = models.PositiveIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "code attempts"

    def __str__(self) -> str:
        return f"{self.user}: {self.failures} wrong code(s)" + (" (locked)" if self.locked_at else "")


class ResetAction(models.TextChoices):
    UNLOCK = "unlock", "Unlock the code step (they keep their authenticator app and recovery codes)"
    RESET = "reset", "Remove their authenticator app and recovery codes (they set up a new one when they next sign in)"


class AuthenticatorReset(models.Model):
    """An administrator unlocked a user's second step, or removed their authenticator app: who, whose, why."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authenticator_resets")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=10, choices=ResetAction)
    reason = models.TextField()

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ResetAction.values), name="authenticator_reset_action_valid"),
            models.CheckConstraint(condition=~Q(user=models.F("by")), name="authenticator_reset_not_own"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} for {self.user} by {self.by}"
