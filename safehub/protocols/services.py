"""Loading and switching local protocols."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.core.working_time import ClockUnit
from safehub.protocols import permissions
from safehub.protocols.models import LocalProtocol, ThresholdLevel, Timescale
from safehub.protocols.profiles import install

MAX_TIMESCALE = Decimal("9999.99")  # what the column holds (6 digits, 2 after the point)


@transaction.atomic
def load_seed_profiles(*, activate: str = "bexley") -> None:
    """Create the four seed hubs' profiles if they are missing (edited ones are left alone)."""
    install(LocalProtocol, ThresholdLevel, Timescale, activate=activate)


@transaction.atomic
def activate_protocol(protocol: LocalProtocol, *, by: User) -> None:
    if not permissions.can_change_protocols(by):
        raise PermissionDenied
    current = LocalProtocol.objects.filter(pk=protocol.pk, version=protocol.version).exists()
    if not current:
        raise ConcurrentChange("protocol")
    LocalProtocol.objects.filter(is_active=True).update(is_active=False)
    LocalProtocol.objects.filter(pk=protocol.pk).update(is_active=True, version=protocol.version + 1)
    record(Verb.PROTOCOL_CHANGED, by=by, data={"protocol": protocol.slug, "change": "activated"})


@transaction.atomic(durable=True)
def update_protocol(
    protocol: LocalProtocol,
    *,
    working_day_start: time,
    working_day_end: time,
    three_month_rule: bool,
    timescales: dict[int, tuple[Decimal, str]],
    by: User,
    version: int,
) -> None:
    """Change a protocol's working day, three-month rule and timescales, all or nothing."""
    if not permissions.can_change_protocols(by):
        raise PermissionDenied
    if working_day_start >= working_day_end:
        raise DomainError("The working day must end after it starts", field="working_day_end")
    changed = LocalProtocol.objects.filter(pk=protocol.pk, version=version).update(
        working_day_start=working_day_start,
        working_day_end=working_day_end,
        three_month_rule=three_month_rule,
        version=version + 1,
    )
    if changed != 1:
        raise ConcurrentChange("protocol")
    rows = {t.pk: t for t in protocol.timescales.all()}
    for pk, (amount, unit) in timescales.items():
        row = rows.get(pk)
        if row is None:
            raise DomainError("A timescale does not belong to this protocol")
        if amount <= 0:
            raise DomainError("A timescale must be more than zero: a step cannot be due when it starts")
        if amount > MAX_TIMESCALE:
            raise DomainError(f"A timescale can be at most {MAX_TIMESCALE:,}")
        if unit == ClockUnit.WORKING_DAYS and amount != amount.to_integral_value():
            raise DomainError("Working days must be a whole number")
        row.amount, row.unit = amount, unit
    Timescale.objects.bulk_update(rows.values(), ["amount", "unit"])
    record(
        Verb.PROTOCOL_CHANGED,
        by=by,
        data={"protocol": protocol.slug, "change": "edited", "timescales": len(timescales)},
    )
    protocol.version = version + 1
