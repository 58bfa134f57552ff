"""Who is invited to a strategy discussion, and the papers each invited agency is sent.

Police and health are invited to every discussion; education where a child is of school age (the
school's designated safeguarding lead, 000); the agencies that answered the MASH checks; the
referrer if the coordinator chooses (issue 13; 000: coordinators "invite partner agencies ... they
will provide Partners with details of the family ... and the SW/TM rational"). The papers go to each
agency as a disclosure in the sharing ledger, and hold nothing an agency asked not to be passed on
(a handling restriction on an answer, 003 §2.6) unless it is that agency's own answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.timezone import localtime

from safehub.accounts.models import Agency, AgencyKind, User
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import sharing_position
from safehub.contacts.models import Contact
from safehub.core.presenters import shown_date
from safehub.people.models import Person
from safehub.sharing.exits import Exit, Item, Release, release, withheld_reason
from safehub.sharing.services import record_disclosure
from safehub.sharing.vocabulary import SAFEGUARDING_BASES, Category, Purpose
from safehub.strategy.models import Invitation, InviteeReason, StrategyDiscussion

# What the papers are sent under (000; 002 §11; 003 Appendix 3) and what they hold.
STRATEGY_BASES = SAFEGUARDING_BASES
PAPERS_CATEGORIES = (Category.IDENTITY, Category.CONCERN, Category.DECISION, Category.AGENCY_INFORMATION)

ALWAYS = {AgencyKind.POLICE: InviteeReason.POLICE, AgencyKind.HEALTH: InviteeReason.HEALTH}
# Reception to the end of sixth form: the ages at which a child has a school to ask.
SCHOOL_AGES = range(4, 18)


@dataclass(frozen=True)
class Proposed:
    agency: Agency
    reason: InviteeReason


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _children(discussion: StrategyDiscussion) -> list[tuple[str, date | None]]:
    """Each child's name and date of birth, as the contact gives it or else their record."""
    children = []
    for child in discussion.children.select_related("subject", "person"):
        born = child.subject.date_of_birth if child.subject is not None else None
        if born is None and child.person is not None:
            born = child.person.date_of_birth
        children.append((str(child), born))
    return children


# The checks app sits beside this one: its answers are read through the contact's relations, each
# agency's latest submitted answer ("submitted" as the checks app stores it).
SUBMITTED = "submitted"


def _answers(contact: Contact) -> list[Any]:
    """The MASH checks' answers on the contact as they stand (corrected ones replaced), oldest first."""
    answers = []
    for checks in contact.mash_checks.all():
        for request in checks.requests.select_related("agency").order_by("pk"):
            answers += list(request.responses.filter(status=SUBMITTED, superseded_by__isnull=True).order_by("pk"))
    return answers


def _answered_the_checks(discussion: StrategyDiscussion) -> set[int]:
    contact = discussion.contact
    return {answer.request.agency_id for answer in _answers(contact)} if contact is not None else set()


def proposed(discussion: StrategyDiscussion, *, on: date) -> list[Proposed]:
    """The agencies the coordinator is offered, ticked: police and health, education for a child of
    school age on the day, and those that answered the MASH checks."""
    school_age = any(born is not None and _age(born, on) in SCHOOL_AGES for _, born in _children(discussion))
    answered = _answered_the_checks(discussion)
    chosen = []
    for agency in Agency.objects.filter(is_host=False).order_by("name"):
        if agency.kind in ALWAYS:
            chosen.append(Proposed(agency, ALWAYS[AgencyKind(agency.kind)]))
        elif agency.kind == AgencyKind.EDUCATION and school_age:
            chosen.append(Proposed(agency, InviteeReason.EDUCATION))
        elif agency.pk in answered:
            chosen.append(Proposed(agency, InviteeReason.CHECKS))
    return chosen


def missing_always(agencies: Sequence[Agency]) -> list[str]:
    """The kinds always invited that none of `agencies` is (where the hub has such a partner)."""
    kinds = {agency.kind for agency in agencies}
    present = set(Agency.objects.filter(is_host=False, kind__in=list(ALWAYS)).values_list("kind", flat=True))
    return [AgencyKind(kind).label for kind in ALWAYS if kind in present and kind not in kinds]


def discussion_people(discussion: StrategyDiscussion) -> list[Person]:
    """The person index's records of the children discussed, for the ledger's "about whom"."""
    people = []
    for child in discussion.children.select_related("subject__person", "person"):
        person = child.person or (child.subject.person if child.subject is not None else None)
        if person is not None:
            people.append(person)
    return people


