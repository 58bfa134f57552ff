from __future__ import annotations

from safehub.checks.presenters import queue_caption, sent_people


def test_the_queue_caption_names_the_overdue_and_the_page_only_when_there_are_any() -> None:
    assert queue_caption(waiting=3, overdue=0, page_number=1, pages=1) == "3 waiting for your answer; soonest due first"
    assert (
        queue_caption(waiting=30, overdue=2, page_number=2, pages=2)
        == "30 waiting for your answer, 2 overdue; soonest due first (page 2 of 2)"
    )


def test_a_person_sent_is_labelled_with_their_role_and_mother() -> None:
    mia = {"name": "Mia Okafor", "role": "Child", "mother": {"name": "Ada Okafor", "date_of_birth": "1990-03-02"}}
    sam = {"name": "Sam Okafor", "role": "Adult"}

    on_the_page = sent_people([mia, sam], mothers_born=True)
    on_the_gp_form = sent_people([mia], mothers_born=False)

    assert [p["label"] for p in on_the_page] == [
        "Mia Okafor (Child); mother: Ada Okafor, born 2 March 1990",
        "Sam Okafor (Adult)",
    ]
    assert on_the_gp_form[0]["label"] == "Mia Okafor (Child); mother: Ada Okafor"
    assert on_the_page[0]["name"] == "Mia Okafor"  # the rest of what was sent is still there
