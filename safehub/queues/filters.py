"""Narrowing and ordering a work queue: by rating, concern, the children's ages, worker, source and
channel, soonest due first or another order. Filters apply to the queue's own contacts (already
scoped to the user); the counts beside each queue's name stay whole."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.http import urlencode

from safehub.accounts.models import User
from safehub.checks.queries import checks_asked_for, checks_rating
from safehub.contacts.models import CHILD_ROLES, Channel, ConcernCategory, Contact, ContactSubject, ReferralSource
from safehub.core.forms import GovukForm
from safehub.decisions.queries import latest_rating
from safehub.protocols.models import Brag

NOT_RATED = "none"
NOT_ALLOCATED = "none"
ME = "me"
# Age bands as children's services count them (the DfE's CIN census bands, under 18 only).
AGE_BANDS = {
    "unborn": ("Unborn", None, None),
    "0-4": ("Under 5", 0, 5),
    "5-9": ("5 to 9", 5, 10),
    "10-15": ("10 to 15", 10, 16),
    "16-17": ("16 or 17", 16, 18),
}
SORTS = {
    "due": "Soonest due first",
    "received-newest": "Newest first",
    "received-oldest": "Oldest first",
    "rating": "Red first",
}
RATING_ORDER = [Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE]


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February that year lacks): a child born on
    or before it is at least that old on `day` (core.ages.age_on)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def rating_of_row(through: str = "") -> Coalesce:
    """The rating a queue row shows (queues.presenters): a recommendation's, else the MASH checks'
    level of risk, else the initial rating, as one column to filter and order by; of a contacts query, or
    of another model's rows through their contact (`through`, the foreign key's name)."""
    contact, prefix = (through, f"{through}__") if through else ("pk", "")
    return Coalesce(latest_rating(contact), checks_rating(contact), NullIf(F(f"{prefix}initial_rating"), Value("")))


ASKED = "asked"  # the contacts a social worker asked a manager to start MASH checks on


def _choices(pairs: Any, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *pairs]


class QueueFilters(GovukForm):
    rating = forms.ChoiceField(
        label="Rating",
        required=False,
        choices=_choices([*((b.value, b.label) for b in RATING_ORDER), (NOT_RATED, "Not rated")], "Any rating"),
    )
    concern = forms.ChoiceField(
        label="Concern", required=False, choices=_choices(ConcernCategory.choices, "Any concern")
    )
    age = forms.ChoiceField(
        label="Child's age",
        required=False,
        choices=_choices([(key, label) for key, (label, _, _) in AGE_BANDS.items()], "Any age"),
    )
    worker = forms.ChoiceField(label="Allocated to", required=False)
    source = forms.ChoiceField(label="Source", required=False, choices=_choices(ReferralSource.choices, "Any source"))
    channel = forms.ChoiceField(label="How it came", required=False, choices=_choices(Channel.choices, "Any way"))
    checks = forms.ChoiceField(
        label="MASH checks",
        required=False,
        choices=_choices([(ASKED, "A social worker asked a manager to start them")], "Any"),
    )
    sort = forms.ChoiceField(label="Order", required=False, choices=list(SORTS.items()))

    def __init__(self, *args: Any, user: User, workers: list[User], **kwargs: Any) -> None:
        """`workers`: the team's staff to choose from (a manager's list), besides "me" and nobody."""
        super().__init__(*args, **kwargs)
        self.user = user
        people = [(str(w.pk), w.get_full_name() or w.username) for w in workers if w.pk != user.pk]
        worker = self.fields["worker"]
        assert isinstance(worker, forms.ChoiceField)  # noqa: S101 - declared above
        worker.choices = _choices([(ME, "Me"), (NOT_ALLOCATED, "Not allocated"), *people], "Anyone")

    def _understood(self) -> dict[str, Any]:
        """The filters and order that are valid: one the queue does not know (an old link, a hand-typed
        address) is shown as an error beside its box and left out, and the rest still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    @property
    def chosen(self) -> dict[str, str]:
        """The filters in use (not the order)."""
        return {name: value for name, value in self._understood().items() if value and name != "sort"}

    @property
    def in_use(self) -> bool:
        """Whether the queue is narrowed or ordered other than soonest due first."""
        return bool(self.chosen) or self.order != "due"

    @property
    def order_label(self) -> str:
        return SORTS[self.order]

    @property
    def order(self) -> str:
        return self._understood().get("sort") or "due"

    def query(self) -> str:
        """The filters and order as a query string, for the pagination links."""
        return urlencode({name: value for name, value in self._understood().items() if value})

    def apply(self, contacts: QuerySet[Contact], *, today: date) -> QuerySet[Contact]:
        """The contacts that pass the chosen filters, in the chosen order."""
        chosen = self.chosen
        if "rating" in chosen or self.order == "rating":
            contacts = contacts.alias(row_rating=rating_of_row())
        if rating := chosen.get("rating"):
            rated = Q(row_rating__isnull=True) if rating == NOT_RATED else Q(row_rating=rating)
            contacts = contacts.filter(rated)
        if concern := chosen.get("concern"):
            # The categories are a JSON list: its text holds each code in quotes (portable across databases).
            contacts = contacts.filter(concern_categories__icontains=f'"{concern}"')
        if band := chosen.get("age"):
            contacts = contacts.filter(Exists(self._children_in(band, today)))
        if worker := chosen.get("worker"):
            if worker == NOT_ALLOCATED:
                contacts = contacts.filter(allocated_to__isnull=True)
            else:
                contacts = contacts.filter(allocated_to_id=self.user.pk if worker == ME else int(worker))
        if source := chosen.get("source"):
            contacts = contacts.filter(source=source)
        if channel := chosen.get("channel"):
            contacts = contacts.filter(channel=channel)
        if chosen.get("checks") == ASKED:
            contacts = contacts.filter(checks_asked_for())
        return contacts.order_by(*ordering(self.order))

    @staticmethod
    def _children_in(band: str, today: date) -> QuerySet[ContactSubject]:
        children = ContactSubject.objects.filter(contact=OuterRef("pk"), role__in=CHILD_ROLES)
        _, youngest, oldest = AGE_BANDS[band]
        if youngest is None or oldest is None:
            return children.filter(kind="unborn")
        # At least `youngest` and under `oldest` years old today.
        return children.filter(
            date_of_birth__lte=years_before(today, youngest), date_of_birth__gt=years_before(today, oldest)
        )


def ordering(sort: str) -> list[Any]:
    """The order of a queue's rows; every order ends with the soonest due, then the oldest."""
    due = [F("current_due_at").asc(nulls_last=True), "received_at", "pk"]
    if sort == "received-newest":
        return ["-received_at", "-pk"]
    if sort == "received-oldest":
        return ["received_at", "pk"]
    if sort == "rating":  # needs the row_rating alias (QueueFilters.apply)
        rank = Case(
            *(When(row_rating=rating.value, then=Value(i)) for i, rating in enumerate(RATING_ORDER)),
            default=Value(len(RATING_ORDER)),
            output_field=IntegerField(),
        )
        return [rank.asc(), *due]
    return due
