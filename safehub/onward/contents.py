"""What a referral pack holds (issue 15; ADR 0039): the contact, the children the outcome sends to the
team, the social worker's and the manager's reasons, what was done, the partners' answers as far as
the exits gate lets them go to the team, the family letter (or why none was written) and, for early
help, the local protocol's criteria the situation meets (002 §9(c)).

The content is a plain mapping of words, kept on the pack as it was sent, so that the team reads the
same pack however the contact changes later, and the sharing ledger holds exactly what went."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.timezone import localdate

from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import sharing_position
from safehub.contacts.models import ConcernCategory, Contact, ContactSubject, ReferrerKind
from safehub.core.presenters import shown_date, shown_day
from safehub.decisions.models import Decision, Outcome, Recommendation
from safehub.decisions.queries import latest_recommendation, the_decision
from safehub.letters.models import LetterKind, WithheldReason
from safehub.letters.workflow import DID_NOT_GO, MessageState
from safehub.protocols.models import LocalProtocol
from safehub.sharing.exits import Release, withheld_reason

# A family letter that reached the family, or is on its way (one that failed is no letter).
LETTER_STATES = frozenset(MessageState) - DID_NOT_GO


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _joined(*parts: str) -> str:
    return ", ".join(part.strip() for part in parts if part.strip())


def _referrer(contact: Contact) -> dict[str, str]:
    """Who made contact: a professional by name and agency, so the team can ask them more; a member of
    the public is not named in a pack that leaves the hub (the MASH holds their details, 002 §22)."""
    kind = contact.get_referrer_kind_display()
    if contact.referrer_kind == ReferrerKind.PROFESSIONAL:
        phone = f"telephone {contact.referrer_phone}" if contact.referrer_phone.strip() else ""
        who = _joined(
            contact.referrer_name, contact.referrer_role, contact.referrer_agency, phone, contact.referrer_email
        )
        return {"kind": kind, "name": contact.referrer_name, "line": f"{kind}: {who}"}
    if contact.referrer_kind == ReferrerKind.PUBLIC:
        return {"kind": kind, "name": "", "line": f"{kind}: not named in this pack (ask the MASH to reach them)"}
    return {"kind": kind, "name": "", "line": kind}


def _person(subject: ContactSubject) -> dict[str, str]:
    born = f"born {shown_day(subject.date_of_birth)}" if subject.date_of_birth else ""
    address = " ".join(part for part in (subject.address, subject.postcode) if part)
    return {
        "line": _joined(f"{subject.display_name} ({subject.get_role_display().lower()})", born, address),
        "name": subject.display_name,
        "role": subject.get_role_display(),
        "born": shown_day(subject.date_of_birth) if subject.date_of_birth else "",
        "sex": subject.get_sex_display(),
        "address": " ".join(part for part in (subject.address, subject.postcode) if part),
        "school": subject.school,
        "nhs_number": subject.nhs_number,
        "first_language": subject.first_language,
        "needs": subject.needs,
        "communication": subject.communication,
    }


def _criteria(protocol: LocalProtocol | None, recommendation: Recommendation | None) -> list[dict[str, Any]]:
    """Each of the protocol's early help criteria, and whether the social worker recorded the situation
    as meeting it (002 §9(c)); none where the protocol lists none."""
    listed = list(protocol.early_help_criteria) if protocol is not None else []
    met = set(recommendation.early_help_criteria) if recommendation is not None else set()
    return [{"criterion": criterion, "met": criterion in met} for criterion in listed]


def _family_letter(contact: Contact) -> dict[str, str]:
    """The letter to the family as it was sent (003 App. 4 §11: "A copy of the letter will be included
    in the step down referral"), or the recorded reason none was written, or that none has been yet."""
    sent = [
        message
        for message in contact.messages.filter(kind=LetterKind.FAMILY).order_by("-created_at", "-pk")
        if message.state in LETTER_STATES
    ]
    if sent:
        letter = sent[0]
        state = MessageState(letter.state)
        if state == MessageState.TO_PRINT:
            how = f"Written to {letter.recipient_name} on {shown_date(letter.created_at)}, to be printed and posted"
        elif state == MessageState.POSTED:
            how = f"Posted to {letter.recipient_name} on {shown_date(letter.delivered_at or letter.created_at)}"
        else:
            how = f"Sent to {letter.recipient_name} on {shown_date(letter.created_at)}"
        return {"status": "sent", "how": how, "to": letter.recipient_name, "body": letter.body}
    decision = contact.family_letter_decisions.order_by("-decided_at", "-pk").first()
    if decision is not None and decision.withhold:
        return {"status": "withheld", "reason": WithheldReason(decision.reason).label}
    return {"status": "not_yet"}


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "by": _name(decision.decided_by),
        "at": shown_date(decision.decided_at),
        "rationale": decision.rationale,
        "children": [
            {"name": child.subject.display_name, "outcome": child.get_outcome_display()}
            for child in decision.children.select_related("subject").order_by("subject__order", "pk")
        ],
    }


