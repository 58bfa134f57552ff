"""The DfE Children in Need census's code lists for what happens after a referral (the census guide
for 2025 to 2026, and the DfE's validation rules: 8650 primary need, 8640 reason for closure, 8897Q
assessment factors, 8910 category of abuse). Stored as the census's codes, shown with their labels."""

from __future__ import annotations

from django.db import models


class PrimaryNeed(models.TextChoices):
    """<PrimaryNeedCode> (N00101): the main reason the child is in need, from the assessment."""

    NOT_STATED = "N0", "Not stated"
    ABUSE_OR_NEGLECT = "N1", "Abuse or neglect"
    CHILD_DISABILITY = "N2", "Child's disability or illness"
    PARENTAL_DISABILITY = "N3", "Parental disability or illness"
    FAMILY_IN_ACUTE_STRESS = "N4", "Family in acute stress"
    FAMILY_DYSFUNCTION = "N5", "Family dysfunction"
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = "N6", "Socially unacceptable behaviour"
    LOW_INCOME = "N7", "Low income"
    ABSENT_PARENTING = "N8", "Absent parenting"
    NOT_IN_NEED = "N9", "Cases other than children in need"


class ReasonForClosure(models.TextChoices):
    """<ReasonForClosure> (N00103). RC9 was added beside RC8 and the census rules accept both."""

    ADOPTED = "RC1", "Adopted"
    DIED = "RC2", "Died"
    CHILD_ARRANGEMENTS_ORDER = "RC3", "Child arrangements order"
    SPECIAL_GUARDIANSHIP_ORDER = "RC4", "Special guardianship order"
    TRANSFERRED_TO_ANOTHER_LA = "RC5", "Transferred to services of another local authority"
    TRANSFERRED_TO_ADULT_SERVICES = "RC6", "Transferred to adult social care services"
    SERVICES_CEASED = "RC7", "Services ceased for any other reason, including child no longer in need"
    CLOSED_AFTER_ASSESSMENT_NFA = "RC8", "Case closed after assessment, no further action"
    CLOSED_AFTER_ASSESSMENT_EARLY_HELP = "RC9", "Case closed after assessment, referred to early help"


# RC8 and RC9 close an episode after an assessment: it may have no plan, s47 enquiry or conference (rule 2990).
CLOSED_AFTER_ASSESSMENT = frozenset(
    {ReasonForClosure.CLOSED_AFTER_ASSESSMENT_NFA, ReasonForClosure.CLOSED_AFTER_ASSESSMENT_EARLY_HELP}
)


class CategoryOfAbuse(models.TextChoices):
    """<InitialCategoryOfAbuse> (N00113) and <LatestCategoryOfAbuse> (N00114) of a child protection plan."""

    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"
    MULTIPLE = "MUL", "Multiple"


class Disability(models.TextChoices):
    """<Disability> (N00099). NONE is never sent with another code."""

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
    AUTISM = "AUT", "Autism or Asperger's syndrome"
    OTHER_DDA = "DDA", "Disabled under the Equality Act, in no other category"


class UpnUnknown(models.TextChoices):
    """<UPNunknown> (N00135): why a child has no Unique Pupil Number. The rules check UN1 to UN7; the
    labels of UN8 to UN10 are to be read against the code set before they are offered to staff."""

    UNDER_SIX = "UN1", "Child is under 6 and not yet at school"
    NEVER_AT_SCHOOL_IN_ENGLAND = "UN2", "Child has never attended a school in England"
    EDUCATED_OUTSIDE_SCHOOL = "UN3", "Child is educated outside school"
    NEWLY_REGISTERED = "UN4", "Child is newly registered at a school and the UPN is not yet known"
    SOURCES_DISAGREE = "UN5", "The sources of the UPN disagree"
    UNACCOMPANIED_ASYLUM_SEEKER = "UN6", "Child is an unaccompanied asylum-seeking child"
    REFERRAL_NFA = "UN7", "Referral with no further action"
    NEW_TO_LA = "UN8", "Child is new to the local authority and the UPN is not yet known"
    UN9 = "UN9", "Another reason the case system records as UN9"
    UN10 = "UN10", "Another reason the case system records as UN10"


class AssessmentFactor(models.TextChoices):
    """<AssessmentFactors> (N00181): the factors identified at the end of an assessment. 18A and 19A
    are still accepted but queried: 18B/18C and 19B/19C replaced them."""

    ALCOHOL_CHILD = "1A", "Alcohol misuse: the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: a parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: the child"
    DRUGS_PARENT = "2B", "Drug misuse: a parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: the child"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: a parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: another person in the household"
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
    PRIVATE_FOSTERING_OVERSEAS_RETURNING = "8B", "Privately fostered: from overseas, intending to return"
    PRIVATE_FOSTERING_OVERSEAS_STAYING = "8C", "Privately fostered: from overseas, intending to stay"
    PRIVATE_FOSTERING_UK_EDUCATION = "8D", "Privately fostered: from the UK, for education"
    PRIVATE_FOSTERING_UK_ARRANGEMENTS = "8E", "Privately fostered: from the UK, family making other arrangements"
    PRIVATE_FOSTERING_OTHER = "8F", "Privately fostered: other"
    UNACCOMPANIED_ASYLUM_SEEKER = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    SEXUAL_EXPLOITATION = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE = "18A", "Physical abuse (replaced by 18B and 18C)"
    PHYSICAL_ABUSE_BY_ADULT = "18B", "Physical abuse: by an adult"
    PHYSICAL_ABUSE_BY_CHILD = "18C", "Physical abuse: by another child"
    SEXUAL_ABUSE = "19A", "Sexual abuse (replaced by 19B and 19C)"
    SEXUAL_ABUSE_BY_ADULT = "19B", "Sexual abuse: by an adult"
    SEXUAL_ABUSE_BY_CHILD = "19C", "Sexual abuse: by another child"
    OTHER = "20", "Other"
    NO_FACTORS = "21", "No factors identified"
    FEMALE_GENITAL_MUTILATION = "22A", "Female genital mutilation"
    FAITH_OR_BELIEF = "23A", "Abuse linked to faith or belief"
    CRIMINAL_EXPLOITATION = "24A", "Child criminal exploitation"


# Codes the census no longer wants (queries 8945Q, 8950Q): refused on import.
RETIRED_FACTORS = frozenset({AssessmentFactor.PHYSICAL_ABUSE, AssessmentFactor.SEXUAL_ABUSE})
