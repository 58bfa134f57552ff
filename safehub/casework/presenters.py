"""The contact page's "After the referral" panel: for each child the contact referred, what the case
system did since (issue 16: linked to the contact and child they started from), as the census counts it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch

from safehub.accounts.models import User
from safehub.casework.models import Episode
from safehub.contacts.models import Contact
from safehub.core.presenters import Panel
from safehub.decisions.models import Referral


@dataclass(frozen=True)
class ChildSince:
    child: str
    episode: str  # "Episode of need from 3 November 2025: open", or why there is none yet
    steps: list[str]


def _day(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day is not None else ""


def _steps(episode: Episode) -> list[str]:
    steps: list[tuple[date, str]] = []
    for assessment in episode.assessments.all():
        done = f", authorised {_day(assessment.authorised_on)}" if assessment.authorised_on else ", not yet authorised"
        steps.append((assessment.started_on, f"Assessment started {_day(assessment.started_on)}{done}"))
    for enquiry in episode.section47s.all():
        if enquiry.conference_on:
            conference = f"; initial conference {_day(enquiry.conference_on)}"
        elif enquiry.conference_not_required:
            conference = "; no conference needed"
        else:
            conference = f"; conference due {_day(enquiry.conference_due_on)}" if enquiry.conference_due_on else ""
        steps.append((enquiry.started_on, f"Section 47 enquiry from {_day(enquiry.started_on)}{conference}"))
    for plan in episode.cin_plans.all():
        ended = f" to {_day(plan.ended_on)}" if plan.ended_on else ", open"
        steps.append((plan.started_on, f"Child in need plan from {_day(plan.started_on)}{ended}"))
    for cpp in episode.protection_plans.all():
        ended = f" to {_day(cpp.ended_on)}" if cpp.ended_on else ", open"
        category = cpp.get_latest_category_display().lower()
        steps.append((cpp.started_on, f"Child protection plan ({category}) from {_day(cpp.started_on)}{ended}"))
    return [text for _, text in sorted(steps, key=lambda step: step[0])]


def child_since(referral: Referral) -> ChildSince:
    link = getattr(referral, "episode_link", None)
    name = referral.subject.display_name
    if link is None:
        return ChildSince(name, "Not yet in an episode of need: the worker adds it within a minute", [])
    episode = link.episode
    if episode.closed_on:
        state = f"closed {_day(episode.closed_on)} ({episode.get_closure_reason_display().lower()})"
    else:
        state = "open"
    joined = "" if link.starts_episode else " (this referral joined an episode already open)"
    text = f"Episode of need from {_day(episode.referral_date)}: {state}{joined}"
    return ChildSince(name, text, _steps(episode))


class ContactPanel(Panel):
    template_name = "casework/_contact_panel.html"
    lookups = (
        Prefetch(
            "referrals",
            queryset=Referral.objects.select_related("subject", "episode_link__episode").prefetch_related(
                "episode_link__episode__assessments",
                "episode_link__episode__section47s",
                "episode_link__episode__cin_plans",
                "episode_link__episode__protection_plans",
            ),
        ),
    )

    def present(self, contact: Contact, *, user: User, at: datetime) -> dict[str, Any] | None:
        referrals = list(contact.referrals.all())
        if not referrals:
            return None
        return {"children": [child_since(referral) for referral in referrals]}
