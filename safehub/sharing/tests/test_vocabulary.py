from __future__ import annotations

from safehub.sharing.vocabulary import GROUNDS, MASH_CHECKS_BASIS, Purpose


def test_the_mash_checks_basis_reads_as_the_hubs_protocols_cite_it() -> None:
    assert str(MASH_CHECKS_BASIS) == (
        "Children Act 1989 s17 and s47; UK GDPR Art 6(1)(e) and Art 9(2)(g); Data Protection Act 2018 Sch 8"
    )


def test_every_ground_names_the_seed_section_that_cites_it() -> None:
    for ground in GROUNDS:
        assert ground.provisions, ground
        assert ground.meaning.strip(), ground
        assert ground.seed[:3].isdigit(), ground
    assert set(MASH_CHECKS_BASIS.grounds) <= set(GROUNDS)


def test_purposes_are_stored_as_codes_and_read_as_sentences() -> None:
    for purpose in Purpose:
        assert purpose.value.isidentifier()
        assert purpose.value.islower()
        assert len(purpose.value) <= 40
        assert purpose.label != purpose.value
