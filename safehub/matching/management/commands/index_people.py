from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from safehub.matching.index import index_people


class Command(BaseCommand):
    help = "Rebuild the person index that the screening search looks people up in."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = index_people()
        self.stdout.write(f"Indexed {count} people in {time.perf_counter() - started:.1f} s")
