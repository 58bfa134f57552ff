from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.accounts.permissions import can_read_performance
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.checks.permissions import can_answer_requests
from safehub.consent.permissions import can_read_consent_figures
from safehub.core.http import AuthenticatedHttpRequest
from safehub.letters.models import WithheldReason
from safehub.reports import kept
from safehub.reports.downloads import table_csv
from safehub.reports.forms import DashboardForm
from safehub.reports.indicators import checks_timeliness, consent_figures, telling_people
from safehub.reports.indicators import strategy_timeliness as strategy_figures
from safehub.reports.measures import measure
from safehub.reports.periods import PERIOD_LABELS, PeriodKind
from safehub.reports.presenters import tile_views
from safehub.returns.permissions import can_see_returns
from safehub.returns.services import latest_checks
from safehub.strategy.permissions import can_read_strategy_timeliness


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    """A partner professional is not told the hub's reports exist; other staff are refused."""
    if not can_read_performance(request.user):
        if can_answer_requests(request.user):
            raise Http404("No such page")
        raise PermissionDenied


@require_GET
def mash_checks_timeliness(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per agency and month: requests, answered on time, median and 90th percentile hours, outstanding."""
    _require_reader(request)
    if request.GET.get("format") == "csv":  # the address the download had before it had its own
        return mash_checks_timeliness_csv(request)
    return render(request, "reports/checks_timeliness.html", {"rows": checks_timeliness.timeliness()})


@require_GET
def mash_checks_timeliness_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same report as a spreadsheet; every download is recorded."""
    _require_reader(request)
    rows = checks_timeliness.timeliness()
    with transaction.atomic():
        record(Verb.REPORT_EXPORTED, by=request.user, data={"report": "mash-check-timeliness", "rows": len(rows)})
    response = HttpResponse(checks_timeliness.as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mash-check-timeliness.csv"'
    return response


def _require_strategy_reader(request: AuthenticatedHttpRequest) -> None:
    if not can_read_strategy_timeliness(request.user):
        if can_answer_requests(request.user):
            raise Http404("No such page")
        raise PermissionDenied


@require_GET
def strategy_timeliness(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per month: discussions held within the standard, records sent in time, conferences within 15
    working days; and attendance by agency (000)."""
    _require_strategy_reader(request)
    return render(request, "reports/strategy_timeliness.html", {"report": strategy_figures.report()})


def _csv(
    request: AuthenticatedHttpRequest, name: str, text: str, rows: int, *, filename: str = "", **data: str
) -> HttpResponse:
    with transaction.atomic():
        record(Verb.REPORT_EXPORTED, by=request.user, data={"report": name, "rows": rows, **data})
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename or name}.csv"'
    return response


@require_GET
def strategy_timeliness_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_strategy_reader(request)
    found = strategy_figures.report()
    return _csv(request, "strategy-discussion-timeliness", strategy_figures.months_csv(found), len(found.months))


@require_GET
def strategy_attendance_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_strategy_reader(request)
    found = strategy_figures.report()
    return _csv(request, "strategy-discussion-attendance", strategy_figures.agencies_csv(found), len(found.agencies))


def _require_consent_reader(request: AuthenticatedHttpRequest) -> None:
    if not can_read_consent_figures(request.user):
        if can_answer_requests(request.user):
            raise Http404("No such page")
        raise PermissionDenied


@require_GET
def consent(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per month: consent given and refused, competence assessed, requests to share without consent
    and their decisions, contacts paused for consent, decisions not to share (issue 14)."""
    _require_consent_reader(request)
    return render(request, "reports/consent.html", {"rows": consent_figures.figures()})


@require_GET
def consent_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_consent_reader(request)
    rows = consent_figures.figures()
    return _csv(request, "consent-and-sharing-without-consent", consent_figures.as_csv(rows), len(rows))


def _require_performance_reader(request: AuthenticatedHttpRequest) -> None:
    if not can_read_performance(request.user):
        if can_answer_requests(request.user):
            raise Http404("No such page")
        raise PermissionDenied


@require_GET
def telling_people_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per month: acknowledgements, outcomes to referrers, family letters and consultation summaries,
    each on time or not (issue 15)."""
    _require_performance_reader(request)
    rows = telling_people.figures(at=timezone.now())
    reasons = [(reason.label, [row.counts[f"not_written_{reason.value}"] for row in rows]) for reason in WithheldReason]
    return render(request, "reports/telling_people.html", {"rows": rows, "reasons": reasons})


@require_GET
def telling_people_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_performance_reader(request)
    rows = telling_people.figures(at=timezone.now())
    return _csv(request, "telling-people", telling_people.as_csv(rows), len(rows))


def _dashboard_form(request: AuthenticatedHttpRequest) -> DashboardForm:
    return DashboardForm(request.GET or None, today=timezone.localdate())


def _dashboard_page(request: AuthenticatedHttpRequest, form: DashboardForm, *, status: int = 200) -> HttpResponse:
    valid = not form.is_bound or form.is_valid()
    period = form.chosen_period if valid else None
    query = form.query() if valid else ""
    figures = kept.counted(period, form.filters, at=timezone.now()) if period else None
    tiles = tile_views(figures.tiles, query=query) if figures else []
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "period": period,
            "tiles": tiles,
            "counted_at": figures.counted_at if figures else None,
            "period_name": PERIOD_LABELS[period.kind] if period and period.kind != PeriodKind.RANGE else "",
            "keep_for": int(kept.KEEP_FOR.total_seconds() // 60),
            "filtered": valid and form.filters.in_use,
            # Each statutory return's last nightly check, for those who see the returns (issue 16: "all year").
            "returns": list(latest_checks().items()) if can_see_returns(request.user) else [],
        },
        status=status,
    )


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The performance lead's dashboard (issue 16): each measure for a period, narrowed by team, source
    and rating, as a sentence, a chart and a table, each table downloadable."""
    _require_reader(request)
    return _dashboard_page(request, _dashboard_form(request))


@require_GET
def dashboard_csv(request: AuthenticatedHttpRequest, slug: str, table: str) -> HttpResponse:
    """One table of one measure, for the period and filters in the address; every download is recorded."""
    _require_reader(request)
    chosen = measure(slug)
    if chosen is None:
        raise Http404("No such measure")
    form = _dashboard_form(request)
    if form.is_bound and not form.is_valid():
        return _dashboard_page(request, form, status=400)
    period = form.chosen_period
    # The table on the page, from the same count (reports.kept), not one counted a minute later.
    tile = next((t for t in kept.counted(period, form.filters, at=timezone.now()).tiles if t.slug == chosen.slug), None)
    found = tile.table(table) if tile else None
    if found is None:
        raise Http404("No such table")
    return _csv(
        request,
        f"dashboard-{slug}-{table}",
        table_csv(found),
        len(found.rows),
        # A filtered table is named for its filters: two downloads of one period can be told apart.
        filename="-".join(part for part in (slug, table, period.slug, form.filters_slug) if part),
        period=period.slug,
    )
