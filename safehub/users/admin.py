"""The Django admin, audited. Every model it offers is registered with `AuditedModelAdmin`, whose
hooks write an audit entry for each addition, change and deletion, with the old and new values,
in the admin's own transaction (ADR 0026). The hooks are the admin's own (`log_addition`,
`log_change`, `delete_model`, `delete_queryset`), not a signal on its LogEntry rows: those are
bulk-created when several records are deleted at once, and signals do not see bulk writes.

The admin is off unless SAFEHUB_ADMIN_ENABLED is true (users.middleware); Safehub's own pages
(users.views) are how administrators manage users, roles, agencies and teams."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest

from safehub.accounts.models import Agency, Membership, Team, User
from safehub.audit.models import Verb
from safehub.audit.services import record

# Never copied into the audit trail, even as an old or new value: whether it changed is noted instead.
SECRET_FIELDS = frozenset({"password"})
BEFORE = "_safehub_admin_before"


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's own fields, its many-to-many links (a user's groups and permissions) and, for a
    user, their roles in teams, as JSON would store them."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name not in SECRET_FIELDS:
            values[field.name] = field.value_from_object(obj)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
        if isinstance(obj, User):
            values["memberships"] = sorted(
                f"{role} in team {team_id}"
                for team_id, role in Membership.objects.filter(user=obj).values_list("team_id", "role")
            )
    plain: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return plain


def _password_of(obj: models.Model) -> str:
    return str(getattr(obj, "password", ""))


def _about(obj: models.Model) -> dict[str, Any]:
    return {"model": obj._meta.label_lower, "object_id": str(obj.pk), "object": str(obj)[:200]}


def _message(message: Any) -> Any:
    """The admin's own account of the change ("Changed first name"), as its LogEntry keeps it."""
    return message if isinstance(message, list) else str(message)[:500]


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        """Keep the record as it was before the form changes it (the change form validates into
        the same instance, so by `log_change` the old values are gone)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            before: dict[tuple[str, str], tuple[dict[str, Any], str]] = getattr(request, BEFORE, {})
            before[(obj._meta.label_lower, str(obj.pk))] = (snapshot(obj), _password_of(obj))
            setattr(request, BEFORE, before)
        return obj

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        record(
            Verb.ADMIN_RECORD_ADDED,
            by=_actor(request),
            data={**_about(obj), "new": snapshot(obj), "admin_message": _message(message)},
        )
        return entry

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        before: dict[tuple[str, str], tuple[dict[str, Any], str]] = getattr(request, BEFORE, {})
        after = snapshot(obj)
        data: dict[str, Any] = {**_about(obj), "admin_message": _message(message)}
        earlier = before.get((obj._meta.label_lower, str(obj.pk)))
        if earlier is None:  # changed from the list page: the admin's message names the fields
            data["new"] = after
        else:
            old, old_password = earlier
            changed = sorted(name for name in after if old.get(name) != after[name])
            data["old"] = {name: old.get(name) for name in changed}
            data["new"] = {name: after[name] for name in changed}
            data["password_changed"] = old_password != _password_of(obj)
        record(Verb.ADMIN_RECORD_CHANGED, by=_actor(request), data=data)
        return entry

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            _record_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                _record_deletion(request, obj)
            super().delete_queryset(request, queryset)


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("The admin changes records for signed-in users only")
    return user


def _record_deletion(request: HttpRequest, obj: models.Model) -> None:
    record(Verb.ADMIN_RECORD_DELETED, by=_actor(request), data={**_about(obj), "old": snapshot(obj)})


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 1


@admin.register(User)
class SafehubUserAdmin(AuditedModelAdmin, UserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    pass


@admin.register(Team)
class TeamAdmin(AuditedModelAdmin):
    pass


admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    pass
