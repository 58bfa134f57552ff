"""The DfE Children in Need census from what Safehub holds (docs/cin-census.md): every child with an
episode of need open at any time in the collection year, each episode with its assessments, plans,
section 47 enquiries and child protection plans. Anything dated after the reference date had not
happened by then and is left out (an assessment authorised later is not yet authorised). What ended
before the collection year began was returned in an earlier year's census and is left out too (the
DfE's rules 8696, 4013, 8715 and 8930: an assessment authorised, a child in need plan or a child
protection plan ended, an initial conference held, before the year), as is an enquiry begun before the
year that needed no conference."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version

from django.db.models import Q

from safehub.casework.codes import UpnUnknown
from safehub.casework.models import Assessment, ChildDetails, CinPlan, Episode, ProtectionPlan, Section47
from safehub.people.models import Person, PersonKind
from safehub.protocols.models import LocalProtocol
from safehub.returns import cin_xml
from safehub.returns.cin_codes import census_ethnicity, census_sex

SOFTWARE = "Safehub"
SCHOOL_AGE = 6  # a child under six without a UPN is not yet of school age (UN1)


class CensusNotPossible(Exception):  # noqa: N818 (a statement of what happened)
    pass


def _release() -> str:
    try:
        return version("safehub")
    except PackageNotFoundError:
        return "development"


def _known(day: date | None, end: date) -> date | None:
    return day if day is not None and day <= end else None


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _upn_unknown(person: Person, details: ChildDetails | None, episodes: list[Episode], end: date) -> str | None:
    """Why there is no UPN: as imported, else what Safehub knows (a referral closed with no further
    action, a child under school age); otherwise none, and the census's query asks a person."""
    if details is not None and (details.upn or details.upn_unknown):
        return details.upn_unknown or None
    if person.kind == PersonKind.UNBORN:
        return None
    if episodes and all(episode.no_further_action for episode in episodes):
        return UpnUnknown.REFERRAL_NFA.value
    age = _age(person.date_of_birth, end)
    if age is not None and age < SCHOOL_AGE:
        return UpnUnknown.UNDER_SIX.value
    return None


class _Parts:
    """Each episode's assessments, plans and enquiries, read in a handful of queries."""

    def __init__(self, episode_ids: list[int], child_ids: set[int], start: date, end: date) -> None:
        self.assessments: dict[int, list[cin_xml.Assessment]] = defaultdict(list)
        self.cin_plans: dict[int, list[cin_xml.CinPlan]] = defaultdict(list)
        self.section47s: dict[int, list[cin_xml.Section47]] = defaultdict(list)
        self.plans: dict[int, list[cin_xml.ProtectionPlan]] = defaultdict(list)
        ongoing = {"started_on__lte": end}
        assessments = Assessment.objects.filter(episode_id__in=episode_ids, **ongoing).exclude(authorised_on__lt=start)
        for a in assessments.order_by("started_on"):
            authorised = _known(a.authorised_on, end)
            self.assessments[a.episode_id].append(
                cin_xml.Assessment(
                    start=a.started_on, authorised=authorised, factors=tuple(a.factors) if authorised else ()
                )
            )
        cin_plans = CinPlan.objects.filter(episode_id__in=episode_ids, **ongoing).exclude(ended_on__lt=start)
        for p in cin_plans.order_by("started_on"):
            self.cin_plans[p.episode_id].append(cin_xml.CinPlan(start=p.started_on, end=_known(p.ended_on, end)))
        enquiries = (
            Section47.objects.filter(episode_id__in=episode_ids, **ongoing)
            .exclude(conference_on__lt=start)
            .exclude(started_on__lt=start, conference_on__isnull=True, conference_not_required=True)
        )
        for s in enquiries.order_by("started_on"):
            self.section47s[s.episode_id].append(
                cin_xml.Section47(
                    start=s.started_on,
                    icpc_target=s.conference_due_on,
                    icpc_date=_known(s.conference_on, end),
                    icpc_not_required=s.conference_not_required,  # always given: the schema requires it
                )
            )
        # Every plan of these children, to count the ones before each (when the import did not say).
        starts: dict[int, list[date]] = defaultdict(list)
        all_plans = ProtectionPlan.objects.filter(episode__child_id__in=child_ids).select_related("episode")
        for plan in all_plans.order_by("started_on"):
            starts[plan.episode.child_id].append(plan.started_on)
        in_year = all_plans.filter(episode_id__in=episode_ids, **ongoing).exclude(ended_on__lt=start)
        for plan in in_year.order_by("started_on"):
            earlier = sum(1 for day in starts[plan.episode.child_id] if day < plan.started_on)
            self.plans[plan.episode_id].append(
                cin_xml.ProtectionPlan(
                    id=str(plan.pk),
                    start=plan.started_on,
                    end=_known(plan.ended_on, end),
                    initial_category=plan.initial_category,
                    latest_category=plan.latest_category,
                    previous_plans=plan.previous_plans if plan.previous_plans is not None else earlier,
                    reviews=tuple(d for d in (date.fromisoformat(r) for r in plan.reviews) if d <= end),
                )
            )


