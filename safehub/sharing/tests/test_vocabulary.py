from __future__ import annotations

import pytest

from safehub.sharing.vocabulary import (
    ARTICLE_6,
    BASIS_SEEDS,
    SAFEGUARDING_BASES,
    Basis,
    Category,
    Condition,
    Purpose,
    bases_in,
    basis_problems,
    statement,
)


def test_the_safeguarding_bases_read_as_the_hubs_protocols_cite_them() -> None:
    assert statement(SAFEGUARDING_BASES) == (
        "UK GDPR Art 6(1)(e): a public task with a clear basis in law;"
        " UK GDPR Art 9(2)(g): special category data, substantial public interest;"
        " DPA 2018 Sch 1 para 18: safeguarding of children and individuals at risk"
    )


def test_every_basis_names_the_seed_section_that_cites_it() -> None:
    assert set(BASIS_SEEDS) == set(Basis)
    for basis, seed in BASIS_SEEDS.items():
        assert seed[:3].isdigit(), basis


@pytest.mark.parametrize(
    ("bases", "consented", "problems"),
    [
        ([], True, ["Choose the lawful basis for sharing"]),
        ([Basis.GDPR_9_2_G], True, ["Choose an Article 6 basis as well"]),
        ([Basis.DPA_SCH8, Basis.DPA_SCH2], True, ["Choose an Article 6 basis as well"]),
        ([Basis.GDPR_6_1_E], False, []),
        ([Basis.GDPR_6_1_C, Basis.GDPR_9_2_H], False, []),
        ([Basis.CONSENT], True, []),
        ([Basis.CONSENT], False, ["Consent is not a basis here"]),
        ([Basis.GDPR_9_2_G, Basis.CONSENT], False, ["Consent is not a basis here"]),
    ],
)
def test_an_article_6_basis_is_always_needed_and_consent_only_when_everyone_gave_it(
    bases: list[Basis], consented: bool, problems: list[str]
) -> None:
    found = basis_problems(bases, everyone_consented=consented)
    assert len(found) == len(problems)
    for message, start in zip(found, problems, strict=True):
        assert message.startswith(start)
    assert Basis.CONSENT in ARTICLE_6


@pytest.mark.parametrize(
    ("written", "coded"),
    [
        (
            "Children Act 1989 s17 and s47; UK GDPR Art 6(1)(e) and Art 9(2)(g); Data Protection Act 2018 Sch 8",
            ["gdpr_6_1_e", "gdpr_9_2_g", "dpa_sch8"],
        ),
        ("s17", ["gdpr_6_1_e"]),
        ("Consent of the mother; Schedule 2", ["dpa_sch2", "consent"]),
    ],
)
def test_a_basis_written_before_bases_were_coded_reads_as_the_codes_it_names(written: str, coded: list[str]) -> None:
    assert bases_in(written) == coded


@pytest.mark.parametrize("vocabulary", [Purpose, Basis, Category, Condition])
def test_codes_are_stored_as_identifiers_and_read_as_sentences(vocabulary: type[Purpose]) -> None:
    for member in vocabulary:
        assert member.value.isidentifier()
        assert member.value.islower()
        assert len(member.value) <= 40
        assert member.label != member.value
