"""The pages of letters and messages: writing one (preview, edit, send), deciding not to write to the
family and lifting that, a message's own page with what happened to it, the list of those waiting on
someone, the templates, and GOV.UK Notify's delivery callbacks."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.consultations.models import Consultation
from safehub.consultations.queries import get_consultation_for
from safehub.contacts.models import Contact
from safehub.contacts.queries import get_contact_for
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.core.forms import VersionForm, add_refusal
from safehub.core.http import AuthenticatedHttpRequest
from safehub.core.presenters import lower_first
from safehub.core.queries import by_pk
from safehub.decisions.models import SHORT_LABELS, Outcome
from safehub.letters import encompass, gp_outcomes, permissions, services
from safehub.letters.delivery import Report, report_from_notify
from safehub.letters.fields import fields_for, fill, unfilled
from safehub.letters.forms import (
    LiftForm,
    MessageForm,
    NotToWriteForm,
    RecordCallForm,
    SchoolForm,
    SummaryForm,
    TellSchoolForm,
    TemplateForm,
    ToldAnotherWayForm,
)
from safehub.letters.models import Audience, Channel, LetterKind, Message, School, Template, TemplateVersion
from safehub.letters.pdf import letter_pdf
from safehub.letters.presenters import message_row
from safehub.letters.queries import families_to_write, get_message_for, messages_visible_to, outcomes_to_write
from safehub.letters.rules import reasons_not_to_write, why_not_yet
from safehub.letters.workflow import MessageState
from safehub.protocols.models import LocalProtocol

KINDS = {"outcome": LetterKind.OUTCOME, "family": LetterKind.FAMILY}
# The most rows a list of letters still to write shows (its heading gives the whole count).
LIST_LIMIT = 100


def _channels(kind: LetterKind) -> list[Channel]:
    offered = [Channel.EMAIL] if kind != LetterKind.FAMILY else []
    if services.notify_letters_configured():
        offered.append(Channel.NOTIFY_LETTER)
    offered.append(Channel.LETTER)
    return offered


def _contact_for_writing(request: AuthenticatedHttpRequest, pk: int, kind: LetterKind) -> Contact | HttpResponse:
    contact = get_contact_for(request.user, pk, purpose=f"write-{kind.value}", related=("outcome_action",))
    if not permissions.can_send_messages(request.user):
        raise PermissionDenied
    why = why_not_yet(contact, kind)
    if kind == LetterKind.FAMILY and not why:
        reasons = reasons_not_to_write(contact)
        if reasons:
            why = f"The family must not be written to: {reasons[0].reason.lower()} ({reasons[0].source})"
    if why:
        (messages.error if request.method == "POST" else messages.info)(request, f"{why}. Nothing was sent.")
        return redirect(contact)
    return contact


@require_http_methods(["GET", "POST"])
def write(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """Write a message: the template's words with this contact's values, to edit, preview and send."""
    if kind not in KINDS:
        raise Http404("No such message")
    letter_kind = KINDS[kind]
    found = _contact_for_writing(request, pk, letter_kind)
    if isinstance(found, HttpResponse):
        return found
    contact = found
    at = timezone.now()
    try:
        drafted = services.draft(contact, kind=letter_kind, by=request.user, at=at)
    except DomainError as error:
        messages.error(request, f"{error.message}. Nothing was sent.")
        return redirect(contact)
    channels = _channels(letter_kind)
    initial = {
        "submission_key": uuid.uuid4(),
        "template_version": drafted.template_version.pk,
        "channel": drafted.channel.value if drafted.channel in channels else channels[0].value,
        "recipient_name": drafted.recipient_name,
        "email": drafted.email,
        "postal_address": drafted.postal_address,
        "subject": drafted.subject,
        "body": drafted.body,
    }
    form = MessageForm(request.POST or None, initial=initial, channels=channels)
    status = 200
    preview = None
    version = drafted.template_version
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = TemplateVersion.objects.filter(pk=data["template_version"], template=version.template).first()
        if chosen is None:
            form.add_error(None, "The template changed while you were writing: your words are kept, send them again")
            status = 409
        elif request.POST.get("action") == "send":
            try:
                message = services.send(
                    contact,
                    kind=letter_kind,
                    template_version=chosen,
                    channel=Channel(data["channel"]),
                    recipient_name=data["recipient_name"],
                    email=data["email"],
                    postal_address=data["postal_address"],
                    subject=data["subject"],
                    body=data["body"],
                    by=request.user,
                    at=timezone.now(),
                    submission_key=data["submission_key"],
                )
            except DomainError as error:
                status = add_refusal(form, error)
            else:
                messages.success(request, _sent_words(message))
                return redirect(contact)
        else:
            preview = _preview(data)
    heading = (
        "Write the outcome to the person who made contact"
        if letter_kind == LetterKind.OUTCOME
        else "Write to the family"
    )
    return _write_page(request, form, heading=heading, about=contact, template=version, preview=preview, status=status)


def _write_page(
    request: AuthenticatedHttpRequest,
    form: MessageForm,
    *,
    heading: str,
    about: Contact | Consultation,
    template: TemplateVersion,
    preview: dict[str, Any] | None,
    status: int,
) -> HttpResponse:
    caption = (
        f"Contact {about.reference}" if isinstance(about, Contact) else f"Consultation with {about.consultee_name}"
    )
    return render(
        request,
        "letters/write.html",
        {
            "form": form,
            "heading": heading,
            "caption": caption,
            "back_url": about.get_absolute_url(),
            "back_text": "Back to the contact" if isinstance(about, Contact) else "Back to the consultation",
            "template": template,
            "preview": preview,
            # A letter to the family goes by post only: no email address to fill in.
            "by_email": any(value == Channel.EMAIL for value, _ in form.fields["channel"].choices),  # type: ignore[attr-defined]
        },
        status=status,
    )


def _greeted(body: str) -> str:
    """Whom the words greet ("Dear Marilyn Thompson" gives "Marilyn Thompson"), or ""."""
    for line in body.splitlines():
        if line.strip().lower().startswith("dear "):
            return line.strip()[5:].strip().rstrip(",")
    return ""


def _preview(data: dict[str, Any]) -> dict[str, Any]:
    body = services.addressed(data["body"], data["recipient_name"].strip())
    greeted = _greeted(body)
    to = data["recipient_name"].strip()
    return {
        # The name typed in To changed after the words were written: say so before it goes.
        "greeted_other": greeted if greeted and to and greeted.lower() != to.lower() else "",
        "subject": services.addressed(data["subject"], data["recipient_name"].strip()),
        "paragraphs": [part for part in body.split("\n\n") if part.strip()],
        "unfilled": unfilled(body + data["subject"]),
        "to": data["recipient_name"],
        "address": data["email"] if data["channel"] == Channel.EMAIL else data["postal_address"],
    }


@require_http_methods(["GET", "POST"])
def write_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Write a consultation's summary to the consultee (002 §5–6), preview and send it."""
    consultation = get_consultation_for(request.user, pk, purpose="write-summary")
    if not permissions.can_send_messages(request.user):
        raise PermissionDenied
    try:
        drafted = services.draft_summary(consultation, by=request.user, at=timezone.now())
    except DomainError as error:
        (messages.error if request.method == "POST" else messages.info)(request, f"{error.message}. Nothing was sent.")
        return redirect(consultation)
    channels = _channels(LetterKind.CONSULTATION_SUMMARY)
    initial = {
        "submission_key": uuid.uuid4(),
        "template_version": drafted.template_version.pk,
        "channel": drafted.channel.value,
        "recipient_name": drafted.recipient_name,
        "email": drafted.email,
        "postal_address": drafted.postal_address,
        "subject": drafted.subject,
        "body": drafted.body,
        "version": consultation.version,
    }
    form = SummaryForm(request.POST or None, initial=initial, channels=channels)
    status, preview = 200, None
    version = drafted.template_version
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = TemplateVersion.objects.filter(pk=data["template_version"], template=version.template).first()
        if chosen is None:
            form.add_error(None, "The template changed while you were writing: your words are kept, send them again")
            status = 409
        elif request.POST.get("action") == "send":
            try:
                services.send_summary(
                    consultation,
                    template_version=chosen,
                    channel=Channel(data["channel"]),
                    recipient_name=data["recipient_name"],
                    email=data["email"],
                    postal_address=data["postal_address"],
                    subject=data["subject"],
                    body=data["body"],
                    by=request.user,
                    at=timezone.now(),
                    version=data["version"],
                    submission_key=data["submission_key"],
                )
            except DomainError as error:
                status = add_refusal(form, error)
            else:
                messages.success(request, f"The summary to {data['recipient_name']} is being sent")
                return redirect(consultation)
        else:
            preview = _preview(data)
    return _write_page(
        request,
        form,
        heading="Write the consultation's summary",
        about=consultation,
        template=version,
        preview=preview,
        status=status,
    )


