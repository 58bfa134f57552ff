from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.accounts.permissions import can_make_threshold_decisions
from safehub.checks.forms import AskForChecksForm
from safehub.checks.permissions import can_ask_for_checks
from safehub.checks.presenters import ask_for_checks, checks_shown
from safehub.checks.queries import checks_on
from safehub.checks.services import ask_for_checks as ask_checks
from safehub.consent.models import ConsentPurpose
from safehub.consent.queries import sharing_position
from safehub.contacts.models import Contact
from safehub.contacts.presenters import concern_labels
from safehub.contacts.queries import get_contact_for
from safehub.contacts.workflow import ContactState
from safehub.core.errors import DomainError
from safehub.core.forms import GovukForm, add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.presenters import lower_first
from safehub.decisions import criteria as early_help
from safehub.decisions import permissions, services
from safehub.decisions.forms import ApprovalForm, OutcomeActionForm, RecommendationForm
from safehub.decisions.presenters import (
    action_summary,
    children_named,
    recommendation_layout,
    recommended_children,
    recommended_rows,
    returned,
    service_groups,
    why_not_open,
)
from safehub.decisions.queries import child_outcomes, latest_recommendation
from safehub.protocols.policy import active_protocol


def _guard(
    request: AuthenticatedHttpRequest, pk: int, allowed: Callable[..., bool], *, purpose: str
) -> Contact | HttpResponse:
    """404 if not visible; 403 if the role can never do this; back to the contact if the state is wrong."""
    contact = get_contact_for(request.user, pk, purpose=purpose)
    if allowed(request.user, contact):
        return contact
    if not allowed(request.user):
        raise PermissionDenied
    why = why_not_open(purpose, request.user, contact)
    if why:
        # What stops it, in words the user can act on (four eyes; a colleague got there first).
        if request.method == "POST":
            messages.error(request, f"{why}: nothing was saved")
        else:
            messages.info(request, f"{why}.")
    elif request.method == "POST":
        # Someone else moved the contact on while this form was open (another manager approved it, say).
        messages.error(
            request,
            f"Nothing was saved: this contact was changed by someone else and is now '{ContactState(contact.state).label}'."
            " Read what was recorded below.",
        )
    else:
        messages.info(request, "That step is not open for this contact now.")
    return redirect(contact)


def _render(
    request: AuthenticatedHttpRequest, template: str, contact: Contact, form: GovukForm, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "contact": contact,
        "form": form,
        "concerns": concern_labels(contact.concern_categories),
        "children": children_named(contact),
        # Beside the form: the agencies' answers and the coordinator's analysis (decisions/_checks_beside.html).
        "checks_beside": [
            checks_shown(checks, at=timezone.now(), viewer=request.user) for checks in checks_on(contact)
        ],
        # Each person's consent for the two purposes a decision turns on (ADR 0034).
        "consent": [
            (lower_first(purpose.label), sharing_position(contact, purpose, on=timezone.localdate()))
            for purpose in (ConsentPurpose.MASH_CHECKS, ConsentPurpose.EARLY_HELP)
        ],
        **extra,
    }
    return render(request, template, context, status=status)


def _run(form: GovukForm, action: Callable[[], Any], *, fields: Mapping[str, str] | None = None) -> tuple[bool, int]:
    """Call the service; put its refusal on the form, beside the field it is about (`fields` maps
    a service's field name to the form's where they differ). Returns (done, status)."""
    try:
        action()
    except DomainError as error:
        return False, add_refusal(form, error, fields=fields)
    return True, 200


