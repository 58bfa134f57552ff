"""A police domestic-abuse notification as the contact page and the triage list show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from safehub.accounts.models import User
from safehub.contacts.models import Contact, YesNoUnknown
from safehub.core.presenters import Action, Panel, shown_date, shown_day
from safehub.domestic_abuse import permissions
from safehub.domestic_abuse.models import Assessment, Correction, MaracBasis, Notification, RiskLevel
from safehub.domestic_abuse.queries import Repeat, repeats
from safehub.domestic_abuse.services import is_notification

PRESENT = {YesNoUnknown.YES: "there", YesNoUnknown.NO: "not there", YesNoUnknown.UNKNOWN: "not known if there"}


@dataclass(frozen=True)
class Summary:
    """One notification in a line or two: its risk, MARAC, and whether it is a repeat."""

    notification: Notification
    risk: str  # "DASH 15 of 24 (MARAC at 14)", "DARA: high", "Graded medium"
    marac: str  # "Referred to MARAC: DASH score at or over the threshold…", or ""
    repeat: Repeat | None
    children: list[str]  # "Mia Harlow: there"

    @property
    def basis(self) -> str:
        return self.notification.get_marac_basis_display()

    @property
    def unreferred_repeat(self) -> bool:
        """A repeat found since it was recorded (its victim identified since), not referred again."""
        return self.repeat is not None and not self.marac

    def note(self) -> dict[str, Any]:
        """The notification in a few lines, as a meeting notes it (kept as it was when it decided)."""
        n = self.notification
        tags = [*(["Repeat"] if self.repeat else []), *(["MARAC"] if self.marac else [])]
        lines = [self.risk, *([self.marac] if self.marac else [])]
        if self.repeat is not None:
            lines.append(
                f"A repeat: within 12 months of a MARAC referral on {shown_day(self.repeat.earlier.incident_at)}"
            )
            if self.repeat.reference:
                lines.append(f"The earlier notification: {self.repeat.reference}")
        lines += [
            f"Incident: {shown_date(n.incident_at)}, {n.place}",
            f"Victim: {n.victim}",
            f"Alleged perpetrator: {n.perpetrator or 'not named by police'}",
            *self.children,
        ]
        return {"tags": tags, "lines": lines}

    @property
    def answers(self) -> list[dict[str, Any]]:
        return [{**answer, "label": YesNoUnknown(answer["answer"]).label} for answer in self.notification.dash_answers]


def risk(notification: Notification) -> str:
    level = notification.get_risk_level_display() if notification.risk_level else ""
    if notification.assessment == Assessment.DASH:
        asked = len(notification.dash_answers)
        text = f"DASH {notification.dash_score} of {asked} (MARAC at {notification.marac_threshold})"
        return f"{text}, officer's level {level.lower()}" if level else text
    if notification.assessment == Assessment.DARA:
        return f"DARA: {level.lower()}"
    return f"Graded {level.lower()}"


def summaries(user: User, notifications: list[Notification], names: dict[int, str]) -> dict[int, Summary]:
    """Each notification's summary, by its contact. `names` are the contact's subjects (pk: name)."""
    found = repeats(user, notifications)
    return {
        n.contact_id: Summary(
            n,
            risk(n),
            f"Referred to MARAC: {n.get_marac_basis_display()}" if n.marac_basis else "",
            found.get(n.pk),
            [
                f"{names.get(int(pk), 'A child')}: {PRESENT.get(YesNoUnknown(v), v)}"
                for pk, v in n.children_present.items()
            ],
        )
        for n in notifications
    }


# How a correction's changes read: the field's name, and its values through a label where it has one.
CHANGED: dict[str, tuple[str, dict[str, str]]] = {
    "police_reference": ("Police reference", {}),
    "incident_at": ("Incident time", {}),
    "place": ("Place", {}),
    "victim_id": ("Victim", {}),
    "perpetrator_id": ("Alleged perpetrator", {}),
    "children_present": ("Children present", {}),
    "assessment": ("Assessment", dict(Assessment.choices)),
    "risk_level": ("Risk level", dict(RiskLevel.choices)),
    "dash_score": ("DASH score", {}),
    "marac_basis": ("MARAC", dict(MaracBasis.choices)),
}
SHOWN_VALUES = {"police_reference", "place", "assessment", "risk_level", "dash_score", "marac_basis"}


def _value(name: str, value: Any) -> str:
    labels = CHANGED[name][1]
    if value in ("", None):
        return "none" if name != "marac_basis" else "not referred"
    return str(labels.get(value, value))


def _answer(value: str) -> str:
    return YesNoUnknown(value).label.lower() if value in YesNoUnknown.values else "not asked"


def correction_lines(correction: Correction) -> list[str]:
    """What a correction changed: "DASH score: 15 → 13", "MARAC: … → not referred", "Victim changed"."""
    lines = []
    for name, change in correction.changes.items():
        if name == "answers":
            lines.append(
                "DASH answers: "
                + "; ".join(f"{number}: {_answer(before)} → {_answer(after)}" for number, before, after in change)
            )
        elif name in SHOWN_VALUES:
            lines.append(f"{CHANGED[name][0]}: {_value(name, change[0])} → {_value(name, change[1])}")
        elif name in CHANGED:
            lines.append(f"{CHANGED[name][0]} changed")
    return lines


@dataclass(frozen=True)
class SameReference:
    """Other notifications with this one's police reference: one incident, several households, or a typo."""

    shown: list[Contact]  # those the user may see
    hidden: int  # and how many others


def same_reference(user: User, notification: Notification) -> SameReference | None:
    others = Notification.objects.filter(police_reference__iexact=notification.police_reference).exclude(
        pk=notification.pk
    )
    ids = list(others.values_list("contact_id", flat=True))
    if not ids:
        return None
    shown = list(Contact.objects.visible_to(user).filter(pk__in=ids).order_by("received_at", "pk"))
    return SameReference(shown, len(ids) - len(shown))


def record_url(contact: Contact) -> str:
    return reverse("domestic_abuse:record", args=[contact.pk])


class ContactPanel(Panel):
    """A police domestic-abuse notification's incident and risk assessment, or the link to record them."""

    template_name = "domestic_abuse/_contact_panel.html"
    related = ("domestic_abuse__victim", "domestic_abuse__perpetrator", "domestic_abuse__recorded_by")

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        if not is_notification(contact):
            return None
        notification = getattr(contact, "domestic_abuse", None)
        if notification is None:
            return {"notification": None, "can_record": permissions.can_record_notification(user)}
        names = {s.pk: s.display_name for s in contact.subjects.all()}
        corrections = list(notification.corrections.select_related("by").order_by("at", "pk"))
        same = same_reference(user, notification)
        return {
            "same_reference": same,
            "notification": notification,
            "summary": summaries(user, [notification], names)[contact.pk],
            "can_record": permissions.can_record_notification(user),
            "corrections": [(c, correction_lines(c)) for c in corrections],
        }

    def actions(self, contact: Contact, *, user: User) -> list[Action]:
        if not is_notification(contact) or not permissions.can_record_notification(user):
            return []
        if getattr(contact, "domestic_abuse", None) is not None:
            return []
        return [Action("Record the incident and risk assessment", record_url(contact))]
