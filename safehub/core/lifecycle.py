"""One lifecycle for every record that has states (ADR 0009).

A record's lifecycle is declared as a `Table`: its states, each with a label, a GOV.UK tag and the
work queue a record in that state waits on (or an explicit `NO_QUEUE`); its events; and which event
moves which state to which. `transition()` is the one way such a record changes state: it looks the
event up in the table, moves the record by compare-and-set on its `version`, and writes one
state-change row. The audit event is the calling service's, which knows its verb.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Final, Generic, Protocol, TypeVar, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from safehub.core.errors import ConcurrentChange, DomainError


class Tag(StrEnum):
    """The GOV.UK Design System's tag colours."""

    GREY = "grey"
    GREEN = "green"
    TURQUOISE = "turquoise"
    BLUE = "blue"
    LIGHT_BLUE = "light-blue"
    PURPLE = "purple"
    PINK = "pink"
    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"

    @property
    def css_class(self) -> str:
        return f"govuk-tag govuk-tag--{self.value}"


NO_QUEUE: Final = None
"""Written where a state is on no work queue, so that "no queue" is a decision, not an omission."""


@dataclass(frozen=True)
class StateInfo:
    """How a state is shown and where a record in it waits for someone's next move."""

    label: str
    tag: Tag
    queue: str | None  # a work queue's slug, or NO_QUEUE

    @property
    def tag_class(self) -> str:
        return self.tag.css_class


S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=StrEnum)


class TransitionNotAllowed(DomainError):  # noqa: N818 (a domain phrase)
    """The record is no longer in a state that allows the event (someone moved it on first)."""

    def __init__(self, noun: str, state: StrEnum, state_label: str, event: StrEnum, event_label: str) -> None:
        super().__init__(
            f"This {noun} is now '{state_label}', so it cannot be '{event_label.lower()}'. Reload the page."
        )
        self.state = state
        self.event = event


@dataclass(frozen=True)
class Table(Generic[S, E]):
    """A record type's states, events and transitions. Pure data; checked when it is declared."""

    noun: str  # "contact", "request": how refusals name the record
    initial: S
    states: Mapping[S, StateInfo]
    events: Mapping[E, str]  # each event's label, as the record's history shows it
    transitions: Mapping[tuple[S, E], S]

    def __post_init__(self) -> None:
        every_state = set(type(self.initial))
        if set(self.states) != every_state:
            missing = sorted(every_state - set(self.states))
            raise ValueError(f"The {self.noun} lifecycle declares no label, tag and queue for {missing}")
        for (state, event), target in self.transitions.items():
            if state not in every_state or target not in every_state or event not in self.events:
                raise ValueError(f"The {self.noun} lifecycle moves {state} by {event} to an undeclared {target}")

    def state(self, value: str) -> S:
        """The state a stored value stands for."""
        return type(self.initial)(value)

    def label(self, state: S) -> str:
        return self.states[state].label

    def next_state(self, current: S, event: E) -> S:
        try:
            return self.transitions[(current, event)]
        except KeyError:
            raise TransitionNotAllowed(
                self.noun, current, self.states[current].label, event, self.events.get(event, event.value)
            ) from None

    def allowed_events(self, current: S) -> list[E]:
        return [event for (state, event) in self.transitions if state == current]

    def terminal_states(self) -> list[S]:
        return [state for state in self.states if not self.allowed_events(state)]

    def reachable_from(self, start: S) -> set[S]:
        seen, frontier = {start}, [start]
        while frontier:
            state = frontier.pop()
            for event in self.allowed_events(state):
                target = self.transitions[(state, event)]
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
        return seen


@dataclass(frozen=True)
class Lifecycle(Generic[S, E]):
    """A table bound to a model: the column that holds the state and the model's state-change rows
    (the related name of their foreign key to the record)."""

    table: Table[S, E]
    state_field: str = "state"
    history: str = "state_changes"


class Stateful(Protocol):
    """A model with a lifecycle: `lifecycle` on the class and a `version` column."""

    lifecycle: ClassVar[Lifecycle[Any, Any]]
    version: int


def compare_and_set(obj: Stateful, *, noun: str, where: Mapping[str, Any] | None = None, **changes: Any) -> None:
    """Write `changes` (plain values) to the record only if nobody has since: the row must still have
    the version the caller read (and the `where` values). Bumps the version, in the row and in `obj`.
    One UPDATE; raises `ConcurrentChange` if it matched no row."""
    record = cast(models.Model, obj)
    rows = type(record)._default_manager.filter(pk=record.pk, version=obj.version, **(where or {}))
    if rows.update(version=obj.version + 1, **changes) != 1:
        raise ConcurrentChange(noun)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version += 1


def transition(
    obj: Stateful,
    event: StrEnum,
    *,
    by: AbstractBaseUser,
    at: datetime,
    note: str = "",
    fields: Mapping[str, Any] | None = None,
) -> None:
    """Move the record on by `event`, with `fields` (plain values) written in the same update, and
    record the change. Raises `TransitionNotAllowed` if its table has no such move from its state,
    `ConcurrentChange` if the row changed since it was read. Two queries: one UPDATE, one INSERT.
    Call only from inside a service's transaction."""
    lifecycle = type(obj).lifecycle
    table = lifecycle.table
    current = table.state(getattr(obj, lifecycle.state_field))
    new_state = table.next_state(current, event)
    compare_and_set(
        obj,
        noun=table.noun,
        where={lifecycle.state_field: current},
        **{lifecycle.state_field: new_state},
        **(fields or {}),
    )
    getattr(obj, lifecycle.history).create(
        at=at, by=by, event=event.value, from_state=current.value, to_state=new_state.value, note=note
    )
