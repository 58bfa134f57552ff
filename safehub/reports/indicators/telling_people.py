"""Telling people, by month (issue 15, "Timeliness"): professionals' contacts acknowledged within one
working day; referrers told the outcome within the active protocol's time (002 §12: 48 hours; 003 App. 4
§10: one working day); families written to, or not with a coded reason (003 App. 4 §11); consultation
summaries sent within the protocol's time (002 §5–6: 48 hours); each school-age child's school told of a
police domestic-abuse notification before the next school day (Operation Encompass); each GP practice asked
for checks told the outcome within three working days (Sefton 003 §2.6). Each is counted in the London month of
what started its clock — the contact received, the outcome actioned, the consultation given — from the
records themselves. Something still in time is not counted late; something past its time and not done is
counted as not done."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db.models import DateTimeField, Min, OuterRef, Subquery, Value

from safehub.accounts.models import AgencyKind
from safehub.checks.models import AgencyRequest
from safehub.consultations.models import Consultation
from safehub.contacts.models import Contact, ReferrerKind
from safehub.decisions.models import OutcomeAction, Verdict
from safehub.domestic_abuse.models import Notification
from safehub.letters import encompass
from safehub.letters.models import FamilyLetterDecision, LetterKind, Message, MessageStateChange, WithheldReason
from safehub.letters.rules import reasons_not_to_write
from safehub.letters.timeliness import Timed, acknowledgement_due, gp_outcome_due, outcome_due
from safehub.letters.workflow import MessageState
from safehub.protocols.models import Clock
from safehub.protocols.policy import Deadlines, active_protocol
from safehub.reports.indicators import months
from safehub.reports.measures.clocks import EpochMs, InTime, clock_key, from_ms, ms

WITHHELD = tuple(f"not_written_{reason.value}" for reason in WithheldReason)
MEASURES = (
    "acknowledgements_due",
    "acknowledged_on_time",
    "acknowledged_late",
    "not_acknowledged",
    "outcomes_due",
    "told_on_time",
    "told_late",
    "not_told",
    "family_letters",
    "family_not_written_to",
    *WITHHELD,
    "family_neither",
    "summaries_due",
    "summaries_on_time",
    "summaries_late",
    "summaries_not_sent",
    "encompass_due",
    "encompass_on_time",
    "encompass_late",
    "encompass_not_sent",
    "gp_practices_due",
    "gp_told_on_time",
    "gp_told_late",
    "gp_not_told",
)
# A message that did not arrive has not told anyone (told another way: when is not known).
UNDELIVERED = (MessageState.FAILED, MessageState.TOLD_ANOTHER_WAY)


def _first_sent(kind: LetterKind) -> dict[int, datetime]:
    """The time of the first message of `kind` on each contact that was not lost on the way."""
    first: dict[int, datetime] = {}
    rows = (
        Message.objects.filter(kind=kind, contact__isnull=False)
        .exclude(state__in=UNDELIVERED)
        .values_list("contact_id", "created_at")
        .order_by("created_at")
    )
    for contact_id, at in rows:
        first.setdefault(contact_id, at)
    return first


def _held_back(contact_ids: set[int]) -> dict[int, str]:
    """Of these contacts, those whose family must not be written to for a reason recorded before anyone
    decided about the letter (the referrer's 002 §22 reasons on the contact, a strategy discussion's
    decision not to tell the family), still in force: the first reason's code, "" for one not coded. The
    letter is refused while it holds, so the hub records no decision of its own."""
    contacts = Contact.objects.filter(pk__in=contact_ids).prefetch_related(
        "strategy_discussions__record", "family_letter_decisions__decided_by"
    )
    return {contact.pk: reasons[0].code for contact in contacts if (reasons := reasons_not_to_write(contact))}


def _tally(found: months.Months, start: datetime, timed: Timed, measures: tuple[str, str, str], at: datetime) -> None:
    on_time, late, not_done = measures
    if timed.done is not None:
        found.add(start, on_time if timed.on_time() else late)
    elif timed.late_by(at):
        found.add(start, not_done)


class Part(StrEnum):
    """The report's parts, each counted on its own: the dashboard (issue 16) asks only for some."""

    ACKNOWLEDGEMENTS = "acknowledgements"
    OUTCOMES = "outcomes"  # the outcome told to whoever made contact
    FAMILY_LETTERS = "family_letters"
    SUMMARIES = "summaries"
    ENCOMPASS = "encompass"
    GP_PRACTICES = "gp_practices"


