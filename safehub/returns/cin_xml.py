"""The Children in Need census return as the DfE's XML: a writer of plain values, with no database.

The export (`safehub export-cin-census --year 2026`) fills these dataclasses from Safehub's records;
this module only writes them, in the element names and order of the census's business and technical
specification for 2025 to 2026, which are also what the DfE's validator reads (docs/cin-census.md):

    <Message>
      <Header> <CollectionDetails>… <Source>… </Header>
      <Children>
        <Child>
          <ChildIdentifiers>      LAchildID UPN FormerUPN UPNunknown PersonBirthDate
                                  ExpectedPersonBirthDate Sex PersonDeathDate
          <ChildCharacteristics>  Ethnicity <Disabilities> Disability… </Disabilities>
          <CINdetails>…           CINreferralDate ReferralSource PrimaryNeedCode CINclosureDate
                                  ReasonForClosure DateOfInitialCPC <Assessments>… <CINPlanDates>…
                                  <Section47>… ReferralNFA <ChildProtectionPlans>…

Values are the census's codes (`safehub.returns.cin_codes` turns Safehub's into them), dates are
written YYYY-MM-DD and flags true/false. An element with no value is left out, never sent empty, as
is a group with nothing in it. The writer does not judge the data: a missing referral source is simply
not written, and the census's rules (`safehub.returns.cin_check`) say what is wrong with a return.

Children are written one at a time, so `Census.children` may be a generator over 20,000 of them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO
from zoneinfo import ZoneInfo

# The census of each year runs from 1 April of the year before to the reference date, 31 March. The
# first collection with <Sex> for <GenderCurrent> is 2024 to 2025; a year after the last one here
# needs its specification read against this writer, and its ruleset in the validator, first.
FIRST_YEAR = 2025
LAST_YEAR = 2027
LONDON = ZoneInfo("Europe/London")
INDENT = "  "
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Value = str | int | bool | dt.date | None


def _checked(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"The census year is a year such as 2026, not {year!r}.")
    if 0 <= year < 100:
        raise ValueError(f"Give the census year in full: {2000 + year} for the year ending 31 March {2000 + year}.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"There is no census year {year} to write: the census year is the one its reference date "
            f"(31 March) falls in, such as 2026 for 1 April 2025 to 31 March 2026, and this export writes "
            f"{FIRST_YEAR} to {LAST_YEAR}."
        )
    return year


def collection_period(year: int) -> tuple[dt.date, dt.date]:
    """The census year's first and last days: `collection_period(2026)` is 1 April 2025 to 31 March 2026."""
    checked = _checked(year)
    return dt.date(checked - 1, 4, 1), dt.date(checked, 3, 31)


def reference_date(year: int) -> dt.date:
    return collection_period(year)[1]


def ruleset_for(year: int) -> str:
    """The validator's ruleset for the census year: `ruleset_for(2026)` is "cin2025_26"."""
    checked = _checked(year)
    return f"cin{checked - 1}_{checked % 100:02d}"


@dataclass(frozen=True)
class Assessment:
    start: dt.date | None
    authorised: dt.date | None = None
    factors: Sequence[str] = ()
    internal_review: dt.date | None = None


@dataclass(frozen=True)
class CinPlan:
    start: dt.date | None
    end: dt.date | None = None


@dataclass(frozen=True)
class Section47:
    start: dt.date | None
    icpc_target: dt.date | None = None
    icpc_date: dt.date | None = None
    icpc_not_required: bool | None = None


@dataclass(frozen=True)
class ProtectionPlan:
    """`id` is Safehub's, for finding the plan again; the census has no identifier for it."""

    id: str
    start: dt.date | None
    initial_category: str | None
    latest_category: str | None
    previous_plans: int | None
    end: dt.date | None = None
    reviews: Sequence[dt.date] = ()


@dataclass(frozen=True)
class Episode:
    """A <CINdetails> module: one referral and what followed it. `id` is Safehub's, not sent."""

    id: str
    referral_date: dt.date | None
    referral_source: str | None
    referral_nfa: bool | None
    primary_need: str | None = None
    closure_date: dt.date | None = None
    closure_reason: str | None = None
    # An initial conference with no section 47 enquiry in this episode (one transferred in, say):
    # a conference that followed an enquiry is that Section47's `icpc_date`, never both (rule 2884).
    date_of_initial_cpc: dt.date | None = None
    assessments: Sequence[Assessment] = ()
    cin_plans: Sequence[CinPlan] = ()
    section47s: Sequence[Section47] = ()
    protection_plans: Sequence[ProtectionPlan] = ()


@dataclass(frozen=True)
class CensusChild:
    la_child_id: str
    sex: str | None
    ethnicity: str | None
    birth_date: dt.date | None = None
    expected_birth_date: dt.date | None = None
    death_date: dt.date | None = None
    upn: str | None = None
    former_upn: str | None = None
    upn_unknown: str | None = None
    disabilities: Sequence[str] = ()
    episodes: Sequence[Episode] = ()


@dataclass(frozen=True)
class Census:
    """The return. `made_at` must be timezone-aware: it is written as the time in England."""

    year: int
    la_code: str
    software_code: str
    release: str
    serial_no: str
    made_at: dt.datetime
    children: Iterable[CensusChild] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _checked(self.year)
        if self.made_at.tzinfo is None:
            raise ValueError("The census's made_at needs a timezone.")

    @property
    def reference_date(self) -> dt.date:
        return reference_date(self.year)

    @property
    def ruleset(self) -> str:
        return ruleset_for(self.year)


