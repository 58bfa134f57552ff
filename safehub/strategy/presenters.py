"""Strategy discussions as the worktray, the contact page and the discussion's own page show them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from safehub.accounts.models import User
from safehub.contacts.models import Contact
from safehub.contacts.presenters import TimelineEntry, TimelineSource
from safehub.core.presenters import (
    DAY_TIME,
    Action,
    Due,
    Panel,
    brag_tag_class,
    due,
    format_row_html,
    record_links,
    shown_date,
)
from safehub.strategy import permissions
from safehub.strategy.forms import CloseActionForm
from safehub.strategy.models import (
    ContributionAgreement,
    Invitation,
    StrategyAction,
    StrategyChild,
    StrategyDiscussion,
    StrategyRecord,
)
from safehub.strategy.timeliness import Measure, held, measures
from safehub.strategy.workflow import (
    ACTION_STATES,
    LIFECYCLE,
    NOT_YET_HELD,
    STATES,
    ActionState,
    DiscussionEvent,
    DiscussionState,
)


def children_names(discussion: StrategyDiscussion) -> str:
    """'Ann Smith, Ben Smith': the children it is about (fetched for a list at once, or prefetched)."""
    if discussion.children_text is not None:
        return discussion.children_text
    return ", ".join(str(child) for child in discussion.children.all())


# The lists' rows (worktray, a contact's panel, a partner's invitations, open actions) are drawn here
# as one formatted string each, as the work queues' are (docs/adr/0011): at a year's scale the rows'
# template variables were a third of the worktray's server time (benchmark-strategy). Every value put
# in them is escaped (core.presenters.format_row_html).
DISCUSSION_ROW_HTML = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{href}">{children}</a>{reference}</td>'
    '<td class="govuk-table__cell"><strong class="{rating_tag}">{rating}</strong></td>'
    '<td class="govuk-table__cell"><strong class="{state_tag}">{state}</strong>{decision}</td>'
    '<td class="govuk-table__cell">{due}{exception}</td>'
    '<td class="govuk-table__cell">{meeting}</td>'
    "</tr>"
)
REFERENCE_HTML = ' <span class="govuk-hint govuk-!-margin-bottom-0 app-nowrap">{reference}</span>'
DECISION_HTML = '<br>{decision}<br><span class="govuk-hint govuk-!-margin-bottom-0">{held}</span>'
DUE_HTML = '<strong class="{tag_class}">{text}</strong><br>{label} <span class="app-nowrap">{at}</span> '
EXCEPTION_HTML = mark_safe('<strong class="govuk-tag govuk-tag--yellow">Exception</strong>')
HELD_HTML = "Held {held_at}<br>Chaired by {chair}"
ARRANGED_HTML = "{meeting_at}<br>{meeting_format}, chaired by {chair}"
ACTION_ROW_HTML = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{href}#action-{pk}">{children}</a>{reference}<br>'
    '<span class="app-preserve-lines" id="action-{pk}">{description}</span></td>'
    '<td class="govuk-table__cell">{owner}, {agency}</td>'
    '<td class="govuk-table__cell"><span class="app-nowrap">{due_at}</span> {due}</td>'
    '<td class="govuk-table__cell"><strong class="{state_tag}">{state}</strong></td>'
    "</tr>"
)
INVITATION_ROW_HTML = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{href}">{children}</a>{reference}</td>'
    '<td class="govuk-table__cell">{meeting}</td>'
    '<td class="govuk-table__cell">{agency} ({reason})</td>'
    '<td class="govuk-table__cell"><strong class="{state_tag}">{state}</strong></td>'
    "</tr>"
)
TAG_HTML = '<strong class="{tag_class}">{text}</strong>'


def _reference(discussion: StrategyDiscussion) -> SafeString | str:
    contact = discussion.contact if discussion.contact_id else None
    return format_row_html(REFERENCE_HTML, reference=contact.reference) if contact is not None else ""


def _children(discussion: StrategyDiscussion) -> str:
    return children_names(discussion) or "Strategy discussion"


@dataclass(frozen=True)
class DiscussionRow:
    discussion: StrategyDiscussion
    children: str
    state_label: str
    state_tag_class: str
    rating_tag_class: str
    due: Due | None
    on_exception: bool
    decision: str  # once held: the one decision, and what follows it
    held: Measure  # held within the standard, late, or not yet
    due_at: datetime | None  # what the clock counts to: the discussion's time, or its record's
    due_label: str
    held_at: datetime | None
    href: str

    def html(self) -> SafeString:
        discussion = self.discussion
        decision: SafeString | str = ""
        if self.decision:
            decision = format_row_html(DECISION_HTML, decision=self.decision, held=self.held.text)
        clock: SafeString | str = ""
        if self.due is not None:
            clock = format_row_html(
                DUE_HTML,
                tag_class=self.due.tag_class,
                text=self.due.text,
                label=self.due_label,
                at=shown_date(self.due_at, DAY_TIME),
            )
        meeting: SafeString | str = "Not arranged"
        if self.held_at is not None:
            meeting = format_row_html(
                HELD_HTML, held_at=shown_date(self.held_at, DAY_TIME), chair=str(discussion.chair)
            )
        elif discussion.meeting_at is not None:
            meeting = format_row_html(
                ARRANGED_HTML,
                meeting_at=shown_date(discussion.meeting_at, DAY_TIME),
                meeting_format=discussion.get_meeting_format_display(),
                chair=str(discussion.chair),
            )
        return format_row_html(
            DISCUSSION_ROW_HTML,
            href=self.href,
            children=self.children or "Strategy discussion",
            reference=_reference(discussion),
            rating_tag=self.rating_tag_class,
            rating=discussion.get_rating_display(),
            state_tag=self.state_tag_class,
            state=self.state_label,
            decision=decision,
            due=clock,
            exception=EXCEPTION_HTML if self.on_exception else "",
            meeting=meeting,
        )


def row(discussion: StrategyDiscussion, *, at: datetime, href: str = "") -> DiscussionRow:
    state = DiscussionState(discussion.state)
    info = STATES[state]
    kept = getattr(discussion, "record", None)
    due_at: datetime | None = None
    due_label = ""
    if state in NOT_YET_HELD:
        due_at, due_label = discussion.due_at, "To be held by"
    elif state == DiscussionState.HELD and kept is not None:
        due_at, due_label = kept.send_due_at, "Record to send by"
    clock = due(due_at, at=at) if due_at is not None else None
    return DiscussionRow(
        discussion=discussion,
        children=children_names(discussion),
        state_label=info.label,
        state_tag_class=info.tag_class,
        rating_tag_class=brag_tag_class(discussion.rating),
        due=clock,
        on_exception=discussion.on_exception,
        decision=_decision(kept),
        held=held(discussion, kept, at=at),
        due_at=due_at,
        due_label=due_label,
        held_at=kept.held_at if kept is not None else None,
        href=href or reverse("strategy:discussion", args=[discussion.pk]),
    )


def _decision(kept: StrategyRecord | None) -> str:
    if kept is None:
        return ""
    follows = kept.get_onward_outcome_display() or kept.get_protection_means_display()
    return f"{kept.get_decision_display()}: {follows}" if follows else kept.get_decision_display()


def rows(discussions: list[StrategyDiscussion], *, at: datetime) -> list[DiscussionRow]:
    link = record_links("strategy:discussion")
    return [row(discussion, at=at, href=link(discussion.pk)) for discussion in discussions]


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    by: str
    what: str
    note: str


def history(discussion: StrategyDiscussion) -> list[HistoryLine]:
    """What happened to the discussion, in order: its start, then each move (with its note)."""
    lines = [HistoryLine(discussion.started_at, str(discussion.started_by), "Started", "")]
    for change in discussion.state_changes.select_related("by").order_by("at", "pk"):
        what = LIFECYCLE.events.get(DiscussionEvent(change.event), change.event)
        lines.append(HistoryLine(change.at, str(change.by), what, change.note))
    for action in discussion.actions.select_related("agency", "created_by", "closed_by"):
        lines.append(
            HistoryLine(action.created_at, str(action.created_by), f"Action added for {action.agency}", str(action))
        )
        if action.closed_at is not None:
            lines.append(HistoryLine(action.closed_at, str(action.closed_by), "Action closed", action.closed_note))
    agreed = ContributionAgreement.objects.filter(invitation__discussion=discussion).select_related(
        "invitation__agency", "agreed_by"
    )
    for agreement in agreed:
        what = f"{agreement.invitation} agreed its contribution may go in the record"
        lines.append(HistoryLine(agreement.agreed_at, str(agreement.agreed_by), what, agreement.note))
    kept = getattr(discussion, "record", None)
    if kept is not None and kept.conference_recorded_at is not None:
        what = (
            f"Conference recorded for {shown_date(kept.conference_on, 'j F Y')}"
            if kept.conference_on
            else "Recorded that no conference is required"
        )
        lines.append(
            HistoryLine(
                kept.conference_recorded_at, str(kept.conference_recorded_by), what, kept.conference_not_required
            )
        )
    return sorted(lines, key=lambda line: line.at)


def took_part(attendance: str, attendee: str, reason: str) -> str:
    """How an invitee took part, as one line: "Attended (DC Example)", "Sent apologies: Attending court"."""
    shown = f"{attendance} ({attendee})" if attendee else attendance
    return f"{shown}: {reason}" if reason else shown


# Why an invitation was never emailed: the email worker sends only while the discussion is arranged (strategy.emails).
NOT_EMAILED = {
    DiscussionState.HELD: "not emailed: the discussion was held before its email went out",
    DiscussionState.RECORD_SENT: "not emailed: the discussion was held before its email went out",
    DiscussionState.CANCELLED: "not emailed: the discussion was cancelled before its email went out",
}


@dataclass(frozen=True)
class Invitee:
    """One invited to the discussion, as its page lists them: who and why, what became of the email that
    tells them, and (once it is held) how they took part."""

    invitation: Invitation
    name: str  # "Demo Constabulary (police: invited to every strategy discussion)"
    email: str  # "emailed …", "the email is on its way", "not emailed: …"; "" while it is not arranged
    nobody_to_email: bool
    took_part: str  # "Sent apologies: Attending court"; "" until it is recorded


def invitees(discussion: StrategyDiscussion, found: Iterable[Invitation]) -> list[Invitee]:
    """The discussion's invitees as its page lists them (`found`: its invitations, with their agency)."""
    state = DiscussionState(discussion.state)
    shown = []
    for invitation in found:
        nobody_to_email = invitation.emailed_at is not None and not invitation.emailed_to
        if nobody_to_email:
            email = (
                f"no one at {invitation} uses Safehub and the agency has no shared email address: telephone them,"
                " and ask an administrator to add the address"
            )
        elif invitation.emailed_at is not None:
            addresses = "address" if invitation.emailed_to == 1 else "addresses"
            email = f"emailed {shown_date(invitation.emailed_at, DAY_TIME)} to {invitation.emailed_to} {addresses}"
        elif state == DiscussionState.ARRANGED and discussion.meeting_at is not None:
            email = "the email is on its way"
        else:
            email = NOT_EMAILED.get(state, "")
        attendance = took_part(invitation.get_attendance_display(), invitation.attendee, invitation.attendance_reason)
        name = f"{invitation} ({invitation.reason_in_a_sentence})"
        shown.append(Invitee(invitation, name, email, nobody_to_email, attendance))
    return shown


