from __future__ import annotations

from safehub.returns.exporting import ExportCommand
from safehub.returns.models import ReturnKind


class Command(ExportCommand):
    help = (
        "Write the DfE Children in Need census for a collection year (the year its reference date, 31 March,"
        " falls in) as the XML the DfE collects. Checked by the DfE's rules first: nothing is written while"
        " an error stops it; queries are listed for a person to review."
    )
    kind = ReturnKind.CIN_CENSUS
    period_option = "--year"
    period_help = "The collection year, such as 2026 (1 April 2025 to 31 March 2026)."
