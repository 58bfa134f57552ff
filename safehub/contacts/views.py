from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.accounts.models import CASE_ROLES, Team, User, case_staff, front_door_staff, qualified_staff
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts import permissions, restrictions, services
from safehub.contacts.forms import (
    MAX_PEOPLE,
    RECEIVED_FIELD,
    TOO_MANY_PEOPLE,
    AllocationForm,
    ContactForm,
    ContactSearchForm,
    RestrictionForm,
    SubjectFormSet,
)
from safehub.contacts.models import Contact
from safehub.contacts.presenters import contacts_found, found_contacts, restriction_labels
from safehub.contacts.queries import ContactQuery, find_contacts, get_contact_for, person_added_after_the_decision
from safehub.contacts.rules import people_problems
from safehub.contacts.workflow import ContactState
from safehub.core import searches
from safehub.core.errors import DomainError, Refused
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest, query_without
from safehub.core.ids import parse_id, parse_index

PREFIX = "person"
PAGE_SIZE = 25
SEARCH_PAGE = "contacts"


def _case_team(request: AuthenticatedHttpRequest) -> Team:
    membership = request.user.memberships.filter(role__in=CASE_ROLES).select_related("team").first()
    if membership is None:
        raise PermissionDenied
    return membership.team


def _show_people_problems(contact_form: ContactForm, formset: Any, *, at: Any) -> None:
    """With other problems on the page, the service's rules about the people together (a child
    among them, born by the contact's date) are shown too, so nothing comes up one submit later."""
    fields = getattr(contact_form, "cleaned_data", {})
    subjects = [getattr(form, "cleaned_data", {}) for form in formset.forms]
    problems = [p for p in people_problems(fields, subjects, at=at) if p.field not in contact_form.errors]
    if problems:
        add_refusal(contact_form, Refused(problems), fields=RECEIVED_FIELD)


def _typed_values(form: Any) -> dict[str, Any]:
    """What the user typed, without validating it (for 'add another person')."""
    return {name: form[name].value() for name in form.fields}


def _rebuilt(request: AuthenticatedHttpRequest, at: Any) -> tuple[ContactForm, Any] | None:
    """Handle 'Add another person' and 'Remove': re-render with what was typed, save nothing, and
    put the user back where they were working: on the person added, or on the one that now takes
    the removed person's place (the browser scrolls to the field it focuses)."""
    post = request.POST
    removing = next((key for key in post if key.startswith("remove-person-")), None)
    if "add-person" not in post and removing is None:
        return None
    bound_contact = ContactForm(post, at=at)
    bound_people = SubjectFormSet(post, prefix=PREFIX, form_kwargs={"at": at})
    people = [_typed_values(form) for form in bound_people.forms]
    if removing is not None:
        index = parse_index(removing.rsplit("-", 1)[1], below=len(people))
        if index is not None and len(people) > 1:
            del people[index]
        focus = min(index or 0, len(people) - 1)
    elif len(people) >= MAX_PEOPLE:
        messages.error(request, f"{TOO_MANY_PEOPLE}: nobody more was added")
        focus = len(people) - 1
    else:
        people.append({"role": "", "kind": ""})
        focus = len(people) - 1
    contact_form = ContactForm(initial=_typed_values(bound_contact), at=at)
    formset = SubjectFormSet(initial=people, prefix=PREFIX, form_kwargs={"at": at})
    formset.extra = 0
    formset.forms[focus].fields["role"].widget.attrs["autofocus"] = True
    return contact_form, formset


