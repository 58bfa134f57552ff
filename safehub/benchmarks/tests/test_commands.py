"""The benchmark commands keep the names and options that docs/benchmarks.md and the README use."""

from __future__ import annotations

import pytest
from django.core.management import get_commands, load_command_class

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
