from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from safehub.accounts.models import Agency, Membership, Team, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 1


@admin.register(User)
class SafehubUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]


admin.site.register(Agency)
admin.site.register(Team)