def _person_added_later(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    """A new contact about a child added to a decided contact as an addendum starts with the child
    as the addendum recorded them (the addenda panel's link: ?from_contact=<pk>&person_added=<pk>)."""
    contact_pk, amendment_pk = request.GET.get("from_contact", ""), request.GET.get("person_added", "")
    contact, amendment = parse_id(contact_pk), parse_id(amendment_pk)
    if contact is None or amendment is None:
        return None
    return person_added_after_the_decision(request.user, contact, amendment)


@require_http_methods(["GET", "POST"])
def record_contact(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_record_contact(request.user):
        raise PermissionDenied
    at = timezone.now()
    if request.method == "GET":
        contact_form = ContactForm(initial={"submission_key": uuid.uuid4()}, at=at)
        person = _person_added_later(request) or {"kind": "child"}
        formset = SubjectFormSet(prefix=PREFIX, initial=[{**person, "role": "child"}], form_kwargs={"at": at})
        return render(request, "contacts/record_contact.html", {"form": contact_form, "formset": formset})

    rebuilt = _rebuilt(request, at)
    if rebuilt is not None:
        contact_form, formset = rebuilt
        return render(request, "contacts/record_contact.html", {"form": contact_form, "formset": formset})

    contact_form = ContactForm(request.POST, at=at)
    formset = SubjectFormSet(request.POST, prefix=PREFIX, form_kwargs={"at": at})
    if not (contact_form.is_valid() & formset.is_valid()):  # both validated, so every problem shows at once
        _show_people_problems(contact_form, formset, at=at)
    else:
        details = services.ContactDetails(contact_form.contact_fields(), [form.cleaned_data for form in formset.forms])
        key = contact_form.cleaned_data["submission_key"]
        earlier = services.already_recorded(details, by=request.user, at=at, submission_key=key)
        if earlier is not None:
            messages.info(
                request, f"You had already recorded this contact as {earlier.reference}: nothing new was saved"
            )
            return redirect(earlier)
        try:
            contact = services.record_contact(
                details, team=_case_team(request), by=request.user, at=at, submission_key=key
            )
        except DomainError as error:
            add_refusal(contact_form, error, fields=RECEIVED_FIELD, items=formset.forms)
        else:
            messages.success(request, f"Contact {contact.reference} recorded")
            return redirect(contact)
    return render(request, "contacts/record_contact.html", {"form": contact_form, "formset": formset}, status=200)


@require_http_methods(["GET", "POST"])
def restrict(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A manager restricts the contact to named people, changes who they are, or lifts it."""
    contact = get_contact_for(request.user, pk, purpose="restrict-contact")
    if not permissions.can_restrict(request.user, contact):
        raise PermissionDenied
    named = list(User.objects.filter(contact_restrictions__contact=contact).order_by("last_name", "first_name"))
    staff = User.objects.filter(
        Q(pk__in=case_staff(team=contact.team).values("pk")) | Q(pk__in=[user.pk for user in named])
    ).order_by("last_name", "first_name")
    initial = {"version": contact.version, "people": named, "reason": contact.restriction_reason}
    form = RestrictionForm(request.POST or None, initial=initial, staff=staff)
    status = 200
    if request.method == "POST" and form.is_valid():
        data, at = form.cleaned_data, timezone.now()
        try:
            if request.POST.get("action") == "lift":
                restrictions.lift_restriction(contact, by=request.user, at=at, version=data["version"])
                message = "Restriction lifted: the contact's team can see it again"
            else:
                people = restrictions.restrict_contact(
                    contact,
                    people=data["people"],
                    reason=data["reason"],
                    by=request.user,
                    at=at,
                    version=data["version"],
                )
                message = f"Contact restricted: only {', '.join(map(str, people))} can see it"
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, message)
            return redirect(contact)
    # Who has worked on it (moved it on): restricting without them takes it off their queues.
    workers = User.objects.filter(pk__in=contact.state_changes.values("by")).exclude(pk=request.user.pk)
    working_on_it = [user for user in workers.order_by("last_name", "first_name") if user not in named]
    context = {
        "contact": contact,
        "form": form,
        "named": named,
        "labels": restriction_labels(contact),
        "working_on_it": working_on_it,
    }
    return render(request, "contacts/restrict.html", context, status=status)


def _allocatable_staff(contact: Contact) -> QuerySet[User]:
    """Who the contact can go to now: the team's front door staff, or its social workers for a
    threshold decision (contacts.services.allocation_problems)."""
    if contact.state == ContactState.AWAITING_THRESHOLD:
        return qualified_staff(team=contact.team).order_by("last_name", "first_name")
    return front_door_staff(team_ids=[contact.team_id])


@require_http_methods(["GET", "POST"])
def allocate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A manager allocates a contact waiting for screening or a threshold decision to a worker."""
    contact = get_contact_for(request.user, pk, purpose="allocate-contact")
    if not permissions.can_allocate(request.user, contact):
        raise PermissionDenied
    initial = {"version": contact.version, "worker": contact.allocated_to_id}
    form = AllocationForm(request.POST or None, initial=initial, staff=_allocatable_staff(contact))
    status = 200
    if request.method == "POST" and form.is_valid():
        worker = form.cleaned_data["worker"]
        try:
            services.allocate(
                contact, worker=worker, by=request.user, at=timezone.now(), version=form.cleaned_data["version"]
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, f"Contact allocated to {worker.get_full_name() or worker}")
            return redirect(contact)
    return render(request, "contacts/allocate.html", {"contact": contact, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def find_contact(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a contact by its reference, someone on it, its referrer or an address, among the
    contacts the user may see, newest first. The list is one search in the audit trail, not a read
    of each contact: opening one records its read. What was typed is posted and kept on the server
    (core.searches): the results' address holds only the search's id, never a name."""
    if not permissions.can_find_contacts(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ContactSearchForm(request.POST)
        if form.is_valid():
            key = searches.keep_search(request, form, page=SEARCH_PAGE)
            return redirect(searches.results_address(request.path, key))
        return render(request, "contacts/find_contact.html", {"form": form})
    typed = searches.kept_search(request, page=SEARCH_PAGE)
    form = ContactSearchForm(typed)
    context: dict[str, object] = {"form": form, "forgotten": typed is None and searches.names_a_search(request)}
    if form.is_bound and form.is_valid():
        query: ContactQuery = form.cleaned_data["q"]
        page = Paginator(find_contacts(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            contacts=found_contacts(page.object_list),
            contacts_found=contacts_found(page.paginator.count),
            query=query_without(request),
        )
        with transaction.atomic():
            data = {"results": page.paginator.count, "search": query.kind}
            record(Verb.CONTACTS_SEARCHED, by=request.user, data=data)
    return render(request, "contacts/find_contact.html", context)
