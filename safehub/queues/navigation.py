"""The service navigation: which sections each role sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from safehub.accounts.models import User
from safehub.accounts.permissions import can_read_performance, can_unlock_accounts, could_approve
from safehub.audit.permissions import can_read_audit
from safehub.checks.permissions import can_answer_requests, can_be_coordinator
from safehub.consent.permissions import can_read_consent_figures
from safehub.consultations.permissions import can_see_consultations
from safehub.contacts.permissions import can_find_contacts, can_record_contact, can_see_contacts
from safehub.handoffs.permissions import can_see_caseload
from safehub.information_requests.permissions import can_see_requests
from safehub.letters.permissions import can_edit_templates, can_manage_schools, can_see_messages
from safehub.matching.permissions import can_review_duplicates
from safehub.meetings.permissions import can_see_meetings
from safehub.onward.permissions import can_manage_receiving_teams, can_see_packs
from safehub.outbox.permissions import can_read_outbox
from safehub.partner_outcomes.permissions import can_see_referral_outcomes
from safehub.people.permissions import can_search_people
from safehub.protocols.permissions import can_view_protocols
from safehub.returns.permissions import can_see_returns
from safehub.sharing.permissions import can_read_ledger
from safehub.strategy.permissions import can_read_strategy_timeliness, can_see_strategy, sees_as_an_invited_agency
from safehub.users.permissions import can_manage_users


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool


def _only(reads: Callable[[User], bool], user: User) -> bool:
    """A report for someone who `reads` it without the dashboard that links to it."""
    return reads(user) and not can_read_performance(user)


# Each section is shown to the users its app's predicate lets in (the page itself asks the same).
SECTIONS: list[tuple[str, str, Callable[[User], bool]]] = [
    # The hub's own staff; everyone else's home is one of the sections below (a partner's requests,
    # the audit trail…), which a "Work queues" link would only repeat under another name.
    ("Work queues", "queues:home", can_see_contacts),
    ("My caseload", "queues:caseload", can_see_caseload),
    ("Record a contact", "contacts:record-contact", can_record_contact),
    ("Find a contact", "contacts:find-contact", can_find_contacts),
    ("Consultations", "consultations:list", can_see_consultations),
    ("Letters", "letters:waiting", can_see_messages),
    ("Referrals", "onward:packs", can_see_packs),
    ("People", "people:search", can_search_people),
    ("MASH checks", "checks:worktray", can_be_coordinator),
    ("Strategy discussions", "strategy:worktray", can_see_strategy),
    ("Strategy discussions", "strategy:invitations", sees_as_an_invited_agency),
    ("Daily meetings", "meetings:meetings", can_see_meetings),
    ("Domestic-abuse triage", "meetings:triage", can_see_meetings),
    ("Sharing without consent", "consent:overrides", could_approve),
    ("Information requests", "information_requests:list", can_see_requests),
    ("Requests to your agency", "checks:workspace", can_answer_requests),
    ("Your referrals' outcomes", "partner_outcomes:referrals", can_see_referral_outcomes),
    # The performance lead's measures (issue 16); the other reports are linked from the dashboard, so that a
    # manager's navigation is not a list of reports. Who reads one report only finds it here.
    ("Dashboard", "reports:dashboard", can_read_performance),
    ("Strategy timeliness", "reports:strategy-timeliness", lambda user: _only(can_read_strategy_timeliness, user)),
    ("Consent figures", "reports:consent", lambda user: _only(can_read_consent_figures, user)),
    ("Statutory returns", "returns:home", can_see_returns),
    ("Duplicates", "matching:duplicates", can_review_duplicates),
    ("Users and teams", "users:home", can_manage_users),
    ("Local protocol", "protocols:list", can_view_protocols),
    ("Letter templates", "letters:templates", can_edit_templates),
    ("Schools", "letters:schools", can_manage_schools),
    ("Receiving teams", "onward:teams", can_manage_receiving_teams),
    ("Audit trail", "audit:events", can_read_audit),
    ("Sharing ledger", "sharing:ledger", can_read_ledger),
    ("Who has seen a record", "sharing:seen", can_read_ledger),
    ("Locked accounts", "users:locked-accounts", can_unlock_accounts),
    ("Outbox", "outbox:outbox", can_read_outbox),  # demo mode only
    ("Your account", "mfa:account", lambda user: True),  # everyone's recovery codes
]


def navigation_for(user: User, path: str) -> list[NavItem]:
    """The user's sections, the one `path` is in marked current: the section whose address is the
    longest start of it (Locked accounts, not Administration as well), and none on the sign-in
    pages (under Your account's address, but not part of it)."""
    links = []
    for text, url_name, shown_to in SECTIONS:
        if not shown_to(user):
            continue
        try:
            links.append((text, reverse(url_name)))
        except NoReverseMatch:  # a section whose pages are not installed yet is left out
            continue
    signing_in = path.startswith(reverse("accounts:login"))
    within = [href for _, href in links if (path == "/" if href == "/" else path.startswith(href))]
    current = max(within, key=len) if within and not signing_in else None
    return [NavItem(text, href, href == current) for text, href in links]


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    user = request.user
    if not isinstance(user, User):
        return {"navigation": []}
    return {"navigation": navigation_for(user, request.path)}