@require_http_methods(["GET", "POST"])
def recommend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    guarded = _guard(request, pk, permissions.can_recommend, purpose="recommend")
    if isinstance(guarded, HttpResponse):
        return guarded
    contact = guarded
    if request.method == "POST" and request.POST.get("action") == "ask-for-checks":
        return _ask_for_checks(request, contact)
    form = _recommendation_form(contact, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, status = _run(
            form,
            lambda: services.recommend(
                contact,
                children=data["children"],
                rationale=data["rationale"],
                by=request.user,
                at=timezone.now(),
                version=data["version"],
                criteria=data[early_help.FIELD],
            ),
        )
        if done:
            messages.success(request, "Recommendation recorded and sent to a manager for approval")
            return redirect(contact)
    return _render(
        request,
        "decisions/recommend.html",
        contact,
        form,
        status,
        ask=ask_for_checks(request.user, contact),
        returned=returned(contact),
        **recommendation_layout(form),
    )


def _recommendation_form(contact: Contact, data: QueryDict | None) -> RecommendationForm:
    children = services.children_on(contact)
    protocol = active_protocol()
    return RecommendationForm(
        data,
        levels=protocol.levels.all(),
        children=children,
        forwardable=services.forwardable(children, at=timezone.now()),
        criteria=protocol.early_help_criteria,
        suggested=early_help.suggested(protocol.early_help_criteria, contact.concern_categories),
        initial={"version": contact.version},
    )


def _ask_for_checks(request: AuthenticatedHttpRequest, contact: Contact) -> HttpResponse:
    """The social worker asks a manager to start MASH checks before deciding (checks.services)."""
    if not can_ask_for_checks(request.user):
        raise PermissionDenied
    if not can_ask_for_checks(request.user, contact):
        # A page drawn before a manager started checks on the contact: nothing to ask for now.
        messages.info(request, "MASH checks have already been started on this contact: read the agencies' answers.")
        return redirect("decisions:recommend", pk=contact.pk)
    ask_form = AskForChecksForm(request.POST)
    status = 200
    if ask_form.is_valid():
        data = ask_form.cleaned_data
        done, status = _run(
            ask_form,
            lambda: ask_checks(
                contact, reason=data["reason"], by=request.user, at=timezone.now(), version=data["version"]
            ),
        )
        if done:
            messages.success(request, "A manager has been asked to start MASH checks")
            return redirect("decisions:recommend", pk=contact.pk)
    form = _recommendation_form(contact, None)
    ask = ask_for_checks(request.user, contact, form=ask_form)
    return _render(
        request,
        "decisions/recommend.html",
        contact,
        form,
        status,
        ask=ask,
        ask_form=ask_form,
        returned=returned(contact),
        **recommendation_layout(form),
    )


@require_http_methods(["GET", "POST"])
def approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    guarded = _guard(request, pk, permissions.can_approve, purpose="approve")
    if isinstance(guarded, HttpResponse):
        return guarded
    contact = guarded
    recommendation = latest_recommendation(contact)
    recommended = recommended_children(recommendation)
    form = ApprovalForm(
        request.POST or None,
        recommended=recommended,
        forwardable=services.forwardable([child.subject for child in recommended], at=timezone.now()),
        initial={"version": contact.version},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        at = timezone.now()
        if data["verdict"] == "approve":
            done, status = _run(
                form,
                lambda: services.approve(
                    contact,
                    outcomes=data["outcomes"],
                    rationale=data["rationale"],
                    by=request.user,
                    at=at,
                    version=data["version"],
                ),
            )
            message = "Decision approved"
        else:
            done, status = _run(
                form,
                lambda: services.return_recommendation(
                    contact, rationale=data["rationale"], by=request.user, at=at, version=data["version"]
                ),
            )
            message = "Recommendation returned to the social worker"
        if done:
            messages.success(request, message)
            return redirect(contact)
    return _render(
        request,
        "decisions/approve.html",
        contact,
        form,
        status,
        recommendation=recommendation,
        recommended_rows=recommended_rows(recommended),
    )


@require_http_methods(["GET", "POST"])
def action_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    guarded = _guard(request, pk, permissions.can_action_outcome, purpose="action-outcome")
    if isinstance(guarded, HttpResponse):
        return guarded
    contact = guarded
    outcomes = child_outcomes([contact.pk])[contact.pk]
    form = OutcomeActionForm(
        request.POST or None,
        initial={"version": contact.version},
        groups=service_groups(outcomes),
        services_known=bool(outcomes),
        writes_letters=can_make_threshold_decisions(request.user),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, status = _run(
            form,
            lambda: services.action_outcome(
                contact,
                sent_to=data.get("sent_to", ""),
                referrer_informed_at=data["referrer_informed_at"],
                referrer_informed_by=data["informed_by"],
                notes=data["notes"],
                by=request.user,
                at=timezone.now(),
                version=data["version"],
                allocated_worker=data.get("allocated_worker"),
                allocations=form.allocations(),
            ),
            fields={"referrer_informed_at": "informed_on", services.REFERRER_INFORMED_TIME: "informed_time"},
        )
        if done:
            messages.success(request, "Outcome recorded as actioned. The contact is closed")
            if data["informed_by"] == services.SEND_FROM_SAFEHUB:
                return redirect("letters:write", pk=contact.pk, kind="outcome")
            return redirect(contact)
    return _render(
        request,
        "decisions/action_outcome.html",
        contact,
        form,
        status,
        summary=action_summary(outcomes),
        mixed=len({child.outcome for child in outcomes}) > 1,
    )
