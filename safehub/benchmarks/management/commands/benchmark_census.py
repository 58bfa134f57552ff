from __future__ import annotations

import resource
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from safehub.benchmarks import machine, year_data
from safehub.core.working_time import london_date
from safehub.protocols.models import LocalProtocol
from safehub.returns import census_rows, cin_check, cin_xml
from safehub.returns.services import census_year

TARGET_SECONDS = 60.0
TARGET_BYTES = 2 * 1024**3
PROC_SELF = Path("/proc/self")


def _reset_peak() -> bool:
    """Start counting this process's peak memory again (Linux: clear_refs 5); whether it could."""
    try:
        (PROC_SELF / "clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_bytes() -> int:
    """This process's peak resident memory since the last reset (VmHWM), or since it started."""
    try:
        for line in (PROC_SELF / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Command(BaseCommand):
    help = (
        "Census benchmark (issue 16): store a year of a hub's closed work at Birmingham's scale (100,000"
        " contacts, once), then time building the DfE Children in Need census of it (its rows from the"
        " database and the XML written), with the peak memory. Target: ≤ 60 s and ≤ 2 GB. --validate also"
        " times the DfE's rules on it. Run it against a PostgreSQL database of its own."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contacts", type=int, default=year_data.CONTACTS, help="Contacts in the year (100,000).")
        parser.add_argument("--year", help="The census year (the one today is in).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--validate", action="store_true", help="Run the DfE's rules on the census as well.")
        parser.add_argument("--out", type=Path, help="Keep the census here (a temporary file otherwise).")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stderr.write("Warning: the targets are for PostgreSQL; this database is " + connection.vendor)
        if options["contacts"] < 1:
            raise CommandError("Give at least one contact.")
        now = timezone.now()
        stored = year_data.populate(
            options["contacts"],
            now=now,
            seed=options["seed"],
            progress=lambda text: self.stdout.write(f"Storing {text}"),
        )
        if stored.seconds is not None and stored.made is not None:
            made = stored.made
            self.stdout.write(f"Stored in {stored.seconds:.0f} s: {made.summary()}")
            self.stdout.write(f"  of which the casework imports: {made.import_seconds:.0f} s")
        else:
            self.stdout.write(f"Data: the year stored before, {stored.contacts:,} contacts")
        protocol = LocalProtocol.objects.filter(is_active=True).first()
        if protocol is None or not protocol.la_code:
            raise CommandError("The active local protocol has no DfE local authority number: set one first.")
        year = census_year(options["year"] or str(_census_period(now)))
        mark = f"[machine {machine.speed():.1f} M steps/s, {machine.cores()} cores]"
        out = options["out"] or Path(tempfile.mkdtemp(prefix="safehub-census-")) / f"cin-census-{year}.xml"
        reset = _reset_peak()
        began = time.perf_counter()
        census, children = census_rows.build(year, serial=0, made_at=now)
        with out.open("wb") as file:
            written = cin_xml.write_xml(census, file)
        seconds = time.perf_counter() - began
        peak = _peak_bytes()
        met = seconds <= TARGET_SECONDS and peak <= TARGET_BYTES
        self.stdout.write(
            f"Census {year}: {written:,} children, {out.stat().st_size / 1e6:.1f} MB of XML ({out}) in {seconds:.1f} s;"
            f" peak memory {peak / 1024**2:,.0f} MB{'' if reset else ' (since the process started)'} {mark}"
        )
        self.stdout.write(f"Target (≤ {TARGET_SECONDS:.0f} s, ≤ 2 GB): {'met' if met else 'NOT met'}")
        if len(children) != written:
            raise CommandError(f"{len(children)} children in the census's list but {written} written")
        if options["validate"]:
            began = time.perf_counter()
            found = cin_check.validate(out, year=year)
            seconds = time.perf_counter() - began
            errors = Counter(issue.rule for issue in found.errors)
            queries = Counter(issue.rule for issue in found.queries)
            self.stdout.write(
                f"DfE rules ({found.ruleset}): {seconds:.1f} s; {len(found.errors)} errors {dict(errors.most_common())},"
                f" {len(found.queries)} queries {dict(queries.most_common())}"
            )


def _census_period(now: Any) -> int:
    """The census year a moment is in: from 1 April, the year after."""
    today = london_date(now)
    return today.year + 1 if today.month >= 4 else today.year
