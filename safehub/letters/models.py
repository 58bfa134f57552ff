"""Letters and messages (issue 15; ADR 0037): the hub's templates, each edit a new version, and one
record for each message sent — acknowledgements and outcomes to the person who made contact, letters
to the family — with the version it was made from, who it went to, how, who sent it and whether it
arrived. A family letter not sent is a recorded decision with a coded reason."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.accounts.models import Agency
from safehub.consultations.models import Consultation
from safehub.contacts.models import Contact, ContactSubject, NotToldReason
from safehub.core.lifecycle import Lifecycle
from safehub.core.models import StateChangeRecord
from safehub.decisions.models import SHORT_LABELS as SHORT_OUTCOMES
from safehub.decisions.models import Outcome
from safehub.domestic_abuse.models import Notification
from safehub.letters.workflow import LIFECYCLE, MessageEvent, MessageState
from safehub.sharing.models import Disclosure

STATE_CHOICES = [(state.value, state.label) for state in MessageState]


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of the contact"
    CONSULTATION_SUMMARY = "consultation_summary", "Consultation summary"
    ENCOMPASS = "encompass", "Operation Encompass notice to the school"
    OUTCOME = "outcome", "Outcome to the person who made contact"
    FAMILY = "family", "Letter to the family"
    # Sefton 003 §2.6: each GP practice asked for checks told the outcome within three working days.
    GP_OUTCOME = "gp_outcome", "Outcome to the GP practice"


class Audience(models.TextChoices):
    """Who a template is written for: what it may say depends on it (`letters.fields`)."""

    PROFESSIONAL = "professional", "A professional"
    PUBLIC = "public", "A member of the public or family member who made contact"
    FAMILY = "family", "The child's parents or carers"
    SCHOOL = "school", "The designated safeguarding lead of the child's school"


# How a template's name gives its audience, briefly.
AUDIENCE_SHORT = {
    Audience.PROFESSIONAL: "professional",
    Audience.PUBLIC: "member of the public",
    Audience.FAMILY: "family",
    Audience.SCHOOL: "school",
}


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter, printed in the office and posted"
    NOTIFY_LETTER = "notify_letter", "Letter, printed and posted by GOV.UK Notify"
    # Told by telephone and recorded afterwards (a GP practice with no secure email address).
    TELEPHONE = "telephone", "Telephone call, recorded afterwards"


class Template(models.Model):
    """One template: for a kind of message, an audience and (for outcomes and family letters) the
    outcome it reports. Its text is its latest version; every version is kept."""

    kind = models.CharField(max_length=20, choices=LetterKind)
    audience = models.CharField(max_length=20, choices=Audience)
    outcome = models.CharField(max_length=40, choices=Outcome, blank=True)

    class Meta:
        ordering = ["kind", "audience", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "audience", "outcome"], name="letter_template_once"),
        ]

    def __str__(self) -> str:
        outcome = f", {SHORT_OUTCOMES[Outcome(self.outcome)].lower()}" if self.outcome in Outcome.values else ""
        return f"{self.get_kind_display()}: {AUDIENCE_SHORT[Audience(self.audience)]}{outcome}"


class TemplateVersion(models.Model):
    """A template's words as saved once. Never edited: a change is a new version, and a message
    keeps the version it was made from."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    note = models.CharField("What changed", max_length=300, blank=True)
    # None for the words Safehub ships.
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["template_id", "-number"]
        get_latest_by = "number"
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_once")]

    def __str__(self) -> str:
        return f"{self.template}, version {self.number}"


class MessageQuerySet(models.QuerySet["Message"]):
    def needing_someone(self) -> MessageQuerySet:
        """Letters to print and post, and messages that were not delivered."""
        return self.filter(state__in=[MessageState.TO_PRINT, MessageState.FAILED])


