"""Operation Encompass (issue 15; Home Office statutory guidance, November 2025): for every police
domestic-abuse notification with a child of school age, the child's school's designated safeguarding
lead is told before the start of the next school day — the child, the police's reference, when and
where, and whether the child was there. The school is the one recorded for the child (on the contact,
or in the person index); a child educated at home goes to the council's elective home education
officer. The worker sends each notice it can as soon as the notification is recorded; a child whose
school is not in the register waits on the contact for someone to choose it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.timezone import localtime

from safehub.accounts.models import User
from safehub.contacts.models import Channel as ContactChannel
from safehub.contacts.models import Contact, ContactSubject
from safehub.core.ages import age_on
from safehub.core.errors import DomainError
from safehub.core.presenters import shown_date, shown_day
from safehub.domestic_abuse.models import Notification
from safehub.domestic_abuse.services import is_notification
from safehub.letters import permissions, services
from safehub.letters.fields import fill, unfilled
from safehub.letters.models import Audience, Channel, LetterKind, Message, School
from safehub.letters.timeliness import encompass_due
from safehub.letters.workflow import MessageState
from safehub.protocols.models import LocalProtocol
from safehub.protocols.policy import active_protocol
from safehub.sharing.exits import Exit, release

# School age, at the incident: nursery to sixth form (the guidance covers early years settings and
# colleges too). A child with a school recorded is told about whatever their age.
SCHOOL_AGE = range(4, 18)
# How a referrer or the index writes that a child is educated at home.
HOME_EDUCATED = ("home educated", "home-educated", "educated at home", "elective home education", "ehe")
# How far back the worker looks for notifications to tell schools about.
LOOK_BACK = timedelta(days=7)
PRESENT_WORDS = {
    "yes": "The police say the child was present.",
    "no": "The police say the child was not present.",
    "unknown": "The police do not know whether the child was present.",
}


def recorded_school(subject: ContactSubject) -> str:
    if subject.school.strip():
        return subject.school.strip()
    return subject.person.school.strip() if subject.person is not None else ""


def is_home_educated(school: str) -> bool:
    return school.strip().lower() in HOME_EDUCATED


def school_for(subject: ContactSubject) -> School | None:
    """The register's school for the child, or the home education officer; None when not known."""
    name = recorded_school(subject)
    if not name:
        return None
    if is_home_educated(name):
        return School.objects.filter(home_education=True, active=True).first()
    return School.objects.filter(name__iexact=name, active=True).first()


def of_school_age(subject: ContactSubject, on: date) -> bool:
    if subject.date_of_birth is None:
        return bool(recorded_school(subject))
    return age_on(subject.date_of_birth, on) in SCHOOL_AGE or bool(recorded_school(subject))


def children_to_tell(notification: Notification) -> list[ContactSubject]:
    on = localtime(notification.incident_at).date()
    subjects = sorted(notification.contact.subjects.all(), key=lambda subject: (subject.order, subject.pk))
    return [subject for subject in subjects if subject.is_child and of_school_age(subject, on)]


def due(notification: Notification, protocol: LocalProtocol, *, holidays: frozenset[date] | None = None) -> datetime:
    """When the schools must have been told (`holidays`: the protocol's closure days, if read already)."""
    return encompass_due(
        notification.contact.received_at,
        school_day_start=protocol.school_day_start,
        extra_holidays=protocol.extra_holidays() if holidays is None else holidays,
    )


def values_for(
    notification: Notification, subject: ContactSubject, school: School, protocol: LocalProtocol
) -> dict[str, str]:
    present = str(notification.children_present.get(str(subject.pk), "unknown"))
    return {
        "recipient_name": school.dsl_name,
        "school_name": school.name,
        "child": subject.display_name,
        "child_born": shown_day(subject.date_of_birth) if subject.date_of_birth else "not known",
        "police_reference": notification.police_reference,
        "incident_time": shown_date(notification.incident_at),
        "incident_place": notification.place,
        "child_present": PRESENT_WORDS.get(present, PRESENT_WORDS["unknown"]),
        "hub_name": protocol.name,
        "hub_phone": protocol.hub_phone,
        "hub_email": protocol.hub_email,
    }


def notice_for(notification: Notification, subject: ContactSubject) -> Message | None:
    """The notice sent for this child, if any (one that did not fail)."""
    return next(
        (
            message
            for message in notification.contact.messages.all()
            if message.kind == LetterKind.ENCOMPASS
            and message.child_id == subject.pk
            and message.state != MessageState.FAILED
        ),
        None,
    )


