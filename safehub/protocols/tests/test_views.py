from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent, Verb
from safehub.protocols.models import LocalProtocol

pytestmark = pytest.mark.django_db


def _bexley() -> LocalProtocol:
    return LocalProtocol.objects.get(slug="bexley")


def _edit_post(protocol: LocalProtocol, **overrides: Any) -> dict[str, Any]:
    rows = list(protocol.timescales.all())
    data: dict[str, Any] = {
        "version": protocol.version,
        "working_day_start": "08:30",
        "working_day_end": "17:30",
        "three_month_rule": "on",
        "timescale-TOTAL_FORMS": str(len(rows)),
        "timescale-INITIAL_FORMS": str(len(rows)),
    }
    for i, row in enumerate(rows):
        data[f"timescale-{i}-pk"] = row.pk
        data[f"timescale-{i}-amount"] = str(row.amount)
        data[f"timescale-{i}-unit"] = row.unit
    data.update(overrides)
    return data


def test_administrator_edits_a_timescale_and_it_is_audited(administrator_client: Client) -> None:
    protocol = _bexley()
    response = administrator_client.post(
        reverse("protocols:protocol", args=[protocol.pk]), _edit_post(protocol, **{"timescale-0-amount": "3"})
    )
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.version == 1
    assert str(protocol.working_day_start) == "08:30:00"
    assert protocol.timescales.all()[0].amount == 3
    assert AuditEvent.objects.filter(verb=Verb.PROTOCOL_CHANGED).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"timescale-0-amount": "-1"}, "A timescale must be more than zero"),
        ({"timescale-0-amount": "0"}, "A timescale must be more than zero"),
        ({"timescale-0-amount": "123456"}, "A timescale can be at most 9,999.99"),
        ({"timescale-0-amount": "1.234"}, "Use at most two decimal places"),
        ({"working_day_end": "08:00"}, "The working day must end after it starts"),
        ({"working_day_start": "nine"}, "Enter a valid time"),
    ],
)
def test_bad_input_changes_nothing(administrator_client: Client, overrides: dict[str, str], message: str) -> None:
    protocol = _bexley()
    response = administrator_client.post(
        reverse("protocols:protocol", args=[protocol.pk]), _edit_post(protocol, **overrides)
    )
    assert message in response.content.decode()
    protocol.refresh_from_db()
    assert protocol.version == 0
    assert not AuditEvent.objects.filter(verb=Verb.PROTOCOL_CHANGED).exists()


def test_a_stale_form_is_refused(administrator_client: Client) -> None:
    protocol = _bexley()
    url = reverse("protocols:protocol", args=[protocol.pk])
    administrator_client.post(url, _edit_post(protocol))
    response = administrator_client.post(url, _edit_post(protocol, working_day_start="10:00"))
    assert response.status_code == 409
    protocol.refresh_from_db()
    assert str(protocol.working_day_start) == "08:30:00"


def test_administrator_activates_another_protocol(administrator_client: Client) -> None:
    walsall = LocalProtocol.objects.get(slug="walsall")
    response = administrator_client.post(reverse("protocols:activate", args=[walsall.pk]), {"version": walsall.version})
    assert response.status_code == 302
    assert LocalProtocol.objects.get(is_active=True).slug == "walsall"


def test_a_manager_may_read_but_not_edit(manager_client: Client) -> None:
    protocol = _bexley()
    url = reverse("protocols:protocol", args=[protocol.pk])
    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url, _edit_post(protocol)).status_code == 403
    walsall = LocalProtocol.objects.get(slug="walsall")
    assert manager_client.post(reverse("protocols:activate", args=[walsall.pk]), {"version": 0}).status_code == 403


def test_a_social_worker_cannot_see_protocol_settings(social_worker_client: Client) -> None:
    assert social_worker_client.get(reverse("protocols:list")).status_code == 403
