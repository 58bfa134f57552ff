from __future__ import annotations

from django.conf import settings
from django.db import models


class AccountLockout(models.Model):
    """An account's failed sign-ins since its last good one, and whether they have locked it.

    A row is written only for an account that exists, at its first failure. A locked account
    stays locked until an administrator unlocks it (signin.lockout.unlock_account)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lockout")
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {'locked' if self.locked_at else 'not locked'}, {self.failures} failures"


class ClientThrottle(models.Model):
    """Failed sign-ins from one client address in one fixed window of time.

    Once `failures` reaches the limit the client is refused until the window ends, without a
    password being checked; the first refusal in a window is audited, the rest write nothing."""

    client = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    refusal_audited = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "window_start"], name="client_throttle_one_row_a_window"),
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.client} from {self.window_start:%Y-%m-%d %H:%M}: {self.failures} failures"