@transaction.atomic
def tell_school(
    notification: Notification,
    subject: ContactSubject,
    school: School,
    *,
    by: User,
    at: datetime,
    automatic: bool = False,
    submission_key: uuid.UUID | None = None,
) -> Message:
    """Send the child's school its notice (once for each child), recorded in the sharing ledger. Refused
    with PermissionDenied for someone who may not tell schools, and with a DomainError saying why when a
    rule stops it (the child, the school, a notice already sent, the words not complete)."""
    if not automatic and not permissions.can_tell_schools(by):
        raise PermissionDenied
    if subject.contact_id != notification.contact_id or not subject.is_child:
        raise DomainError("Choose a child on this notification")
    if not school.active:
        raise DomainError("That school is no longer in the register: choose another", field="school")
    earlier = notice_for(notification, subject)
    if earlier is not None:
        raise DomainError(f"{earlier.recipient_name} was already told on {shown_date(earlier.created_at)}")
    protocol = active_protocol()
    version = services.current_version(LetterKind.ENCOMPASS, Audience.SCHOOL)
    values = values_for(notification, subject, school, protocol)
    subject_line, body = fill(version.subject, values), fill(version.body, values)
    left = unfilled(subject_line + body)
    if left:
        raise DomainError(
            f"The notice still holds {', '.join(left)}: an administrator must set the hub's details or the template"
        )
    contact = notification.contact
    try:
        return services.write_message(
            contact=contact,
            child=subject,
            kind=LetterKind.ENCOMPASS,
            audience=Audience.SCHOOL,
            template_version=version,
            channel=Channel.EMAIL,
            recipient=services.Recipient(school.dsl_name, school.dsl_email, ""),
            subject=subject_line,
            body=body,
            by=by,
            at=at,
            submission_key=submission_key,
            released=release((), route=Exit.ENCOMPASS, to=None),
            consent_position="Not sought: Operation Encompass is a statutory duty (Home Office guidance, 2025)",
            automatic=automatic,
        )
    except IntegrityError:
        raise DomainError("The school was told a moment ago: nothing was sent again") from None


@dataclass(frozen=True)
class Waiting:
    subject: ContactSubject
    why: str


def queue_encompass(at: datetime) -> int:
    """One round of the worker: every school-age child of a recent notification whose school is known
    and not yet told is told; how many notices were sent."""
    sent = 0
    recent = Notification.objects.filter(contact__received_at__gte=at - LOOK_BACK).select_related(
        "contact", "recorded_by"
    )
    for notification in recent:
        for subject in children_to_tell(notification):
            school = school_for(subject)
            if school is None or notice_for(notification, subject) is not None:
                continue
            try:
                tell_school(notification, subject, school, by=notification.recorded_by, at=at, automatic=True)
            except DomainError:
                continue  # shown on the contact as waiting, with why
            sent += 1
    return sent


def waiting(notification: Notification) -> list[Waiting]:
    """The children not yet told about, with why."""
    found = []
    for subject in children_to_tell(notification):
        if notice_for(notification, subject) is not None:
            continue
        school = recorded_school(subject)
        if not school:
            why = "No school is recorded for them: choose it"
        elif school_for(subject) is None:
            why = f"'{school}' is not in the register of schools: choose it"
        else:
            why = "Being sent"
        found.append(Waiting(subject, why))
    return found


@dataclass(frozen=True)
class Untold:
    notification: Notification
    subject: ContactSubject
    why: str
    due: datetime


def untold(contacts: Iterable[int], *, at: datetime) -> list[Untold]:
    """The school-age children of recent notifications (on the contacts given: those a user may see)
    whose school has not been told, the most urgent first."""
    protocol = active_protocol()
    holidays = protocol.extra_holidays()
    recent = (
        Notification.objects.filter(contact__in=contacts, contact__received_at__gte=at - LOOK_BACK)
        .select_related("contact")
        .prefetch_related("contact__subjects__person", "contact__messages")
    )
    found = []
    for notification in recent:
        deadline = due(notification, protocol, holidays=holidays)
        for waiting_child in waiting(notification):
            found.append(Untold(notification, waiting_child.subject, waiting_child.why, deadline))
    return sorted(found, key=lambda row: row.due)


def incidents_unrecorded(contacts: Iterable[int], *, at: datetime) -> list[Contact]:
    """Recent police domestic-abuse notifications (on the contacts given) with a school-age child whose
    incident is not recorded yet: no school can be told until it is (the notice says when and where, and
    whether the child was present), so they are listed rather than missed."""
    recent = (
        Contact.objects.filter(
            pk__in=contacts,
            channel=ContactChannel.POLICE_NOTIFICATION,
            received_at__gte=at - LOOK_BACK,
            domestic_abuse__isnull=True,
        )
        .prefetch_related("subjects__person")
        .order_by("received_at", "pk")
    )
    return [
        contact
        for contact in recent
        if is_notification(contact)
        and any(
            subject.is_child and of_school_age(subject, localtime(contact.received_at).date())
            for subject in contact.subjects.all()
        )
    ]


def preview(notification: Notification, subject: ContactSubject, school: School | None) -> tuple[str, str]:
    """The notice's subject and words as the school would read them (for a school not chosen yet, with
    where its name goes said in words)."""
    shown = school or School(name="[the school you choose]", dsl_name="[its designated safeguarding lead]")
    version = services.current_version(LetterKind.ENCOMPASS, Audience.SCHOOL)
    values = values_for(notification, subject, shown, active_protocol())
    return fill(version.subject, values), fill(version.body, values)
