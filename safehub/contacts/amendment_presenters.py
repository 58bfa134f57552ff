"""Amendments as the contact page shows them: in its history, beside the details they changed, and,
after the decision, apart from what the decision was based on ('Added after the decision')."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode

from safehub.accounts.models import User
from safehub.contacts.known import added_after_the_decision, column, is_addendum
from safehub.contacts.models import (
    CHILD_ROLES,
    Amendment,
    AmendmentKind,
    ConcernCategory,
    Contact,
    ContactSubject,
    NotToldReason,
    subject_name,
)
from safehub.contacts.permissions import amendable_kinds, can_amend_contact, can_record_contact
from safehub.core.presenters import Action, Panel, shown_date
from safehub.people.models import Sex

K = AmendmentKind

LABELS: dict[str, str] = {
    # The contact's own details.
    "channel": "How it arrived",
    "source": "Referral source",
    "referrer_kind": "Who made the contact",
    "referrer_name": "Referrer's name",
    "referrer_role": "Referrer's role",
    "referrer_agency": "Referrer's agency",
    "referrer_phone": "Referrer's phone",
    "referrer_email": "Referrer's email",
    "referrer_address": "Referrer's address",
    "referrer_relationship": "Relationship to the child",
    "referrer_knowledge": "What the referrer knows of the family",
    "concern_categories": "Kinds of concern",
    "narrative": "What the referrer said",
    "significant_events": "Significant events",
    "child_location": "Where the child is now",
    "alleged_perpetrator": "Alleged perpetrator",
    "other_agencies": "Other agencies involved",
    "parents_aware": "Parents know about the contact",
    "parents_agree": "Parents agree to it",
    "consent": "Consent",
    "not_told": "Why the family was not told",
    "consent_notes": "Consent notes",
    # A person's.
    "role": "Involvement",
    "kind": "Child, unborn child or adult",
    "given_name": "First name",
    "family_name": "Last name",
    "sex": "Sex",
    "date_of_birth": "Date of birth",
    "expected_date_of_delivery": "Expected date of delivery",
    "nhs_number": "NHS number",
    "address": "Address",
    "postcode": "Postcode",
    "school": "School or nursery",
    "ethnicity": "Ethnicity",
    "first_language": "First language",
    "religion": "Religion",
    "needs": "Disability or special needs",
    "communication": "How they communicate",
    "has_parental_responsibility": "Has parental responsibility",
}
CONCERNS = dict(ConcernCategory.choices)
NOT_TOLD = dict(NotToldReason.choices)
REASON_LABELS = {
    K.PERSON_ADDED: "How they were found",
    K.PERSON_REMOVED: "Why",
    K.DETAILS_CORRECTED: "Why",
    K.INFORMATION_ADDED: "Where it came from",
    K.CONSENT_RECORDED: "",
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AmendmentView:
    """One amendment, ready to show: what it was, who made it and when, each change and why."""

    title: str
    by: str
    at: datetime
    changes: list[Change]
    reason_label: str
    reason: str
    information: str
    after_decision: bool


def shown_value(model: type[models.Model], name: str, value: Any) -> str:
    """A value an amendment kept, in words: the label of a code, a date written out, yes or no."""
    if value in (None, "", [], {}):
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name == "concern_categories":
        return ", ".join(CONCERNS.get(code, code) for code in value)
    if name == "not_told":
        return "; ".join(f"{NOT_TOLD.get(reason, reason)}: {why.rstrip('.')}" for reason, why in value.items())
    field = column(model, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField):
        return shown_date(date.fromisoformat(value), "j F Y")
    return str(value)


def _person_added(amendment: Amendment) -> str:
    if amendment.subject is not None:
        return amendment.subject.display_name
    new = {name: change["to"] for name, change in amendment.changes.items()}
    return subject_name(new.get("given_name") or "", new.get("family_name") or "", new.get("kind") or "")


def title(amendment: Amendment) -> str:
    """'Person added: Leo Harlow', 'Details corrected: Mia Harlow', 'Consent recorded: consent given'."""
    kind = AmendmentKind(amendment.kind)
    if kind == K.PERSON_ADDED:
        return f"Person added: {_person_added(amendment)}"
    if kind == K.PERSON_REMOVED and amendment.subject is not None:
        return f"Person removed: {amendment.subject.display_name}"
    if kind == K.DETAILS_CORRECTED:
        about = amendment.subject.display_name if amendment.subject is not None else "the concern and the referrer"
        return f"Details corrected: {about}"
    if kind == K.CONSENT_RECORDED:
        return f"Consent recorded: {amendment.get_consent_answer_display().lower()}"
    return amendment.get_kind_display()


def consent_words(amendment: Amendment) -> str:
    """'Dawn Harlow (a parent or carer with parental responsibility), 3 December 2026, by phone'."""
    who = amendment.get_consent_from_display()
    return (
        f"{amendment.consent_from_name} ({who[0].lower()}{who[1:]}), {shown_date(amendment.consent_on, 'j F Y')},"
        f" {amendment.get_consent_how_display().lower()}"
    )


def amendment_view(amendment: Amendment) -> AmendmentView:
    model: type[models.Model] = ContactSubject
    if amendment.subject_id is None and amendment.kind != K.PERSON_ADDED:
        model = Contact
    changes = [
        Change(LABELS.get(name, name), shown_value(model, name, change["from"]), shown_value(model, name, change["to"]))
        for name, change in amendment.changes.items()
        if name in LABELS
    ]
    if amendment.kind == K.PERSON_ADDED:  # nothing before: only what they are now
        changes = [Change(c.label, "", c.after) for c in changes]
    information = amendment.information
    if amendment.kind == K.CONSENT_RECORDED:
        information = f"{consent_words(amendment)}.{' ' + information if information else ''}"
    return AmendmentView(
        title=title(amendment),
        by=str(amendment.by),
        at=amendment.at,
        changes=changes,
        reason_label=REASON_LABELS[AmendmentKind(amendment.kind)],
        reason=amendment.reason,
        information=information,
        after_decision=amendment.after_decision,
    )


@dataclass(frozen=True)
class NewContactPrompt:
    """A child added after the decision has none of their own: the call to record a new contact
    about them, its link filling in the child as the addendum recorded them."""

    text: str
    link_text: str
    href: str


PRONOUNS: dict[str, str] = {Sex.FEMALE: "her", Sex.MALE: "him"}


def new_contact_prompts(contact: Contact, after_decision: list[Amendment]) -> list[NewContactPrompt]:
    """One for each child an addendum added: after the decision they join the contact's people
    neither in the person index nor in its outcomes (ADR 0018), so they have no threshold decision."""
    prompts = []
    for amendment in after_decision:
        if amendment.kind != K.PERSON_ADDED:
            continue
        person = added_after_the_decision(amendment)
        if person.get("role") not in CHILD_ROLES:
            continue
        query = urlencode({"from_contact": contact.pk, "person_added": amendment.pk})
        prompts.append(
            NewContactPrompt(
                text=f"{_person_added(amendment)} was added after the decision and has no threshold decision",
                link_text=f"record a new contact about {PRONOUNS.get(person.get('sex') or '', 'them')}",
                href=f"{reverse('contacts:record-contact')}?{query}",
            )
        )
    return prompts


AMENDMENTS = Prefetch("amendments", queryset=Amendment.objects.select_related("by", "subject"))


class AddendaPanel(Panel):
    """What was added after the decision, apart from what the decision was based on; and the
    'Amend this contact' button for those who may."""

    template_name = "contacts/_addenda_panel.html"
    lookups: tuple[str | Prefetch[Any, Any, Any], ...] = ("amendments",)  # the details panel's prefetch

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        after = [a for a in contact.amendments.all() if a.after_decision]
        if not after:
            return None
        prompts = new_contact_prompts(contact, after) if can_record_contact(user) else []
        return {"addenda": [amendment_view(a) for a in reversed(after)], "new_contacts": prompts}

    def actions(self, record: Contact, *, user: User) -> list[Action]:
        if not can_amend_contact(user, record):
            return []
        return [Action("Amend this contact", reverse("contacts:amend", args=[record.pk]))]


@dataclass(frozen=True)
class ChangeChoice:
    """One answer to 'What do you want to change?' and the page it leads to."""

    value: str
    label: str
    href: str


def change_choices(contact: Contact, people: list[ContactSubject]) -> list[ChangeChoice]:
    """The amendments the contact's state allows, each person's correction on its own line."""
    kinds = amendable_kinds(contact)

    def url(name: str, *args: int) -> str:
        return reverse(f"contacts:{name}", args=[contact.pk, *args])

    choices = []
    if K.PERSON_ADDED in kinds:
        choices.append(ChangeChoice("add-person", "Add a child or adult found since", url("amend-add-person")))
    if K.PERSON_REMOVED in kinds:
        choices.append(ChangeChoice("remove-person", "Remove someone named by mistake", url("amend-remove-person")))
    if K.DETAILS_CORRECTED in kinds:
        choices.append(ChangeChoice("details", "Correct the concern or the referrer's details", url("amend-details")))
        choices += [
            ChangeChoice(f"person-{p.pk}", f"Correct {p.display_name}'s details", url("amend-person", p.pk))
            for p in people
        ]
    if K.CONSENT_RECORDED in kinds:
        # Each person's answer, for each purpose, on the consent app's page (ADR 0034).
        href = reverse("consent:answer", args=[contact.pk])
        choices.append(ChangeChoice("consent", "Record consent given or refused since, person by person", href))
    if K.INFORMATION_ADDED in kinds:
        choices.append(ChangeChoice("information", "Add information learnt since", url("amend-information")))
    return choices


@dataclass(frozen=True)
class Removed:
    name: str
    by: str
    at: datetime
    reason: str


def before_the_decision(contact: Contact) -> dict[str, Any]:
    """What amendments made before the decision add to the contact's details (amendments
    prefetched): who was added and when, who was removed and why, consent given later and the
    information added."""
    made = [a for a in contact.amendments.all() if not a.after_decision]
    added = {a.subject_id: f"Added {shown_date(a.at, 'j M Y')}" for a in made if a.kind == K.PERSON_ADDED}
    removed = [
        Removed(a.subject.display_name, str(a.by), a.at, a.reason)
        for a in made
        if a.kind == K.PERSON_REMOVED and a.subject is not None
    ]
    consents = [a for a in made if a.kind == K.CONSENT_RECORDED]
    return {
        "added": added,
        "removed": removed,
        "consent_later": (
            f"{consents[-1].get_consent_answer_display()}: {consent_words(consents[-1])}" if consents else ""
        ),
        "not_told": [
            (NotToldReason(reason).label, why)
            for reason, why in (contact.not_told or {}).items()
            if reason in NotToldReason.values
        ],
        "information": [amendment_view(a) for a in reversed(made) if a.kind == K.INFORMATION_ADDED],
        "decided": is_addendum(contact),
        "has_addenda": any(a.after_decision for a in contact.amendments.all()),
    }
