"""The four seed hubs' protocols, shipped as data (DESIGN.md §3).

Each timescale's note quotes the sentence of the seed it comes from. Where a seed is silent, the
value is a local default that an administrator can change, and its note begins "Local default"
and says what the seed does say (ADR 0017). Every step of a contact has a due time in every
profile: the recommendation and the approval either by their own clocks or by the overall
decision clock from receipt that some seeds set (000: 24 hours to a clear decision).
"""

from __future__ import annotations

from datetime import time
from typing import Any

H = "elapsed_hours"
WH = "working_hours"
WD = "working_days"
DAY_END = "working_day_end"  # to the end of the working day: 1 is the same day
# No seed sets a time for a strategy discussion's record; 000 has decisions and safety plans "collated in
# the strategy meeting minutes" so that "each agency is clear on the outcome and actions" (issue 13: one
# working day unless the protocol says otherwise).
BEXLEY_MEETING_TIME = time(11, 0)
BIRMINGHAM_TRIAGE_TIME = time(10, 0)
RECORD_DEFAULT = "Local default: the seeds set no time for the record of a strategy discussion"
# 000 describes the three levels of information request and who answers each, not how soon.
REQUEST_DEFAULT = "Local default: 000 sets the levels of information request, not their times"
# 002 §19 lets the social worker ask a professional to discuss a request with the family first, with no time.
CONSENT_SOUGHT = ("consent_sought", "", 2, WD, "Local default: 002 §19 sets no time for the referrer to seek consent")
INFORMATION_REQUESTS = [
    ("information_request_1", "", 1, WD, REQUEST_DEFAULT),
    ("information_request_2", "", 10, WD, REQUEST_DEFAULT),
    ("information_request_3", "", 20, WD, REQUEST_DEFAULT),
]
# The clocks every profile is given the same local default for, where its seed sets none.
LOCAL_DEFAULTS = [CONSENT_SOUGHT, *INFORMATION_REQUESTS]

TEAM_MANAGER = "team_manager"
SENIOR_PRACTITIONER = "senior_practitioner"

