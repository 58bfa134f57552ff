"""What a contact must say before it is recorded, whoever records it (the form, an import, a later
API): every rule once, each problem with the field (and person) it belongs to."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from safehub.contacts.models import (
    CHILD_ROLES,
    ConsentPosition,
    NotToldReason,
    ReferrerKind,
    YesNoUnknown,
)
from safehub.core.ages import is_child_on
from safehub.core.errors import Problem
from safehub.core.presenters import DAY, shown_date
from safehub.core.working_time import LONDON
from safehub.people.models import PersonKind
from safehub.protocols.models import Brag

# A date of birth before this is a typing error ("1800"), not a person the hub will see.
EARLIEST_BIRTH_YEAR = 1900
# An expected date of delivery this long past is a mistake, not a late baby.
EXPECTED_DATE_GRACE_DAYS = 60
# What an anonymous referrer leaves empty: anything that names, places or reaches them. A role at a
# named school is as telling as a name, so the contact is refused, never saved with these dropped.
IDENTIFYING_REFERRER_FIELDS = (
    "referrer_name",
    "referrer_role",
    "referrer_agency",
    "referrer_phone",
    "referrer_email",
    "referrer_address",
    "referrer_relationship",
)
ANONYMOUS_REFERRER_FILLED = (
    "The referrer asked to stay anonymous: leave their name, role, agency and contact details empty,"
    " or choose who made the contact"
)


# The time part of `received_at`, where a problem is with the time alone (a form shows it beside its
# time field).
RECEIVED_TIME = "received_time"


def contact_problems(fields: dict[str, Any], subjects: list[dict[str, Any]], *, at: datetime) -> list[Problem]:
    """Everything wrong with a contact and the people it names, at once (the service's check)."""
    today = at.astimezone(LONDON).date()
    people = [
        problem
        for item, subject in enumerate(subjects)
        for problem in subject_problems(subject, item=item, today=today)
    ]
    return (
        referral_problems(fields, at=at)
        + rating_problems(fields)
        + consent_problems(fields)
        + people
        + people_problems(fields, subjects, at=at)
    )


def rating_problems(fields: dict[str, Any], *, blank_means_red: bool = True) -> list[Problem]:
    """A child who needs immediate protection is at risk of significant harm: Red (002 §7, §11).
    At intake a blank rating is made Red (contacts.services.record_contact); a rating changed later
    may not be taken back to "not rated"."""
    rating = fields.get("initial_rating") or ""
    allowed = ("", Brag.RED) if blank_means_red else (Brag.RED,)
    if fields.get("immediate_protection") == YesNoUnknown.YES and rating not in allowed:
        return [Problem("A child who needs immediate protection is rated Red", field="initial_rating")]
    return []


def referral_problems(fields: dict[str, Any], *, at: datetime) -> list[Problem]:
    """When the contact arrived and who made it (the form shows these beside its own fields)."""
    problems: list[Problem] = []
    received = fields.get("received_at")
    if received is not None and received > at:
        if received.astimezone(LONDON).date() == at.astimezone(LONDON).date():
            # Today, at a time still to come: it is the time that is wrong, not the date.
            problems.append(Problem("The time received cannot be in the future", field=RECEIVED_TIME))
        else:
            problems.append(Problem("The date received must be today or in the past", field="received_at"))
    identified = any(str(fields.get(name) or "").strip() for name in IDENTIFYING_REFERRER_FIELDS)
    if fields.get("referrer_kind") == ReferrerKind.ANONYMOUS and identified:
        problems.append(Problem(ANONYMOUS_REFERRER_FILLED, field="referrer_kind"))
    if fields.get("referrer_kind") == ReferrerKind.PROFESSIONAL:
        if not fields.get("referrer_name"):
            problems.append(Problem("Enter the referrer's name", field="referrer_name"))
        if not fields.get("referrer_agency"):
            problems.append(Problem("Enter the referrer's agency", field="referrer_agency"))
    return problems


# What a referrer who did not tell the family must say for each reason chosen (002 §22 a–c).
NOT_TOLD_PROMPTS = {
    NotToldReason.INCREASED_RISK: "Say how telling them would increase the risk to the child",
    NotToldReason.PREJUDICE_INVESTIGATION: "Say which investigation telling them would prejudice, and how",
    NotToldReason.UNDUE_DELAY: "Say why seeking to tell them would cause undue delay",
}


def not_told_field(reason: str) -> str:
    return f"not_told_{reason}"


def kept_reasons(consent: str, not_told: dict[str, str] | None) -> dict[str, str]:
    """The reasons kept with a contact: each chosen with why, and only for a family not told."""
    if consent != ConsentPosition.NOT_INFORMED_SAFEGUARDING:
        return {}
    return {reason: str(why).strip() for reason, why in (not_told or {}).items()}


def consent_problems(fields: dict[str, Any]) -> list[Problem]:
    """What the referrer said of consent, as their kind allows (002 §18–19): a member of the public
    needs none, a professional should have it or at least have told the family; a family not told is
    not told only for one of the three reasons the seeds allow (002 §22), each with why."""
    problems = []
    consent, kind = fields.get("consent"), fields.get("referrer_kind")
    if kind == ReferrerKind.PROFESSIONAL and consent == ConsentPosition.NOT_REQUIRED_PUBLIC:
        problems.append(
            Problem(
                "A professional should have the family's consent, or at least have told them: choose what the"
                " referrer said",
                field="consent",
            )
        )
    if consent == ConsentPosition.NOT_INFORMED_SAFEGUARDING:
        # A family not told neither knows of the contact nor agrees to it (walk-through: "not informed"
        # was saved beside "the parents agree: yes").
        for name, question in (("parents_aware", "know about this contact"), ("parents_agree", "agree to it")):
            if fields.get(name) == YesNoUnknown.YES:
                problems.append(
                    Problem(
                        f"The referrer did not tell the family: the parents cannot {question}. Choose 'No' or"
                        " 'Not known', or say what the referrer said of consent",
                        field=name,
                    )
                )
        reasons: dict[str, str] = fields.get("not_told") or {}
        if not reasons:
            problems.append(Problem("Choose why the family was not told", field="not_told_reasons"))
        for reason, rationale in reasons.items():
            if reason not in NotToldReason.values:
                problems.append(Problem("Choose why the family was not told from the list", field="not_told_reasons"))
            elif not str(rationale).strip():
                problems.append(Problem(NOT_TOLD_PROMPTS[NotToldReason(reason)], field=not_told_field(reason)))
    return problems


def people_problems(fields: dict[str, Any], subjects: list[dict[str, Any]], *, at: datetime) -> list[Problem]:
    """What the people named must say together with the contact: a child among them, born by the
    time the contact arrived."""
    problems = child_problems(subjects)
    today = at.astimezone(LONDON).date()
    received = fields.get("received_at")
    received_day = received.astimezone(LONDON).date() if received is not None else today
    for subject in subjects:
        born = subject.get("date_of_birth")
        if born and today >= born > received_day:
            name = subject.get("given_name") or "a child"
            problems.append(Problem(f"The contact cannot be received before {name} was born", field="received_at"))
    return problems


def child_problems(subjects: list[dict[str, Any]]) -> list[Problem]:
    """A contact is about at least one child, when it is recorded and after every amendment."""
    if not any(subject.get("role") in CHILD_ROLES for subject in subjects):
        return [Problem("Add at least one child the concern is about", field="subjects")]
    return []


def subject_problems(subject: dict[str, Any], *, item: int, today: date) -> list[Problem]:
    """One person named in a contact, as the referrer described them."""
    problems = []
    born, expected, kind = subject.get("date_of_birth"), subject.get("expected_date_of_delivery"), subject.get("kind")
    if born and born > today:
        problems.append(Problem("Date of birth must be today or in the past", field="date_of_birth", item=item))
    elif born and born.year < EARLIEST_BIRTH_YEAR:
        problems.append(Problem("Check the date of birth: it is too long ago", field="date_of_birth", item=item))
    elif born and subject.get("role") in CHILD_ROLES and not is_child_on(born, today):
        problems.append(
            Problem(
                "A child is under 18: check the date of birth, or record them as an adult",
                field="date_of_birth",
                item=item,
            )
        )
    elif born and kind == PersonKind.ADULT and is_child_on(born, today):
        problems.append(
            Problem(
                "Someone under 18 is a child: record them as a child, whatever their part in the contact"
                " (a young parent is a child too), or check the date of birth",
                field="kind",
                item=item,
            )
        )
    if kind == PersonKind.UNBORN:
        if not expected:
            problems.append(
                Problem(
                    "Enter the expected date of delivery for an unborn child: pre-birth timescales count from it",
                    field="expected_date_of_delivery",
                    item=item,
                )
            )
        if born:
            problems.append(
                Problem(
                    "An unborn child has no date of birth: enter the expected date of delivery",
                    field="date_of_birth",
                    item=item,
                )
            )
        if expected and (today - expected).days > EXPECTED_DATE_GRACE_DAYS:
            problems.append(
                Problem(
                    "The expected date of delivery is too far in the past", field="expected_date_of_delivery", item=item
                )
            )
    elif expected:
        problems.append(
            Problem(
                "Only an unborn child has an expected date of delivery", field="expected_date_of_delivery", item=item
            )
        )
    if not (subject.get("given_name") or subject.get("family_name")) and kind != PersonKind.UNBORN:
        problems.append(Problem("Enter at least a first or last name", field="family_name", item=item))
    return problems


def written_day(day: date) -> str:
    """'3 December 2026', as every page writes a day."""
    return shown_date(day, DAY)


def day_problems(day: date, *, received_at: datetime, at: datetime, what: str, field: str) -> list[Problem]:
    """A day something was done about a contact since it arrived (consent asked for, the referrer
    told the outcome): neither before the contact was received nor in the future, in London days.
    `what` names the date: "The date the referrer was told"."""
    received = received_at.astimezone(LONDON).date()
    if day < received:
        return [Problem(f"{what} cannot be before the contact was received ({written_day(received)})", field=field)]
    if day > at.astimezone(LONDON).date():
        return [Problem(f"{what} must be today or in the past", field=field)]
    return []
