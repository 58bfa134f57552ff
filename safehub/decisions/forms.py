from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from safehub.accounts.forms import StaffChoiceField
from safehub.accounts.models import User, qualified_staff
from safehub.contacts.models import ContactSubject
from safehub.core.forms import ClockField, GovukDateField, VersionForm
from safehub.core.working_time import LONDON
from safehub.decisions import criteria as early_help
from safehub.decisions.models import SHORT_LABELS, ChildRecommendation, Outcome
from safehub.decisions.services import SEND_FROM_SAFEHUB, Allocation, ChildChoice, child_field
from safehub.protocols.models import BRAG_HINTS, Brag, ThresholdLevel

DECIDABLE = [(o.value, o.label) for o in Outcome if o != Outcome.FORWARD_TO_ALLOCATED_WORKER]


RATINGS = [(b.value, BRAG_HINTS[b]) for b in Brag]
FORWARD = (Outcome.FORWARD_TO_ALLOCATED_WORKER.value, Outcome.FORWARD_TO_ALLOCATED_WORKER.label)
AS_FOR_ALL = "As for all the children"
ALL = "all"  # the prefix of the fields that hold the choice for every child


def _outcomes(subject: ContactSubject, forwardable: Collection[int]) -> list[tuple[str, str]]:
    """The outcomes offered for a child: forwarding only to a child with an open case (002 §3)."""
    return [*DECIDABLE, FORWARD] if subject.pk in forwardable else DECIDABLE


def _per_child(
    key: str, levels: QuerySet[ThresholdLevel], outcomes: list[tuple[str, str]], *, required: bool
) -> dict[str, forms.Field]:
    """One child's (or, with the key ALL, every child's) rating, level of need and outcome."""
    as_all = [] if required or key == ALL else [("", AS_FOR_ALL)]
    return {
        f"child-{key}-rating": forms.ChoiceField(
            label="BRAG rating", choices=[*as_all, *RATINGS], widget=forms.RadioSelect, required=False
        ),
        f"child-{key}-level": forms.ModelChoiceField(
            label="Level of need",
            queryset=levels,
            widget=forms.RadioSelect,
            required=False,
            blank=bool(as_all),
            empty_label=AS_FOR_ALL if as_all else None,
            error_messages={"invalid_choice": "Select the level of need"},
        ),
        f"child-{key}-outcome": forms.ChoiceField(
            label="Recommended outcome", choices=[*as_all, *outcomes], widget=forms.RadioSelect, required=False
        ),
    }


