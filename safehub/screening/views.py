from __future__ import annotations

from typing import Protocol

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.contacts.forms import RatingForm
from safehub.contacts.models import Contact
from safehub.contacts.permissions import can_rate
from safehub.contacts.queries import get_contact_for
from safehub.contacts.services import rate_contact, start_screening
from safehub.contacts.workflow import ContactState
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.core.forms import VersionForm, add_refusal, choice_field
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.ids import parse_id
from safehub.people.models import Person
from safehub.screening import permissions, services
from safehub.screening.forms import IdentifyForm, RouteForm
from safehub.screening.models import ScreeningRoute
from safehub.screening.presenters import (
    NEW_PERSON,
    already_screened,
    family_history,
    family_signals,
    prefix_for,
    subject_anchor,
    subject_checks,
    worker_note,
)


def _page(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    *,
    route_form: RouteForm | None = None,
    identify_form: IdentifyForm | None = None,
    rating_form: RatingForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    at = timezone.now()
    if rating_form is None and can_rate(request.user, contact):
        rating_form = RatingForm(initial={"version": contact.version, "initial_rating": contact.initial_rating})
    subjects = list(contact.subjects.select_related("person").order_by("order"))
    index = Person.objects.visible_to(request.user)
    finding = services.finding_for(contact, at=at) if contact.state == ContactState.SCREENING else None
    if route_form is None and finding is not None:
        route_form = RouteForm(initial={"version": contact.version}, routes=finding.allowed_routes)
    family = family_history(contact, user=request.user, at=at) if finding is not None else []
    context = {
        "contact": contact,
        "checks": subject_checks(subjects, index=index, version=contact.version, bound=identify_form),
        "finding": finding,
        "worker_note": worker_note(finding) if finding is not None else "",
        # Until every child is linked, what the records show is not known yet: say so, not "Not known".
        "unlinked": [s.display_name for s in subjects if s.is_child and s.person_id is None],
        "route_form": route_form,
        "error": error,
        "start_form": VersionForm(initial={"version": contact.version}),
        "rating_form": rating_form,
        "family": family,
        "signals": family_signals(family),
    }
    return render(request, "screening/screen_contact.html", context, status=status)


@require_http_methods(["GET", "POST"])
def screen_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for(request.user, pk, purpose="screening")
    if not permissions.can_screen(request.user, contact):
        if permissions.can_screen(request.user):
            # Screened by someone else (or in another tab) while this page was open: say what they did.
            why = already_screened(contact, request.user)
            if request.method == "POST":
                messages.error(request, f"{why}. Nothing you entered was saved.")
            else:
                messages.info(request, f"{why}.")
            return redirect(contact)
        raise PermissionDenied
    if request.method == "GET":
        return _page(request, contact)

    at = timezone.now()
    action = request.POST.get("action")
    try:
        if action == "start":
            form = VersionForm(request.POST)
            if not form.is_valid() or form.cleaned_data["version"] != contact.version:
                raise ConcurrentChange()
            start_screening(contact, by=request.user, at=at)
            return redirect("screening:screen-contact", pk=contact.pk)
        if action == "identify":
            return _identify(request, contact, page=_page, back="screening:screen-contact")
        if action == "rate":
            return _rate(request, contact)
        if action == "route":
            return _route(request, contact, at)
    except ConcurrentChange as error:
        contact.refresh_from_db()
        return _page(request, contact, error=error.message, status=409)
    except DomainError as error:
        return _page(request, contact, error=error.message)
    return _page(request, contact, error="Choose an action on this page")


class Page(Protocol):
    def __call__(
        self,
        request: AuthenticatedHttpRequest,
        contact: Contact,
        *,
        identify_form: IdentifyForm | None = ...,
        error: str = ...,
        status: int = ...,
    ) -> HttpResponse: ...


def _identify(request: AuthenticatedHttpRequest, contact: Contact, *, page: Page, back: str) -> HttpResponse:
    """Link one of the contact's people to the person index (or create a new record), then back to
    `back`, on the block just worked on; a problem shows on `page`."""
    subject_pk = parse_id(request.POST.get("subject_pk"))
    subject = contact.subjects.filter(pk=subject_pk).first() if subject_pk is not None else None
    if subject is None:
        return page(request, contact, error="That person is not part of this contact")
    if subject.person_id is not None:  # linked by someone else (or in another tab) since the page was loaded
        contact.refresh_from_db()
        return page(
            request,
            contact,
            error=f"{subject.display_name} was linked to a person record while this page was open: check the link, "
            "and change it only if it is wrong",
            status=409,
        )
    subjects = list(contact.subjects.order_by("order"))
    checks = subject_checks(subjects, index=Person.objects.visible_to(request.user), version=contact.version)
    check = next(c for c in checks if c.subject.pk == subject.pk)
    choices = check.form.fields["person"].widget.choices if check.form else []
    offered = check.form is not None and "confirm_unlikely" in check.form.fields
    form = IdentifyForm(request.POST, choices=list(choices), prefix=prefix_for(subject), unlikely=offered)
    if not form.is_valid():
        return page(request, contact, identify_form=form)
    chosen = form.cleaned_data["person"]
    shown = {str(v.person.pk): v.probability for v in check.candidates}
    person = None if chosen == NEW_PERSON else Person.objects.visible_to(request.user).get(pk=int(chosen))
    try:
        services.identify_subject(
            subject,
            person=person,
            by=request.user,
            at=timezone.now(),
            version=form.cleaned_data["version"],
            match_probability=shown.get(chosen),
            candidates_shown=len(shown),
            unlikely_confirmed=form.cleaned_data.get("confirm_unlikely", False),
        )
    except services.UnlikelyMatch as error:
        form.add_error("person", error.message)
        return page(request, contact, identify_form=form)
    messages.success(request, f"{subject.display_name} linked to a person record")
    # Back to the block just worked on (init.mjs focuses it), not the top of a long page.
    return redirect(f"{reverse(back, args=[contact.pk])}#{subject_anchor(subject)}")


def _rate(request: AuthenticatedHttpRequest, contact: Contact) -> HttpResponse:
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _page(request, contact, rating_form=form)
    try:
        rate_contact(
            contact,
            rating=form.cleaned_data["initial_rating"],
            by=request.user,
            at=timezone.now(),
            version=form.cleaned_data["version"],
        )
    except ConcurrentChange:
        raise
    except DomainError as error:
        add_refusal(form, error)
        return _page(request, contact, rating_form=form)
    label = contact.get_initial_rating_display() if contact.initial_rating else "not rated"
    messages.success(request, f"Initial rating saved: {label}")
    return redirect(f"{reverse('screening:screen-contact', args=[contact.pk])}#initial-rating")


def _route(request: AuthenticatedHttpRequest, contact: Contact, at: object) -> HttpResponse:
    finding = services.finding_for(contact, at=timezone.now())
    form = RouteForm(
        request.POST, routes=finding.allowed_routes + [r for r in ScreeningRoute if r not in finding.allowed_routes]
    )
    if not form.is_valid():
        return _page(request, contact, route_form=form)
    try:
        services.record_screening(
            contact,
            route=ScreeningRoute(form.cleaned_data["route"]),
            signposted_to=form.cleaned_data.get("signposted_to", ""),
            notes=form.cleaned_data["notes"],
            by=request.user,
            at=timezone.now(),
            version=form.cleaned_data["version"],
        )
    except ConcurrentChange:
        raise
    except DomainError as error:
        add_refusal(form, error)
        choice_field(form.fields["route"]).choices = [(r.value, r.label) for r in finding.allowed_routes]
        return _page(request, contact, route_form=form)
    messages.success(request, "Screening recorded")
    return redirect(contact)


def _added_page(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    *,
    identify_form: IdentifyForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    at = timezone.now()
    subjects = list(contact.subjects.select_related("person").order_by("order"))
    index = Person.objects.visible_to(request.user)
    finding = services.finding_for(contact, at=at)
    screening = getattr(contact, "screening", None)
    context = {
        "contact": contact,
        "checks": subject_checks(subjects, index=index, version=contact.version, bound=identify_form),
        "unidentified": services.added_children_unidentified(contact),
        "finding": finding,
        "worker_note": worker_note(finding),
        "changed": screening is not None and screening.known_status != finding.status,
        "screening": screening,
        "error": error,
        "family": family_history(contact, user=request.user, at=at),
    }
    return render(request, "screening/identify_people.html", context, status=status)


@require_http_methods(["GET", "POST"])
def identify_people(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """After screening: link the people added to the contact since (contacts.amendments) to the
    person index, as screening did the others, with what the records now show about the family."""
    contact = get_contact_for(request.user, pk, purpose="identify-people")
    if not permissions.can_identify(request.user):
        raise PermissionDenied
    if permissions.can_screen(request.user, contact):
        return redirect("screening:screen-contact", pk=contact.pk)  # the screening page identifies everyone
    if not permissions.can_identify(request.user, contact):
        messages.info(
            request, "People added after screening are identified while the contact waits for its threshold decision."
        )
        return redirect(contact)
    if request.method == "GET":
        return _added_page(request, contact)
    try:
        return _identify(request, contact, page=_added_page, back="screening:identify-people")
    except ConcurrentChange as error:
        contact.refresh_from_db()
        return _added_page(request, contact, error=error.message, status=409)
    except DomainError as error:
        return _added_page(request, contact, error=error.message)