def figures(
    *,
    at: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
    parts: frozenset[Part] = frozenset(Part),
) -> list[months.MonthRow]:
    """Each month with anything to count, the latest first; only what started its clock from `since` and
    before `until`, when given; only the `parts` asked for (the others' measures stay 0)."""
    deadlines = Deadlines(active_protocol())
    found = months.Months(MEASURES)

    def after(name: str) -> dict[str, datetime]:
        return window(name, since, until)

    if Part.ACKNOWLEDGEMENTS in parts:
        _acknowledgements(found, deadlines, after("received_at"), at=at)
    if Part.OUTCOMES in parts or Part.FAMILY_LETTERS in parts:
        _outcomes_and_family_letters(found, deadlines, after("actioned_at"), parts=parts, at=at)
    if Part.SUMMARIES in parts:
        _summaries(found, after("received_at"), at=at)
    if Part.ENCOMPASS in parts:
        _encompass(found, deadlines, after("contact__received_at"), at=at)
    if Part.GP_PRACTICES in parts:
        _gp_practices(found, deadlines, since=since, until=until, at=at)
    return found.latest_first()


def _acknowledgements(
    found: months.Months, deadlines: Deadlines, received: dict[str, datetime], *, at: datetime
) -> None:
    """Every professional's contact acknowledged within one working day (issue 15)."""
    acknowledged = _first_sent(LetterKind.ACKNOWLEDGEMENT)
    contacts = Contact.objects.filter(referrer_kind=ReferrerKind.PROFESSIONAL, **received)
    for pk, received_at in contacts.values_list("pk", "received_at"):
        found.add(received_at, "acknowledgements_due")
        timed = Timed(acknowledgement_due(received_at, deadlines), acknowledged.get(pk))
        _tally(found, received_at, timed, ("acknowledged_on_time", "acknowledged_late", "not_acknowledged"), at)


