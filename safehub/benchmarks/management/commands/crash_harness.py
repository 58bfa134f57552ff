import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.benchmarks import crash_harness
from safehub.benchmarks.scratch_cluster import ClusterUnavailableError

DEFAULTS = crash_harness.Plan()


class Command(BaseCommand):
    help = (
        "Crash-test Safehub (ADR 0030): writers record contacts and submit partners' answers, each sending"
        " the same form again until it is acknowledged, to gunicorn serving Safehub on a PostgreSQL cluster"
        " of this command's own, while gunicorn's workers are killed with SIGKILL and PostgreSQL is restarted"
        " in immediate mode. Then every acknowledged write must be stored exactly once, none twice, and the"
        " audit chain must verify; a negative control (a writer that sends again without its key) must show"
        " duplicates. Exits non-zero if any of that fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kills", type=int, default=DEFAULTS.kills, help="SIGKILLs to gunicorn workers (200).")
        parser.add_argument(
            "--restarts", type=int, default=DEFAULTS.restarts, help="PostgreSQL restarts in immediate mode (20)."
        )
        parser.add_argument(
            "--seconds",
            type=float,
            default=DEFAULTS.seconds,
            help="Spread the kills and restarts over this many seconds (600).",
        )
        parser.add_argument("--contact-writers", type=int, default=DEFAULTS.contact_writers)
        parser.add_argument("--answer-writers", type=int, default=DEFAULTS.answer_writers)
        parser.add_argument("--negative-writers", type=int, default=DEFAULTS.negative_writers)
        parser.add_argument(
            "--answers", type=int, default=DEFAULTS.answers, help="Requests waiting for the partners' answers."
        )
        parser.add_argument("--workers", type=int, default=DEFAULTS.workers, help="gunicorn sync workers (3).")
        parser.add_argument(
            "--patience",
            type=float,
            default=DEFAULTS.patience,
            help="Seconds a writer waits for an answer before sending again (10).",
        )
        parser.add_argument(
            "--drop",
            type=float,
            default=DEFAULTS.drop,
            help="The share of forms whose answer a writer never reads, hanging up as each is sent (0.2).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULTS.seed)
        parser.add_argument("--json", type=Path, help="Also write the full result to this file.")

    def handle(self, *args: Any, **options: Any) -> None:
        values = {f.name: options[f.name] for f in fields(crash_harness.Plan)}
        if min(values["kills"], values["restarts"], values["contact_writers"], values["answers"]) < 0:
            raise CommandError("Counts cannot be negative")
        if not 0 <= values["drop"] < 1:
            raise CommandError("--drop is a share: at least 0 and less than 1")
        if values["seconds"] <= 0 or values["patience"] <= 0 or values["workers"] < 1:
            raise CommandError("--seconds and --patience must be positive, and there must be a worker")
        if values["negative_writers"] < 1:
            raise CommandError("The negative control needs a writer: it is how the run shows it can see duplicates")
        plan = crash_harness.Plan(**values)
        try:
            result = crash_harness.run(plan, say=self.stdout.write)
        except ClusterUnavailableError as error:
            raise CommandError(f"Cannot make a scratch PostgreSQL cluster: {error}") from None
        if options["json"]:
            options["json"].write_text(json.dumps(result.as_dict(), indent=2), encoding="utf-8")
        self.stdout.write(report(result))
        problems = result.problems(require_bite=True)
        if problems:
            raise CommandError("; ".join(problems))


def report(result: crash_harness.Result) -> str:
    plan = result.plan
    lines = [
        f"Kills: {result.kills} of {plan.kills}; PostgreSQL restarts: {result.restarts} of {plan.restarts}"
        + (
            f" (down {min(result.restart_seconds):.1f}-{max(result.restart_seconds):.1f} s)"
            if result.restart_seconds
            else ""
        ),
        f"Contacts acknowledged: {result.contacts_acknowledged}; lost {len(result.contacts_lost)};"
        f" written twice {len(result.contacts_duplicated)}",
        f"Answers acknowledged: {result.answers_acknowledged}; lost {len(result.answers_lost)};"
        f" written twice {len(result.answers_duplicated)}",
        f"Negative control (no key): {result.negative_acknowledged} acknowledged,"
        f" {result.negative_duplicates} duplicate rows on {len(result.negative_duplicated)} writes",
        f"Attempts sent: {result.attempts}; not acknowledged: "
        + ", ".join(f"{why} {n}" for why, n in sorted(result.failures.items(), key=lambda item: -item[1])),
        "POSTs answered in (s): " + ", ".join(f"{name} {value:.2f}" for name, value in result.answered_in.items()),
        f"Audit chain: {'intact' if result.chain.get('intact') else 'BROKEN'} ({result.chain.get('checked')} entries)",
        f"Wall time: {result.wall_seconds:.0f} s",
    ]
    if any(result.unacknowledged.values()):
        lines.append(f"Given up at the end, unacknowledged: {result.unacknowledged}")
    return "\n".join(lines)