PROFILES: list[dict[str, Any]] = [
    {
        "slug": "bexley",
        "la_code": "303",  # the DfE's number for the council
        "name": "Bexley MASH",
        "source": "Bexley MASH Operational Practice Framework (2020)",
        "three_month_rule": True,
        "daily_meeting": "Tuesday to Friday at 11:00 (BRAG)",
        # §7: "between Tuesdays – Friday at 11am in the MASH room ... The Police, education, health,
        # probation, SOLACE and Children social care attend this meeting" (SOLACE: the domestic-abuse service).
        "meeting_days": [1, 2, 3, 4],
        "meeting_time": BEXLEY_MEETING_TIME,
        "meeting_members": ["police", "education", "health", "probation", "domestic_abuse", "childrens_social_care"],
        "early_help_criteria": [
            "Parental domestic violence",
            "Parental mental ill-health",
            "Parental substance misuse",
            "Child at risk of exclusion or excluded from school",
        ],
        "always_checked_agencies": ["health", "education", "police"],
        # §27: overriding consent is "agreed between the MASH Manager/SSW and the agency who owns the information".
        "override_by_senior_practitioner": True,
        "override_needs_owner_agreement": True,
        "levels": [
            ("additional", "Additional", "Signpost to universal and additional services."),
            ("intensive", "Intensive", "Family Wellbeing service (needs consent)."),
            ("specialist", "Specialist", "Children's social care assessment (s17) or disability service."),
            ("significant_harm", "Significant harm", "Strategy discussion (s47)."),
        ],
        "timescales": [
            ("screening", "", 4, WH, "Local default: §2–3 set no time for basic screening"),
            (
                "screening",
                "red",
                1,
                H,
                "Local default: Red screened within the hour, for §11: 'The MASH will immediately make a referral'",
            ),
            (
                "decision",
                "",
                24,
                H,
                "§9: 'The MASH social worker will make a referral to the Family Wellbeing service (Within 24 hours)';"
                " §10: 'a referral will be made to the Children with Disability service. (Within 24 hours)'",
            ),
            (
                "decision",
                "red",
                4,
                H,
                "Local default: 4 hours from receipt, for §11: 'The MASH will immediately make a referral to the"
                " Children's Social Care Assessment service for a Child Protection Strategy Meeting'",
            ),
            (
                "outcome_to_referrer",
                "",
                48,
                H,
                "§12: decision and outcome shared in writing 'with the person making contact with the MASH,"
                " within 48 hours' (from the decision)",
            ),
            (
                "consultation_summary",
                "",
                48,
                H,
                "§5: 'a copy sent to the person who sought the consultation, within 48 hours'; §6 likewise",
            ),
            ("mash_checks", "", 1, WD, "§13: 'other MASH checks must be completed within 1 working day'"),
            ("mash_checks", "red", 4, H, "§13: 'High-risk MASH checks will be completed within a maximum of 4 hours'"),
            (
                "strategy_discussion",
                "",
                4,
                H,
                "Local default: 4 hours, for §11: 'The MASH will immediately make a referral to the Children's"
                " Social Care Assessment service for a Child Protection Strategy Meeting'",
            ),
            (
                "strategy_exception",
                "",
                24,
                H,
                "Local default: 002 sets no exception; a risk-assessed discussion is still held within a day",
            ),
            ("strategy_record", "", 1, WD, RECORD_DEFAULT),
            *LOCAL_DEFAULTS,
        ],
        # Roles table: the MASH team manager and the CSC senior practitioners are each 'Decision maker
        # on contacts, screening, MASH checks and service provision for specialist services at levels 3 and 4'.
        "approver_roles": [TEAM_MANAGER, SENIOR_PRACTITIONER],
    },
    {
        "slug": "birmingham",
        "la_code": "330",  # the DfE's number for the council
        "name": "Birmingham CASS and MASH",
        "source": "Birmingham CASS/MASH information sharing protocol; scrutiny report (2016)",
        "three_month_rule": False,
        "daily_meeting": "",
        # 000, the police offer: "To support the domestic abuse daily triage with attendance, decision
        # making, and information sharing"; the domestic-abuse service (BSWA) "To support the work of the
        # CASS and MASH function through specialist Domestic Abuse advice". Weekdays; its time is a
        # local default (000 sets none).
        "triage_days": [0, 1, 2, 3, 4],
        "triage_time": BIRMINGHAM_TRIAGE_TIME,
        "triage_members": ["police", "domestic_abuse", "childrens_social_care"],
        "early_help_criteria": [],
        "always_checked_agencies": ["police", "health", "education"],
        # 000, Data and Information Sharing: "Information is shared initially within CASS with or without
        # consent in order to assess risk and harm which in turn identifies the proportionate level of
        # response required".
        "checks_without_consent": True,
        "levels": [
            ("universal", "Universal", "Needs met by universal services."),
            ("additional", "Additional", "Early help."),
            ("complex", "Complex", "Children's social care assessment (s17)."),
            ("significant", "Significant", "Child protection (s47)."),
        ],
        "timescales": [
            ("screening", "", 4, WH, "Local default: 000 sets no time for screening a request for support"),
            ("screening", "red", 1, H, "Local default: Red screened within the hour (000 sets no time)"),
            (
                "decision",
                "",
                24,
                H,
                "000, Role and function of CASS and MASH: 'There is a 24-hour timescale set for all enquires to"
                " have clear decisions'",
            ),
            (
                "decision",
                "red",
                4,
                H,
                "Local default: 4 hours from receipt for Red, within 000's 24 hours for all enquiries",
            ),
            (
                "outcome_to_referrer",
                "",
                1,
                WD,
                "Local default: 000 asks for outcomes to be shared with partners and sets no time",
            ),
            ("consultation_summary", "", 2, WD, "Local default: 000 sets no time"),
            (
                "mash_checks",
                "",
                1,
                DAY_END,
                "000: 'Same day responses are required from partners to allow CASS to make timely and"
                " proportionate recommendations without delay' (by the end of the working day; asked after it,"
                " the next)",
            ),
            (
                "mash_checks",
                "red",
                4,
                H,
                "Local default: 4 hours, for 000: 'There are occasions when information is required back within"
                " hour/s due to the nature of the risks raised'",
            ),
            (
                "strategy_discussion",
                "",
                24,
                H,
                "000: 'MASH aim to respond to all strategy meetings within 24 hours unless there is a clear risk"
                " assessment that allows for up to 72-hour exception'",
            ),
            (
                "strategy_exception",
                "",
                72,
                H,
                "000: 'unless there is a clear risk assessment that allows for up to 72-hour exception as identified"
                " in the local Safeguarding Protocol'",
            ),
            ("strategy_record", "", 1, WD, RECORD_DEFAULT),
            *LOCAL_DEFAULTS,
        ],
        "approver_roles": [TEAM_MANAGER],
    },
    {
        "slug": "sefton",
        "la_code": "343",  # the DfE's number for the council
        "name": "Sefton MASH",
        "source": "Sefton MASH information sharing agreement",
        "three_month_rule": False,
        "daily_meeting": "",
        "early_help_criteria": [],
        # §1.2, the agencies signed up to the agreement: Merseyside Police, Sefton Children's and Adult Social
        # Care, Sefton GP surgeries, Early Help, the probation services and the NHS trusts; education is not
        # among them (§1.1: "limited to those agencies specified in section 11 of the Children Act 2004").
        "always_checked_agencies": ["police", "health"],
        "levels": [
            ("level_1", "Level 1: universal", "Needs met by universal services."),
            ("level_2", "Level 2: early help", "Additional needs; early help with consent."),
            ("level_3", "Level 3: targeted", "Complex needs; children in need."),
            ("level_4", "Level 4: specialist", "Acute needs; child protection."),
        ],
        "timescales": [
            ("screening", "", 4, WH, "Local default: 003 sets no time for screening"),
            ("screening", "red", 1, H, "Local default: Red screened within the hour (003 sets no time)"),
            ("threshold_decision", "", 1, WD, "Local default: 003 sets no time for the decision"),
            ("approval", "", 1, WD, "Local default: 003 sets no time for the manager's decision"),
            ("decision", "red", 4, H, "Local default: Red decided within 4 hours of receipt (003 sets no time)"),
            (
                "outcome_to_referrer",
                "",
                1,
                WD,
                "App. 4 §10: 'they will inform the referrer of their decision by letter or telephone within 1"
                " working day'",
            ),
            ("consultation_summary", "", 2, WD, "Local default: 003 sets no time"),
            ("mash_checks", "", 1, WD, "Local default: 003 sets no time for agencies' answers"),
            ("mash_checks", "red", 4, H, "Local default: Red checks within 4 hours (003 sets no time)"),
            ("strategy_discussion", "", 24, H, "Local default: 003 sets no time"),
            ("strategy_exception", "", 72, H, "Local default: 003 sets no time; 000's 72-hour exception"),
            ("strategy_record", "", 1, WD, RECORD_DEFAULT),
            *LOCAL_DEFAULTS,
            (
                "phone_agency",
                "",
                24,
                WH,
                "§2.6: 'it is expected that MASH will also telephone GP surgeries if information is required"
                " within less than 24 working hours'",
                "gp_practice",
            ),
        ],
        "approver_roles": [TEAM_MANAGER],
    },
    {
        "slug": "walsall",
        "la_code": "335",  # the DfE's number for the council
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
            ("screening", "", 4, WH, "Local default: 004 sets no time for screening"),
            ("screening", "red", 1, H, "Local default: Red screened within the hour, inside §6's 2 hours"),
            ("threshold_decision", "", 1, WD, "Local default: 004 sets no time for the recommendation"),
            (
                "approval",
                "",
                1,
                WD,
                "Local default: §5 'A recommendation will then be made as to the next course of action, which"
                " will be approved by a manager', with no time",
            ),
            (
                "decision",
                "red",
                2,
                H,
                "§6: 'The agreed standard for the Walsall MASH to progress a child protection concern is within a"
                " maximum of 2 hours'",
            ),
            ("outcome_to_referrer", "", 2, WD, "Local default: 004 sets no time"),
            ("consultation_summary", "", 2, WD, "Local default: 004 sets no time"),
            ("mash_checks", "", 1, WD, "Local default: 004 sets no time"),
            (
                "mash_checks",
                "",
                1,
                H,
                "§5: 'there is agreement for the sharing of health information requests to be made within one"
                " hour of the request being made'",
                "health",
            ),
            (
                "strategy_discussion",
                "",
                2,
                H,
                "§6: the MASH will 'hold a strategy meeting'; 'The agreed standard for the Walsall MASH to"
                " progress a child protection concern is within a maximum of 2 hours'",
            ),
            (
                "strategy_from_receipt",
                "",
                2,
                H,
                "§6: 'If a referral is considered to be child protection, the MASH will screen the referral and"
                " hold a strategy meeting'; 'The agreed standard for the Walsall MASH to progress a child"
                " protection concern is within a maximum of 2 hours' (from the contact)",
            ),
            ("strategy_record", "", 1, WD, RECORD_DEFAULT),
            *LOCAL_DEFAULTS,
        ],
        # §5, §7: every recommendation 'approved by a manager'.
        "approver_roles": [TEAM_MANAGER],
    },
]


