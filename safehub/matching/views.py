from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.queries import by_pk
from safehub.matching import duplicates, permissions
from safehub.matching.features import features_from_row
from safehub.matching.forms import NOT_SAME, PairDecisionForm
from safehub.matching.models import DuplicatePair, Merge, PairStatus, PersonIndexEntry
from safehub.matching.presenters import CandidateView, candidate_views, merge_history, reviewed
from safehub.matching.queries import get_pair_for
from safehub.matching.search import Candidate
from safehub.matching.services import active_model
from safehub.people.permissions import can_search_people

PAGE_SIZE = 50


def _require_reviewer(request: AuthenticatedHttpRequest) -> None:
    if not can_search_people(request.user):
        raise Http404("No such page")
    if not permissions.can_review_duplicates(request.user):
        raise PermissionDenied


@require_GET
def duplicate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reviewer(request)
    pending = (
        DuplicatePair.objects.visible_to(request.user)
        .filter(status=PairStatus.PENDING, left__merged_into=None, right__merged_into=None)
        .select_related("left", "right")
        .order_by("-probability", "pk")
    )
    recent = (
        Merge.objects.visible_to(request.user)
        .filter(undone_at__isnull=True)
        .select_related("kept", "merged", "merged_by")[:20]
    )
    return render(
        request,
        "matching/duplicates.html",
        {"pairs": pending[:PAGE_SIZE], "pending": pending.count(), "recent": recent},
    )


def _comparison(request: AuthenticatedHttpRequest, pair: DuplicatePair) -> CandidateView | None:
    entries = dict(
        PersonIndexEntry.objects.visible_to(request.user)
        .filter(person__in=[pair.left, pair.right])
        .values_list("person_id", "features")
    )
    if len(entries) != 2:
        return None
    score = active_model().score(features_from_row(entries[pair.left_id]), features_from_row(entries[pair.right_id]))
    return candidate_views([Candidate(pair.right, score)])[0]


def _render_pair(
    request: AuthenticatedHttpRequest, pair: DuplicatePair, form: PairDecisionForm, status: int = 200
) -> HttpResponse:
    merges = (
        Merge.objects.visible_to(request.user)
        .filter(pair=pair)
        .select_related("kept", "merged", "merged_by", "undone_by")
    )
    context = {
        "pair": pair,
        "form": form,
        "view": _comparison(request, pair),
        "merges": [(merge, merge_history(merge)) for merge in merges],
        "reviewed": reviewed(pair),
        "people": [pair.left, pair.right],
    }
    return render(request, "matching/pair.html", context, status=status)


def _keep_choices(pair: DuplicatePair) -> list[tuple[str, str]]:
    return [
        (str(p.pk), f"Yes: keep {p.full_name} ({p.local_id}) and merge the other record into it")
        for p in (pair.left, pair.right)
    ]


@require_http_methods(["GET", "POST"])
def duplicate_pair(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    pair = get_pair_for(request.user, pk, purpose="duplicate-pair")
    if request.method == "GET" or pair.status != PairStatus.PENDING:
        form = PairDecisionForm(initial={"version": pair.version}, keep_choices=_keep_choices(pair))
        return _render_pair(request, pair, form)
    form = PairDecisionForm(request.POST, keep_choices=_keep_choices(pair))
    if not form.is_valid():
        return _render_pair(request, pair, form)
    at, version = timezone.now(), form.cleaned_data["version"]
    try:
        if form.cleaned_data["decision"] == NOT_SAME:
            duplicates.mark_not_same(pair, by=request.user, at=at, version=version)
            messages.success(request, "Recorded: these are different people")
        else:
            keep = pair.left if form.cleaned_data["decision"] == str(pair.left_id) else pair.right
            duplicates.merge(pair, keep=keep, by=request.user, at=at, version=version)
            messages.success(request, f"Merged into {keep.full_name} ({keep.local_id}). You can undo this below.")
    except DomainError as error:  # a stale form (ConcurrentChange) included: shown as the pair is now
        pair.refresh_from_db()
        return _render_pair(request, pair, form, status=add_refusal(form, error))
    return redirect("matching:pair", pk=pair.pk)


@require_POST
def undo_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    done = by_pk(Merge.objects.visible_to(request.user).select_related("pair", "kept", "merged"), pk)
    if done is None:
        raise Http404("No such merge")
    try:
        duplicates.unmerge(done, by=request.user, at=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Merge undone: {done.merged.full_name} ({done.merged.local_id}) is a separate record again"
        )
    return redirect("matching:pair", pk=done.pair_id)
