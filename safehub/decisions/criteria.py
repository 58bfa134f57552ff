"""The local protocol's early help criteria on a recommendation (002 §9(c)): which the situation meets,
ticked by the social worker, and the rule that early help needs one of them where the protocol lists any.

002 §9: "If it is clear from the contact information (a) the child requires a preventative 'intensive'
service, (b) consent is obtained and (c) the situation meets at least one of the following Family
Wellbeing service criteria: Parental domestic violence, parental mental ill-health, parental substance
misuse and/or a child at risk of exclusion or excluded from school." A protocol with no criteria (the
other seed hubs) asks for none."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from safehub.contacts.models import ConcernCategory
from safehub.core.errors import Problem
from safehub.decisions.models import Outcome

FIELD = "early_help_criteria"

# The concerns a contact can name that plainly meet a criterion, by a word the criterion's own text holds
# (the criteria are the protocol's words, which an administrator may change): domestic abuse meets
# "Parental domestic violence", and so on. A concern about the child's own mental health meets nothing.
PLAIN_MATCHES: dict[str, tuple[str, ...]] = {
    ConcernCategory.DOMESTIC_ABUSE: ("domestic",),
    ConcernCategory.PARENTAL_MENTAL_HEALTH: ("mental",),
    ConcernCategory.PARENTAL_SUBSTANCE_MISUSE: ("substance",),
    ConcernCategory.SCHOOL_EXCLUSION: ("exclu",),
}

NONE_TICKED = (
    "Early help needs at least one of the local protocol's early help criteria: tick those the situation"
    " meets, or choose another outcome"
)
NOT_THE_PROTOCOLS = "Choose early help criteria from the local protocol"
NONE_RECORDED = (
    "early help needs at least one of the local protocol's early help criteria, and the recommendation"
    " records none: return it to the social worker, or choose another outcome"
)


def suggested(criteria: Sequence[str], concerns: Iterable[str]) -> list[str]:
    """The criteria that the contact's concern categories plainly meet: ticked in advance on the
    recommendation page, for the social worker to confirm or change."""
    words = [word for concern in concerns for word in PLAIN_MATCHES.get(concern, ())]
    return [criterion for criterion in criteria if any(word in criterion.lower() for word in words)]


def ticked_problems(criteria: Sequence[str], ticked: Sequence[str], outcomes: Iterable[Outcome]) -> list[Problem]:
    """What is wrong with the criteria ticked on a recommendation with these children's `outcomes`,
    under a protocol listing `criteria`: one not the protocol's, or early help with none ticked."""
    if not set(ticked) <= set(criteria):
        return [Problem(NOT_THE_PROTOCOLS, field=FIELD)]
    if criteria and not ticked and Outcome.EARLY_HELP in set(outcomes):
        return [Problem(NONE_TICKED, field=FIELD)]
    return []


def in_protocol_order(criteria: Sequence[str], ticked: Sequence[str]) -> list[str]:
    """The ticked criteria as the protocol lists them, each once."""
    chosen = set(ticked)
    return [criterion for criterion in criteria if criterion in chosen]


def needs_criteria(criteria: Sequence[str], recorded: Sequence[str]) -> bool:
    """Whether an early help outcome approved now would lack a criterion: the protocol lists some and
    the recommendation records none."""
    return bool(criteria) and not recorded
