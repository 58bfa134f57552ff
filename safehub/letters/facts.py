"""The values a template's fields take for one contact (`letters.fields`), read from the contact,
its approved decision, where each child went, the active protocol and the person sending."""

from __future__ import annotations

from datetime import datetime

from safehub.accounts.models import Role, User
from safehub.consultations.models import Consultation
from safehub.contacts.models import Contact
from safehub.core.presenters import shown_london_day
from safehub.decisions.models import SHORT_LABELS, ChildAction, Decision, Outcome
from safehub.decisions.queries import the_decision
from safehub.protocols.models import LocalProtocol

# The roles a letter signs with, the most senior first.
SIGNING_ROLES = (
    Role.TEAM_MANAGER,
    Role.SENIOR_PRACTITIONER,
    Role.SOCIAL_WORKER,
    Role.CONTACT_OFFICER,
    Role.STRATEGY_COORDINATOR,
)

# Which outcome's template a contact's letter uses when its children's outcomes differ: the most
# serious, whose words say the most about what happens next (every child's outcome is listed in it).
MOST_SERIOUS_OUTCOME_FIRST = (
    Outcome.STRATEGY_DISCUSSION,
    Outcome.SECTION_17_ASSESSMENT,
    Outcome.CHILDREN_WITH_DISABILITY,
    Outcome.FORWARD_TO_ALLOCATED_WORKER,
    Outcome.LADO,
    Outcome.EARLY_HELP,
    Outcome.SIGNPOST,
    Outcome.NO_FURTHER_ACTION,
)


def signing_role(user: User) -> str:
    held = user.roles()
    return next((role.label for role in SIGNING_ROLES if role in held), "")


def names(values: list[str]) -> str:
    """'Ann Smith', 'Ann Smith and Ben Smith', 'Ann Smith, Ben Smith and Cal Smith'."""
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} and {values[-1]}"


def leading_outcome(decision: Decision) -> Outcome:
    outcomes = {Outcome(child.outcome) for child in decision.children.all()}
    return next(outcome for outcome in MOST_SERIOUS_OUTCOME_FIRST if outcome in outcomes)


def _where_they_went(child: ChildAction) -> str:
    if child.worker and child.team:
        return f"{child.subject.display_name}: {child.worker}, {child.team}"
    return f"{child.subject.display_name}: {child.worker or child.team}" if (child.worker or child.team) else ""


def values_for(contact: Contact, *, protocol: LocalProtocol, sender: User, at: datetime) -> dict[str, str]:
    """Every field's value for `contact` (a field with no value here is "", and stays ((field)) in
    the words, for the worker to replace)."""
    children = [subject.display_name for subject in contact.subjects.all() if subject.is_child]
    values = {
        "reference": contact.reference,
        "received_date": shown_london_day(contact.received_at),
        "children": names(children),
        "referrer_name": contact.referrer_name,
        "hub_name": protocol.name,
        "hub_phone": protocol.hub_phone,
        "hub_email": protocol.hub_email,
        "sender_name": sender.get_full_name() or sender.username,
        "sender_role": signing_role(sender),
        "today": shown_london_day(at),
    }
    decision = the_decision(contact)
    if decision is not None:
        values["decision_date"] = shown_london_day(decision.decided_at)
        values["outcomes"] = "\n".join(
            f"{child.subject.display_name}: {SHORT_LABELS[Outcome(child.outcome)].lower()}"
            for child in decision.children.select_related("subject").order_by("subject__order", "pk")
        )
    action = getattr(contact, "outcome_action", None)
    if action is not None:
        went = [_where_they_went(child) for child in action.children.select_related("subject").all()]
        values["who_will_contact"] = "\n".join(line for line in went if line)
    return values


def summary_values(
    consultation: Consultation, *, protocol: LocalProtocol, sender: User, at: datetime
) -> dict[str, str]:
    """Every field's value for a consultation's summary."""
    return {
        "recipient_name": consultation.consultee_name,
        "consultation_date": shown_london_day(consultation.received_at),
        "child": consultation.child_name or "a child you did not name",
        "question": consultation.question,
        "advice": consultation.advice,
        "hub_name": protocol.name,
        "hub_phone": protocol.hub_phone,
        "hub_email": protocol.hub_email,
        "sender_name": sender.get_full_name() or sender.username,
        "sender_role": signing_role(sender),
        "today": shown_london_day(at),
    }
