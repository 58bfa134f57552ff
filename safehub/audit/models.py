from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehub.accounts.models import Role, User
from safehub.audit.permissions import can_read_audit


class Verb(models.TextChoices):
    CONTACT_VIEWED = "contact_viewed", "Viewed contact"
    PERSON_VIEWED = "person_viewed", "Viewed person record"
    CONSULTATION_VIEWED = "consultation_viewed", "Viewed consultation"
    STRATEGY_DISCUSSION_VIEWED = "strategy_discussion_viewed", "Viewed strategy discussion"
    READ_REFUSED = "read_refused", "Refused a record the user may not see"
    CONTACT_RECORDED = "contact_recorded", "Recorded contact"
    CONTACT_UPDATED = "contact_updated", "Updated contact"
    CONTACT_AMENDED = "contact_amended", "Amended a contact (or added an addendum after its decision)"
    CONTACT_ALLOCATED = "contact_allocated", "Allocated a contact to a worker"
    CONTACT_HANDED_OFF = "contact_handed_off", "Handed a contact to a worker"
    HANDOFF_RECEIVED = "handoff_received", "Marked a handed-over contact received"
    CONTACT_RESTRICTED = "contact_restricted", "Restricted a contact to named people"
    CONTACT_RESTRICTION_LIFTED = "contact_restriction_lifted", "Lifted a contact's restriction"
    PERSON_RECORDED = "person_recorded", "Recorded person"
    INVOLVEMENT_RECORDED = "involvement_recorded", "Recorded involvement"
    INVOLVEMENT_ENDED = "involvement_ended", "Recorded the end of an involvement"
    INVOLVEMENTS_IMPORTED = "involvements_imported", "Imported involvements"
    CASEWORK_IMPORTED = "casework_imported", "Imported assessments, enquiries and plans"
    RETURN_REQUESTED = "return_requested", "Asked for a statutory return to be built"
    RETURN_EXPORTED = "return_exported", "Exported a statutory return"
    RELATIONSHIP_RECORDED = "relationship_recorded", "Recorded a relationship between two people (from a contact)"
    PERSON_WARNINGS_RECORDED = "person_warnings_recorded", "Recorded a person's warnings (missing, workers' safety)"
    MERGED_PERSON_FOLLOWED = "merged_person_followed", "Sent from a merged person record to the one it was merged into"
    STATE_CHANGED = "state_changed", "Changed state"
    SCREENING_RECORDED = "screening_recorded", "Recorded basic screening"
    PERSON_SEARCHED = "person_searched", "Searched for a person"
    CONTACTS_SEARCHED = "contacts_searched", "Searched for contacts"
    RISK_RATED = "risk_rated", "Rated risk"
    RECOMMENDATION_RECORDED = "recommendation_recorded", "Recorded recommendation"
    DECISION_APPROVED = "decision_approved", "Approved decision"
    DECISION_RETURNED = "decision_returned", "Returned recommendation"
    OUTCOME_ACTIONED = "outcome_actioned", "Actioned outcome"
    REFERRAL_CREATED = "referral_created", "Created referral"
    CONSULTATION_RECORDED = "consultation_recorded", "Recorded consultation"
    CONSULTATION_SUMMARY_SENT = "consultation_summary_sent", "Sent consultation summary"
    # Strategy discussions (safehub.strategy).
    STRATEGY_DISCUSSION_STARTED = "strategy_discussion_started", "Started a strategy discussion"
    STRATEGY_EXCEPTION_RECORDED = (
        "strategy_exception_recorded",
        "Moved a strategy discussion past the standard, with a risk assessment",
    )
    STRATEGY_DISCUSSION_ARRANGED = "strategy_discussion_arranged", "Arranged a strategy discussion"
    STRATEGY_DISCUSSION_CANCELLED = "strategy_discussion_cancelled", "Cancelled a strategy discussion"
    STRATEGY_DISCUSSION_RECORDED = "strategy_discussion_recorded", "Recorded a strategy discussion held"
    STRATEGY_RECORD_SENT = "strategy_record_sent", "Sent a strategy discussion's record"
    STRATEGY_ACTION_ADDED = "strategy_action_added", "Added an action from a strategy discussion"
    STRATEGY_ACTION_CLOSED = "strategy_action_closed", "Closed an action from a strategy discussion"
    DAILY_MEETING_OPENED = "daily_meeting_opened", "Opened the daily MASH meeting"
    DAILY_MEETING_ATTENDANCE = "daily_meeting_attendance", "Recorded attendance at the daily MASH meeting"
    DAILY_MEETING_DECISION = "daily_meeting_decision", "Recorded a decision at the daily MASH meeting"
    DAILY_MEETING_CLOSED = "daily_meeting_closed", "Closed the daily MASH meeting"
    DAILY_MEETING_VIEWED = "daily_meeting_viewed", "Viewed a daily MASH meeting"
    TRIAGE_OPENED = "triage_opened", "Opened the domestic-abuse triage"
    TRIAGE_ATTENDANCE = "triage_attendance", "Recorded attendance at the domestic-abuse triage"
    TRIAGE_DECISION = "triage_decision", "Recorded a decision at the domestic-abuse triage"
    TRIAGE_CLOSED = "triage_closed", "Closed the domestic-abuse triage"
    TRIAGE_VIEWED = "triage_viewed", "Viewed a domestic-abuse triage"
    DOMESTIC_ABUSE_RECORDED = (
        "domestic_abuse_recorded",
        "Recorded a police domestic-abuse notification's incident and risk assessment",
    )
    DOMESTIC_ABUSE_CHANGED = (
        "domestic_abuse_changed",
        "Changed a police domestic-abuse notification's incident or risk assessment",
    )
    STRATEGY_CONFERENCE_RECORDED = (
        "strategy_conference_recorded",
        "Recorded the initial child protection conference (or that none is needed)",
    )
    # Consent (safehub.consent, ADR 0034).
    CONSENT_RECORDED = "consent_recorded", "Recorded a person's consent for a purpose"
    COMPETENCE_ASSESSED = "competence_assessed", "Recorded an assessment of a young person's competence to consent"
    OVERRIDE_ASKED = "override_asked", "Asked to share without consent"
    OVERRIDE_AGREED = "override_agreed", "Agreed to share without consent"
    OVERRIDE_DECLINED = "override_declined", "Declined to share without consent"
    OVERRIDE_WITHDRAWN = "override_withdrawn", "Withdrew a request to share without consent"
    CONSENT_SHARING_REFUSED = "consent_sharing_refused", "Was refused sharing: no consent and no override"
    CONSENT_ACTION_REFUSED = (
        "consent_action_refused",
        "Was refused recording consent, a competence assessment or a request to share without consent",
    )
    PROTOCOL_CHANGED = "protocol_changed", "Changed local protocol"
    DASH_QUESTION_CHANGED = "dash_question_changed", "Changed a question of the DASH checklist"
    LOGIN = "login", "Signed in"
    PASSWORD_ACCEPTED = "password_accepted", "Entered a correct password (the second step comes next)"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOGOUT = "logout", "Signed out"
    REPORT_EXPORTED = "report_exported", "Exported report"
    MATCHER_TRAINED = "matcher_trained", "Trained the person matcher"
    PERSONS_MERGED = "persons_merged", "Merged duplicate person records"
    PERSONS_UNMERGED = "persons_unmerged", "Reversed a merge of person records"
    NOT_SAME_PERSON = "not_same_person", "Marked records as not the same person"
    DUPLICATES_FOUND = "duplicates_found", "Searched the person index for duplicates"
    MASH_CHECKS_STARTED = "mash_checks_started", "Started MASH checks"
    MASH_CHECKS_ASKED_FOR = "mash_checks_asked_for", "Asked a manager to start MASH checks"
    DISCLOSURE_MADE = "disclosure_made", "Disclosed information to a partner agency"
    DISCLOSURE_RECEIVED = "disclosure_received", "Received information from a partner agency"
    SHARING_DECLINED = "sharing_declined", "Decided not to share information"
    HANDLING_AGREED = "handling_agreed", "Agreed to share information despite its handling conditions"
    HANDLING_AGREEMENT_REFUSED = (
        "handling_agreement_refused",
        "Was refused when agreeing to share another agency's information",
    )
    LEDGER_EXPORTED = "ledger_exported", "Exported the sharing ledger"
    CONTACT_PAUSED_FOR_CONSENT = "contact_paused_for_consent", "Paused a contact: the referrer is seeking consent"
    CONTACT_RESUMED_AFTER_CONSENT = "contact_resumed_after_consent", "Resumed a contact paused for consent"
    INFORMATION_REQUEST_VIEWED = "information_request_viewed", "Viewed an information request"
    # Letters and messages (issue 15, ADR 0037).
    MESSAGE_VIEWED = "message_viewed", "Viewed a letter or message"
    MESSAGE_SENT = "message_sent", "Sent a letter or message"
    MESSAGE_HANDED_OVER = "message_handed_over", "Handed a message to GOV.UK Notify or the mail server"
    MESSAGE_DELIVERED = "message_delivered", "A message was delivered"
    MESSAGE_NOT_DELIVERED = "message_not_delivered", "A message was not delivered"
    MESSAGE_POSTED = "message_posted", "Printed and posted a letter"
    MESSAGE_TOLD_ANOTHER_WAY = "message_told_another_way", "Recorded that a message's recipient was told another way"
    MESSAGE_SENT_AGAIN = "message_sent_again", "Sent a message again"
    FAMILY_LETTER_WITHHELD = "family_letter_withheld", "Decided not to write to the family"
    FAMILY_LETTER_REASONS_LIFTED = (
        "family_letter_reasons_lifted",
        "Decided that the reasons not to write to the family no longer hold",
    )
    LETTER_TEMPLATE_CHANGED = "letter_template_changed", "Saved a new version of a letter template"
    SCHOOL_REGISTER_CHANGED = "school_register_changed", "Added or changed a school in the register"
    # Onward referrals (issue 15, ADR 0039).
    REFERRAL_PACK_SENT = "referral_pack_sent", "Sent a referral pack to the team a child was referred to"
    REFERRAL_PACK_VIEWED = "referral_pack_viewed", "Viewed a referral pack"
    REFERRAL_PACK_ACCEPTED = "referral_pack_accepted", "Accepted a referral pack for the team"
    REFERRAL_PACK_RETURNED = "referral_pack_returned", "Returned a referral pack to the MASH"
    REFERRAL_PACK_EMAILED = "referral_pack_emailed", "Emailed a referral pack to a team outside Safehub"
    RECEIVING_TEAM_SAVED = "receiving_team_saved", "Added or changed a team that receives referrals"
    INFORMATION_REQUEST_RECORDED = "information_request_recorded", "Recorded an information request"
    INFORMATION_REQUEST_TURNED_AWAY = (
        "information_request_turned_away",
        "Turned away an incomplete information request: nothing disclosed",
    )
    INFORMATION_REQUEST_ANSWERED = "information_request_answered", "Answered an information request"
    INFORMATION_REQUEST_DRAFTED = "information_request_drafted", "Wrote an information request's answer for approval"
    INFORMATION_REQUEST_APPROVED = "information_request_approved", "Approved and sent an information request's answer"
    INFORMATION_REQUEST_SENT_BACK = "information_request_sent_back", "Sent an information request's answer back"
    INFORMATION_REQUEST_REFERRED = "information_request_referred", "Sent an information request to the disclosure team"
    INFORMATION_REQUEST_REFUSED = "information_request_refused", "Refused an information request"
    SEEN_BY_REPORT = "seen_by_report", "Read who has seen a person's record"
    AGENCY_RESPONSE_SAVED = "agency_response_saved", "Saved a draft agency response"
    AGENCY_RESPONSE_SUBMITTED = "agency_response_submitted", "Submitted an agency response"
    AGENCY_RESPONSE_CORRECTED = "agency_response_corrected", "Corrected an agency response"
    MASH_CHECKS_SUBMITTED = "mash_checks_submitted", "Submitted MASH checks for decision"
    LATE_ANSWER_FORWARDED = "late_answer_forwarded", "Forwarded a MASH check answer that came after the decision"
    AGENCY_REQUEST_WITHDRAWN = "agency_request_withdrawn", "Withdrew a MASH check request"
    AGENCY_REQUEST_ADDED = "agency_request_added", "Asked another agency in open MASH checks"
    # User management (safehub.users) and the Django admin: each with the old and the new values.
    USER_CREATED = "user_created", "Created a user"
    USER_DETAILS_CHANGED = "user_details_changed", "Changed a user's name, email or job title"
    ROLE_GRANTED = "role_granted", "Gave a user a role in a team"
    ROLE_REMOVED = "role_removed", "Took away a user's role in a team"
    USER_DEACTIVATED = "user_deactivated", "Deactivated a user"
    USER_REACTIVATED = "user_reactivated", "Reactivated a user"
    SET_PASSWORD_LINK_SENT = "set_password_link_sent", "Sent a user a one-time link to set their password"
    PASSWORD_SET = "password_set", "Set a password with a one-time link"
    PASSWORD_CHANGED = "password_changed", "Changed their own password"
    PASSWORD_CHANGE_REFUSED = "password_change_refused", "Entered a wrong current password when changing their password"
    AGENCY_CREATED = "agency_created", "Created an agency"
    AGENCY_RENAMED = "agency_renamed", "Renamed an agency"
    AGENCY_ADDRESS_CHANGED = "agency_address_changed", "Changed an agency's shared email address"
    TEAM_CREATED = "team_created", "Created a team"
    TEAM_RENAMED = "team_renamed", "Renamed a team"
    ADMIN_RECORD_ADDED = "admin_record_added", "Added a record in the Django admin"
    ADMIN_RECORD_CHANGED = "admin_record_changed", "Changed a record in the Django admin"
    ADMIN_RECORD_DELETED = "admin_record_deleted", "Deleted a record in the Django admin"
    # Two-step sign-in (safehub.mfa): never the code itself, right or wrong.
    MFA_ENROLLED = "mfa_enrolled", "Set up an authenticator app for signing in"
    MFA_CODE_ACCEPTED = "mfa_code_accepted", "Entered a correct sign-in code"
    MFA_CODE_REFUSED = "mfa_code_refused", "Entered a wrong sign-in code"
    MFA_LOCKED = "mfa_locked", "Signing in locked after too many wrong codes"
    MFA_RECOVERY_CODE_USED = "mfa_recovery_code_used", "Signed in with a recovery code"
    MFA_RECOVERY_CODES_REGENERATED = "mfa_recovery_codes_regenerated", "Got new recovery codes"
    MFA_UNLOCKED = "mfa_unlocked", "Unlocked a user's sign-in codes"
    MFA_RESET = "mfa_reset", "Removed a user's authenticator app and recovery codes"
    # Sign-in limits and sessions (ADR 0023).
    ACCOUNT_LOCKED = "account_locked", "Locked an account after repeated wrong passwords"
    ACCOUNT_UNLOCKED = "account_unlocked", "Unlocked an account"
    SIGN_IN_THROTTLED = "sign_in_throttled", "Refused sign-ins from a client address after repeated failures"
    SIGNED_OUT_IDLE = "signed_out_idle", "Signed out after a time without activity"
    SIGNED_OUT_SESSION_LIMIT = "signed_out_session_limit", "Signed out at the end of the session's lifetime"
    SESSION_ENDED_ACCOUNT_OFF = "session_ended_account_off", "Ended the session of an account that was switched off"
    SESSION_ENDED_PASSWORD_CHANGED = (
        "session_ended_password_changed",
        "Ended a session after the account's password changed",
    )
    AGENCY_SECURE_ADDRESS_CHANGED = "agency_secure_address_changed", "Changed an agency's agreed secure email address"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: User) -> AuditEventQuerySet:
        """The audit trail is read by the data protection officer only."""
        if can_read_audit(user):
            return self
        return self.none()