def answer_items(contact: Contact) -> list[Item]:
    """The MASH checks' answers on the contact as the exits send them (`sharing.exits`)."""
    return [response.as_item() for response in _answers(contact)]


def papers(discussion: StrategyDiscussion, agency: Agency) -> tuple[dict[str, Any], Release]:
    """What `agency` is sent for the discussion: the meeting, the children, the concern, the social
    worker's and the manager's rationale, and the MASH checks' answers it may see."""
    content: dict[str, Any] = {
        "meeting": {
            "at": shown_date(discussion.meeting_at),
            "format": discussion.get_meeting_format_display(),
            "place": discussion.place,
            "chair": str(discussion.chair) if discussion.chair else "",
        },
        "children": [
            {"name": name, "date_of_birth": shown_date(born, "j F Y") if born else "Not known"}
            for name, born in _children(discussion)
        ],
    }
    contact = discussion.contact
    if contact is None:  # a child already open to children's social care: why the manager started it
        content["reason"] = discussion.reason
        return content, release((), route=Exit.STRATEGY_PAPERS, to=agency.pk)
    content["contact"] = {
        "reference": contact.reference,
        "received": shown_date(contact.received_at),
        "concern": contact.narrative,
    }
    # The decisions app is above this one: its rows are read through the contact's relations.
    recommendation = contact.recommendations.order_by("-recommended_at", "-pk").first()
    decision = contact.decisions.order_by("-decided_at", "-pk").first()
    content["rationale"] = {
        "social_worker": recommendation.rationale if recommendation else "",
        "manager": decision.rationale if decision else "",
    }
    released = release(answer_items(contact), route=Exit.STRATEGY_PAPERS, to=agency.pk)
    answers: list[dict[str, Any]] = [{"agency": item.source_name, **item.content} for item in released.shared]
    answers += [{"agency": item.source_name, "withheld": withheld_reason(item)} for item in released.withheld]
    content["checks"] = answers
    return content, released


def consent_position(discussion: StrategyDiscussion, *, at: datetime) -> str:
    """Each person's consent to sharing on the discussion's contact that day, a line each as the
    ledger keeps it (ADR 0034); for a child already open to children's social care, that a section 47
    strategy discussion does not wait for it."""
    contact = discussion.contact
    if contact is not None:
        return sharing_position(contact, ConsentPurpose.MASH_CHECKS, on=localtime(at).date())
    return "Not sought: a strategy discussion for a child open to children's social care (Children Act 1989 s47)"


def invite(
    discussion: StrategyDiscussion,
    agencies: Sequence[Agency],
    *,
    referrer: bool,
    by: User,
    at: datetime,
) -> list[Invitation]:
    """Inside the arranging service's transaction (which checked `missing_always`): invite each agency
    not yet invited, each with its papers recorded as a disclosure, and the referrer if asked.
    Returns the new invitations."""
    reasons = {p.agency.pk: p.reason for p in proposed(discussion, on=at.date())}
    invited = set(discussion.invitations.exclude(agency=None).values_list("agency_id", flat=True))
    made = []
    for agency in agencies:
        if agency.pk in invited or agency.is_host:
            continue
        invitation = Invitation.objects.create(
            discussion=discussion,
            agency=agency,
            reason=reasons.get(agency.pk, InviteeReason.ASKED),
            invited_at=at,
            invited_by=by,
            invited_version=discussion.version,
        )
        content, released = papers(discussion, agency)
        invitation.papers = record_disclosure(
            discussion.contact,
            to=agency,
            released=released,
            content=content,
            purpose=Purpose.STRATEGY_DISCUSSION,
            bases=STRATEGY_BASES,
            categories=PAPERS_CATEGORIES,
            consent_position=consent_position(discussion, at=at),
            people=discussion_people(discussion),
            origin=invitation,
            by=by,
            at=at,
        )
        invitation.save(update_fields=["papers"])
        made.append(invitation)
    contact = discussion.contact
    asked_before = discussion.invitations.filter(reason=InviteeReason.REFERRER).exists()
    if referrer and contact is not None and contact.referrer_name.strip() and not asked_before:
        made.append(
            Invitation.objects.create(
                discussion=discussion,
                name=contact.referrer_name.strip()[:200],
                email=contact.referrer_email,
                reason=InviteeReason.REFERRER,
                invited_at=at,
                invited_by=by,
                invited_version=discussion.version,
            )
        )
    return made
