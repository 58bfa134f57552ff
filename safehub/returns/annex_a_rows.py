"""Ofsted's Annex A lists 1 to 5 from what Safehub holds (docs/annex-a.md): the six months before
the as-at date, a row per child. Anything dated after the six months had not happened as at that
date, and is left out of the row (an assessment authorised later is not yet authorised)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Q

from safehub.casework.codes import CLOSED_AFTER_ASSESSMENT, Disability
from safehub.casework.models import Assessment, ChildDetails, Episode, ProtectionPlan, Section47
from safehub.contacts.models import CHILD_ROLES, ContactSubject
from safehub.core.working_time import LONDON, london_date, months_before
from safehub.people.models import Involvement, Person, Service
from safehub.returns import annex_a_codes as codes
from safehub.returns.annex_a_codes import YesNo, YesNoUnknown
from safehub.returns.annex_a_xlsx import (
    AnnexA,
    AssessmentRow,
    Child,
    ContactRow,
    EarlyHelpRow,
    ReferralRow,
    Section47Row,
    window,
)

UNALLOCATED = "Unallocated"
EARLY_HELP = "Early help"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def _as_known(day: date | None, end: date) -> date | None:
    """A date as it stood at the end of the six months: later, it had not happened yet."""
    return day if day is not None and day <= end else None


def _child(person: Person, end: date) -> Child:
    """A child as the return sees them at the end of its six months: one born after it was unborn then,
    with no date of birth (as Ofsted's template takes an unborn child)."""
    return Child(
        child_id=person.local_id,
        gender=codes.gender(person.sex),
        ethnicity=codes.ethnicity(person.ethnicity),
        date_of_birth=_as_known(person.date_of_birth, end),
    )


def _subject_child(subject: ContactSubject, end: date) -> Child:
    """A child named on a contact: their index record, or (not yet identified) the contact's own words,
    with the contact's reference and their place on it for an ID."""
    if subject.person is not None:
        return _child(subject.person, end)
    return Child(
        child_id=f"{subject.contact.reference}-{subject.order + 1}",
        gender=codes.gender(subject.sex),
        ethnicity=codes.ethnicity(subject.ethnicity),
        date_of_birth=_as_known(subject.date_of_birth, end),
    )


def _disability(details: ChildDetails | None) -> YesNoUnknown:
    if details is None or not details.disabilities:
        return YesNoUnknown.UNKNOWN
    return YesNoUnknown.NO if details.disabilities == [Disability.NONE] else YesNoUnknown.YES


def _before(dates: Iterable[date], day: date) -> int:
    """How many of `dates` fall in the 12 months before `day` (not `day` itself)."""
    since = months_before(day, 12)
    return sum(1 for other in dates if since <= other < day)


def contacts(start: date, end: date) -> list[ContactRow]:
    subjects = (
        ContactSubject.objects.filter(
            contact__received_at__gte=_midnight(start),
            contact__received_at__lt=_midnight(end + timedelta(days=1)),
            role__in=sorted(CHILD_ROLES),
        )
        .select_related("contact", "person")
        .order_by("contact__received_at", "contact_id", "order")
    )
    return [
        ContactRow(
            child=_subject_child(subject, end),
            date_of_contact=london_date(subject.contact.received_at),
            source=codes.source(subject.contact.source),
        )
        for subject in subjects
    ]


def early_help(start: date, end: date) -> list[EarlyHelpRow]:
    """Each child's early help, as the involvements import holds it: started or ended in the six months."""
    found = (
        Involvement.objects.filter(service=Service.EARLY_HELP, person__merged_into__isnull=True)
        .filter(person__kind__in=["child", "unborn"])
        .filter(Q(started_on__range=(start, end)) | Q(ended_on__range=(start, end)))
        .select_related("person")
        .order_by("started_on", "pk")
    )
    return [
        EarlyHelpRow(
            child=_child(involvement.person, end),
            started=involvement.started_on,
            completed=_as_known(involvement.ended_on, end),
            organisation=involvement.team or EARLY_HELP,
        )
        for involvement in found
        if involvement.started_on <= end
    ]


def _episode_dates(child_ids: set[int]) -> dict[int, list[date]]:
    dates: dict[int, list[date]] = defaultdict(list)
    for child_id, day in Episode.objects.filter(child_id__in=child_ids).values_list("child_id", "referral_date"):
        dates[child_id].append(day)
    return dates


def referrals(start: date, end: date) -> list[ReferralRow]:
    episodes = list(
        Episode.objects.filter(referral_date__range=(start, end))
        .select_related("child")
        .order_by("referral_date", "pk")
    )
    earlier = _episode_dates({episode.child_id for episode in episodes})
    return [
        ReferralRow(
            child=_child(episode.child, end),
            date_of_referral=episode.referral_date,
            source=codes.source(episode.source),
            no_further_action=YesNo.YES if episode.no_further_action else YesNo.NO,
            referrals_in_last_12_months=_before(earlier[episode.child_id], episode.referral_date),
            allocated_team=episode.team or UNALLOCATED,
            allocated_worker=episode.worker or UNALLOCATED,
        )
        for episode in episodes
    ]


def _details(child_ids: set[int]) -> dict[int, ChildDetails]:
    return {details.person_id: details for details in ChildDetails.objects.filter(person_id__in=child_ids)}


def _supported(assessment: Assessment, plans: set[int], end: date) -> YesNo:
    """Whether the assessment found the child needs support: not where the episode closed after it
    (RC8, RC9) by the end of the six months; yes where a plan followed or the episode goes on."""
    episode = assessment.episode
    closed_after = episode.closure_reason in CLOSED_AFTER_ASSESSMENT and _as_known(episode.closed_on, end) is not None
    if closed_after and episode.pk not in plans:
        return YesNo.NO
    return YesNo.YES


def assessments(start: date, end: date) -> list[AssessmentRow]:
    found = list(
        Assessment.objects.filter(started_on__lte=end)
        .filter(Q(started_on__gte=start) | Q(authorised_on__range=(start, end)))
        .select_related("episode__child")
        .order_by("started_on", "pk")
    )
    details = _details({a.episode.child_id for a in found})
    with_plans = set(
        Episode.objects.filter(pk__in={a.episode_id for a in found})
        .filter(Q(cin_plans__started_on__lte=end) | Q(protection_plans__started_on__lte=end))
        .values_list("pk", flat=True)
    )
    rows = []
    for assessment in found:
        episode = assessment.episode
        authorised = _as_known(assessment.authorised_on, end)
        rows.append(
            AssessmentRow(
                child=_child(episode.child, end),
                disability=_disability(details.get(episode.child_id)),
                started=assessment.started_on,
                child_seen=YesNoUnknown.UNKNOWN,  # the case system's, not imported
                authorised=authorised,
                requires_support=_supported(assessment, with_plans, end) if authorised is not None else None,
                allocated_team=episode.team or UNALLOCATED,
                allocated_worker=episode.worker or UNALLOCATED,
            )
        )
    return rows


def section47s(start: date, end: date) -> list[Section47Row]:
    found = list(
        Section47.objects.filter(started_on__lte=end)
        .filter(Q(started_on__gte=start) | Q(conference_on__range=(start, end)))
        .select_related("episode__child", "discussion__record")
        .order_by("started_on", "pk")
    )
    child_ids = {enquiry.episode.child_id for enquiry in found}
    details = _details(child_ids)
    starts: dict[int, list[date]] = defaultdict(list)
    conferences: dict[int, list[date]] = defaultdict(list)
    for child_id, started, held in Section47.objects.filter(episode__child_id__in=child_ids).values_list(
        "episode__child_id", "started_on", "conference_on"
    ):
        starts[child_id].append(started)
        if held is not None:
            conferences[child_id].append(held)
    plans = set(ProtectionPlan.objects.filter(episode__child_id__in=child_ids).values_list("episode_id", "started_on"))
    rows = []
    for enquiry in found:
        episode, child_id = enquiry.episode, enquiry.episode.child_id
        held = _as_known(enquiry.conference_on, end)
        discussed = enquiry.started_on
        record = getattr(enquiry.discussion, "record", None) if enquiry.discussion is not None else None
        if record is not None:
            discussed = min(discussed, london_date(record.held_at))
        unnecessary = YesNo.YES if enquiry.conference_not_required else (YesNo.NO if held is not None else None)
        rows.append(
            Section47Row(
                child=_child(episode.child, end),
                disability=_disability(details.get(child_id)),
                strategy_discussion=discussed,
                conference_unnecessary=unnecessary,
                conference_date=held,
                conference_made_plan=(YesNo.YES if (episode.pk, held) in plans else YesNo.NO) if held else None,
                section_47s_in_last_12_months=_before(starts[child_id], enquiry.started_on),
                conferences_in_last_12_months=_before(conferences[child_id], held or discussed),
                allocated_team=episode.team or UNALLOCATED,
                allocated_worker=episode.worker or UNALLOCATED,
            )
        )
    return rows


def build(as_at: date) -> AnnexA:
    """Lists 1 to 5 as at `as_at` (ValueError for a date that makes no sense, `annex_a_xlsx.window`)."""
    start, end = window(as_at)
    return AnnexA(
        as_at=as_at,
        contacts=contacts(start, end),
        early_help=early_help(start, end),
        referrals=referrals(start, end),
        assessments=assessments(start, end),
        section47s=section47s(start, end),
    )