@dataclass(frozen=True)
class TakingPart:
    """One invitee in the record as it was sent to a partner: who, how they took part, what they brought."""

    invitee: str
    took_part: str
    contribution: str


def taking_part_as_sent(invitation: Invitation) -> list[TakingPart]:
    """Who took part, as the record sent to `invitation`'s invitee says it (nobody before it is sent)."""
    copy = getattr(invitation, "record_copy", None)
    if copy is None:
        return []
    return [
        TakingPart(
            invitee=entry["invitee"],
            took_part=took_part(entry["attendance"], entry.get("attendee", ""), entry.get("reason", "")),
            contribution=entry.get("contribution", ""),
        )
        for entry in copy.disclosure.content.get("attendance", [])
    ]


class ContactPanel(Panel):
    """The contact's strategy discussions, with their state and clock; a manager may start one now."""

    template_name = "strategy/_contact_panel.html"
    lookups = (
        Prefetch(
            "strategy_discussions",
            queryset=StrategyDiscussion.objects.select_related("chair", "started_by", "record").prefetch_related(
                Prefetch("children", queryset=StrategyChild.objects.select_related("subject", "person"))
            ),
        ),
    )

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        discussions = list(contact.strategy_discussions.all())
        if not discussions:
            return None
        return {"rows": rows(discussions, at=at)}

    def actions(self, contact: Contact, *, user: User) -> list[Action]:
        if not permissions.can_start_strategy(user):
            return []
        return [Action("Start a strategy discussion now", reverse("strategy:start-now", args=[contact.pk]))]


