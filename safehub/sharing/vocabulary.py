"""Why information about a child is shared, and the law that allows it, in the words the hubs'
protocols use. Each ground names the seed section that cites it (DESIGN.md §2: "Every disclosure
is a record": what, to whom, why, lawful basis, consent status, who decided)."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Ground:
    """One law and the provisions of it that a disclosure relies on."""

    law: str
    provisions: tuple[str, ...]
    meaning: str
    seed: str

    def __str__(self) -> str:
        return f"{self.law} {' and '.join(self.provisions)}"


@dataclass(frozen=True)
class LawfulBasis:
    """A lawful-basis statement as it is recorded on a disclosure: its grounds, in order."""

    grounds: tuple[Ground, ...]

    def __str__(self) -> str:
        return "; ".join(str(ground) for ground in self.grounds)


CHILDREN_ACT_1989 = Ground(
    "Children Act 1989",
    ("s17", "s47"),
    "children in need; enquiries when a child may be suffering significant harm",
    seed="002 §4 notes 2–3; 003 Appendix 1",
)
UK_GDPR_PUBLIC_TASK = Ground(
    "UK GDPR",
    ("Art 6(1)(e)", "Art 9(2)(g)"),
    "a task in the public interest with a clear basis in law; special category data for reasons of"
    " substantial public interest",
    seed="003 Appendix 3 (Article 6 and Article 9 bases)",
)
DPA_2018_CHILD_PROTECTION = Ground(
    "Data Protection Act 2018",
    ("Sch 8",),
    "sharing to protect a child from harm (not only significant harm), without consent where need be",
    seed="000 (information sharing: DPA 2018 Schedules 1, 2 and 8)",
)

GROUNDS: tuple[Ground, ...] = (CHILDREN_ACT_1989, UK_GDPR_PUBLIC_TASK, DPA_2018_CHILD_PROTECTION)

# What a manager starting MASH checks is offered; they may write another basis for the case in hand.
MASH_CHECKS_BASIS = LawfulBasis((CHILDREN_ACT_1989, UK_GDPR_PUBLIC_TASK, DPA_2018_CHILD_PROTECTION))
# What the papers for a strategy discussion are sent under (000; 002 §11).
STRATEGY_BASIS = LawfulBasis((CHILDREN_ACT_1989, UK_GDPR_PUBLIC_TASK, DPA_2018_CHILD_PROTECTION))
