from __future__ import annotations

from safehub.returns.exporting import ExportCommand
from safehub.returns.models import ReturnKind


class Command(ExportCommand):
    help = (
        "Write Ofsted's ILACS Annex A, lists 1 to 5, for the six months before --as-at, as an .xlsx workbook."
        " Checked by the Annex A cleaner first: nothing is written while it finds a problem."
    )
    kind = ReturnKind.ANNEX_A
    period_option = "--as-at"
    period_help = "The as-at date, YYYY-MM-DD."
