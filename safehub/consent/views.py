"""The consent pages: record an answer, assess a young person's competence, ask to share without consent,
and the managers' list and page where such a request is decided. Each reads the contact through its
audited door; the services hold the rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.models import Agency
from safehub.consent import pauses, permissions, presenters, services
from safehub.consent.forms import AnswerForm, AskForm, CompetenceForm, DecideForm, PauseForm, ResumeForm, WithdrawForm
from safehub.consent.models import ConsentOverride
from safehub.consent.queries import age_bands, get_override_for, waiting_overrides
from safehub.consent.workflow import OverrideState
from safehub.contacts.models import Contact
from safehub.contacts.queries import get_contact_for
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.presenters import shown_date
from safehub.protocols.policy import active_protocol

# A service's field names where the form's differ.
DECISION_FIELDS = {"owner_agreed_at": "owner_agreed_on"}


def _people(contact: Contact) -> list[tuple[int, str]]:
    return [(s.pk, f"{s.display_name} ({s.get_role_display().lower()})") for s in contact.subjects.all()]


def _key() -> dict[str, Any]:
    return {"submission_key": uuid.uuid4()}


@require_http_methods(["GET", "POST"])
def record_answer(request: AuthenticatedHttpRequest, contact_pk: int) -> HttpResponse:
    """Record one person's answer for one purpose: given or refused, who, when, how."""
    contact = get_contact_for(request.user, contact_pk, purpose="consent: record an answer")
    if not permissions.can_record_consent(request.user):
        raise PermissionDenied
    if request.method == "GET" and (closed := permissions.why_no_answers(contact)):
        messages.info(request, closed)
        return redirect(contact)
    status = 200
    people = _people(contact)
    form = AnswerForm(request.POST or None, people=people, initial=_key() | {"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        at = timezone.now()
        before = contact.consent_records.aggregate(last=Max("pk"))["last"] or 0
        try:
            made = services.record_consent(
                contact,
                form.answer_data(),
                by=request.user,
                at=at,
                submission_key=form.cleaned_data["submission_key"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            if made.pk <= before:  # the form sent again (Back, then Save): the answer it made before
                messages.info(request, "You had already recorded this answer: nothing new was saved")
            else:
                messages.success(request, "Consent recorded")
                typed = form.cleaned_data["giver_name"].strip()
                if made.is_own and typed and typed != made.giver_name:
                    # Who answered for themselves is the person (walk-through: the name typed vanished).
                    messages.info(
                        request, f"{made.giver_name} answered for themselves: the name '{typed}' was not kept"
                    )
            unheard = presenters.not_counted(contact, form.answer_data(), at=timezone.now())
            if unheard:
                messages.warning(request, unheard)
            return redirect(f"{contact.get_absolute_url()}#consent")
    return render(request, "consent/answer.html", {"contact": contact, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def assess_competence(request: AuthenticatedHttpRequest, contact_pk: int) -> HttpResponse:
    """Record whether a young person may answer for themselves (Gillick): four questions and why."""
    contact = get_contact_for(request.user, contact_pk, purpose="consent: competence assessment")
    if not permissions.can_assess_competence(request.user):
        raise PermissionDenied
    status = 200
    bands = active_protocol()
    form = CompetenceForm(
        request.POST or None,
        people=presenters.young_people(contact, on=timezone.localdate(), bands=age_bands(bands)),
        initial=_key() | {"assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.assess_competence(
                contact,
                form.assessment(),
                by=request.user,
                at=timezone.now(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            found = "competent to decide" if made.competent else "not competent to decide"
            messages.success(request, f"Assessment recorded: {made.subject.display_name} is {found}")
            return redirect(f"{contact.get_absolute_url()}#consent")
    context = {
        "contact": contact,
        "form": form,
        "self_age": bands.consent_self_age,
        "competence_age": bands.consent_competence_age,
    }
    return render(request, "consent/competence.html", context, status=status)


@require_http_methods(["GET", "POST"])
def ask_override(request: AuthenticatedHttpRequest, contact_pk: int) -> HttpResponse:
    """Ask to share without consent, for everyone on the contact who has not consented."""
    contact = get_contact_for(request.user, contact_pk, purpose="consent: ask to share without consent")
    if not permissions.can_ask_override(request.user):
        raise PermissionDenied
    status = 200
    form = AskForm(request.POST or None, initial=_key())
    if request.method == "POST" and form.is_valid():
        try:
            made = services.ask_override(
                contact,
                form.cleaned_data["purpose"],
                form.cleaned_data["reason"],
                by=request.user,
                at=timezone.now(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, "Asked: a manager who did not ask decides whether to share without consent")
            return redirect("consent:override", pk=made.pk)
    context = {"contact": contact, "form": form, "missing": presenters.missing(contact, at=timezone.now())}
    return render(request, "consent/ask.html", context, status=status)


@require_GET
def overrides(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The requests to share without consent waiting for a manager's decision."""
    if not permissions.can_ask_override(request.user):
        raise PermissionDenied
    rows = presenters.override_rows(waiting_overrides(request.user))
    return render(request, "consent/overrides.html", {"rows": rows})


def _agencies() -> list[tuple[int, str]]:
    return [(agency.pk, agency.name) for agency in Agency.objects.filter(is_host=False).order_by("name")]


def _override_page(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    override: ConsentOverride,
    *,
    decide: DecideForm | None = None,
    withdraw: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    protocol = active_protocol()
    waiting = override.state == OverrideState.ASKED
    initial = {"version": override.version}
    context = {
        "contact": contact,
        "override": presenters.override_summary(override),
        "can_decide": waiting and permissions.can_decide_override(request.user, override, protocol),
        "asked_it": waiting and override.asked_by_id == request.user.pk,
        "needs_owner": protocol.override_needs_owner_agreement,
        "decide": decide or DecideForm(owners=_agencies(), initial=initial, prefix="decide"),
        "withdraw": withdraw or WithdrawForm(initial=initial, prefix="withdraw"),
    }
    return render(request, "consent/override.html", context, status=status)


@require_GET
def override(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact, found = get_override_for(request.user, pk, purpose="consent: request to share without consent")
    return _override_page(request, contact, found)


@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact, found = get_override_for(request.user, pk, purpose="consent: decide a request to share without consent")
    form = DecideForm(request.POST, owners=_agencies(), prefix="decide")
    if not form.is_valid():
        return _override_page(request, contact, found, decide=form)
    try:
        services.decide_override(
            found, form.decision_data(), by=request.user, at=timezone.now(), version=form.cleaned_data["version"]
        )
    except DomainError as error:
        status = add_refusal(form, error, fields=DECISION_FIELDS)
        found.refresh_from_db()
        if found.state != OverrideState.ASKED:  # someone decided it first: theirs stands, shown with why
            status = HTTPStatus.CONFLICT
        return _override_page(request, contact, found, decide=form, status=status)
    agreed = form.cleaned_data["decision"] == "agree"
    messages.success(request, "Agreed: shared without consent" if agreed else "Declined")
    return redirect("consent:override", pk=found.pk)


@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact, found = get_override_for(request.user, pk, purpose="consent: withdraw a request to share without consent")
    form = WithdrawForm(request.POST, prefix="withdraw")
    if not form.is_valid():
        return _override_page(request, contact, found, withdraw=form)
    try:
        services.withdraw_override(
            found,
            by=request.user,
            at=timezone.now(),
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        status = add_refusal(form, error)
        found.refresh_from_db()
        if found.state != OverrideState.ASKED:
            status = HTTPStatus.CONFLICT
        return _override_page(request, contact, found, withdraw=form, status=status)
    messages.success(request, "Request withdrawn")
    return redirect("consent:override", pk=found.pk)


def _waiting_step(
    request: AuthenticatedHttpRequest,
    contact_pk: int,
    *,
    purpose: str,
    form_class: type[PauseForm] | type[ResumeForm],
    step: Callable[[Contact, dict[str, Any]], str],
    template: str,
) -> HttpResponse:
    """A page that pauses a contact for consent or resumes it: its form, the service `step` (which
    returns what the page then says), and the contact page after it."""
    contact = get_contact_for(request.user, contact_pk, purpose=purpose)
    if not permissions.can_pause_for_consent(request.user):
        raise PermissionDenied
    form = form_class(request.POST or None, initial={"version": contact.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            said = step(contact, form.cleaned_data)
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, said)
            return redirect("contacts:contact", pk=contact.pk)
    context = {"contact": contact, "form": form, "why_not": pauses.why_not_pause(contact)}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def pause(request: AuthenticatedHttpRequest, contact_pk: int) -> HttpResponse:
    """Ask the professional referrer to discuss the request with the family first (002 §19)."""

    def step(contact: Contact, data: dict[str, Any]) -> str:
        pauses.pause_for_consent(
            contact, asked=data["asked"], by=request.user, at=timezone.now(), version=data["version"]
        )
        due = shown_date(contact.current_due_at) if contact.current_due_at else ""
        return f"Waiting for consent: the referrer is due to come back by {due}"

    return _waiting_step(
        request, contact_pk, purpose="consent: wait for consent", form_class=PauseForm, step=step,
        template="consent/pause.html",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def resume(request: AuthenticatedHttpRequest, contact_pk: int) -> HttpResponse:
    """The referrer came back about consent, or the worker goes on: back to the threshold decision."""

    def step(contact: Contact, data: dict[str, Any]) -> str:
        pauses.resume_after_consent(
            contact,
            outcome=pauses.Resumed(data["outcome"]),
            note=data["note"],
            by=request.user,
            at=timezone.now(),
            version=data["version"],
        )
        return "Resumed: the contact is waiting for its threshold decision again"

    return _waiting_step(
        request, contact_pk, purpose="consent: resume after waiting for consent", form_class=ResumeForm,
        step=step, template="consent/resume.html",
    )  # fmt: skip
