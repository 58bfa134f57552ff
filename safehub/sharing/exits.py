"""The one gate every route out of the hub passes (issue 14; ADR 0035). An exit is a route by which
information about a child leaves Safehub: a request for MASH checks, a strategy discussion's papers
or record, the contact's PDF pack… Each builds what it sends from `Item`s, the pieces of information
another agency gave, through `release`, which withholds every item whose handling conditions the
exit would break, unless the agency that gave it agreed to that exit. What `release` returns is the
only thing `sharing.services.record_disclosure` accepts, so no exit records a disclosure without
passing the gate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from safehub.sharing.vocabulary import Condition


class Exit(models.TextChoices):
    """Every route by which information leaves the hub. A new route is added here, gated by `release`,
    and given a leak test (sharing/tests/test_exits.py fails until it has one)."""

    CHECK_REQUEST = "check_request", "A request for MASH checks"
    STRATEGY_PAPERS = "strategy_papers", "The papers for a strategy discussion"
    STRATEGY_RECORD = "strategy_record", "The record of a strategy discussion"
    CONTACT_PACK = "contact_pack", "The contact's PDF pack"
    INFORMATION_REQUEST = "information_request", "An answer to another professional's information request"
    REFERRER_MESSAGE = "referrer_message", "A message to the person who made contact"
    FAMILY_LETTER = "family_letter", "A letter to the family"
    CONSULTATION_SUMMARY = "consultation_summary", "A consultation's summary to the person who asked"
    ENCOMPASS = "encompass", "An Operation Encompass notice to a child's school"
    OUTCOME_TO_PARTNER = "outcome_to_partner", "A contact's decided outcome shown to a partner agency"
    ONWARD_REFERRAL = "onward_referral", "A referral pack to the team a child was referred on to"
    GP_OUTCOME = "gp_outcome", "A contact's outcome emailed to a GP practice asked for MASH checks"
    STATUTORY_RETURN = "statutory_return", "A statutory return: the DfE's census or Ofsted's Annex A"


class Audience(models.TextChoices):
    """Who may end up reading what an exit sends."""

    PARTNERS = "partners", "Partner agencies' professionals"
    ANYONE = "anyone", "Whoever the copy is given to"


AUDIENCES: dict[Exit, Audience] = {
    Exit.CHECK_REQUEST: Audience.PARTNERS,
    Exit.STRATEGY_PAPERS: Audience.PARTNERS,
    # The record goes to everyone who took part, a referrer who is a member of the public included.
    Exit.STRATEGY_RECORD: Audience.ANYONE,
    # A download leaves the audited system: printed, it can be handed to anyone.
    Exit.CONTACT_PACK: Audience.ANYONE,
    # A level 3 answer may go to a court, where the family's lawyers read it.
    Exit.INFORMATION_REQUEST: Audience.ANYONE,
    # A member of the public, or the family: never another agency's information (letters.services).
    Exit.REFERRER_MESSAGE: Audience.ANYONE,
    Exit.FAMILY_LETTER: Audience.ANYONE,
    Exit.CONSULTATION_SUMMARY: Audience.ANYONE,
    # The school's designated safeguarding lead: a partner professional.
    Exit.ENCOMPASS: Audience.PARTNERS,
    # Shown in Safehub to the partner agency's professionals who answered the checks or made the referral.
    Exit.OUTCOME_TO_PARTNER: Audience.PARTNERS,
    # The early help, assessment or disability team the outcome sends a child to: professionals.
    Exit.ONWARD_REFERRAL: Audience.PARTNERS,
    # The practice's safeguarding lead, at its agreed secure address (003 §2.6).
    Exit.GP_OUTCOME: Audience.PARTNERS,
    # The DfE or Ofsted: codes and dates the council holds, never another agency's information.
    Exit.STATUTORY_RETURN: Audience.ANYONE,
}


# The routes that carry the hub's own words only: a request for checks, letters and messages, and an
# outcome shown or sent to a partner (another agency's information never goes in them, `may_go`).
OWN_WORDS_ONLY = frozenset(
    {
        Exit.CHECK_REQUEST,
        Exit.REFERRER_MESSAGE,
        Exit.FAMILY_LETTER,
        Exit.CONSULTATION_SUMMARY,
        Exit.ENCOMPASS,
        Exit.OUTCOME_TO_PARTNER,
        Exit.GP_OUTCOME,
        Exit.STATUTORY_RETURN,
    }
)
# The routes that may carry another agency's information.
CARRIES_ITEMS = frozenset(Exit) - OWN_WORDS_ONLY


def barred_routes(conditions: Iterable[Condition]) -> list[Exit]:
    """The routes that `conditions` keep an item from, which its agency may agree to open."""
    found = set(conditions)
    return [route for route in Exit if route in CARRIES_ITEMS and any(blocks(c, route) for c in found)]


def blocks(condition: Condition, route: Exit) -> bool:
    """Whether `condition` keeps an item from `route` (to anyone but the agency that gave it).
    Every route out of Safehub is onward disclosure; only a route that may reach the family is
    barred by "to the family only with our agreement"."""
    if condition in (Condition.MASH_ONLY, Condition.NO_ONWARD):
        return True
    return AUDIENCES[route] == Audience.ANYONE


@dataclass(frozen=True)
class Item:
    """One piece of information another agency gave, as an exit would send it."""

    key: str  # what it is, as app.model:pk, so a withheld item can be named in the ledger
    source: int | None  # the agency that gave it
    source_name: str
    conditions: frozenset[Condition] = frozenset()
    agreed: frozenset[Exit] = frozenset()  # the routes its agency agreed to despite the conditions
    # What it says, and nothing that names it (its agency's name goes in `source_name`): every text
    # here is looked for in what a route sends when the item is withheld (`check_nothing_withheld`).
    content: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Release:
    """What may go down one route to one recipient: the items shared and those withheld."""

    route: Exit
    recipient: int | None
    shared: tuple[Item, ...]
    withheld: tuple[Item, ...]

    @property
    def conditions(self) -> list[str]:
        """The conditions on what was shared (under its agency's agreement), for the ledger."""
        return sorted({condition.value for item in self.shared for condition in item.conditions})

    def withheld_summary(self) -> list[dict[str, Any]]:
        """Each withheld item as the ledger keeps it: what, whose, under which conditions."""
        return [
            {"item": item.key, "agency": item.source_name, "conditions": sorted(c.value for c in item.conditions)}
            for item in self.withheld
        ]


def withheld_reason(item: Item) -> str:
    """What a recipient reads in place of a withheld item."""
    return f"Not passed on: {item.source_name}'s handling conditions do not allow it"


def may_go(item: Item, route: Exit, *, to: int | None) -> bool:
    """Whether `item` may go down `route` to the agency `to` (None: not an agency)."""
    if to is not None and to == item.source:
        return True  # an agency is always sent back what it gave
    if route not in CARRIES_ITEMS:
        return False  # a route for the hub's own words: another agency's information never goes down it
    if route in item.agreed:
        return True
    return not any(blocks(condition, route) for condition in item.conditions)


def release(items: Iterable[Item], *, route: Exit, to: int | None) -> Release:
    """The gate: of `items`, those that may go down `route` to agency `to`, and those withheld."""
    shared: list[Item] = []
    withheld: list[Item] = []
    for item in items:
        (shared if may_go(item, route, to=to) else withheld).append(item)
    return Release(route=route, recipient=to, shared=tuple(shared), withheld=tuple(withheld))
