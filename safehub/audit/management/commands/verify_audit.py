from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safehub.audit.services import verify_chain


class Command(BaseCommand):
    help = "Walk the audit chain and report the first broken link, or 'intact'."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.intact:
            self.stdout.write(f"intact: {report.checked} entries checked")
            return
        raise CommandError(
            f"broken at entry #{report.broken_at}: {report.reason} ({report.checked} entries intact before it)"
        )
