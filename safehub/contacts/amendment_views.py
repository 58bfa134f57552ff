"""'Amend this contact': choose what to change, then one page for each kind of amendment
(contacts.amendments). Every page reads the contact through the audited `get_contact_for`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.contacts import amendments, known, permissions
from safehub.contacts.amendment_forms import (
    ADD_REASON,
    CORRECT_REASON,
    ChangeForm,
    CorrectContactForm,
    InformationForm,
    PersonForm,
    RemovePersonForm,
)
from safehub.contacts.amendment_presenters import change_choices
from safehub.contacts.amendments import Amended
from safehub.contacts.models import AmendmentKind, Contact, ContactSubject, subject_name
from safehub.contacts.queries import get_contact_for
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest

K = AmendmentKind
PURPOSE = "amend-contact"


def _contact(request: AuthenticatedHttpRequest, pk: int) -> Contact:
    """The contact, if the user may see it (else 404) and their role ever amends contacts (else 403)."""
    contact = get_contact_for(request.user, pk, purpose=PURPOSE)
    if not permissions.can_amend_contact(request.user):
        raise PermissionDenied
    return contact


def _not_open(request: AuthenticatedHttpRequest, contact: Contact, kind: AmendmentKind) -> HttpResponse | None:
    """A page for a kind of amendment the contact's state does not allow: back to the choice, with why.
    (A form sent in that state is refused by the service, with the same words, in the error summary.)"""
    if request.method == "POST" or permissions.can_amend_contact(request.user, contact, kind):
        return None
    messages.info(request, permissions.why_not_amendable(contact, kind))
    return redirect("contacts:amend", pk=contact.pk)


def _sent(request: AuthenticatedHttpRequest) -> Any:
    """What was sent, even nothing at all (an empty form is still answered with its errors)."""
    return request.POST if request.method == "POST" else None


def _initial(contact: Contact, **values: Any) -> dict[str, Any]:
    return {"version": contact.version, "submission_key": uuid.uuid4(), **values}


def _saved(request: AuthenticatedHttpRequest, contact: Contact, done: Amended, what: str) -> HttpResponse:
    if not done.created:
        messages.info(request, "You had already recorded this amendment: nothing new was saved")
    elif done.amendment.after_decision:
        messages.success(request, f"Addendum recorded: {what}. The details the decision was made on are unchanged")
    else:
        messages.success(request, f"Contact amended: {what}")
    return redirect(contact)


def _page(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    form: forms.BaseForm,
    *,
    heading: str,
    button: str,
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "contact": contact,
        "form": form,
        "heading": heading,
        "button": button,
        "intro": intro,
        "addendum": known.is_addendum(contact),
    }
    return render(request, "contacts/amend_form.html", context, status=status)


def _submit(
    form: forms.BaseForm, amend: Callable[[dict[str, Any]], Amended], fields: Mapping[str, str] | None = None
) -> tuple[Amended | None, int]:
    """Call the service with the form's data; its refusal goes on the form. (done, status)"""
    try:
        return amend(form.cleaned_data), 200
    except DomainError as error:
        return None, add_refusal(form, error, fields=fields)


@require_http_methods(["GET", "POST"])
def amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What do you want to change? Only what the contact's state allows is offered."""
    contact = _contact(request, pk)
    people = known.people_now(contact)
    choices = change_choices(contact, people)
    form = ChangeForm(_sent(request), choices=[(c.value, c.label) for c in choices])
    if request.method == "POST" and form.is_valid():
        chosen = next(c for c in choices if c.value == form.cleaned_data["change"])
        return redirect(chosen.href)
    context = {
        "contact": contact,
        "form": form,
        "addendum": known.is_addendum(contact),
        "not_open": sorted(
            {
                permissions.why_not_amendable(contact, kind)
                for kind in K
                if kind not in permissions.amendable_kinds(contact)
            }
        ),
    }
    return render(request, "contacts/amend.html", context)


@require_http_methods(["GET", "POST"])
def add_person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if (elsewhere := _not_open(request, contact, K.PERSON_ADDED)) is not None:
        return elsewhere
    at = timezone.now()
    form = PersonForm(_sent(request), at=at, reason=ADD_REASON, initial=_initial(contact, role="sibling", kind="child"))
    status = 200
    if request.method == "POST" and form.is_valid():
        done, status = _submit(
            form,
            lambda data: amendments.add_person(
                contact,
                form.person(),
                reason=data["reason"],
                by=request.user,
                at=at,
                version=data["version"],
                submission_key=data["submission_key"],
            ),
        )
        if done is not None:
            person = form.person()
            name = subject_name(person["given_name"], person["family_name"], person["kind"])
            return _saved(request, contact, done, f"{name} added")
    intro = (
        "Record them as whoever told you about them described them. Screening then links them to the person index:"
        " until a child added is identified, the contact cannot be recommended."
    )
    if known.is_addendum(contact):
        intro = "The addendum records them; the people the decision was made about stay as they were."
    return _page(request, contact, form, heading="Add a person", button="Add the person", intro=intro, status=status)


