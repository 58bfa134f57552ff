"""`safehub load-demo` refuses sizes that make no demo, before it writes anything."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safehub.accounts.models import User
from safehub.contacts.models import Contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "options", [{"people": 9}, {"weeks": 0}, {"per_week": 0}, {"year": -1}], ids=["people", "weeks", "per-week", "year"]
)
def test_sizes_that_make_no_demo_are_refused_before_anything_is_written(options: dict[str, int]) -> None:
    with pytest.raises(CommandError, match="Give at least 10 people"):
        call_command("load_demo", **{"people": 20, "weeks": 1, "per_week": 5, "year": 0} | options, stdout=StringIO())
    assert not Contact.objects.exists()
    assert not User.objects.exists()
