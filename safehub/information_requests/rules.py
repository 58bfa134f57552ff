"""What an information request needs before it is taken (000, levels 1 to 3), and what each level's
answer holds. Pure Python: no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from safehub.core.errors import Problem

# Addresses anyone can open: level 1's check is an email "from their organisation's address" (000).
PERSONAL_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "live.co.uk",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "btinternet.com",
        "proton.me",
        "protonmail.com",
    }
)
MIN_REASON = 10


@dataclass(frozen=True)
class Details:
    """A request as it is taken: the level, who asks and how they were checked, about whom, and why."""

    level: int
    requester_name: str
    requester_role: str
    requester_organisation: str
    requester_email: str
    child_name: str
    reason: str
    identity_checked: str = ""
    requester_phone: str = ""
    child_date_of_birth: date | None = None
    consent_evidence: str = ""
    exemption: str = ""


def personal_address(email: str) -> bool:
    return email.rpartition("@")[2].strip().lower() in PERSONAL_EMAIL_DOMAINS


def request_problems(details: Details, *, today: date) -> list[Problem]:
    """Everything wrong with a request at once (each refused with a clear reason: issue 14)."""
    problems = []
    for field, value, message in (
        ("requester_name", details.requester_name, "Enter the name of the person asking"),
        ("requester_role", details.requester_role, "Enter their role"),
        ("requester_organisation", details.requester_organisation, "Enter their organisation"),
        ("requester_email", details.requester_email, "Enter their work email address"),
        ("child_name", details.child_name, "Enter the child's name"),
    ):
        if not value.strip():
            problems.append(Problem(message, field=field))
    if details.requester_email.strip() and personal_address(details.requester_email):
        problems.append(
            Problem(
                "Use the address of their organisation, not a personal one: anyone can open a personal address",
                field="requester_email",
            )
        )
    if len(details.reason.strip()) < MIN_REASON:
        problems.append(Problem(f"Say why they ask, in at least {MIN_REASON} characters", field="reason"))
    if details.child_date_of_birth is not None and details.child_date_of_birth > today:
        problems.append(Problem("The child's date of birth must be today or in the past", field="child_date_of_birth"))
    if details.level == 1 and not details.identity_checked.strip():
        problems.append(
            Problem(
                "Say how you checked who the caller is: for example, the email they sent from their"
                " organisation's address while still on the phone",
                field="identity_checked",
            )
        )
    if details.level == 2:
        problems += _consent_problems(details)
    if details.level == 3 and not details.exemption:
        problems.append(
            Problem(
                "A whole file is shared only for court proceedings or a section 47 enquiry: choose which",
                field="exemption",
            )
        )
    return problems


def _consent_problems(details: Details) -> list[Problem]:
    """000, level 2: evidence of consent is needed, except in a section 47 enquiry, care proceedings, a
    CAFCASS section 7 or 37 report, or pre-proceedings."""
    if not details.consent_evidence or details.consent_evidence == "none":
        return [
            Problem(
                "A level 2 answer needs evidence of consent (a signed form, or the agency's confirmation of"
                " verbal consent) unless an exemption applies",
                field="consent_evidence",
            )
        ]
    if details.consent_evidence == "not_needed" and not details.exemption:
        return [Problem("Choose the exemption that means consent is not needed", field="exemption")]
    return []


@dataclass(frozen=True)
class Involved:
    """One involvement of children's social care, as an answer may give it."""

    service: str  # the service's label
    code: str
    started: date
    ended: date | None
    worker: str
    worker_email: str
    team: str


def level_one(involvements: Iterable[Involved]) -> dict[str, object]:
    """000, level 1: whether the child is or was known, and the worker's name and email if allocated."""
    found = list(involvements)
    open_now = [each for each in found if each.ended is None]
    return {
        "known": bool(found),
        "open": bool(open_now),
        "workers": [
            {"service": each.service, "worker": each.worker, "email": each.worker_email, "team": each.team}
            for each in open_now
        ],
    }


# 000, level 2: "whether the child was on a Child Protection Plan, Child in Need plan or whether a section
# 47 investigation has taken place ... if the child/family has received family support or whether a
# child has been in care".
LEVEL_TWO_FLAGS = {
    "child_protection_plan": "A child protection plan",
    "child_in_need": "A child in need plan",
    "section_47_enquiry": "A section 47 enquiry",
    "early_help": "Family support (early help)",
    "child_in_care": "In care",
}


def level_two(involvements: Iterable[Involved], *, reasons: str) -> dict[str, object]:
    """000, level 2: the dates and reasons of involvement and which kinds there were; no more."""
    found = sorted(involvements, key=lambda each: each.started)
    kinds = {each.code for each in found}
    return {
        "involvements": [
            {
                "service": each.service,
                "from": each.started.isoformat(),
                "to": each.ended.isoformat() if each.ended else "",
            }
            for each in found
        ],
        "had": [label for code, label in LEVEL_TWO_FLAGS.items() if code in kinds],
        "reasons": reasons.strip(),
    }