class StrategyTimeline(TimelineSource):
    """On the contact's timeline: each strategy discussion started about its children, and each move
    it made (arranged, cancelled…), with the reason or what changed."""

    # Through the rows the panel fetched (its own queryset for the relation), each one's moves.
    lookups = ("strategy_discussions__state_changes__by",)

    def entries(self, contact: Contact) -> list[TimelineEntry]:
        entries = []
        for discussion in contact.strategy_discussions.all():
            entries.append(
                TimelineEntry(
                    "Strategy discussion started", discussion.started_at, str(discussion.started_by), discussion.reason
                )
            )
            for change in discussion.state_changes.all():
                what = LIFECYCLE.events.get(DiscussionEvent(change.event), change.event)
                entries.append(
                    TimelineEntry(f"Strategy discussion: {what.lower()}", change.at, str(change.by), change.note)
                )
        return entries


def timeliness(discussion: StrategyDiscussion) -> list[Measure]:
    return measures(discussion, at=timezone.now(), today=timezone.localdate())


SHORT_DESCRIPTION = 60  # characters: an action named in a line


@dataclass(frozen=True)
class ActionRow:
    action: StrategyAction
    due: Due | None
    state_label: str
    state_tag_class: str
    close_form: CloseActionForm | None
    href: str = ""  # in a list across discussions: the discussion's page

    @property
    def short_description(self) -> str:
        """The action in one short line, to say which one its close button closes (to a screen reader)."""
        line = " ".join(self.action.description.split())
        if len(line) <= SHORT_DESCRIPTION:
            return line
        return line[:SHORT_DESCRIPTION].rsplit(" ", 1)[0].rstrip(",;:") + "…"  # at a word's end

    def html(self) -> SafeString:
        """The row in a list of open actions across discussions (a discussion's own page draws its
        rows, with their forms, in strategy/_actions.html)."""
        action = self.action
        discussion = action.discussion
        return format_row_html(
            ACTION_ROW_HTML,
            href=self.href,
            pk=str(action.pk),
            children=_children(discussion),
            reference=_reference(discussion),
            description=action.description,
            owner=action.owner,
            agency=str(action.agency),
            due_at=shown_date(action.due_at, DAY_TIME),
            due=format_row_html(TAG_HTML, tag_class=self.due.tag_class, text=self.due.text) if self.due else "",
            state_tag=self.state_tag_class,
            state=self.state_label,
        )