class AuditEvent(models.Model):
    """One append-only, hash-chained entry, signed with the audit key. Never updated or deleted
    (database triggers; on PostgreSQL also the application role's grants)."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No `choices`: new verbs are added to `Verb` without a migration; services only accept `Verb`.
    verb = models.CharField(max_length=40)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    system_process = models.CharField(max_length=60, blank=True)
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.PROTECT)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)
    # The id of the key that signed the entry (ADR 0025). NULL, not "": entries written before the
    # chain was keyed keep the value they had, and adding a nullable column rewrites no row.
    key_id = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["contact", "at"]),
            models.Index(fields=["person", "at"]),
            models.Index(fields=["by", "at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(by__isnull=False) | ~Q(system_process=""), name="audit_event_has_actor"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb_label}"

    @property
    def verb_label(self) -> str:
        return Verb(self.verb).label if self.verb in Verb.values else self.verb

    @property
    def details(self) -> str:
        """What the entry was about, for the audit trail's reader: a read or refusal ("contact
        999999, answered 404, on the contact page"), or whose account, with what and why ("account
        social.worker, 10 wrong passwords in a row"; "account asha.patel, role social worker
        in MASH, reason: “Left”"; "name: MASH → Front door"); "" for entries that hold none."""
        data = self.data if isinstance(self.data, dict) else {}
        parts = []
        if data.get("record"):
            parts.append(f"{data['record']} {data.get('id', '')}".strip())
        if data.get("status"):
            parts.append(f"answered {data['status']}")
        if data.get("page"):
            parts.append(f"on the {data['page']} page")
        if data.get("restricted"):
            parts.append("a restricted contact")
        parts.extend(_account_details(data))
        return ", ".join(parts)


