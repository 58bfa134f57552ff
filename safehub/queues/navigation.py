"""The service navigation: which sections each role sees."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from safehub.accounts.models import CASE_ROLES, Role, User


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool


SECTIONS: list[tuple[str, str, frozenset[str]]] = [
    ("Work queues", "queues:home", frozenset(Role.values)),
    ("Record a contact", "contacts:record-contact", CASE_ROLES),
    ("Consultations", "consultations:list", CASE_ROLES),
    ("People", "people:search", CASE_ROLES),
    ("Requests to your agency", "checks:workspace", frozenset({Role.PARTNER_PROFESSIONAL})),
    ("Checks timeliness", "reports:checks-timeliness", frozenset({Role.PERFORMANCE_LEAD, Role.TEAM_MANAGER})),
    ("Duplicates", "matching:duplicates", frozenset({Role.TEAM_MANAGER, Role.SENIOR_PRACTITIONER})),
    ("Local protocol", "protocols:list", frozenset({Role.ADMINISTRATOR, Role.TEAM_MANAGER})),
    ("Audit trail", "audit:events", frozenset({Role.DATA_PROTECTION_OFFICER})),
]


def navigation_for(user: User, path: str) -> list[NavItem]:
    items = []
    for text, url_name, roles in SECTIONS:
        if not user.has_role(*roles):
            continue
        try:
            href = reverse(url_name)
        except NoReverseMatch:  # a section whose pages are not installed yet is left out
            continue
        current = path.startswith(href) if href != "/" else path == "/"
        items.append(NavItem(text, href, current))
    return items


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    user = request.user
    if not isinstance(user, User):
        return {"navigation": []}
    return {"navigation": navigation_for(user, request.path)}