def actions(
    discussion: StrategyDiscussion,
    *,
    agencies: frozenset[int],
    user: User,
    bound: dict[str, Any] | None = None,
) -> list[ActionRow]:
    """The discussion's actions, soonest due first, each with a form to close it for whoever may (a
    partner: their own agency's). `agencies`: the agencies a partner answers for (none for hub staff)."""
    at = timezone.now()
    found = []
    shown = discussion.actions.select_related("agency", "closed_by").order_by("state", "due_at", "pk")
    if permissions.sees_as_an_invited_agency(user):  # a partner sees their own agency's actions here
        shown = shown.filter(agency_id__in=sorted(agencies))
    for action in shown:
        info = ACTION_STATES[ActionState(action.state)]
        prefix = f"close-{action.pk}"
        form = None
        if permissions.can_close_action(user, action, agencies=agencies):
            form = (bound or {}).get(prefix) or CloseActionForm(initial={"version": action.version}, prefix=prefix)
        found.append(
            ActionRow(
                action=action,
                due=due(action.due_at, at=at) if action.state == ActionState.OPEN else None,
                state_label=info.label,
                state_tag_class=info.tag_class,
                close_form=form,
            )
        )
    return found


def action_rows(found: list[StrategyAction], *, at: datetime) -> list[ActionRow]:
    """Open actions across discussions, for the worktray and a partner's list (no forms: each is closed on
    its discussion's page)."""
    info = ACTION_STATES[ActionState.OPEN]
    link = record_links("strategy:discussion")
    return [ActionRow(a, due(a.due_at, at=at), info.label, info.tag_class, None, link(a.discussion_id)) for a in found]


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    href: str

    def html(self) -> SafeString:
        invitation = self.invitation
        discussion = invitation.discussion
        state = STATES[DiscussionState(discussion.state)]
        kept = getattr(discussion, "record", None)
        if kept is not None:
            meeting = f"Held {shown_date(kept.held_at, DAY_TIME)}"
        else:
            meeting = shown_date(discussion.meeting_at, DAY_TIME) or "Not arranged yet"
        return format_row_html(
            INVITATION_ROW_HTML,
            href=self.href,
            children=_children(discussion),
            reference=_reference(discussion),
            meeting=meeting,
            agency=str(invitation.agency),
            reason=invitation.reason_in_a_sentence,
            state_tag=state.tag_class,
            state=state.label,
        )


def invitation_rows(found: list[Invitation]) -> list[InvitationRow]:
    """A partner's invitations as their list shows them, each linking to its discussion."""
    link = record_links("strategy:discussion")
    return [InvitationRow(invitation, link(invitation.discussion_id)) for invitation in found]