class RecommendationForm(VersionForm):
    """A rating, level of need and outcome for each child. With several children, the first
    fieldset's choices stand for every child left 'As for all the children' in their own."""

    rationale = forms.CharField(
        label="Rationale",
        help_text="Why these ratings and outcomes: the needs, the risks and what the records show",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a rationale for your recommendation"},
    )

    def __init__(
        self,
        *args: Any,
        levels: QuerySet[ThresholdLevel],
        children: Sequence[ContactSubject],
        forwardable: Collection[int] = (),
        criteria: Sequence[str] = (),
        suggested: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        """`criteria`: the protocol's early help criteria, offered as checkboxes (none, no field), with
        those the contact's concerns plainly meet (`suggested`) ticked to start with (002 §9(c))."""
        self.children = list(children)
        self.several = len(self.children) > 1
        if self.several:
            kwargs.setdefault("initial", {}).update(
                {child_field(s.pk, name): "" for s in self.children for name in ("rating", "level", "outcome")}
            )
        extra = _per_child(ALL, levels, DECIDABLE, required=False) if self.several else {}
        for subject in self.children:
            extra |= _per_child(str(subject.pk), levels, _outcomes(subject, forwardable), required=not self.several)
        if criteria:
            kwargs.setdefault("initial", {})[early_help.FIELD] = list(suggested)
            extra[early_help.FIELD] = forms.MultipleChoiceField(
                label="Early help criteria the situation meets",
                help_text="The local protocol's criteria for early help: an early help outcome needs at least one."
                " Those the contact's concerns plainly meet are ticked already: untick any that do not apply.",
                choices=[(criterion, criterion) for criterion in criteria],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                error_messages={"invalid_choice": early_help.NOT_THE_PROTOCOLS},
            )
        # Declared before the form is built, so that their GOV.UK widgets are set up as every field's are.
        self.base_fields = {**self.base_fields, **extra}  # type: ignore[misc]
        super().__init__(*args, **kwargs)
        self.order_fields([*(name for name in self.fields if name != "rationale"), "rationale"])

    @property
    def criteria(self) -> forms.BoundField | None:
        """The early help criteria's checkboxes, where the protocol lists any."""
        return self[early_help.FIELD] if early_help.FIELD in self.fields else None

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each child's fields under their name; first, with several children, those for all."""
        keys = ([(ALL, "All the children")] if self.several else []) + [
            (str(s.pk), s.display_name) for s in self.children
        ]
        return [
            (legend, [self[f"child-{key}-{name}"] for name in ("rating", "level", "outcome")]) for key, legend in keys
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = {
            "rating": "Select a BRAG rating",
            "level": "Select the level of need",
            "outcome": "Select the outcome you recommend",
        }
        chosen: dict[int, dict[str, Any]] = {}
        for name, message in missing.items():
            common = data.get(f"child-{ALL}-{name}") if self.several else None
            unset = [s for s in self.children if not data.get(child_field(s.pk, name)) and not common]
            if self.several and unset and len(unset) == len(self.children):
                self.add_error(f"child-{ALL}-{name}", f"{message} for all the children, or for each child")
                continue
            for subject in unset:
                field = child_field(subject.pk, name)
                if field not in self.errors:
                    self.add_error(field, f"{message} for {subject.display_name}" if self.several else message)
            for subject in self.children:
                chosen.setdefault(subject.pk, {})[name] = data.get(child_field(subject.pk, name)) or common
        data.setdefault(early_help.FIELD, [])
        if not self.errors:
            data["children"] = {
                pk: ChildChoice(Brag(values["rating"]), values["level"], Outcome(values["outcome"]))
                for pk, values in chosen.items()
            }
        return data


class ApprovalForm(VersionForm):
    """Approve (each child's outcome, as recommended or changed) or return the recommendation."""

    verdict = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("return", "Return to the social worker for reconsideration")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve or return the recommendation"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a rationale for the decision"},
    )

    def __init__(
        self,
        *args: Any,
        recommended: Sequence[ChildRecommendation],
        forwardable: Collection[int] = (),
        **kwargs: Any,
    ) -> None:
        self.recommended = list(recommended)
        kwargs.setdefault("initial", {}).update(
            {child_field(child.subject_id, "outcome"): child.outcome for child in self.recommended}
        )
        self.base_fields = {  # type: ignore[misc]
            **self.base_fields,
            **{
                child_field(child.subject_id, "outcome"): forms.ChoiceField(
                    label="Outcome",
                    choices=_outcomes(child.subject, forwardable),
                    widget=forms.RadioSelect,
                    required=False,
                    help_text=f"Recommended: {child.get_outcome_display()} ({child.get_rating_display()}, "
                    f"{child.level}). Change it if you decide otherwise",
                )
                for child in self.recommended
            },
        }
        super().__init__(*args, **kwargs)
        self.order_fields(["verdict", *(child_field(c.subject_id, "outcome") for c in self.recommended), "rationale"])

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(c.subject.display_name, [self[child_field(c.subject_id, "outcome")]]) for c in self.recommended]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") != "approve":
            return data
        outcomes = {}
        for child in self.recommended:
            field = child_field(child.subject_id, "outcome")
            if data.get(field):
                outcomes[child.subject_id] = Outcome(data[field])
            else:
                self.add_error(field, f"Select the outcome you approve for {child.subject.display_name}")
        data["outcomes"] = outcomes
        return data


TEAM_LABEL = "Service or team they were referred to"


