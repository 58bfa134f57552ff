from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.contacts.models import CHILD_ROLES, Contact
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.working_time import LONDON
from safehub.domestic_abuse import permissions, services
from safehub.domestic_abuse.forms import NOT_NAMED, NotificationForm
from safehub.domestic_abuse.models import Notification
from safehub.domestic_abuse.queries import get_notification_for
from safehub.domestic_abuse.rules import Question
from safehub.protocols.policy import active_protocol

# A service's field names where the form's differ: the incident's moment is its date and time boxes.
FIELDS = {"incident_on": "incident_on"}


def _initial(notification: Notification | None) -> dict[str, object]:
    if notification is None:
        return {}
    local = notification.incident_at.astimezone(LONDON)
    initial: dict[str, object] = {
        "version": notification.version,
        "police_reference": notification.police_reference,
        "incident_on": local.date(),
        "incident_time": local.strftime("%H:%M"),
        "place": notification.place,
        "victim": notification.victim_id,
        "perpetrator": notification.perpetrator_id or NOT_NAMED,
        "assessment": notification.assessment,
        "risk_level": notification.risk_level,
        "refer_on_judgement": notification.marac_basis == "judgement",
        "rationale": notification.judgement_rationale,
    }
    initial |= {f"present_{pk}": value for pk, value in notification.children_present.items()}
    initial |= {f"dash_{answer['number']}": answer["answer"] for answer in notification.dash_answers}
    return initial


def _form(contact: Contact, questions: list[Question], **kwargs: object) -> NotificationForm:
    subjects = list(contact.subjects.all())
    return NotificationForm(
        people=[(s.pk, f"{s.display_name} ({s.get_role_display().lower()})") for s in subjects],
        children=[(s.pk, s.display_name) for s in subjects if s.role in CHILD_ROLES],
        questions=questions,
        **kwargs,  # type: ignore[arg-type]
    )


@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedHttpRequest, contact_pk: int) -> HttpResponse:
    """Record, or correct, the incident and risk assessment of a police domestic-abuse notification."""
    contact, notification = get_notification_for(request.user, contact_pk, purpose="domestic-abuse notification")
    if not permissions.can_record_notification(request.user) or not services.is_notification(contact):
        raise PermissionDenied
    questions = services.questions_in_use()
    status = 200
    if request.method == "POST":
        form = _form(contact, questions, data=request.POST)
        if form.is_valid():
            try:
                services.record_notification(
                    contact,
                    form.details(),
                    by=request.user,
                    at=timezone.now(),
                    version=form.cleaned_data["version"],
                )
            except DomainError as error:
                status = add_refusal(form, error, fields=FIELDS)
            else:
                messages.success(
                    request, "Incident and risk assessment saved" if notification is None else "Correction saved"
                )
                return redirect(f"{contact.get_absolute_url()}#domestic-abuse")
        else:  # every problem in one round: a box it could not read hides none of the rest
            form.add_problems(services.problems(contact, form.details()))
    else:
        form = _form(contact, questions, initial=_initial(notification))
    context = {
        "contact": contact,
        "notification": notification,
        "form": form,
        "questions": questions,
        "threshold": active_protocol().marac_threshold,
    }
    return render(request, "domestic_abuse/record.html", context, status=status)
