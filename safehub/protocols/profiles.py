"""The four seed hubs' protocols, shipped as data (DESIGN.md §3).

Each timescale names the passage of the seed it comes from; where a seed is silent the value
is a stated local default that an administrator can change.
"""

from __future__ import annotations

from typing import Any

H = "elapsed_hours"
WH = "working_hours"
WD = "working_days"

PROFILES: list[dict[str, Any]] = [
    {
        "slug": "bexley",
        "name": "Bexley MASH",
        "source": "Bexley MASH Operational Practice Framework (2020)",
        "three_month_rule": True,
        "daily_meeting": "Tuesday to Friday at 11:00 (BRAG)",
        "early_help_criteria": [
            "Parental domestic violence",
            "Parental mental ill-health",
            "Parental substance misuse",
            "Child at risk of exclusion or excluded from school",
        ],
        "always_checked_agencies": ["health", "education", "police"],
        "levels": [
            ("additional", "Additional", "Signpost to universal and additional services."),
            ("intensive", "Intensive", "Family Wellbeing service (needs consent)."),
            ("specialist", "Specialist", "Children's social care assessment (s17) or disability service."),
            ("significant_harm", "Significant harm", "Strategy discussion (s47)."),
        ],
        "timescales": [
            ("screening", "", 4, WH, "Local default: contact screened within half a working day"),
            ("screening", "red", 1, H, "§11: significant harm referred immediately (Red screened within the hour)"),
            ("threshold_decision", "", 24, H, "§9–10: referral made within 24 hours"),
            ("threshold_decision", "red", 4, H, "§11: significant harm referred immediately"),
            ("approval", "", 1, WD, "Local default"),
            ("approval", "red", 2, H, "§11: significant harm referred immediately"),
            ("outcome_to_referrer", "", 48, H, "§12: outcome shared in writing within 48 hours"),
            ("consultation_summary", "", 48, H, "§5–6: summary sent within 48 hours"),
            ("mash_checks", "", 1, WD, "§13: other MASH checks within 1 working day"),
            ("mash_checks", "red", 4, H, "§13: high-risk MASH checks within 4 hours"),
            ("strategy_discussion", "", 4, H, "§11: immediate referral for a strategy meeting"),
        ],
    },
    {
        "slug": "birmingham",
        "name": "Birmingham CASS and MASH",
        "source": "Birmingham CASS/MASH information sharing protocol; scrutiny report (2016)",
        "three_month_rule": False,
        "daily_meeting": "",
        "early_help_criteria": [],
        "always_checked_agencies": ["police", "health", "education"],
        "levels": [
            ("universal", "Universal", "Needs met by universal services."),
            ("additional", "Additional", "Early help."),
            ("complex", "Complex", "Children's social care assessment (s17)."),
            ("significant", "Significant", "Child protection (s47)."),
        ],
        "timescales": [
            ("screening", "", 4, WH, "Same-day triage by a Referral and Advice Officer"),
            ("screening", "red", 1, H, "Immediate risk: a phone call at once (Red screened within the hour)"),
            ("threshold_decision", "", 24, H, "Decision within 24 hours"),
            ("threshold_decision", "red", 4, H, "Urgent: within hours"),
            ("approval", "", 24, H, "Decision within 24 hours"),
            ("approval", "red", 2, H, "Urgent: within hours"),
            ("outcome_to_referrer", "", 1, WD, "Outcomes sent to partners (local default: next working day)"),
            ("consultation_summary", "", 2, WD, "Local default"),
            ("mash_checks", "", 8, WH, "Same day"),
            ("mash_checks", "red", 4, H, "Urgent: within hours"),
            ("strategy_discussion", "", 24, H, "Strategy meetings within 24 hours (72 by recorded exception)"),
        ],
    },
    {
        "slug": "sefton",
        "name": "Sefton MASH",
        "source": "Sefton MASH information sharing agreement",
        "three_month_rule": False,
        "daily_meeting": "",
        "early_help_criteria": [],
        "always_checked_agencies": ["police", "health", "education"],
        "levels": [
            ("level_1", "Level 1: universal", "Needs met by universal services."),
            ("level_2", "Level 2: early help", "Additional needs; early help with consent."),
            ("level_3", "Level 3: targeted", "Complex needs; children in need."),
            ("level_4", "Level 4: specialist", "Acute needs; child protection."),
        ],
        "timescales": [
            ("screening", "", 4, WH, "Local default"),
            ("screening", "red", 1, H, "Local default: Red screened within the hour"),
            ("threshold_decision", "", 24, WH, "GP information by phone when needed within 24 working hours"),
            ("approval", "", 1, WD, "Local default"),
            ("approval", "red", 2, H, "Local default for red"),
            ("outcome_to_referrer", "", 1, WD, "Outcome to the referrer within one working day"),
            ("consultation_summary", "", 2, WD, "Local default"),
            ("mash_checks", "", 24, WH, "Information returned within 24 working hours"),
            ("strategy_discussion", "", 24, H, "Local default"),
        ],
    },
    {
        "slug": "walsall",
        "name": "Walsall MASH",
        "source": "Walsall MASH scrutiny report (2016)",
        "three_month_rule": False,
        "daily_meeting": "",
        "early_help_criteria": [],
        "always_checked_agencies": ["police", "education", "early_help", "health"],
        "levels": [
            ("early_help", "Early help", "Supported through Early Help."),
            ("csc", "Children's social care", "Child and family assessment."),
            ("cp", "Child protection", "Strategy discussion within 2 hours."),
        ],
        "timescales": [
            ("screening", "", 4, WH, "Local default"),
            ("screening", "red", 1, H, "§6: a child protection concern progressed within 2 hours"),
            ("threshold_decision", "", 1, WD, "Local default"),
            ("threshold_decision", "red", 2, H, "§6: child protection concern progressed within 2 hours"),
            ("approval", "", 1, WD, "§5, §7: every recommendation approved by a manager"),
            ("approval", "red", 2, H, "§6: within 2 hours"),
            ("outcome_to_referrer", "", 2, WD, "Local default"),
            ("consultation_summary", "", 2, WD, "Local default"),
            ("mash_checks", "", 1, WD, "Local default"),
            ("mash_checks", "", 1, H, "§5: health information requests answered within one hour", "health"),
            ("strategy_discussion", "", 2, H, "§6: within 2 hours"),
        ],
    },
]


