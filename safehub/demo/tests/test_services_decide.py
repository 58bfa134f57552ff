"""The demo asks the services rather than copying their rules (its own module: the other demo tests
share one loaded hub, and this one loads another with the rules changed)."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command

from safehub.contacts.models import ConsentPosition, Contact
from safehub.core.errors import DomainError
from safehub.decisions import services as decisions
from safehub.decisions.models import ChildRecommendation, Outcome
from safehub.demo import strategy as demo_strategy
from safehub.screening.models import Screening, ScreeningRoute
from safehub.screening.services import Finding

pytestmark = pytest.mark.django_db


def test_rules_a_service_gains_reach_the_demo(monkeypatch: pytest.MonkeyPatch, now: dt.datetime) -> None:
    """The demo asks the services rather than copying their rules: a route screening stops offering
    is never taken, and an outcome the decision service starts refusing is never recommended (the
    social worker chooses another)."""
    offered = Finding.allowed_routes.fget
    assert offered is not None
    monkeypatch.setattr(
        Finding, "allowed_routes", property(lambda f: [r for r in offered(f) if r != ScreeningRoute.SIGNPOST])
    )
    allowed = decisions.check_outcome_allowed

    def no_signposting(contact: Contact, outcome: Outcome, **kwargs: Any) -> None:
        allowed(contact, outcome, **kwargs)
        if outcome == Outcome.SIGNPOST:
            raise DomainError("Signposting is no longer an outcome here", field="outcome")

    monkeypatch.setattr(decisions, "check_outcome_allowed", no_signposting)
    # A small week: the rules are checked on every contact walked, and the year is bulk history.
    out = StringIO()
    call_command("load_demo", people=60, weeks=1, per_week=80, year=0, seed=3, stdout=out)

    assert "80 contacts over 1 week, each recorded" in out.getvalue()  # the week walked at the rate asked

    assert Screening.objects.exists()
    assert not Screening.objects.filter(route=ScreeningRoute.SIGNPOST).exists()
    assert ChildRecommendation.objects.exists()
    assert not ChildRecommendation.objects.filter(outcome=Outcome.SIGNPOST).exists()
    # Early help without consent is still refused, and the demo still chooses another outcome.
    assert (
        not ChildRecommendation.objects.filter(outcome=Outcome.EARLY_HELP)
        .exclude(recommendation__contact__consent=ConsentPosition.GIVEN)
        .exists()
    )


class _AlwaysApologies(random.Random):
    def random(self) -> float:
        return 0.95  # every invitee sends apologies


def test_a_demo_discussion_every_invitee_sent_apologies_to_is_held_with_the_first_attending() -> None:
    invited = [SimpleNamespace(pk=7, agency=None), SimpleNamespace(pk=8, agency=None)]
    found = demo_strategy._presence(invited, _AlwaysApologies())  # type: ignore[arg-type]
    assert [(p.invitation_id, p.attendance) for p in found] == [(7, "attended"), (8, "apologies")]
