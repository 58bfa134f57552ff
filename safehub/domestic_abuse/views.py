from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.contacts.models import CHILD_ROLES, Contact, SubjectRole
from safehub.core.errors import DomainError
from safehub.core.forms import add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.working_time import LONDON
from safehub.domestic_abuse import permissions, services
from safehub.domestic_abuse.forms import NOT_NAMED, NotificationForm, QuestionForm
from safehub.domestic_abuse.models import DashQuestion, Notification
from safehub.domestic_abuse.queries import get_notification_for
from safehub.domestic_abuse.rules import Question
from safehub.protocols.policy import active_protocol

# A service's field names where the form's differ: the incident's moment is its date and time boxes.
FIELDS = {"incident_on": "incident_on"}


def _initial(contact: Contact, notification: Notification | None) -> dict[str, object]:
    if notification is None:  # the contact's alleged perpetrator, if it names one, chosen to start with
        named = [s.pk for s in contact.subjects.all() if s.role == SubjectRole.ALLEGED_PERPETRATOR]
        return {"perpetrator": named[0]} if len(named) == 1 else {}
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
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedHttpRequest, contact_pk: int) -> HttpResponse:
    """Record, or correct, the incident and risk assessment of a police domestic-abuse notification."""
    contact, notification = get_notification_for(request.user, contact_pk, purpose="domestic-abuse notification")
    if not services.is_notification(contact):
        raise Http404("Not a police domestic-abuse notification")
    if not permissions.can_record_notification(request.user):
        raise PermissionDenied
    questions = services.questions_for(notification)
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
                return redirect(contact.get_absolute_url())
        else:  # every problem in one round: a box it could not read hides none of the rest
            form.add_problems(services.problems(contact, form.details(), at=timezone.now(), notification=notification))
    else:
        form = _form(contact, questions, initial=_initial(contact, notification))
    context = {
        "contact": contact,
        "notification": notification,
        "form": form,
        "questions": questions,
        "threshold": services.threshold_for(notification),
    }
    return render(request, "domestic_abuse/record.html", context, status=status)


@require_GET
def checklist(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The DASH checklist's questions as the hub asks them, for an administrator to keep."""
    if not permissions.can_change_checklist(request.user):
        raise PermissionDenied
    context = {
        "questions": list(DashQuestion.objects.order_by("number")),
        "threshold": active_protocol().marac_threshold,
    }
    return render(request, "domestic_abuse/checklist.html", context)


@require_http_methods(["GET", "POST"])
def question(request: AuthenticatedHttpRequest, number: int | None = None) -> HttpResponse:
    """Reword or retire a question (`number`), or add one at the end (none)."""
    if not permissions.can_change_checklist(request.user):
        raise PermissionDenied
    existing = None
    if number is not None:
        existing = DashQuestion.objects.filter(number=number).first()
        if existing is None:
            raise Http404("No such question")
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.save_question(
                    existing,
                    text=data["text"],
                    in_use=data["in_use"] if existing is not None else True,
                    by=request.user,
                    at=timezone.now(),
                    version=data["version"],
                )
            except DomainError as error:
                status = add_refusal(form, error)
            else:
                messages.success(
                    request, f"Question {saved.number} {'saved' if saved.in_use else 'retired: no longer asked'}"
                )
                return redirect("domestic_abuse:checklist")
    else:
        initial = {"version": existing.version, "text": existing.text, "in_use": existing.in_use} if existing else {}
        form = QuestionForm(initial=initial)
    return render(request, "domestic_abuse/question.html", {"form": form, "question": existing}, status=status)