def _episode(episode: Episode, parts: _Parts, end: date) -> cin_xml.Episode:
    closed = _known(episode.closed_on, end)
    return cin_xml.Episode(
        id=str(episode.pk),
        referral_date=episode.referral_date,
        referral_source=episode.source,
        referral_nfa=episode.no_further_action,
        primary_need=episode.primary_need or None,
        closure_date=closed,
        closure_reason=(episode.closure_reason or None) if closed else None,
        assessments=tuple(parts.assessments[episode.pk]),
        cin_plans=tuple(parts.cin_plans[episode.pk]),
        section47s=tuple(parts.section47s[episode.pk]),
        protection_plans=tuple(parts.plans[episode.pk]),
    )


def episodes_in(year: int) -> list[Episode]:
    """The episodes open at any time in the census year, by child."""
    start, end = cin_xml.collection_period(year)
    return list(
        Episode.objects.filter(referral_date__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .filter(child__merged_into__isnull=True)
        .select_related("child")
        .order_by("child__local_id", "referral_date")
    )


def _children(episodes: list[Episode], start: date, end: date) -> Iterator[cin_xml.CensusChild]:
    child_ids = {episode.child_id for episode in episodes}
    details = {d.person_id: d for d in ChildDetails.objects.filter(person_id__in=child_ids)}
    parts = _Parts([episode.pk for episode in episodes], child_ids, start, end)
    by_child: dict[int, list[Episode]] = defaultdict(list)
    for episode in episodes:
        by_child[episode.child_id].append(episode)
    for child_episodes in by_child.values():
        person = child_episodes[0].child
        found = details.get(person.pk)
        unborn = person.kind == PersonKind.UNBORN
        yield cin_xml.CensusChild(
            la_child_id=person.local_id,
            sex=census_sex(person.sex, unborn=unborn),
            ethnicity=census_ethnicity(person.ethnicity),
            birth_date=None if unborn else person.date_of_birth,
            expected_birth_date=person.expected_date_of_delivery if unborn else None,
            death_date=_known(found.died_on, end) if found is not None else None,
            upn=(found.upn or None) if found is not None else None,
            former_upn=(found.former_upn or None) if found is not None else None,
            upn_unknown=_upn_unknown(person, found, child_episodes, end),
            disabilities=tuple(found.disabilities) if found is not None and found.disabilities else (),
            episodes=tuple(_episode(episode, parts, end) for episode in child_episodes),
        )


def build(year: int, *, serial: int, made_at: datetime) -> tuple[cin_xml.Census, list[str]]:
    """The census for `year` and the children in it (their LAchildIDs). ValueError for a year that
    makes no sense; CensusNotPossible when the council's DfE number is not set."""
    start, end = cin_xml.collection_period(year)
    protocol = LocalProtocol.objects.filter(is_active=True).first()
    if protocol is None or not protocol.la_code:
        raise CensusNotPossible(
            "The council's DfE local authority number is not set: an administrator sets it on the local protocol"
        )
    episodes = episodes_in(year)
    ids = sorted({episode.child.local_id for episode in episodes})
    census = cin_xml.Census(
        year=year,
        la_code=protocol.la_code,
        software_code=SOFTWARE,
        release=_release(),
        serial_no=f"{serial:03d}",  # the schema's SerialNo is three digits or more
        made_at=made_at,
        children=list(_children(episodes, start, end)),
    )
    return census, ids
