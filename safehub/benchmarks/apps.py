from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Load generators and the benchmark harness: tooling, kept out of the domain apps."""

    name = "safehub.benchmarks"
    label = "benchmarks"
