"""Workload, per worker and per team (001: "Management of high volume through the system"; 001 counts the
service's staff by role). Per worker, the steps each person recorded in the period (by the London day of
the act) on contacts that pass the filters: basic screenings (`screening.Screening.screened_by`),
threshold recommendations (`decisions.Recommendation.recommended_by`) and approvals
(`decisions.Decision.decided_by`, approved, not returned). Per team (`Contact.team`): the contacts
received in the period, and the contacts open now (not closed), whenever received."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from safehub.contacts.workflow import ContactState
from safehub.core.presenters import how_many
from safehub.decisions.models import Decision, Recommendation, Verdict
from safehub.reports.measures import Measure
from safehub.reports.measures.scope import Scope, filtered_contacts, of_contacts, received, within
from safehub.reports.measures.tiles import Figure, Row, Table, Tile, count_bar_groups, count_bars
from safehub.screening.models import Screening

STEPS = ("screenings", "recommendations", "approvals")
OPEN_STATES = [state.value for state in ContactState if state != ContactState.CLOSED]


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def per_worker(scope: Scope) -> dict[str, dict[str, int]]:
    """{worker's name: {step: count}}, from one query a step."""
    acts = [
        ("screenings", Screening.objects.filter(within("screened_at", scope)), "screened_by"),
        ("recommendations", Recommendation.objects.filter(within("recommended_at", scope)), "recommended_by"),
        ("approvals", Decision.objects.filter(within("decided_at", scope), verdict=Verdict.APPROVED), "decided_by"),
    ]
    found: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STEPS, 0))
    for step, rows, by in acts:
        counted = (
            of_contacts(rows, scope.filters)
            .values_list(f"{by}__first_name", f"{by}__last_name", f"{by}__username")
            .annotate(n=Count("pk"))
        )
        for first, last, username, n in counted:
            found[_name(first, last, username)][step] += n
    return dict(sorted(found.items()))


def per_team(scope: Scope) -> dict[str, dict[str, int]]:
    """{team: {"received": …, "open": …}}, from two queries."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: {"received": 0, "open": 0})
    for team, n in received(scope).values_list("team__name").annotate(n=Count("pk")):
        found[team]["received"] += n
    open_now = filtered_contacts(scope.filters).filter(state__in=OPEN_STATES)
    for team, n in open_now.values_list("team__name").annotate(n=Count("pk")):
        found[team]["open"] += n
    return dict(sorted(found.items()))


def workload(scope: Scope) -> Tile:
    workers = per_worker(scope)
    teams = per_team(scope)
    steps = sum(sum(counts.values()) for counts in workers.values())
    open_now = sum(t["open"] for t in teams.values())
    recorded = (
        f"{how_many(len(workers), 'person', 'people')} recorded"
        f" {how_many(steps, 'screening, recommendation or approval', 'screenings, recommendations and approvals')}"
        if workers
        else "Nobody recorded a screening, recommendation or approval"
    )
    return Tile(
        slug=MEASURE.slug,
        heading="Workload",
        summary=(
            f"{recorded} in the period; "
            + (
                f"{how_many(open_now, 'contact is', 'contacts are')} open now."
                if open_now
                else "no contact is open now."
            )
        ),
        figures=(
            Figure(
                Table(
                    "by-team",
                    "Contacts per team: received in the period, and open now",
                    ("Team", "Received", "Open now"),
                    tuple(Row(team, (c["received"], c["open"])) for team, c in teams.items()),
                ),
                count_bar_groups(
                    "Contacts per team: received in the period, and open now",
                    "The contacts each team received in the period, and each team's contacts open now, whenever"
                    " they were received.",
                    list(teams),
                    [
                        ("Received", [c["received"] for c in teams.values()]),
                        ("Open now", [c["open"] for c in teams.values()]),
                    ],
                ),
            ),
            Figure(
                Table(
                    "by-worker",
                    "Steps recorded per worker",
                    ("Worker", "Screenings", "Recommendations", "Approvals", "All steps"),
                    tuple(Row(name, (*(c[step] for step in STEPS), sum(c.values()))) for name, c in workers.items()),
                ),
                count_bars(
                    "Steps recorded per worker",
                    "Screenings, recommendations and approvals each person recorded in the period.",
                    [(name, sum(c.values())) for name, c in workers.items()],
                ),
            ),
        ),
    )


MEASURE = Measure(slug="workload", title="Workload", order=100, compute=workload)
