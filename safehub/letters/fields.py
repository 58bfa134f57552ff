"""What a template may say: the fields it names as ((field)), GOV.UK Notify's own notation, which
councils' staff already write templates in. Each field is known for some kinds of message and some
audiences only: a member of the public who made contact is not told the outcome, the family is never
told who made contact, an acknowledgement has no decision to report. A template naming a field
Safehub does not know, or one its audience may not be told, is refused when it is saved, so that the
family never reads "((field))"; a message whose words still hold a ((…)) is refused when it is sent."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from safehub.letters.models import Audience, LetterKind

PLACEHOLDER = re.compile(r"\(\(\s*([^()]*?)\s*\)\)")


@dataclass(frozen=True)
class Field:
    name: str
    meaning: str
    kinds: frozenset[LetterKind]
    audiences: frozenset[Audience]


_EVERY_KIND = frozenset(LetterKind)
_ABOUT_A_CONTACT = frozenset({LetterKind.ACKNOWLEDGEMENT, LetterKind.OUTCOME, LetterKind.FAMILY})
_DECIDED = frozenset({LetterKind.OUTCOME, LetterKind.FAMILY})
_SUMMARY = frozenset({LetterKind.CONSULTATION_SUMMARY})
_ENCOMPASS = frozenset({LetterKind.ENCOMPASS})
# The GP practice asked for checks (003 §2.6) is told about the contact and its outcome, never who made it.
_GP = frozenset({LetterKind.GP_OUTCOME})
_EVERYONE = frozenset(Audience)
_PROFESSIONAL_AND_FAMILY = frozenset({Audience.PROFESSIONAL, Audience.FAMILY})
_WHO_MADE_CONTACT = frozenset({Audience.PROFESSIONAL, Audience.PUBLIC})

FIELDS: Mapping[str, Field] = {
    field.name: field
    for field in (
        Field("recipient_name", "The name of the person the message is to", _EVERY_KIND, _EVERYONE),
        Field("reference", "The contact's reference, for example C-2026-00042", _ABOUT_A_CONTACT | _GP, _EVERYONE),
        Field("received_date", "The day the hub received the contact", _ABOUT_A_CONTACT | _GP, _EVERYONE),
        Field(
            "children",
            "The children's names, for example Ann Smith and Ben Smith",
            _ABOUT_A_CONTACT | _GP,
            _EVERYONE,
        ),
        Field("hub_name", "The hub's name, as the local protocol gives it", _EVERY_KIND, _EVERYONE),
        Field("hub_phone", "The hub's telephone number", _EVERY_KIND, _EVERYONE),
        Field("hub_email", "The hub's email address", _EVERY_KIND, _EVERYONE),
        Field("sender_name", "The name of the person sending it", _EVERY_KIND, _EVERYONE),
        Field("sender_role", "Their role, for example Social worker", _EVERY_KIND, _EVERYONE),
        Field("today", "The day it is sent", _EVERY_KIND, _EVERYONE),
        # The family is never told who made contact (the referrer's confidentiality).
        Field("referrer_name", "The name of the person who made contact", _ABOUT_A_CONTACT, _WHO_MADE_CONTACT),
        Field("decision_date", "The day the manager approved the decision", _DECIDED | _GP, _EVERYONE),
        # A member of the public who made contact is not told what the hub decided for the child.
        Field(
            "outcomes",
            "Each child's outcome, a line each, for example Ann Smith: early help",
            _DECIDED | _GP,
            _PROFESSIONAL_AND_FAMILY,
        ),
        Field(
            "who_will_contact",
            "The team or worker each child was referred to, who will contact the family",
            _DECIDED | _GP,
            _PROFESSIONAL_AND_FAMILY,
        ),
        # What a GP practice needs to find each child's record (003 §2.6: to update it).
        Field(
            "patients",
            "Each child's name, date of birth and NHS number where known, a line each",
            _GP,
            _EVERYONE,
        ),
        # A consultation's summary (002 §5–6): what was asked and the advice given.
        Field("consultation_date", "The day of the consultation", _SUMMARY, _EVERYONE),
        Field(
            "child",
            "The child's name (in a summary, or that the child was not named)",
            _SUMMARY | _ENCOMPASS,
            _EVERYONE,
        ),
        Field("question", "What the consultee asked, as recorded", _SUMMARY, _EVERYONE),
        Field("advice", "The advice given, as recorded", _SUMMARY, _EVERYONE),
        # Operation Encompass (Home Office statutory guidance, November 2025): what the school is told.
        Field("child_born", "The child's date of birth", _ENCOMPASS, _EVERYONE),
        Field("school_name", "The school's name", _ENCOMPASS, _EVERYONE),
        Field("police_reference", "The police's reference for the incident", _ENCOMPASS, _EVERYONE),
        Field("incident_time", "When the incident happened", _ENCOMPASS, _EVERYONE),
        Field("incident_place", "Where it happened", _ENCOMPASS, _EVERYONE),
        Field("child_present", "Whether the child was there, as the police said", _ENCOMPASS, _EVERYONE),
    )
}


def fields_for(kind: LetterKind, audience: Audience) -> list[Field]:
    """The fields a template of `kind` for `audience` may name, in the order the edit page lists them."""
    return [field for field in FIELDS.values() if kind in field.kinds and audience in field.audiences]


def named(text: str) -> list[str]:
    """The fields `text` names, each once, in order."""
    return list(dict.fromkeys(match.group(1) for match in PLACEHOLDER.finditer(text)))


def template_problems(kind: LetterKind, audience: Audience, text: str, *, where: str) -> list[str]:
    """What is wrong with a template's `text` (its subject or body, `where`), in words an
    administrator can act on; [] when nothing is."""
    problems = []
    allowed = {field.name for field in fields_for(kind, audience)}
    for name in named(text):
        if name in allowed:
            continue
        if not name:
            problems.append(f"The {where} has an empty (( )): name a field in it, or remove it")
        elif name in FIELDS and kind not in FIELDS[name].kinds:
            problems.append(f"The {where} names (({name})), which {_kind_phrase(kind)} has no value for")
        elif name in FIELDS:
            problems.append(f"The {where} names (({name})), which {_whom(kind, audience)} is not told")
        else:
            problems.append(f"The {where} names (({name})), which is not a field Safehub knows")
    if _half(text):
        problems.append(f"The {where} has a (( or )) without its other half: write a field as ((name))")
    return problems


def _kind_phrase(kind: LetterKind) -> str:
    return {
        LetterKind.ACKNOWLEDGEMENT: "an acknowledgement, sent before any decision,",
        LetterKind.OUTCOME: "an outcome",
        LetterKind.FAMILY: "a letter to the family",
        LetterKind.CONSULTATION_SUMMARY: "a consultation's summary",
        LetterKind.ENCOMPASS: "an Operation Encompass notice",
        LetterKind.GP_OUTCOME: "an outcome to the GP practice",
    }[kind]


def _whom(kind: LetterKind, audience: Audience) -> str:
    return {
        Audience.PROFESSIONAL: "a professional",
        Audience.PUBLIC: "a member of the public who made contact",
        Audience.FAMILY: "the family",
        Audience.SCHOOL: "a school",
    }[audience]


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each field it names replaced by its value; a field with no value for this
    contact is left as ((field)), for the worker to replace before sending (`unfilled`)."""

    def value(match: re.Match[str]) -> str:
        found = values.get(match.group(1), "")
        return found if found.strip() else match.group(0)

    return PLACEHOLDER.sub(value, text)


def unfilled(text: str) -> list[str]:
    """What in a message's words is still a field, or half of one: it must not be sent so."""
    found = [match.group(0) for match in PLACEHOLDER.finditer(text)]
    if _half(text):
        found.append("(( or ))")
    return found


def _half(text: str) -> bool:
    """Half a field, "((team)" or "team))", which would otherwise be sent as typed."""
    rest = PLACEHOLDER.sub("", text)
    return "((" in rest or "))" in rest