def _text(value: Value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        raise TypeError(f"A census date is a date, not a date and time: {value!r}")
    if isinstance(value, dt.date):
        return value.isoformat()
    shown = str(value)
    if NOT_XML.search(shown):
        raise ValueError(f"{shown!r} has a character that XML cannot carry")
    return shown or None


def _add(parent: ET.Element, name: str, value: Value) -> None:
    shown = _text(value)
    if shown is not None:
        ET.SubElement(parent, name).text = shown


def _group(parent: ET.Element, name: str, items: Iterable[tuple[str, Value]]) -> ET.Element | None:
    """A group element with its children, added to `parent` only when one of them has a value."""
    group = ET.Element(name)
    for item_name, value in items:
        _add(group, item_name, value)
    if len(group) == 0:
        return None
    parent.append(group)
    return group


def _assessment(episode: ET.Element, assessment: Assessment) -> None:
    element = ET.Element("Assessments")
    _add(element, "AssessmentActualStartDate", assessment.start)
    _add(element, "AssessmentInternalReviewDate", assessment.internal_review)
    _add(element, "AssessmentAuthorisationDate", assessment.authorised)
    _group(element, "FactorsIdentifiedAtAssessment", (("AssessmentFactors", factor) for factor in assessment.factors))
    if len(element):
        episode.append(element)


def _protection_plan(episode: ET.Element, plan: ProtectionPlan) -> None:
    element = ET.Element("ChildProtectionPlans")
    _add(element, "CPPstartDate", plan.start)
    _add(element, "CPPendDate", plan.end)
    _add(element, "InitialCategoryOfAbuse", plan.initial_category)
    _add(element, "LatestCategoryOfAbuse", plan.latest_category)
    _add(element, "NumberOfPreviousCPP", plan.previous_plans)
    # One <Reviews> group holding every review date of the plan.
    _group(element, "Reviews", (("CPPreviewDate", review) for review in plan.reviews))
    if len(element):
        episode.append(element)


def _episode(child: ET.Element, episode: Episode) -> None:
    element = ET.SubElement(child, "CINdetails")
    _add(element, "CINreferralDate", episode.referral_date)
    _add(element, "ReferralSource", episode.referral_source)
    _add(element, "PrimaryNeedCode", episode.primary_need)
    _add(element, "CINclosureDate", episode.closure_date)
    _add(element, "ReasonForClosure", episode.closure_reason)
    _add(element, "DateOfInitialCPC", episode.date_of_initial_cpc)
    for assessment in episode.assessments:
        _assessment(element, assessment)
    for plan in episode.cin_plans:
        _group(element, "CINPlanDates", (("CINPlanStartDate", plan.start), ("CINPlanEndDate", plan.end)))
    for enquiry in episode.section47s:
        _group(
            element,
            "Section47",
            (
                ("S47ActualStartDate", enquiry.start),
                ("InitialCPCtarget", enquiry.icpc_target),
                ("DateOfInitialCPC", enquiry.icpc_date),
                ("ICPCnotRequired", enquiry.icpc_not_required),
            ),
        )
    _add(element, "ReferralNFA", episode.referral_nfa)
    for protection_plan in episode.protection_plans:
        _protection_plan(element, protection_plan)


def child_element(child: CensusChild) -> ET.Element:
    element = ET.Element("Child")
    identifiers = ET.SubElement(element, "ChildIdentifiers")
    _add(identifiers, "LAchildID", child.la_child_id)
    _add(identifiers, "UPN", child.upn)
    _add(identifiers, "FormerUPN", child.former_upn)
    _add(identifiers, "UPNunknown", child.upn_unknown)
    _add(identifiers, "PersonBirthDate", child.birth_date)
    _add(identifiers, "ExpectedPersonBirthDate", child.expected_birth_date)
    _add(identifiers, "Sex", child.sex)
    _add(identifiers, "PersonDeathDate", child.death_date)
    characteristics = ET.SubElement(element, "ChildCharacteristics")
    _add(characteristics, "Ethnicity", child.ethnicity)
    _group(characteristics, "Disabilities", (("Disability", code) for code in child.disabilities))
    for episode in child.episodes:
        _episode(element, episode)
    return element


def _header(census: Census) -> ET.Element:
    header = ET.Element("Header")
    _group(
        header,
        "CollectionDetails",
        (("Collection", "CIN"), ("Year", census.year), ("ReferenceDate", census.reference_date)),
    )
    made_at = census.made_at.astimezone(LONDON).replace(microsecond=0, tzinfo=None)
    _group(
        header,
        "Source",
        (
            ("SourceLevel", "L"),
            ("LEA", census.la_code),
            ("SoftwareCode", census.software_code),
            ("Release", census.release),
            ("SerialNo", census.serial_no),
            ("DateTime", made_at.isoformat()),
        ),
    )
    return header


def _serialised(element: ET.Element, *, level: int) -> bytes:
    ET.indent(element, space=INDENT, level=level)
    return (INDENT * level + ET.tostring(element, encoding="unicode") + "\n").encode("utf-8")


def write_xml(census: Census, out: BinaryIO) -> int:
    """Write the return to `out`, one child at a time; the number of children written."""
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n')
    out.write(_serialised(_header(census), level=1))
    out.write(f"{INDENT}<Children>\n".encode())
    written = 0
    for child in census.children:
        out.write(_serialised(child_element(child), level=2))
        written += 1
    out.write(f"{INDENT}</Children>\n</Message>\n".encode())
    return written


def to_xml(census: Census) -> bytes:
    buffer = io.BytesIO()
    write_xml(census, buffer)
    return buffer.getvalue()
