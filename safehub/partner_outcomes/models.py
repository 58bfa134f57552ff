"""Outcomes shown to partner agencies: what the hub decided on a contact, fed back to the agencies that
answered its MASH checks (003 App. 4 §8; §2.6: the GP practice "will expect that MASH health
representative advise them of the outcome") and to the agency that referred it (000: "outcomes of
referrals sent to referring partners"; the police ask for the "outcomes of any referral made by
Police"). Showing one is a disclosure, recorded in the sharing ledger once for each agency."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safehub.accounts.models import Agency, AgencyKind
from safehub.contacts.models import Contact, ReferralSource
from safehub.decisions.models import Decision

# The agencies whose referrals the hub recognises as theirs, by the referral source a contact records
# (the CIN census code) and the referrer's agency, named as the agency is in Safehub: each partner agency
# with its own users (a school or a GP practice seldom has them; their outcomes go by letter, ADR 0037).
REFERRAL_SOURCES: dict[str, frozenset[str]] = {
    AgencyKind.POLICE: frozenset({ReferralSource.POLICE}),
    # 000's partner offers each ask for "outcomes of referrals" (health: "timely outcomes of referrals to
    # inform safe discharge"; education: the children "where the outcome is for school to undertake an
    # Early Help Assessment"; probation and CGL likewise), by the CIN census's source codes.
    AgencyKind.HEALTH: frozenset(
        {
            ReferralSource.HEALTH_VISITOR,
            ReferralSource.HEALTH_SCHOOL_NURSE,
            ReferralSource.HEALTH_OTHER_PRIMARY,
            ReferralSource.HEALTH_A_AND_E,
            ReferralSource.HEALTH_OTHER,
        }
    ),
    AgencyKind.GP_PRACTICE: frozenset({ReferralSource.HEALTH_GP}),
    AgencyKind.EDUCATION: frozenset({ReferralSource.SCHOOLS, ReferralSource.EDUCATION_SERVICES}),
    AgencyKind.HOUSING: frozenset({ReferralSource.LA_HOUSING}),
    AgencyKind.PROBATION: frozenset({ReferralSource.OTHER_LEGAL}),
    AgencyKind.SUBSTANCE_MISUSE: frozenset({ReferralSource.OTHER}),
}


class ShownBecause(models.TextChoices):
    ANSWERED_CHECKS = "answered_checks", "The agency answered the MASH checks on the contact"
    REFERRED = "referred", "The agency referred the contact"


class OutcomeShown(models.Model):
    """A contact's decided outcome shown to a partner agency, the first time one of its professionals
    opened it: the ledger row of that disclosure names this row. Once for each agency and decision
    (however many of its professionals open it, and however often); never changed."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    because = models.CharField(max_length=20, choices=ShownBecause)
    first_shown_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_shown_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "agency"], name="outcome_shown_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"Outcome of {self.contact} shown to {self.agency}"
