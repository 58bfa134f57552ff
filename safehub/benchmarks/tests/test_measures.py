"""The load benchmark's measures: reading the server's cost of a page, the processes' CPU time,
the machine's speed and the summary figures. Behaviour only; the timings are the benchmark's."""

from __future__ import annotations

import os

import pytest

from safehub.benchmarks import machine
from safehub.benchmarks.loadtest import Hit, LoadResult, Window, page_cost, parse_server_timing
from safehub.benchmarks.management.commands.benchmark_checks import MANAGER_QUEUES, SOCIAL_WORKER_QUEUES
from safehub.queues.queries import QUEUE_BY_SLUG


def test_server_timing_is_read_metric_by_metric() -> None:
    header = 'cpu;dur=12.345, db;dur=3.2;desc="9 queries"'
    assert parse_server_timing(header) == {"cpu": {"dur": "12.345"}, "db": {"dur": "3.2", "desc": "9 queries"}}
    assert page_cost(header) == (12.345, 9)


@pytest.mark.parametrize("header", [None, "", "edge;dur=1", 'cpu;desc="no number"'])
def test_a_response_without_the_figures_gives_none(header: str | None) -> None:
    assert page_cost(header) == (None, None)


def test_a_proc_stat_line_is_read_past_a_name_with_spaces_and_brackets() -> None:
    line = "4242 (gunicorn: worker (x)) S 4200 4200 4200 0 -1 4194560 900 0 0 0 150 25 0 0 20 0 1 0 1 0 0"
    assert machine.parse_stat(line) == machine.ProcessStat(pid=4242, parent=4200, cpu_ticks=175)


def test_a_process_trees_cpu_counts_the_master_and_all_its_descendants_only() -> None:
    tick = os.sysconf("SC_CLK_TCK")
    stats = [
        machine.ProcessStat(pid=10, parent=1, cpu_ticks=tick),  # master
        machine.ProcessStat(pid=11, parent=10, cpu_ticks=2 * tick),  # workers
        machine.ProcessStat(pid=12, parent=10, cpu_ticks=3 * tick),
        machine.ProcessStat(pid=13, parent=12, cpu_ticks=tick),  # a worker's child
        machine.ProcessStat(pid=20, parent=1, cpu_ticks=100 * tick),  # something else
    ]
    assert machine.tree_cpu_seconds(10, stats) == 7.0
    assert machine.tree_cpu_seconds(99, stats) == 0.0


def test_this_process_tree_has_used_some_cpu() -> None:
    assert machine.tree_cpu_seconds(os.getpid()) >= 0.0


def test_the_machine_speed_is_a_positive_figure() -> None:
    assert machine.speed(repeats=1, steps=10_000) > 0


def _hit(page: str, ms: float, at: float, cpu: float | None = None, queries: int | None = None) -> Hit:
    return Hit(page, 200, ms, at, cpu, queries)


def test_a_pages_summary_gives_latency_cpu_time_and_queries_after_the_warm_up() -> None:
    result = LoadResult(
        hits=[
            _hit("queue", 500.0, at=1.0, cpu=400.0, queries=50),  # warm-up: left out
            _hit("queue", 10.0, at=6.0, cpu=4.0, queries=9),
            _hit("queue", 20.0, at=7.0, cpu=6.0, queries=9),
            _hit("queue", 30.0, at=8.0, cpu=14.0, queries=11),
            _hit("other", 99.0, at=8.0, cpu=99.0, queries=1),
        ]
    )
    figures = result.summary("queue", after=5.0)
    assert figures["requests"] == 3
    assert (figures["p50"], figures["p95"], figures["max"]) == (20.0, 30.0, 30.0)
    assert (figures["cpu_median"], figures["cpu_mean"]) == (6.0, 8.0)
    assert figures["pages_per_core_second"] == 125.0
    assert (figures["queries_median"], figures["queries_max"]) == (9, 11)


def test_a_summary_without_server_figures_gives_latency_only() -> None:
    figures = LoadResult(hits=[_hit("queue", 10.0, at=6.0)]).summary("queue")
    assert "cpu_mean" not in figures
    assert "queries_median" not in figures
    assert LoadResult().summary("queue") == {"requests": 0}


def test_the_totals_divide_the_processes_cpu_by_the_pages_and_the_seconds() -> None:
    hits = [_hit("queue", 10.0, at=6.0 + n * 0.1) for n in range(200)] + [_hit("queue", 10.0, at=1.0)]
    result = LoadResult(hits=hits, window=Window(seconds=50.0, server_cpu=40.0, client_cpu=5.0))
    totals = result.totals(after=5.0)
    assert totals["pages"] == 200
    assert totals["pages_per_second"] == 4.0
    assert totals["server_cpu_ms_per_page"] == 200.0
    assert totals["pages_per_second_per_core"] == 5.0
    assert (totals["server_cores"], totals["client_cores"]) == (0.8, 0.1)


def test_without_a_window_the_totals_count_pages_only() -> None:
    assert LoadResult(hits=[_hit("queue", 10.0, at=6.0)]).totals() == {"pages": 1}


def test_the_hub_users_between_them_open_every_work_queue() -> None:
    assert set(SOCIAL_WORKER_QUEUES) | set(MANAGER_QUEUES) == set(QUEUE_BY_SLUG)
