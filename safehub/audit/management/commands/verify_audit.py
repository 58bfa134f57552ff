from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.audit.keys import signing_key
from safehub.audit.services import verify_chain
from safehub.audit.trail import require_trail


class Command(BaseCommand):
    help = (
        "Walk the audit chain, checking each entry's signature with the audit key (SAFEHUB_AUDIT_KEY or"
        " SAFEHUB_AUDIT_KEY_FILE) and the chain against its checkpoints (SAFEHUB_AUDIT_CHECKPOINT_DIR), and that"
        " the append-only triggers are there. Says 'intact', or names the first bad entry and every problem found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint-dir", type=Path, help="Check against the checkpoints here (SAFEHUB_AUDIT_CHECKPOINT_DIR)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        signing_key()  # no key, no check: one line saying which setting to give
        require_trail()
        report = verify_chain(checkpoint_dir=options["checkpoint_dir"])
        if report.intact:
            keyed = f"signed from #{report.keyed_from}" if report.keyed_from else "no signed entries yet"
            latest = report.latest_checkpoint
            anchored = (
                f"against {report.checkpoints} checkpoints (the latest at #{latest.seq}, {latest.at})"
                if latest
                else "no checkpoints to check against"
                + (
                    ""
                    if options["checkpoint_dir"] or settings.AUDIT_CHECKPOINT_DIR
                    else " (SAFEHUB_AUDIT_CHECKPOINT_DIR is not set)"
                )
            )
            self.stdout.write(f"intact: {report.checked} entries checked, {keyed}, {anchored}")
            return
        first = report.first_problem
        lines = [problem.reason for problem in report.problems if problem is not first or first.seq is None]
        if first is not None and first.seq is not None:
            lines.insert(0, f"broken at entry #{first.seq}: {first.reason} ({report.checked} entries intact before it)")
        raise CommandError("\n".join(lines))