def _sent_words(message: Message) -> str:
    what = services.KIND_NOUNS[LetterKind(message.kind)]
    if message.state == MessageState.TO_PRINT:
        return f"{lower_first(what).capitalize()} ({message.recipient_name}) is ready to print and post"
    return f"{what.capitalize()} to {message.recipient_name} is being sent"


@require_http_methods(["GET", "POST"])
def not_to_write(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for(request.user, pk, purpose="family-letter-not-written", related=("outcome_action",))
    if not permissions.can_decide_not_to_write(request.user):
        raise PermissionDenied
    form = NotToWriteForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # Whether a letter is waiting to go, which the decision withdraws: said when it is recorded.
        waiting = services.family_letters_not_gone(contact).exists()
        try:
            services.decide_not_to_write(
                contact,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                by=request.user,
                at=timezone.now(),
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            note = ". The letter written to them was withdrawn: do not post it" if waiting else ""
            messages.success(request, f"Recorded: the family is not written to{note}")
            return redirect(contact)
    return render(request, "letters/not_to_write.html", {"contact": contact, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def lift(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for(request.user, pk, purpose="family-letter-reasons-lifted", related=("outcome_action",))
    if not permissions.can_lift_reasons_not_to_write(request.user):
        raise PermissionDenied
    reasons = reasons_not_to_write(contact)
    if not reasons:
        messages.info(request, "Nothing stops a letter to the family.")
        return redirect(contact)
    form = LiftForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_reasons_not_to_write(
                contact, explanation=form.cleaned_data["explanation"], by=request.user, at=timezone.now()
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, "Recorded: the family may now be written to")
            return redirect(contact)
    return render(request, "letters/lift.html", {"contact": contact, "form": form, "reasons": reasons}, status=status)


@require_GET
def message(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_message_for(request.user, pk, purpose="message")
    return _message_page(request, found, told=ToldAnotherWayForm(initial={"version": found.version}))


def _message_page(
    request: AuthenticatedHttpRequest, found: Message, *, told: VersionForm, status: int = 200
) -> HttpResponse:
    state = MessageState(found.state)
    user = request.user
    return render(
        request,
        "letters/message.html",
        {
            "message": found,
            "row": message_row(found),
            "paragraphs": [part for part in found.body.split("\n\n") if part.strip()],
            "history": [
                (change.at, MessageState(change.to_state).label, change.note)
                for change in found.state_changes.order_by("at", "pk")
            ],
            "is_letter": found.channel != Channel.EMAIL,
            "can_post": state == MessageState.TO_PRINT and permissions.can_handle_post(user),
            "can_tell": state in (MessageState.TO_PRINT, MessageState.FAILED) and permissions.can_handle_post(user),
            "can_send_again": state == MessageState.FAILED and permissions.can_send_messages(user),
            "told": told,
            "version_form": VersionForm(initial={"version": found.version}),
        },
        status=status,
    )


@require_GET
def message_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_message_for(request.user, pk, purpose="message-pdf")
    if found.channel == Channel.EMAIL:
        raise Http404("An email has no letter to print")
    pdf = letter_pdf(found, protocol=LocalProtocol.objects.filter(is_active=True).first())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="letter-{found.pk}.pdf"'
    return response


@require_POST
def message_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    found = get_message_for(request.user, pk, purpose=f"message-{action}")
    actions = {
        "posted": (permissions.can_handle_post, "Recorded as posted"),
        "told-another-way": (permissions.can_handle_post, "Recorded: they were told another way"),
        "send-again": (permissions.can_send_messages, "It will be sent again"),
    }
    if action not in actions:
        raise Http404("No such action")
    allowed, done = actions[action]
    if not allowed(request.user):
        raise PermissionDenied
    form: VersionForm = ToldAnotherWayForm(request.POST) if action == "told-another-way" else VersionForm(request.POST)
    if not form.is_valid():
        return _message_page(
            request,
            found,
            told=form if action == "told-another-way" else ToldAnotherWayForm(initial={"version": found.version}),
            status=200,
        )
    data = form.cleaned_data
    try:
        if action == "posted":
            services.mark_posted(found, by=request.user, at=timezone.now(), version=data["version"])
        elif action == "told-another-way":
            services.told_another_way(
                found, explanation=data["explanation"], by=request.user, at=timezone.now(), version=data["version"]
            )
        else:
            services.send_again(found, by=request.user, at=timezone.now(), version=data["version"])
    except DomainError as error:
        status = add_refusal(form, error)
        if action != "told-another-way":
            found.refresh_from_db()
            if isinstance(error, ConcurrentChange):
                why = f"Someone else moved this message on first: it is now {found.state_label.lower()}"
            else:
                why = error.message.rstrip(".")
            messages.error(request, f"{why}. Nothing was changed.")
            return redirect("letters:message", pk=found.pk)
        return _message_page(request, found, told=form, status=status)
    messages.success(request, done)
    return redirect("letters:message", pk=found.pk)


# The list of letters and messages waiting on someone ---------------------------------------------------

WAITING_SECTIONS = (
    (MessageState.TO_PRINT, "To print and post"),
    (MessageState.FAILED, "Not delivered"),
    (MessageState.QUEUED, "Waiting to be sent"),
    (MessageState.SENT, "Sent, not yet delivered"),
)


@require_GET
def waiting(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_see_messages(request.user):
        raise PermissionDenied
    found = list(
        messages_visible_to(request.user)
        .filter(state__in=[state for state, _ in WAITING_SECTIONS])
        .select_related("contact", "consultation", "sent_by")
        .order_by("created_at", "pk")[:500]
    )
    sections = [(title, [(m, message_row(m)) for m in found if m.state == state]) for state, title in WAITING_SECTIONS]
    at = timezone.now()
    visible = Contact.objects.visible_to(request.user).values_list("pk", flat=True)
    tells = permissions.can_tell_schools(request.user)
    schools_untold = encompass.untold(visible, at=at) if tells else []
    unrecorded = encompass.incidents_unrecorded(visible, at=at) if tells else []
    practices_untold = gp_outcomes.untold(visible, at=at) if permissions.can_handle_post(request.user) else []
    writer = permissions.can_send_messages(request.user)
    outcomes = outcomes_to_write(request.user, writer=writer)
    families = families_to_write(request.user, at=at, writer=writer)
    return render(
        request,
        "letters/waiting.html",
        {
            "sections": sections,
            "untold": schools_untold,
            "unrecorded": unrecorded,
            "practices_untold": practices_untold,
            "now": at,
            "writer": writer,
            "outcomes_to_write": list(outcomes[:LIST_LIMIT]),
            "outcomes_count": outcomes.count(),
            "families_to_write": list(families[:LIST_LIMIT]),
            "families_count": families.count(),
        },
    )


# Templates ------------------------------------------------------------------------------------------------


@require_GET
def templates(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_read_templates(request.user):
        raise PermissionDenied
    rows = []
    for template in Template.objects.prefetch_related("versions__made_by"):
        latest = max(template.versions.all(), key=lambda v: v.number, default=None)
        rows.append((template, latest))
    return render(
        request,
        "letters/templates.html",
        {"rows": rows, "can_edit": permissions.can_edit_templates(request.user)},
    )


SAMPLE = {
    "recipient_name": "Alex Example",
    "reference": "C-2026-00042",
    "received_date": "4 December 2026",
    "children": "Ann Example and Ben Example",
    "hub_name": "Example MASH",
    "hub_phone": "020 7946 0123",
    "hub_email": "mash@example.gov.uk",
    "sender_name": "Sam Worker",
    "sender_role": "Social worker",
    "today": "5 December 2026",
    "referrer_name": "Jo Teacher",
    "decision_date": "5 December 2026",
    "outcomes": "Ann Example: early help\nBen Example: early help",
    "who_will_contact": "Ann Example: Family Wellbeing Team\nBen Example: Family Wellbeing Team",
}


@require_http_methods(["GET", "POST"])
def template(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_read_templates(request.user):
        raise PermissionDenied
    found = by_pk(Template.objects.all(), pk)
    if found is None:
        raise Http404("No such template")
    versions = list(found.versions.select_related("made_by").order_by("-number"))
    latest = versions[0] if versions else None
    can_edit = permissions.can_edit_templates(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = TemplateForm(
        request.POST or None,
        initial={
            "based_on": latest.number if latest else 0,
            "subject": latest.subject if latest else "",
            "body": latest.body if latest else "",
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.save_template(
                found,
                subject=data["subject"],
                body=data["body"],
                note=data["note"],
                by=request.user,
                at=timezone.now(),
                based_on=data["based_on"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, f"Saved as version {made.number}. Messages already sent keep their words")
            return redirect("letters:template", pk=found.pk)
    shown = latest
    sample = None
    if shown is not None:
        example = dict(SAMPLE)
        if found.outcome:
            label = SHORT_LABELS[Outcome(found.outcome)].lower()
            example["outcomes"] = f"Ann Example: {label}\nBen Example: {label}"
        sample = {
            "subject": fill(shown.subject, example),
            "paragraphs": [p for p in fill(shown.body, example).split("\n\n") if p.strip()],
        }
    return render(
        request,
        "letters/template.html",
        {
            "template": found,
            "versions": versions,
            "form": form if can_edit else None,
            "fields": fields_for(LetterKind(found.kind), Audience(found.audience)),
            "sample": sample,
        },
        status=status,
    )


# GOV.UK Notify's callbacks ------------------------------------------------------------------------------


@login_not_required
@csrf_exempt
@require_POST
def notify_callback(request: HttpRequest) -> HttpResponse:
    """Notify's report of a message's delivery (its "callbacks": a POST with the bearer token the
    service set in Notify). A report for a message Safehub does not know is acknowledged and ignored,
    so Notify does not keep retrying it."""
    expected = getattr(settings, "NOTIFY_CALLBACK_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"error": "Not authorised"}, status=401)
    try:
        body: Any = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "The body is not JSON"}, status=400)
    if not isinstance(body, dict) or not isinstance(body.get("id"), str) or not isinstance(body.get("status"), str):
        return JsonResponse({"error": "Expected a notification's id and status"}, status=400)
    when = parse_datetime(str(body.get("completed_at") or body.get("sent_at") or "")) or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when, dt.UTC)
    report_from_notify(body["id"], Report(body["status"][:40], min(when, timezone.now())))
    return JsonResponse({"ok": True})


# Operation Encompass ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def tell_school(request: AuthenticatedHttpRequest, pk: int, subject: int) -> HttpResponse:
    """Send a child's school its Operation Encompass notice when the worker could not: the school not
    in the register under the name recorded, or none recorded."""
    contact = get_contact_for(request.user, pk, purpose="tell-school")
    if not permissions.can_tell_schools(request.user):
        raise PermissionDenied
    notification = getattr(contact, "domestic_abuse", None)
    child = by_pk(contact.subjects.all(), subject)
    if notification is None or child is None or child not in encompass.children_to_tell(notification):
        raise Http404("No such child on a police domestic-abuse notification")
    earlier = encompass.notice_for(notification, child)
    if earlier is not None:
        messages.info(request, f"{earlier.recipient_name} was already told about {child.display_name}.")
        return redirect(contact)
    form = TellSchoolForm(
        request.POST or None,
        initial={"submission_key": uuid.uuid4(), "school": encompass.school_for(child)},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sent = encompass.tell_school(
                notification,
                child,
                form.cleaned_data["school"],
                by=request.user,
                at=timezone.now(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, f"{sent.recipient_name} is being told about {child.display_name}")
            return redirect(contact)
    return render(
        request,
        "letters/tell_school.html",
        {
            "contact": contact,
            "child": child,
            "recorded": encompass.recorded_school(child),
            "notification": notification,
            "notice": encompass.preview(notification, child, encompass.school_for(child)),
            "form": form,
            "can_manage": permissions.can_manage_schools(request.user),
        },
        status=status,
    )


# GP practices told the outcome (Sefton 003 §2.6) -------------------------------------------------


@require_http_methods(["GET", "POST"])
def record_call(request: AuthenticatedHttpRequest, pk: int, agency: int) -> HttpResponse:
    """Record that a GP practice with no secure email address was told the outcome by telephone."""
    contact = get_contact_for(request.user, pk, purpose="gp-practice-called", related=("outcome_action",))
    if not permissions.can_handle_post(request.user):
        raise PermissionDenied
    practice = next((found for found in gp_outcomes.practices(contact) if found.agency.pk == agency), None)
    if practice is None:
        raise Http404("No such GP practice asked for checks on this contact")
    form = RecordCallForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            gp_outcomes.record_call(
                contact,
                practice.agency,
                explanation=form.cleaned_data["explanation"],
                by=request.user,
                at=timezone.now(),
            )
        except DomainError as error:
            status = add_refusal(form, error)
        else:
            messages.success(request, f"Recorded: {practice.agency.name} was told the outcome by telephone")
            return redirect(contact)
    words: tuple[str, str] | None = None
    if getattr(contact, "outcome_action", None) is not None:
        try:
            _, subject, body = gp_outcomes.words(contact, practice.agency, by=request.user, at=timezone.now())
        except DomainError:
            words = None  # no template: the refusal says so when the call is recorded
        else:
            words = (subject, body)
    return render(
        request,
        "letters/record_call.html",
        {"contact": contact, "practice": practice, "words": words, "form": form},
        status=status,
    )


@require_GET
def schools(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (permissions.can_manage_schools(request.user) or permissions.can_tell_schools(request.user)):
        raise PermissionDenied
    return render(
        request,
        "letters/schools.html",
        {"schools": School.objects.all(), "can_manage": permissions.can_manage_schools(request.user)},
    )


@require_http_methods(["GET", "POST"])
def school(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a school to the register, or change one (its DSL moves on, say)."""
    if not permissions.can_manage_schools(request.user):
        raise PermissionDenied
    found = None
    if pk is not None:
        found = by_pk(School.objects.all(), pk)
        if found is None:
            raise Http404("No such school")
    form = SchoolForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        saved = services.save_school(
            form.save(commit=False), changed=form.changed_data, by=request.user, at=timezone.now()
        )
        messages.success(request, f"{saved.name} saved")
        return redirect("letters:schools")
    return render(request, "letters/school.html", {"form": form, "school": found})
