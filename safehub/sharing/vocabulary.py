"""Why information about a child is shared, and the law that allows it, in the words the hubs'
protocols use. Each ground names the seed section that cites it (DESIGN.md §2: "Every disclosure
is a record": what, to whom, why, lawful basis, consent status, who decided)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class Purpose(models.TextChoices):
    """Why a disclosure is made. One value per outbound route; a new route adds its purpose here."""

    # 000 (partner offers: what each agency needs to search its systems); 002 §13–16 (MASH checks
    # when need or risk is unclear); 002 §4 notes 2–3 (Children Act 1989 s17 and s47).
    MASH_CHECKS = (
        "mash_checks",
        "MASH checks: to decide whether the child needs help or protection (Children Act 1989 s17 and s47)",
    )
    # 000: coordinators "provide Partners with details of the family ... and ... the SW/TM rational" for
    # the strategy discussion; 002 §11 (Children Act 1989 s47).
    STRATEGY_DISCUSSION = (
        "strategy_discussion",
        "Strategy discussion: the papers for a child who may be suffering significant harm (Children Act 1989 s47)",
    )
    # 000 (information requests from other professionals, levels 1 to 3).
    INFORMATION_REQUEST = (
        "information_request",
        "An information request: another professional asked what the hub holds about a child",
    )
    # 002 §12 ("outcome will be shared in writing, with the person making contact"); 003 App. 4 §10.
    OUTCOME_TO_REFERRER = (
        "outcome_to_referrer",
        "Telling the person who made contact that it was received, and its outcome",
    )
    # 003 App. 4 §11 ("write to the family, informing them that a MASH Referral has been made and of the
    # decision"); 003 (fair processing: people are told why their information is shared).
    FAMILY_LETTER = (
        "family_letter",
        "Telling the family that a referral was made, what was decided and who will contact them",
    )
    # 002 §5–6: "A summary of the consultation will be recorded in the MASH and a copy sent to the person who
    # sought the consultation, within 48 hours."
    CONSULTATION_SUMMARY = (
        "consultation_summary",
        "A consultation's summary, sent to the professional who asked the hub for advice",
    )
    # Operation Encompass (Home Office statutory guidance, November 2025).
    ENCOMPASS = (
        "encompass",
        "Operation Encompass: telling a child's school before the next school day that police attended"
        " domestic abuse at home",
    )
    # 000 ("proportionate"): the hub's own copy of a contact, downloaded to take to a meeting or court.
    CASE_RECORD = (
        "case_record",
        "The hub's own record: a copy downloaded by hub staff for their work on the contact",
    )
    # 000 (partner offers: "outcomes of referrals sent to referring partners"; the police ask for the
    # "outcomes of any referral made by Police"); 003 App. 4 §8 (the outcome fed back to the agencies asked).
    OUTCOME_TO_PARTNER = (
        "outcome_to_partner",
        "Feedback to a partner agency: the outcome of a contact it referred or answered MASH checks on",
    )
    # 003 App. 4 §11–12 (the step-down referral, with the family letter; "inform the Early Help service
    # of the concerns noted in the initial referral"); 002 §9–11 (referral to Family Wellbeing, the
    # Assessment service or the Children with Disability service).
    ONWARD_REFERRAL = (
        "onward_referral",
        "An onward referral: the contact, the hub's reasons and what partners shared, for the team the child"
        " was referred to",
    )
    # 001, 004 (the figures the hubs report); the DfE's Children in Need census (Children Act 1989 s83:
    # returns to the Secretary of State) and Ofsted's Annex A, asked for at inspection of the council's
    # children's services (issue 16).
    STATUTORY_RETURN = (
        "statutory_return",
        "A statutory return: the DfE's Children in Need census, or Ofsted's inspection data (Annex A)",
    )


class Direction(models.TextChoices):
    """Which way the information went: the ledger holds what came in as well as what went out."""

    OUT = "out", "Sent"
    IN = "in", "Received"


class Basis(models.TextChoices):
    """The lawful bases a disclosure relies on, as coded choices (003 Appendix 3: an Article 6 basis
    always; an Article 9 condition as well for special category data; the DPA 2018 conditions and
    exemptions the hubs' agreements cite, 003 Appendix 1 and 000 "information sharing")."""

    GDPR_6_1_C = "gdpr_6_1_c", "UK GDPR Art 6(1)(c): a legal obligation"
    GDPR_6_1_E = "gdpr_6_1_e", "UK GDPR Art 6(1)(e): a public task with a clear basis in law"
    GDPR_9_2_G = "gdpr_9_2_g", "UK GDPR Art 9(2)(g): special category data, substantial public interest"
    GDPR_9_2_H = "gdpr_9_2_h", "UK GDPR Art 9(2)(h): special category data, health or social care"
    DPA_SCH1_PARA18 = "dpa_sch1_para18", "DPA 2018 Sch 1 para 18: safeguarding of children and individuals at risk"
    DPA_SCH2 = "dpa_sch2", "DPA 2018 Sch 2: crime, or required by law or a court's order"
    DPA_SCH8 = "dpa_sch8", "DPA 2018 Sch 8: protecting a child from harm (law enforcement processing)"
    CONSENT = "consent", "Consent of the people the information is about"


# Where each basis is cited in the seeds, for whoever checks the vocabulary against them.
BASIS_SEEDS: dict[Basis, str] = {
    Basis.GDPR_6_1_C: "003 Appendix 3, Article 6 (c)",
    Basis.GDPR_6_1_E: "003 Appendix 3, Article 6 (e); 000 §4.1",
    Basis.GDPR_9_2_G: "003 Appendix 3, Article 9 (g)",
    Basis.GDPR_9_2_H: "003 Appendix 3, Article 9 (h); 000 §3 (Art 9(2)(h))",
    Basis.DPA_SCH1_PARA18: "003 Appendix 1 (DPA 2018 Sch 1 Pt 2 para 18) and Appendix 3",
    Basis.DPA_SCH2: "003 Appendix 1 (DPA 2018 Sch 2 Pt 1 paras 2 and 5); 000 information sharing",
    Basis.DPA_SCH8: "000 information sharing (DPA 2018 Sch 8); 000 §3",
    Basis.CONSENT: "003 Appendix 3, Article 6 (a) and Article 9 (a)",
}
# The Article 6 bases: one of them must always be met (003 Appendix 3).
ARTICLE_6 = frozenset({Basis.GDPR_6_1_C, Basis.GDPR_6_1_E, Basis.CONSENT})


def statement(bases: Iterable[str]) -> str:
    """The bases as the ledger and the papers print them, in the vocabulary's order."""
    chosen = set(bases)
    return "; ".join(basis.label for basis in Basis if basis.value in chosen)


def citations(bases: Iterable[str]) -> str:
    """The bases cited without their words ('UK GDPR Art 6(1)(e); DPA 2018 Sch 1 para 18'): a line of
    the contact's list, where the full statement would repeat on every row."""
    chosen = set(bases)
    return "; ".join(basis.label.split(":")[0] for basis in Basis if basis.value in chosen)


# How the bases were written before they were coded (a free-text statement), for the migrations that
# read old rows: the words each basis was recognised by.
_WRITTEN = {
    Basis.GDPR_6_1_C: ("6(1)(c)",),
    Basis.GDPR_6_1_E: ("6(1)(e)",),
    Basis.GDPR_9_2_G: ("9(2)(g)",),
    Basis.GDPR_9_2_H: ("9(2)(h)",),
    Basis.DPA_SCH1_PARA18: ("sch 1", "schedule 1", "para 18"),
    Basis.DPA_SCH2: ("sch 2", "schedule 2"),
    Basis.DPA_SCH8: ("sch 8", "schedule 8"),
    Basis.CONSENT: ("consent",),
}


def bases_in(written: str) -> list[str]:
    """The coded bases a free-text statement names; a public task when it names none."""
    text = written.lower()
    found = [basis.value for basis, words in _WRITTEN.items() if any(word in text for word in words)]
    return found or [Basis.GDPR_6_1_E.value]


def basis_problems(bases: Iterable[str], *, everyone_consented: bool) -> list[str]:
    """What is wrong with a choice of bases: none, no Article 6 basis, or consent relied on when not
    everyone the information is about has given it."""
    chosen = {Basis(value) for value in bases}
    if not chosen:
        return ["Choose the lawful basis for sharing"]
    problems = []
    if not chosen & ARTICLE_6:
        problems.append("Choose an Article 6 basis as well: a legal obligation, a public task, or consent")
    if Basis.CONSENT in chosen and not everyone_consented:
        problems.append("Consent is not a basis here: not everyone this is about has given it")
    return problems


# A hub sharing to protect a child (003 Appendix 3; 000 §4.1): a public task, special category
# data in the substantial public interest, the DPA's safeguarding condition.
SAFEGUARDING_BASES: tuple[Basis, ...] = (Basis.GDPR_6_1_E, Basis.GDPR_9_2_G, Basis.DPA_SCH1_PARA18)
# A partner agency's answer, as the information-sharing agreements set it (003 Appendix 3); the
# police's under Part 3 of the DPA as well (000 §3: Schedule 8).
PARTNER_BASES: tuple[Basis, ...] = SAFEGUARDING_BASES
POLICE_BASES: tuple[Basis, ...] = (*SAFEGUARDING_BASES, Basis.DPA_SCH8)


class Category(models.TextChoices):
    """What kind of information a disclosure held (the DPO's "what was shared")."""

    IDENTITY = "identity", "Who the people are: names, dates of birth, addresses, NHS numbers"
    CONCERN = "concern", "The concern and the hub's reasons"
    RISK = "risk", "The hub's rating of the risk"
    CONSENT = "consent", "Consent positions"
    AGENCY_INFORMATION = "agency_information", "What an agency holds about the family"
    HEALTH = "health", "Health information (special category)"
    POLICE = "police", "Police information: offences, allegations, intelligence"
    DECISION = "decision", "The hub's decision and its rationale"
    STRATEGY = "strategy", "A strategy discussion's record: decisions, plan and actions"
    INVOLVEMENT = "involvement", "Children's social care involvement: dates, reasons, plans and workers"


class Condition(models.TextChoices):
    """A handling condition the agency that gave information put on it (000: police information
    "not to be disclosed ... without police agreement"; 003 §2.3 and Appendix 3, proportionate
    sharing). Each is kept at every exit (`sharing.exits`)."""

    MASH_ONLY = "mash_only", "May be seen by the MASH social worker and manager only"
    NOT_TO_FAMILY = "not_to_family", "May go to the family only with our agreement"
    NO_ONWARD = "no_onward", "No onward disclosure outside the MASH without our agreement"


def labelled(choices: type[models.TextChoices], values: Iterable[str]) -> list[str]:
    """Each coded value in words (a code no longer in the vocabulary as it was kept)."""
    words = dict(choices.choices)
    return [str(words.get(value, value)) for value in values]