PROTOCOL_FIELDS = (
    "name",
    "source",
    "three_month_rule",
    "daily_meeting",
    "meeting_days",
    "meeting_time",
    "meeting_members",
    "triage_days",
    "triage_time",
    "triage_members",
    "consent_self_age",
    "consent_competence_age",
    "override_by_senior_practitioner",
    "override_needs_owner_agreement",
    "checks_without_consent",
    "early_help_criteria",
    "always_checked_agencies",
    "approver_roles",
    "la_code",
)


def install(
    protocol_model: Any, level_model: Any, timescale_model: Any, *, activate: str = "bexley", using: str = "default"
) -> None:
    """Create the seed profiles that are missing; leave edited ones alone; activate one if none is.

    Takes the model classes so that a data migration can pass its historical models (an early
    migration's models lack the later fields: migrations 0004 and 0007 add what they hold), and the
    database it is migrating (`using`).
    """
    protocols, levels, timescales = (
        model.objects.using(using) for model in (protocol_model, level_model, timescale_model)
    )
    for profile in PROFILES:
        known = {field.name for field in protocol_model._meta.get_fields()}
        protocol, created = protocols.get_or_create(
            slug=profile["slug"],
            defaults={key: profile[key] for key in PROTOCOL_FIELDS if key in known and key in profile},
        )
        if not created:
            continue
        for order, (code, label, description) in enumerate(profile["levels"], start=1):
            levels.create(protocol=protocol, order=order, code=code, label=label, description=description)
        knows_agencies = any(field.name == "agency" for field in timescale_model._meta.get_fields())
        for clock, rating, amount, unit, note, *agency in profile["timescales"]:
            extra = {"agency": agency[0]} if agency else {}
            if extra and not knows_agencies:
                continue  # an early migration's model: migrations 0004 and 0007 add agency rules
            timescales.create(
                protocol=protocol, clock=clock, rating=rating, amount=amount, unit=unit, note=note, **extra
            )
    if not protocols.filter(is_active=True).exists():
        protocols.filter(slug=activate).update(is_active=True)
