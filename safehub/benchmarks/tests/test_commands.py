"""The benchmark commands keep the names and options that docs/benchmarks.md and the README use."""

from __future__ import annotations

import pytest
from django.core.management import get_commands, load_command_class

from safehub.benchmarks import loadtest
from safehub.benchmarks.management.commands.benchmark_sign_in_flood import _reader

OPTIONS = {
    "benchmark_checks": {
        "--contacts",
        "--checks",
        "--requests",
        "--users",
        "--seconds",
        "--skip-load",
        "--skip-alerts",
    },
    "benchmark_matching": {"--febrl", "--synthetic", "--held-out", "--held-out-seed", "--workdir"},
    "benchmark_search": {"--records", "--searches", "--seed", "--reuse", "--train", "--no-baseline"},
    "benchmark_sign_in_flood": {"--clients", "--seconds", "--baseline-seconds", "--same-address", "--limits-off"},
}


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_each_benchmark_command_is_the_benchmarks_apps_with_its_options(name: str) -> None:
    assert get_commands()[name] == "safehub.benchmarks"
    parser = load_command_class("safehub.benchmarks", name).create_parser("safehub", name)
    assert OPTIONS[name] <= {option for action in parser._actions for option in action.option_strings}


@pytest.mark.django_db
def test_the_flood_benchmarks_reader_can_be_signed_in_past_both_steps() -> None:
    """The reader's session is made as the second step makes one, which needs their authenticator
    app: without it the command stopped before measuring anything."""
    reader = _reader()

    assert loadtest.sign_in(reader)
    assert _reader() == reader  # a second run reuses the reader and their app