def _first_told() -> Subquery:
    """When the outcome was first sent to whoever made contact (a message of its kind not lost on the way)."""
    first = (
        Message.objects.filter(kind=LetterKind.OUTCOME, contact_id=OuterRef("contact_id"))
        .exclude(state__in=UNDELIVERED)
        .order_by()
        .values("contact_id")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    return Subquery(first, output_field=DateTimeField())


def _outcome_clock(deadlines: Deadlines) -> InTime:
    key = ("outcome to referrer", clock_key(deadlines, [(Clock.OUTCOME_TO_REFERRER, "")]))
    return InTime(lambda decided: outcome_due(decided, deadlines), key=key)


def _outcomes_and_family_letters(
    found: months.Months, deadlines: Deadlines, actioned: dict[str, datetime], *, parts: frozenset[Part], at: datetime
) -> None:
    """The outcome to whoever made contact, and the family's letter, for each outcome actioned. A year's
    actions are read as numbers (milliseconds since 1970), not times with their zones, and their due times
    from a clock that remembers each quarter hour's (reports.measures.clocks): reading and working out a
    hundred thousand times one by one took seconds."""
    outcomes = Part.OUTCOMES in parts
    letters = Part.FAMILY_LETTERS in parts
    written = set(
        Message.objects.filter(kind=LetterKind.FAMILY)
        .exclude(state=MessageState.WITHDRAWN)
        .values_list("contact_id", flat=True)
        if letters
        else ()
    )
    withheld: dict[int, str] = {}
    for decision in (
        FamilyLetterDecision.objects.order_by("decided_at", "pk").values_list("contact_id", "withhold", "reason")
        if letters
        else ()
    ):
        contact_id, withhold, reason = decision
        if withhold:
            withheld[contact_id] = reason
        else:
            withheld.pop(contact_id, None)
    rows = OutcomeAction.objects.filter(**actioned).order_by()
    if outcomes:
        rows = rows.annotate(first_told=_first_told())
    actions = list(
        rows.values_list(
            "contact_id",
            EpochMs("actioned_at"),
            EpochMs("referrer_informed_at"),
            EpochMs("first_told") if outcomes else Value(None),
            "contact__referrer_kind",
            EpochMs("decision__decided_at"),
            "decision__verdict",
        )
    )
    held_back = _held_back({row[0] for row in actions} - written - set(withheld)) if letters else {}
    clock = _outcome_clock(deadlines)
    at_ms = ms(at)
    for contact_id, actioned_at, informed_at, first_told, kind, decided_at, verdict in actions:
        if outcomes and kind != ReferrerKind.ANONYMOUS and verdict == Verdict.APPROVED:
            found.add_ms(actioned_at, "outcomes_due")
            done = min((t for t in (first_told, informed_at) if t is not None), default=None)
            if done is not None:
                # Told, and the protocol sets no time: told in time (as letters.timeliness.Timed counts it).
                in_time = clock.done_in_time_ms(done, decided_at)
                found.add_ms(actioned_at, "told_late" if in_time is False else "told_on_time")
            else:
                due = clock.due(from_ms(decided_at))
                if due is not None and at_ms > ms(due):
                    found.add_ms(actioned_at, "not_told")
        if not letters:
            continue
        if contact_id in written:
            found.add_ms(actioned_at, "family_letters")
        elif contact_id in withheld:
            found.add_ms(actioned_at, "family_not_written_to")
            found.add_ms(actioned_at, f"not_written_{withheld[contact_id]}")
        elif contact_id in held_back:
            found.add_ms(actioned_at, "family_not_written_to")
            if held_back[contact_id]:
                found.add_ms(actioned_at, f"not_written_{held_back[contact_id]}")
        else:
            found.add_ms(actioned_at, "family_neither")


def _summaries(found: months.Months, received: dict[str, datetime], *, at: datetime) -> None:
    """Consultation summaries (002 §5–6)."""
    for received_at, due, sent in Consultation.objects.filter(**received).values_list(
        "received_at", "summary_due_at", "summary_sent_at"
    ):
        found.add(received_at, "summaries_due")
        _tally(found, received_at, Timed(due, sent), ("summaries_on_time", "summaries_late", "summaries_not_sent"), at)


def _encompass(found: months.Months, deadlines: Deadlines, received: dict[str, datetime], *, at: datetime) -> None:
    """Operation Encompass: each school-age child's school, before the next school day."""
    protocol = deadlines.protocol
    notices = {
        (contact_id, child_id): sent
        for contact_id, child_id, sent in Message.objects.filter(kind=LetterKind.ENCOMPASS)
        .exclude(state__in=UNDELIVERED)
        .values_list("contact_id", "child_id", "created_at")
    }
    notifications = (
        Notification.objects.filter(**received).select_related("contact").prefetch_related("contact__subjects__person")
    )
    for notification in notifications:
        received_at = notification.contact.received_at
        deadline = encompass.due(notification, protocol, holidays=deadlines.holidays)
        for child in encompass.children_to_tell(notification):
            found.add(received_at, "encompass_due")
            timed = Timed(deadline, notices.get((notification.contact_id, child.pk)))
            _tally(found, received_at, timed, ("encompass_on_time", "encompass_late", "encompass_not_sent"), at)


def window(name: str, since: datetime | None, until: datetime | None) -> dict[str, datetime]:
    """The lookups that keep `name` (a time) from `since` and before `until`, each when given."""
    found = {f"{name}__gte": since, f"{name}__lt": until}
    return {lookup: value for lookup, value in found.items() if value is not None}


def _gp_practices(
    found: months.Months, deadlines: Deadlines, *, since: datetime | None, until: datetime | None, at: datetime
) -> None:
    """Each GP practice asked for checks on a contact whose outcome was actioned, told within three
    working days or not (003 §2.6): by email when it was sent, by telephone when the call was recorded."""
    actioned = dict(
        OutcomeAction.objects.filter(**window("actioned_at", since, until)).values_list("contact_id", "actioned_at")
    )
    asked = set(
        AgencyRequest.objects.filter(agency__kind=AgencyKind.GP_PRACTICE, checks__contact_id__in=list(actioned))
        .values_list("checks__contact_id", "agency_id")
        .distinct()
    )
    messages = Message.objects.filter(kind=LetterKind.GP_OUTCOME, contact_id__in=list(actioned)).exclude(
        state=MessageState.FAILED
    )
    told: dict[tuple[int, int], datetime] = {}
    another_way: dict[int, tuple[int, int]] = {}
    for pk, contact_id, agency_id, state, created_at in messages.values_list(
        "pk", "contact_id", "agency_id", "state", "created_at"
    ):
        if state == MessageState.TOLD_ANOTHER_WAY:
            another_way[pk] = (contact_id, agency_id)
        else:
            told[(contact_id, agency_id)] = created_at
    for message_id, changed_at in MessageStateChange.objects.filter(
        message_id__in=list(another_way), to_state=MessageState.TOLD_ANOTHER_WAY
    ).values_list("message_id", "at"):
        told[another_way[message_id]] = changed_at
    for contact_id, agency_id in sorted(asked):
        actioned_at = actioned[contact_id]
        found.add(actioned_at, "gp_practices_due")
        timed = Timed(gp_outcome_due(actioned_at, deadlines), told.get((contact_id, agency_id)))
        _tally(found, actioned_at, timed, ("gp_told_on_time", "gp_told_late", "gp_not_told"), at)


def as_csv(rows: list[months.MonthRow]) -> str:
    return months.as_csv(MEASURES, rows)
