from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehub.accounts.models import CASE_ROLES
from safehub.audit.models import Verb
from safehub.audit.services import record, record_view
from safehub.contacts.models import Contact
from safehub.core.http import AuthenticatedHttpRequest
from safehub.people import presenters
from safehub.people.forms import PersonSearchForm
from safehub.people.models import Person
from safehub.people.queries import PersonQuery, find_candidates, get_person_for


def _require_case_role(request: AuthenticatedHttpRequest) -> None:
    if not request.user.has_role(*CASE_ROLES):
        raise Http404("No such page")


@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_case_role(request)
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = PersonQuery(data["given_name"], data["family_name"], data["date_of_birth"], data["nhs_number"])
        results = find_candidates(
            query, within=Person.objects.visible_to(request.user).prefetch_related("involvements")
        )
        with transaction.atomic():
            record(Verb.PERSON_SEARCHED, by=request.user, data={"results": len(results)})
    return render(request, "people/search.html", {"form": form, "results": results})


@require_GET
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk)
    with transaction.atomic():
        record_view(request.user, person=person, page="person")
    contacts = (
        Contact.objects.visible_to(request.user)
        .filter(subjects__person=person)
        .prefetch_related("decisions")
        .distinct()
        .order_by("-received_at")
    )
    return render(
        request,
        "people/person.html",
        {
            "person": person,
            "nhs_number": presenters.format_nhs_number(person.nhs_number),
            "relatives": presenters.relatives(person),
            "contacts": contacts,
        },
    )