def _subject(contact: Contact, subject_pk: int) -> ContactSubject:
    """One of the people on the contact now (a person removed, or on another contact, is not found)."""
    found = next((s for s in known.people_now(contact) if s.pk == subject_pk), None)
    if found is None:
        raise Http404("No such person on this contact")
    return found


@require_http_methods(["GET", "POST"])
def correct_person(request: AuthenticatedHttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if (elsewhere := _not_open(request, contact, K.DETAILS_CORRECTED)) is not None:
        return elsewhere
    subject = _subject(contact, subject_pk)
    at = timezone.now()
    initial = _initial(contact, **known.known_subject_values(subject))
    form = PersonForm(_sent(request), at=at, reason=CORRECT_REASON, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        done, status = _submit(
            form,
            lambda data: amendments.correct_person(
                contact,
                subject,
                form.person(),
                reason=data["reason"],
                by=request.user,
                at=at,
                version=data["version"],
                submission_key=data["submission_key"],
            ),
        )
        if done is not None:
            return _saved(request, contact, done, f"{subject.display_name}'s details corrected")
    return _page(
        request,
        contact,
        form,
        heading=f"Correct {subject.display_name}'s details",
        button="Save the correction",
        intro="Change what is wrong and leave the rest as it is. The details before and after are kept.",
        status=status,
    )


@require_http_methods(["GET", "POST"])
def correct_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if (elsewhere := _not_open(request, contact, K.DETAILS_CORRECTED)) is not None:
        return elsewhere
    at = timezone.now()
    form = CorrectContactForm(_sent(request), at=at, initial=_initial(contact, **known.known_contact_values(contact)))
    status = 200
    if request.method == "POST" and form.is_valid():
        done, status = _submit(
            form,
            lambda data: amendments.correct_contact(
                contact,
                form.corrected(),
                reason=data["reason"],
                by=request.user,
                at=at,
                version=data["version"],
                submission_key=data["submission_key"],
            ),
        )
        if done is not None:
            return _saved(request, contact, done, "details corrected")
    return _page(
        request,
        contact,
        form,
        heading="Correct the contact's details",
        button="Save the correction",
        intro=(
            "Change what is wrong and leave the rest as it is. When it arrived, immediate protection and the initial"
            " rating set the contact's clocks and are not changed here."
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def remove_person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if (elsewhere := _not_open(request, contact, K.PERSON_REMOVED)) is not None:
        return elsewhere
    form = RemovePersonForm(_sent(request), people=known.people_now(contact), initial=_initial(contact))
    status = 200
    if request.method == "POST" and form.is_valid():
        subject = form.cleaned_data["subject"]
        done, status = _submit(
            form,
            lambda data: amendments.remove_person(
                contact,
                subject,
                reason=data["reason"],
                by=request.user,
                at=timezone.now(),
                version=data["version"],
                submission_key=data["submission_key"],
            ),
        )
        if done is not None:
            return _saved(request, contact, done, f"{subject.display_name} removed")
    return _page(
        request,
        contact,
        form,
        heading="Remove a person",
        button="Remove the person",
        intro="Nobody is deleted: the contact keeps who was removed, when, by whom and why.",
        status=status,
    )


@require_http_methods(["GET", "POST"])
def add_information(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if (elsewhere := _not_open(request, contact, K.INFORMATION_ADDED)) is not None:
        return elsewhere
    form = InformationForm(_sent(request), initial=_initial(contact))
    status = 200
    if request.method == "POST" and form.is_valid():
        done, status = _submit(
            form,
            lambda data: amendments.add_information(
                contact,
                data["information"],
                source=data["source"],
                by=request.user,
                at=timezone.now(),
                version=data["version"],
                submission_key=data["submission_key"],
            ),
            fields={"reason": "source"},
        )
        if done is not None:
            return _saved(request, contact, done, "information added")
    return _page(request, contact, form, heading="Add information", button="Add the information", status=status)
