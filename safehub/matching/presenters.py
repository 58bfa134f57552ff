"""Match scores as staff read them: a percentage, and which fields agreed and by how much."""

from __future__ import annotations

from dataclasses import dataclass

from safehub.accounts.models import User
from safehub.core.presenters import shown_date, shown_day
from safehub.matching.comparisons import Agreement
from safehub.matching.model import Score
from safehub.matching.models import DuplicatePair, Merge
from safehub.matching.search import Candidate
from safehub.people.models import Person

TAG_CLASSES = {
    Agreement.AGREE: "govuk-tag--green",
    Agreement.PARTLY: "govuk-tag--yellow",
    Agreement.DISAGREE: "govuk-tag--red",
    Agreement.MISSING: "govuk-tag--grey",
}


@dataclass(frozen=True)
class ExplanationRow:
    field: str
    outcome: str
    detail: str
    weight: str
    tag_class: str


def percent(probability: float) -> str:
    """'97%', with '>99.9%' and '<0.1%' at the ends so certainty is never overstated."""
    if probability >= 0.999:
        return "over 99.9%"
    if probability < 0.001:
        return "under 0.1%"
    value = probability * 100
    return f"{value:.1f}%" if value < 1 or value > 99 else f"{value:.0f}%"


def likelihood(probability: float) -> str:
    if probability >= 0.9:
        return "Probably the same person"
    if probability >= 0.5:
        return "Possibly the same person"
    return "Unlikely to be the same person"


def _signed(weight: float) -> str:
    return f"{weight:+.1f}".replace("-", "−")


def explanation(score: Score) -> list[ExplanationRow]:
    """One row per field, strongest evidence first."""
    rows = sorted(score.contributions, key=lambda c: -abs(c.total))
    return [
        ExplanationRow(
            c.title,
            c.agreement.value.capitalize(),
            c.description + (" (an uncommon name counts for more)" if c.term_frequency_adjustment > 0.5 else ""),
            _signed(c.total),
            TAG_CLASSES[c.agreement],
        )
        for c in rows
    ]


def summary(score: Score) -> str:
    """'Agreed: first name, date of birth. Disagreed: postcode.'"""
    parts = []
    for agreement in (Agreement.AGREE, Agreement.PARTLY, Agreement.DISAGREE):
        fields = [c.title.lower() for c in score.contributions if c.agreement == agreement]
        if fields:
            parts.append(f"{agreement.value.capitalize()}: {', '.join(fields)}.")
    return " ".join(parts)


@dataclass(frozen=True)
class CandidateView:
    candidate: Candidate
    percent: str
    likelihood: str
    rows: list[ExplanationRow]
    summary: str

    @property
    def person(self) -> Person:
        return self.candidate.person

    @property
    def score(self) -> Score:
        return self.candidate.score

    @property
    def born_and_postcode(self) -> str:
        """'Born 2 Mar 2019; postcode DA6 7AT.', with 'expected' for an unborn child, 'not known' if not."""
        person = self.person
        if person.date_of_birth:
            born = shown_day(person.date_of_birth)
        elif person.expected_date_of_delivery:
            born = f"expected {shown_day(person.expected_date_of_delivery)}"
        else:
            born = "not known"
        postcode = person.address.postcode if person.address is not None else ""
        return f"Born {born}; postcode {postcode or 'not known'}."

    @property
    def probability(self) -> float:
        return self.candidate.probability


def candidate_views(candidates: list[Candidate]) -> list[CandidateView]:
    return [
        CandidateView(c, percent(c.probability), likelihood(c.probability), explanation(c.score), summary(c.score))
        for c in candidates
    ]


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def reviewed(pair: DuplicatePair) -> str:
    """' by Jo Bloggs on 2 March 2026, 10:05' after a pair's decision, once someone has reviewed it."""
    if pair.reviewed_by is None:
        return ""
    return f" by {_name(pair.reviewed_by)} on {shown_date(pair.reviewed_at)}"


def merge_history(merge: Merge) -> str:
    """Who merged which record into which, and when; who undid it, if anyone."""
    merged, kept = merge.merged, merge.kept
    text = (
        f"{merged.full_name} ({merged.local_id}) merged into {kept.full_name} ({kept.local_id})"
        f" by {_name(merge.merged_by)} on {shown_date(merge.merged_at)}"
    )
    if merge.undone_at:
        undone_by = _name(merge.undone_by) if merge.undone_by is not None else ""
        text += f"; undone by {undone_by} on {shown_date(merge.undone_at)}"
    return f"{text}."