class Message(models.Model):
    """One message sent about a contact: to one recipient, by one channel, with the words sent
    (the template's, as the worker edited them) and the version they came from."""

    # What it is about: a contact, or a consultation (its summary, 002 §5–6); one of the two.
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField(max_length=20, choices=LetterKind)
    audience = models.CharField(max_length=20, choices=Audience)
    # The child an Operation Encompass notice is about (one notice a child and notification).
    child = models.ForeignKey(ContactSubject, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The GP practice an outcome to the GP practice is for (one message a practice and contact).
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="messages")
    channel = models.CharField(max_length=20, choices=Channel)
    recipient_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    postal_address = models.TextField(blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=MessageState.QUEUED.value)
    version = models.PositiveIntegerField(default=0)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()  # when the worker pressed "Send" (or the worker queued it)
    handed_over_at = models.DateTimeField(null=True, blank=True)  # to Notify or the mail server
    delivered_at = models.DateTimeField(null=True, blank=True)  # Notify's delivery, or the post
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)  # Notify's notification id
    provider_status = models.CharField(max_length=40, blank=True)  # Notify's own word for it
    failure = models.TextField(blank=True)  # why it was not delivered, in the provider's words
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="+")
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    objects = MessageQuerySet.as_manager()
    lifecycle: ClassVar[Lifecycle[MessageState, MessageEvent]] = Lifecycle(LIFECYCLE)

    class Meta:
        ordering = ["contact_id", "created_at", "pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["provider_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, consultation__isnull=True)
                | Q(contact__isnull=True, consultation__isnull=False),
                name="message_about_a_contact_or_a_consultation",
            ),
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(email=""),
                name="message_email_has_an_address",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "telephone"]) | ~Q(postal_address=""),
                name="message_letter_has_an_address",
            ),
            # An acknowledgement goes once to each contact's referrer, however many workers run.
            models.UniqueConstraint(
                fields=["contact"], condition=Q(kind="acknowledgement"), name="acknowledgement_once_per_contact"
            ),
            # An Operation Encompass notice goes once for each child of a notification.
            models.UniqueConstraint(
                fields=["contact", "child"],
                condition=Q(kind="encompass") & ~Q(state="failed"),
                name="encompass_once_per_child",
            ),
            # Each GP practice asked for checks is told the outcome once (Sefton 003 §2.6).
            models.UniqueConstraint(
                fields=["contact", "agency"], condition=Q(kind="gp_outcome"), name="gp_outcome_once_per_practice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_name} ({self.get_channel_display().lower()})"

    @property
    def state_label(self) -> str:
        return MessageState(self.state).label

    @property
    def about(self) -> str:
        """What the message is about, as its pages name it."""
        if self.contact is not None:
            return f"Contact {self.contact.reference}"
        return f"Consultation with {self.consultation.consultee_name}" if self.consultation else ""

    @property
    def about_url(self) -> str:
        found = self.contact or self.consultation
        return found.get_absolute_url() if found is not None else ""


class MessageStateChange(StateChangeRecord):
    """A message moving on, written by `core.lifecycle.transition`; a delivery report is recorded
    under the name of whoever sent the message, with the provider's words in the note."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="state_changes")

    class Meta(StateChangeRecord.Meta):
        indexes = [models.Index(fields=["message", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_state__in=[state.value for state in MessageState],
                    to_state__in=[state.value for state in MessageState],
                    event__in=[event.value for event in MessageEvent],
                ),
                name="message_change_valid",
            )
        ]


class WithheldReason(models.TextChoices):
    """Why the family is not written to (003 App. 4 §11; 002 §22 a–c for the first three)."""

    INCREASED_RISK = NotToldReason.INCREASED_RISK.value, "Writing would put the child or someone else at risk"
    PREJUDICE_INVESTIGATION = (
        NotToldReason.PREJUDICE_INVESTIGATION.value,
        "Writing would prejudice a police investigation",
    )
    UNDUE_DELAY = NotToldReason.UNDUE_DELAY.value, "Writing would delay enquiries that cannot wait"
    STRATEGY_DECIDED = "strategy_decided", "The strategy discussion decided who tells the family, and how"
    TOLD_IN_PERSON = "told_in_person", "The family was told in person or by telephone"
    NO_SAFE_ADDRESS = "no_safe_address", "There is no address where the letter would reach only the family"


class FamilyLetterDecision(models.Model):
    """A decision about writing to the family: not to (with a coded reason and why), or that a
    reason not to no longer holds (`lifted`). The latest governs. Never edited."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="family_letter_decisions")
    withhold = models.BooleanField()
    reason = models.CharField(max_length=30, choices=WithheldReason, blank=True)
    explanation = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["contact_id", "decided_at", "pk"]
        get_latest_by = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withhold=False, reason="") | (Q(withhold=True) & ~Q(reason="")),
                name="family_letter_withheld_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Not written to' if self.withhold else 'May be written to'}: {self.contact}"


class School(models.Model):
    """A school, nursery or college whose designated safeguarding lead (DSL) is told of domestic
    abuse the police attended at a pupil's home (Operation Encompass), or the council's officer for
    children educated at home (elective home education), who is told in the school's place."""

    name = models.CharField(max_length=200, unique=True)
    dsl_name = models.CharField("Designated safeguarding lead", max_length=200)
    dsl_email = models.EmailField("Their secure email address")
    phone = models.CharField(max_length=40, blank=True)
    home_education = models.BooleanField(
        default=False, help_text="The council's elective home education officer, told for a child educated at home."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["home_education"],
                condition=Q(home_education=True, active=True),
                name="one_home_education_officer",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EncompassAlert(models.Model):
    """The one email to the front door's managers when a child's Operation Encompass notice has not
    gone by its due time, the start of the next school day (issue 15, "Late notifications alert").
    Made by the worker, sent once; it names the contact's reference, never the child."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(ContactSubject, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "child"], name="encompass_alert_once_per_child"),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="encompass_alert_unsent", condition=Q(sent_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"Operation Encompass notice late: {self.notification.contact.reference}"
