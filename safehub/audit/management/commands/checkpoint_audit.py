from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safehub.audit.services import checkpoint_chain
from safehub.audit.trail import require_trail


class Command(BaseCommand):
    help = (
        "Write a checkpoint of the audit chain (its last entry's number and hash, and the time) to the"
        " append-only file in SAFEHUB_AUDIT_CHECKPOINT_DIR, signed with the audit key. The worker does this"
        " every round; verify-audit checks the chain against every checkpoint."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        require_trail()
        try:
            result = checkpoint_chain()
        except OSError as error:
            raise CommandError(f"The checkpoint could not be written: {error.strerror} ({error.filename})") from error
        if result.warning:
            raise CommandError(result.note)
        self.stdout.write(result.note)
