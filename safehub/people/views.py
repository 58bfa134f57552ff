from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.consent.presenters import shared_without_consent
from safehub.consent.queries import overrides_about
from safehub.core import searches
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest, query_without
from safehub.core.import_pages import import_page
from safehub.decisions.queries import contacts_about
from safehub.matching.features import PersonDetails
from safehub.matching.importers import involvements_said
from safehub.matching.presenters import candidate_views
from safehub.matching.search import search as search_people
from safehub.people import permissions, presenters, services
from safehub.people.forms import EndInvolvementForm, InvolvementForm, PersonSearchForm, WarningsForm
from safehub.people.identifiers import is_valid_postcode
from safehub.people.models import CSC_SERVICES, Person, PersonKind
from safehub.people.queries import PersonCriteria, find_people, get_person_for, merged_into_for
from safehub.strategy.permissions import can_start_strategy


def _require_case_role(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_search_people(request.user):
        raise Http404("No such page")


PAGE_SIZE = 25
SEARCH_PAGE = "people"


def _details(criteria: PersonCriteria) -> PersonDetails:
    return PersonDetails(
        given_name=criteria.given_name,
        family_name=criteria.family_name,
        date_of_birth=criteria.date_of_birth,
        sex=criteria.sex,
        address=criteria.address,
        postcode=criteria.postcode if is_valid_postcode(criteria.postcode) else "",  # not an area alone
        nhs_number=criteria.nhs_number,
        parent_given_names=tuple(filter(None, [criteria.parent_given_name])),
    )


@require_http_methods(["GET", "POST"])
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a person by what the team knows. A first and a last name, a name with a date of birth,
    or an NHS number gives the screening search's ranked, explained candidates; anything less (a
    surname, a postcode, an address) the people who have exactly that, in name order, a page at a
    time. What was typed is posted and kept on the server (core.searches): the results' address
    holds only the search's id, never a child's details."""
    _require_case_role(request)
    if request.method == "POST":
        form = PersonSearchForm(request.POST)
        if form.is_valid():
            key = searches.keep_search(request, form, page=SEARCH_PAGE)
            return redirect(searches.results_address(request.path, key))
        return render(request, "people/search.html", {"form": form})
    typed = searches.kept_search(request, page=SEARCH_PAGE)
    form = PersonSearchForm(typed)
    context: dict[str, object] = {"form": form, "forgotten": typed is None and searches.names_a_search(request)}
    if form.is_bound and form.is_valid():
        criteria = form.criteria()
        within = Person.objects.visible_to(request.user)
        if criteria.is_identifying:
            candidates = candidate_views(search_people(_details(criteria), within=within))
            found, kind = len(candidates), "likely"
            context["results"] = candidates
        else:
            page = Paginator(find_people(criteria, within=within), PAGE_SIZE).get_page(request.GET.get("page"))
            found, kind = page.paginator.count, "exact"
            context.update(
                page=page,
                people=presenters.found_people(page.object_list),
                people_found=presenters.people_found(found),
                query=query_without(request),
            )
        with transaction.atomic():
            data = {"results": found, "search": kind, "fields": criteria.used()}
            record(Verb.PERSON_SEARCHED, by=request.user, data=data)
    return render(request, "people/search.html", context)


def _merged_away(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | None:
    """The address of a record merged into another sends the user on to the record it lives on,
    saying so, if they may see that one (a read of the merged record, recorded here: a redirect
    records no read of its own); otherwise None, and the page answers 404 as for any record."""
    found = merged_into_for(request.user, pk)
    if found is None:
        return None
    merged, survivor = found
    with transaction.atomic():
        record(
            Verb.MERGED_PERSON_FOLLOWED,
            by=request.user,
            person=merged,
            data={"page": "person", "merged": merged.pk, "survivor": survivor.pk},
        )
    messages.info(
        request,
        f"The record {merged.local_id} ({merged.full_name}) was merged into this one."
        " Everything it held is shown here; use this page's address from now on.",
    )
    return redirect("people:person", pk=survivor.pk)


@require_GET
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sent_on = _merged_away(request, pk)
    if sent_on is not None:
        return sent_on
    person = get_person_for(request.user, pk, purpose="person")
    today = timezone.localdate()
    return render(
        request,
        "people/person.html",
        {
            "person": person,
            "age": presenters.age(person, today=today),
            "flags": presenters.flags(person),
            "relatives": presenters.relatives(person),
            "involvements": [(i, presenters.worker_and_team(i)) for i in person.involvements.all()],
            "chronology": presenters.chronology(contacts_about(request.user, person.pk)),
            "shared_without_consent": shared_without_consent(overrides_about(request.user, person.pk)),
            "can_record_involvement": permissions.can_record_involvement(request.user, person),
            "can_record_warnings": permissions.can_record_warnings(request.user, person),
            # A child already open to children's social care (000): a manager starts a discussion here.
            "can_start_strategy": can_start_strategy(request.user)
            and person.kind != PersonKind.ADULT
            and any(i.is_open and i.service in CSC_SERVICES for i in person.involvements.all()),
        },
    )


@require_http_methods(["GET", "POST"])
def record_warnings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record that a child is missing, or a warning for workers' safety, or clear either."""
    person = get_person_for(request.user, pk, purpose="record-warnings")
    if not permissions.can_record_warnings(request.user, person):
        raise PermissionDenied
    at = timezone.now()
    initial = {
        "missing_since": person.missing_since,
        "worker_safety_warning": person.worker_safety_warning,
        "version": person.version,
    }
    form = WarningsForm(request.POST or None, initial=initial, today=timezone.localdate(at))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_warnings(
                person,
                missing_since=data["missing_since"],
                worker_safety_warning=data["worker_safety_warning"],
                by=request.user,
                at=at,
                version=data["version"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, "Warnings saved")
            return redirect("people:person", pk=person.pk)
    return render(request, "people/warnings.html", {"person": person, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def add_involvement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, purpose="add-involvement")
    if not permissions.can_record_involvement(request.user, person):
        raise PermissionDenied
    at = timezone.now()
    form = InvolvementForm(request.POST or None, today=at.date())
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.record_involvement(person, **form.cleaned_data, by=request.user, at=at)
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, "Involvement recorded")
            return redirect("people:person", pk=person.pk)
    return render(request, "people/add_involvement.html", {"person": person, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def end_involvement(request: AuthenticatedHttpRequest, pk: int, involvement_pk: int) -> HttpResponse:
    """Record by hand that a service has ended (the case system's import does it in bulk)."""
    person = get_person_for(request.user, pk, purpose="end-involvement")
    if not permissions.can_record_involvement(request.user, person):
        raise PermissionDenied
    involvement = get_object_or_404(person.involvements, pk=involvement_pk)
    if not involvement.is_open:
        messages.info(request, f"{involvement.get_service_display()} had already ended")
        return redirect("people:person", pk=person.pk)
    form = EndInvolvementForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.end_involvement(
                involvement, ended_on=form.cleaned_data["ended_on"], by=request.user, at=timezone.now()
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, f"{involvement.get_service_display()}: end recorded")
            return redirect("people:person", pk=person.pk)
    context = {
        "person": person,
        "involvement": involvement,
        "form": form,
        "open_since": presenters.open_since(involvement),
    }
    return render(request, "people/end_involvement.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_involvements_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_import_involvements(request.user):
        raise PermissionDenied
    return import_page(
        request, involvements_said, template="people/import_involvements.html", again="people:import-involvements"
    )