class OutcomeActionForm(VersionForm):
    sent_to = forms.CharField(label="Service or team the child was referred to", required=False)
    informed_on = GovukDateField(
        label="Date the referrer was told", label_for_errors="Date the referrer was told", required=False
    )
    informed_time = ClockField(
        label="Time the referrer was told",
        help_text="For example 15:45",
        required=False,
        invalid="Enter the time as hours and minutes, like 15:45",
    )
    informed_by = forms.ChoiceField(
        label="How the referrer was told",
        help_text="An anonymous referrer is not told: leave the date and this empty.",
        choices=[
            ("", "Select how"),
            (SEND_FROM_SAFEHUB, "Not yet: write the outcome from Safehub next"),
            ("letter", "Letter"),
            ("email", "Email"),
            ("phone", "Phone"),
        ],
        required=False,
    )
    allocated_worker = StaffChoiceField(
        label="Social worker allocated (if known)",
        help_text="They can open this contact, and answers from partner agencies that arrive late are sent to them.",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not allocated yet",
        error_messages={"invalid_choice": "Choose a social worker from the list"},
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(
        self,
        *args: Any,
        groups: Sequence[tuple[Outcome, list[str]]] = (),
        services_known: bool = False,
        writes_letters: bool = True,
        **kwargs: Any,
    ) -> None:
        """`groups`: each outcome that sends children to a service, with their names, in
        `SERVICE_OUTCOMES` order. With two or more (a child referred for an assessment, a sibling to
        early help), each outcome has its own team and worker: the contact's own fields are the
        first outcome's, and the others' are named `<outcome>-sent_to` and `<outcome>-allocated_worker`.
        With `services_known` and no such outcome, there is no team or worker to ask for."""
        self.groups = list(groups) if len(groups) > 1 else []
        extra: dict[str, forms.Field] = {}
        for outcome, _ in self.groups[1:]:
            extra[f"{outcome}-sent_to"] = forms.CharField(label=TEAM_LABEL, required=False)
            extra[f"{outcome}-allocated_worker"] = StaffChoiceField(
                label="Social worker allocated (if known)",
                queryset=User.objects.none(),
                required=False,
                empty_label="Not allocated yet",
                error_messages={"invalid_choice": "Choose a social worker from the list"},
            )
        self.base_fields = {**self.base_fields, **extra}  # type: ignore[misc]
        super().__init__(*args, **kwargs)
        if not writes_letters:  # 003 App. 4 §10: the social worker or manager writes it
            informed = self.fields["informed_by"]
            informed.choices = [c for c in informed.choices if c[0] != SEND_FROM_SAFEHUB]  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name.endswith("allocated_worker"):
                field.queryset = qualified_staff()  # type: ignore[attr-defined]
        if self.groups:
            self.fields["sent_to"].label = TEAM_LABEL
        if not groups and services_known:  # no child goes to a service (no further action, signposting)
            del self.fields["sent_to"]
            del self.fields["allocated_worker"]

    def allocation_groups(self) -> list[dict[str, Any]]:
        """The fieldsets of the outcome page's teams and workers, one for each outcome, when there are several."""
        shown = []
        for index, (outcome, names) in enumerate(self.groups):
            prefix = "" if index == 0 else f"{outcome}-"
            shown.append(
                {
                    "legend": f"{SHORT_LABELS[outcome]}: {', '.join(names)}",
                    "fields": [self[f"{prefix}sent_to"], self[f"{prefix}allocated_worker"]],
                }
            )
        return shown

    def other_fields(self) -> list[forms.BoundField]:
        """The fields shown after the outcomes' fieldsets."""
        grouped = {bound.name for group in self.allocation_groups() for bound in group["fields"]}
        return [bound for bound in self if bound.name not in grouped]

    def allocations(self) -> dict[Outcome, Allocation]:
        """The team and worker entered for each outcome after the first (the first's are the contact's own)."""
        return {
            outcome: Allocation(
                self.cleaned_data.get(f"{outcome}-sent_to", ""), self.cleaned_data.get(f"{outcome}-allocated_worker")
            )
            for outcome, _ in self.groups[1:]
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, clock = data.get("informed_on"), data.get("informed_time")
        data["referrer_informed_at"] = None
        if data.get("informed_by") == SEND_FROM_SAFEHUB:
            if day or clock:
                self.add_error("informed_on", "Leave the date empty: the referrer has not been told yet")
            return data
        if day:
            if "informed_time" in self.errors:
                return data
            if clock is None:  # not noon, nor any other time nobody entered
                self.add_error("informed_time", "Enter the time the referrer was told, like 15:45")
                return data
            data["referrer_informed_at"] = datetime.combine(day, clock, tzinfo=LONDON)
            if not data.get("informed_by"):
                self.add_error("informed_by", "Select how the referrer was told")
        elif data.get("informed_by") and "informed_on" not in self.errors:
            # A date typed but not a real one (31/02) has its own message: not "enter the date" too.
            self.add_error("informed_on", "Enter the date the referrer was told")
        return data