def build(
    contact: Contact,
    *,
    outcome: Outcome,
    children: list[ContactSubject],
    team_name: str,
    released: Release,
    protocol: LocalProtocol | None,
    at: datetime,
) -> dict[str, Any]:
    """The pack for `children`, sent to `team_name` for `outcome`, with the partners' answers the gate
    `released` to the team, and each it withheld named as left out."""
    decision = the_decision(contact)
    recommendation = latest_recommendation(contact)
    action = getattr(contact, "outcome_action", None)
    placed = {child.subject_id: child for child in action.children.all()} if action is not None else {}
    child_ids = {child.pk for child in children}
    purpose = ConsentPurpose.EARLY_HELP if outcome == Outcome.EARLY_HELP else ConsentPurpose.MASH_CHECKS
    content: dict[str, Any] = {
        "reference": contact.reference,
        "team": team_name,
        "outcome": Outcome(outcome).label,
        "outcome_value": Outcome(outcome).value,
        "received": shown_date(contact.received_at),
        "referrer": _referrer(contact),
        "concerns": [ConcernCategory(value).label for value in contact.concern_categories if value in ConcernCategory],
        "narrative": contact.narrative,
        "significant_events": contact.significant_events,
        "child_location": contact.child_location,
        "alleged_perpetrator": contact.alleged_perpetrator,
        "other_agencies": contact.other_agencies,
        "parents_aware": contact.get_parents_aware_display(),
        "parents_agree": contact.get_parents_agree_display(),
        "children": [
            {
                **_person(subject),
                "worker": placed[subject.pk].worker if subject.pk in placed else "",
            }
            for subject in children
        ],
        "others": [_person(subject) for subject in contact.subjects.all() if subject.pk not in child_ids],
        "recommendation": {
            "by": _name(recommendation.recommended_by),
            "at": shown_date(recommendation.recommended_at),
            "rating": recommendation.get_rating_display(),
            "rationale": recommendation.rationale,
        }
        if recommendation is not None
        else None,
        "criteria": _criteria(protocol, recommendation) if outcome == Outcome.EARLY_HELP else [],
        "decision": _decision(decision) if decision is not None else None,
        "actioned": {
            "by": _name(action.actioned_by),
            "at": shown_date(action.actioned_at),
            "notes": action.notes,
        }
        if action is not None
        else None,
        "consent": sharing_position(contact, purpose, on=localdate(at)),
        "answers": [
            {
                "agency": item.source_name,
                "nothing_known": bool(item.content.get("nothing_known")),
                "information": item.content.get("information", ""),
                "analysis": item.content.get("analysis", ""),
            }
            for item in released.shared
        ],
        "withheld": sorted({withheld_reason(item) for item in released.withheld}),
        "family_letter": _family_letter(contact),
        "sent_at": shown_date(at),
    }
    return content
