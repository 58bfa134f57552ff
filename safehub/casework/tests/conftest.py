"""The strategy tests' fixtures (a health agency, an arranged discussion) serve casework's too."""

from safehub.strategy.tests.conftest import arranged, health  # noqa: F401 - fixtures, found by name
