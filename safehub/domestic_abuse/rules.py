"""The rules of a police domestic-abuse notification, pure Python (issue 13).

- The DASH score is the number of "yes" answers; at the protocol's threshold or above (SafeLives: 14,
  "visible high risk") the notification is a referral to MARAC; below it, a referral only on
  professional judgement, with the rationale recorded.
- DARA and a grade only give a level: high is a referral to MARAC; below, professional judgement again.
- A repeat: another incident against the same victim within 12 months of their last MARAC referral
  (SafeLives' definition of a repeat MARAC case)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from safehub.contacts.models import YesNoUnknown
from safehub.core.errors import Problem
from safehub.core.presenters import shown_date
from safehub.domestic_abuse.models import (
    PLACE_LENGTH,
    RATIONALE_LENGTH,
    REFERENCE_LENGTH,
    Assessment,
    MaracBasis,
    RiskLevel,
)

REPEAT_MONTHS = 12
# Older than this before police told the hub, an incident's year is most likely mistyped.
OLDEST_INCIDENT = timedelta(days=5 * 365)


@dataclass(frozen=True)
class Question:
    number: int
    text: str


@dataclass(frozen=True)
class Details:
    """A notification as the form sends it: subjects by their pk on the contact, DASH answers by number."""

    police_reference: str
    incident_at: datetime | None
    place: str
    victim: int | None
    perpetrator: int | None
    children_present: Mapping[int, str]
    assessment: str
    risk_level: str = ""
    answers: Mapping[int, str] = field(default_factory=dict)
    refer_on_judgement: bool = False
    rationale: str = ""
    correction_reason: str = ""  # why a recorded notification is corrected


def dash_score(answers: Mapping[int, str]) -> int:
    return sum(1 for answer in answers.values() if answer == YesNoUnknown.YES)


def marac_basis(details: Details, *, threshold: int, repeat: bool = False) -> str:
    """Why the notification is a referral to MARAC, or "" if it is not. `repeat`: the victim was
    referred to MARAC in the 12 months before this incident."""
    if details.assessment == Assessment.DASH and dash_score(details.answers) >= threshold:
        return MaracBasis.THRESHOLD
    if details.risk_level == RiskLevel.HIGH:  # DARA, a grade, or the officer's own level beside a DASH
        return MaracBasis.HIGH_RISK
    if repeat:
        return MaracBasis.REPEAT
    if details.refer_on_judgement:
        return MaracBasis.JUDGEMENT
    return ""


def problems(
    details: Details,
    *,
    questions: Sequence[Question],
    people: Mapping[int, str],
    children: Sequence[int],
    received_at: datetime,
    at: datetime,
    correcting: bool = False,
) -> list[Problem]:
    """Everything wrong with the details at once. `people` are the contact's subjects (pk: name),
    `children` the pks of its children, `received_at` when police notified the hub, `at` now;
    `correcting` a notification already recorded needs a reason."""
    found = []
    reference = details.police_reference.strip()
    if not reference:
        found.append(Problem("Enter the police reference", field="police_reference"))
    elif len(reference) > REFERENCE_LENGTH:
        found.append(
            Problem(f"Enter a police reference of at most {REFERENCE_LENGTH} characters", field="police_reference")
        )
    if details.incident_at is None:
        found.append(Problem("Enter the date and time of the incident", field="incident_on"))
    elif details.incident_at > at:
        found.append(Problem("The incident cannot be in the future: check its date and time", field="incident_on"))
    elif details.incident_at > received_at:
        found.append(
            Problem(
                f"The incident cannot be after police notified the hub ({shown_date(received_at)}): check its date"
                " and time",
                field="incident_on",
            )
        )
    elif details.incident_at < received_at - OLDEST_INCIDENT:
        found.append(
            Problem(
                "The incident is more than five years before police notified the hub: check its year",
                field="incident_on",
            )
        )
    place = details.place.strip()
    if not place:
        found.append(Problem("Enter where the incident happened", field="place"))
    elif len(place) > PLACE_LENGTH:
        found.append(Problem(f"Enter at most {PLACE_LENGTH} characters", field="place"))
    if details.victim is None or details.victim not in people:
        found.append(Problem("Choose the victim from the people on the contact", field="victim"))
    if details.perpetrator is not None and details.perpetrator not in people:
        found.append(Problem("Choose the alleged perpetrator from the people on the contact", field="perpetrator"))
    elif details.perpetrator is not None and details.perpetrator == details.victim:
        found.append(Problem("Choose different people as the victim and the alleged perpetrator", field="perpetrator"))
    for child in children:
        if details.children_present.get(child) not in YesNoUnknown.values:
            found.append(Problem(f"Say whether {people[child]} was there", field=f"present_{child}"))
    if details.assessment not in Assessment.values:
        found.append(Problem("Choose the risk assessment police sent", field="assessment"))
    elif details.assessment == Assessment.DASH:
        for question in questions:
            if details.answers.get(question.number) not in YesNoUnknown.values:
                found.append(Problem(f"Answer DASH question {question.number}", field=f"dash_{question.number}"))
    elif details.risk_level not in RiskLevel.values:
        found.append(Problem("Choose the risk level police gave", field="risk_level"))
    if details.assessment == Assessment.DASH and details.risk_level and details.risk_level not in RiskLevel.values:
        found.append(Problem("Choose the risk level police gave", field="risk_level"))
    rationale = details.rationale.strip()
    if details.refer_on_judgement and not rationale:
        found.append(Problem("Say why professional judgement refers this to MARAC", field="rationale"))
    elif rationale and not details.refer_on_judgement:
        found.append(
            Problem(
                "Tick “Refer to MARAC on professional judgement” to keep this rationale, or clear it",
                field="refer_on_judgement",
            )
        )
    elif len(rationale) > RATIONALE_LENGTH:
        found.append(Problem(f"Write at most {RATIONALE_LENGTH:,} characters", field="rationale"))
    reason = details.correction_reason.strip()
    if correcting and not reason:
        found.append(Problem("Say why you are correcting what was recorded", field="correction_reason"))
    elif len(reason) > RATIONALE_LENGTH:
        found.append(Problem(f"Write at most {RATIONALE_LENGTH:,} characters", field="correction_reason"))
    return found


def a_year_before(moment: datetime) -> datetime:
    """The same moment REPEAT_MONTHS earlier (29 February: the 28th)."""
    try:
        return moment.replace(year=moment.year - REPEAT_MONTHS // 12)
    except ValueError:
        return moment.replace(year=moment.year - REPEAT_MONTHS // 12, day=28)
