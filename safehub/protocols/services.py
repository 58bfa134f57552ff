"""Loading and switching local protocols."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.core.errors import ConcurrentChange
from safehub.protocols.models import LocalProtocol, ThresholdLevel, Timescale
from safehub.protocols.profiles import install

if TYPE_CHECKING:
    from safehub.accounts.models import User


@transaction.atomic
def load_seed_profiles(*, activate: str = "bexley") -> None:
    """Create the four seed hubs' profiles if they are missing (edited ones are left alone)."""
    install(LocalProtocol, ThresholdLevel, Timescale, activate=activate)


@transaction.atomic
def activate_protocol(protocol: LocalProtocol, *, by: User) -> None:
    changed = LocalProtocol.objects.filter(pk=protocol.pk, version=protocol.version).exists()
    if not changed:
        raise ConcurrentChange("protocol")
    LocalProtocol.objects.filter(is_active=True).update(is_active=False)
    LocalProtocol.objects.filter(pk=protocol.pk).update(is_active=True, version=protocol.version + 1)
    record(Verb.PROTOCOL_CHANGED, by=by, data={"protocol": protocol.slug, "change": "activated"})