def _count(number: object, noun: str) -> str:
    """'1 wrong code', '10 wrong codes'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _account_details(data: dict[str, Any]) -> list[str]:
    """The parts of a sign-in's or an administrator's entry: the account, the numbers, the change."""
    parts = []
    if data.get("username"):
        parts.append(f"account {data['username']}")
    if data.get("role"):
        role = data["role"]
        label = Role(role).label.lower() if role in Role.values else role
        parts.append(f"role {label}" + (f" in {data['team']}" if data.get("team") else ""))
    elif data.get("team"):
        parts.append(f"team {data['team']}")
    if data.get("failures") is not None and data.get("client"):
        parts.append(f"{data['failures']} failed sign-ins from {data['client']}")
    elif data.get("failures") is not None:
        parts.append(f"{_count(data['failures'], 'wrong password')} in a row")
    elif data.get("client"):
        parts.append(f"from {data['client']}")
    if data.get("when") == "changing":
        parts.append("while changing their password")
    if data.get("wrong_in_a_row") is not None:
        parts.append(f"{_count(data['wrong_in_a_row'], 'wrong code')} in a row")
    old, new = data.get("old"), data.get("new")
    if isinstance(old, dict) and isinstance(new, dict):
        parts.extend(f"{name.replace('_', ' ')}: {old.get(name, '')} → {new[name]}" for name in new)
    elif isinstance(new, dict) and not data.get("username"):
        parts.extend(f"{name.replace('_', ' ')}: {value}" for name, value in new.items())
    if data.get("reason"):
        parts.append(f"reason: “{data['reason']}”")
    return parts


class AuditHead(models.Model):
    """The single row through which every append is serialised (pk is always 1)."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at #{self.seq}"