PROTOCOL_FIELDS = (
    "name",
    "source",
    "three_month_rule",
    "daily_meeting",
    "early_help_criteria",
    "always_checked_agencies",
)


def install(protocol_model: Any, level_model: Any, timescale_model: Any, *, activate: str = "bexley") -> None:
    """Create the seed profiles that are missing; leave edited ones alone; activate one if none is.

    Takes the model classes so that a data migration can pass its historical models.
    """
    for profile in PROFILES:
        protocol, created = protocol_model.objects.get_or_create(
            slug=profile["slug"], defaults={key: profile[key] for key in PROTOCOL_FIELDS}
        )
        if not created:
            continue
        for order, (code, label, description) in enumerate(profile["levels"], start=1):
            level_model.objects.create(protocol=protocol, order=order, code=code, label=label, description=description)
        knows_agencies = any(field.name == "agency" for field in timescale_model._meta.get_fields())
        for clock, rating, amount, unit, note, *agency in profile["timescales"]:
            extra = {"agency": agency[0]} if agency else {}
            if extra and not knows_agencies:
                continue  # an early migration's model: migration 0004 adds agency rules
            timescale_model.objects.create(
                protocol=protocol, clock=clock, rating=rating, amount=amount, unit=unit, note=note, **extra
            )
    if not protocol_model.objects.filter(is_active=True).exists():
        protocol_model.objects.filter(slug=activate).update(is_active=True)
