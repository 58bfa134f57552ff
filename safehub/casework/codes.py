"""The DfE Children in Need census's code lists for what happens after a referral (the census guide
for 2025 to 2026, and the DfE's validation rules: 8650 primary need, 8640 reason for closure, 8897Q
assessment factors, 8910 category of abuse). Stored as the census's codes, shown with their labels."""

from __future__ import annotations

from django.db import models


class PrimaryNeed(models.TextChoices):
    NOT_STATED = "N0", "Not stated"
    ABUSE_OR_NEGLECT = "N1", "Abuse or neglect"
    CHILD_DISABILITY = "N2", "Child's disability or illness"
    PARENT_DISABILITY = "N3", "Parental disability or illness"
    ACUTE_STRESS = "N4", "Family in acute stress"
    FAMILY_DYSFUNCTION = "N5", "Family dysfunction"
    BEHAVIOUR = "N6", "Socially unacceptable behaviour"
    LOW_INCOME = "N7", "Low income"
    ABSENT_PARENTING = "N8", "Absent parenting"
    NOT_IN_NEED = "N9", "Cases other than children in need"


class ClosureReason(models.TextChoices):
    ADOPTED = "RC1", "Adopted"
    DIED = "RC2", "Died"
    CHILD_ARRANGEMENTS_ORDER = "RC3", "Child arrangements order"
    SPECIAL_GUARDIANSHIP = "RC4", "Special guardianship order"
    ANOTHER_AUTHORITY = "RC5", "Transferred to services of another local authority"
    ADULT_SERVICES = "RC6", "Transferred to adult social services"
    SERVICES_CEASED = "RC7", "Services ceased for any other reason, including the child no longer being in need"
    CLOSED_AFTER_ASSESSMENT = "RC8", "Case closed after assessment, no further action"
    CLOSED_TO_EARLY_HELP = "RC9", "Case closed after assessment, referred to early help"


# RC8 and RC9 close an episode after an assessment: it may have no plan, s47 enquiry or conference (rule 2990).
CLOSED_AFTER_ASSESSMENT = frozenset({ClosureReason.CLOSED_AFTER_ASSESSMENT, ClosureReason.CLOSED_TO_EARLY_HELP})


class AbuseCategory(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"
    MULTIPLE = "MUL", "Multiple categories"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOBILITY = "MOB", "Mobility"
    HAND_FUNCTION = "HAND", "Hand function"
    PERSONAL_CARE = "PC", "Personal care"
    INCONTINENCE = "INC", "Incontinence"
    COMMUNICATION = "COMM", "Communication"
    LEARNING = "LD", "Learning"
    HEARING = "HEAR", "Hearing"
    VISION = "VIS", "Vision"
    BEHAVIOUR = "BEH", "Behaviour"
    CONSCIOUSNESS = "CON", "Consciousness"
    AUTISM = "AUT", "Autism or Asperger syndrome"
    OTHER = "DDA", "Other disability"


class UpnUnknown(models.TextChoices):
    """Why a child has no unique pupil number."""

    NOT_SCHOOL_AGE = "UN1", "Child is not of school age and has not yet been assigned a UPN"
    LOOKED_AFTER_NONE = "UN2", "Child is looked after and has not been issued a UPN"
    EDUCATED_ELSEWHERE = "UN3", "Child is educated outside England, or at home, and has no UPN"
    NEWLY_ARRIVED = "UN4", "Child is newly arrived and has not yet been assigned a UPN"
    NOT_KNOWN_TO_SCHOOL = "UN5", "Sources collating UPNs reflect a discrepancy"
    NOT_KNOWN = "UN6", "UPN not known: recorded after the census date"
    REFERRAL_NFA = "UN7", "Referral with no further action"
    UNBORN = "UN8", "Unborn child"
    UNACCOMPANIED = "UN9", "Unaccompanied asylum-seeking child"
    NOT_RECORDED = "UN10", "Not recorded for another reason"


class AssessmentFactor(models.TextChoices):
    """Factors identified at the end of an assessment (rule 8897Q's list)."""

    ALCOHOL_CHILD = "1A", "Alcohol misuse: the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: a parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: the child"
    DRUGS_PARENT = "2B", "Drug misuse: a parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: the child as the subject"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: a parent or carer as the subject"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: another person in the household as the subject"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: a parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: a parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "Learning disability: another person in the household"
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: the child"
    PHYSICAL_DISABILITY_PARENT = "6B", "Physical disability or illness: a parent or carer"
    PHYSICAL_DISABILITY_OTHER = "6C", "Physical disability or illness: another person in the household"
    YOUNG_CARER = "7A", "Young carer"
    PRIVATELY_FOSTERED = "8B", "Privately fostered: overseas child, parents intend to return them"
    PRIVATELY_FOSTERED_STUDY = "8C", "Privately fostered: overseas child, parents do not intend to return them"
    PRIVATELY_FOSTERED_UK_FAMILY = "8D", "Privately fostered: UK family, parents intend to return the child"
    PRIVATELY_FOSTERED_UK_OTHER = "8E", "Privately fostered: UK family, parents do not intend to return the child"
    PRIVATELY_FOSTERED_OTHER = "8F", "Privately fostered: other"
    UNACCOMPANIED = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    SEXUAL_EXPLOITATION = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    BEHAVIOUR = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Abuse or neglect: neglect"
    EMOTIONAL_ABUSE = "17A", "Abuse or neglect: emotional abuse"
    PHYSICAL_ABUSE = "18A", "Abuse or neglect: physical abuse (no longer used: 18B or 18C)"
    PHYSICAL_ABUSE_ADULT = "18B", "Abuse or neglect: physical abuse by an adult"
    PHYSICAL_ABUSE_CHILD = "18C", "Abuse or neglect: physical abuse by another child"
    SEXUAL_ABUSE = "19A", "Abuse or neglect: sexual abuse (no longer used: 19B or 19C)"
    SEXUAL_ABUSE_ADULT = "19B", "Abuse or neglect: sexual abuse by an adult"
    SEXUAL_ABUSE_CHILD = "19C", "Abuse or neglect: sexual abuse by another child"
    OTHER = "20", "Other"
    NONE = "21", "No factors identified"
    FGM = "22A", "Female genital mutilation"
    FAITH = "23A", "Abuse linked to faith or belief"
    CRIMINAL_EXPLOITATION = "24A", "Child criminal exploitation"


# Codes the census no longer wants (queries 8945Q, 8950Q): refused on import.
RETIRED_FACTORS = frozenset({AssessmentFactor.PHYSICAL_ABUSE, AssessmentFactor.SEXUAL_ABUSE})
