from __future__ import annotations

import pytest

from safehub.consultations.workflow import LIFECYCLE, ConsultationEvent, ConsultationState
from safehub.core.lifecycle import TransitionNotAllowed
from safehub.core.tests.lifecycle_properties import assert_well_formed


def test_the_table_is_well_formed() -> None:
    assert_well_formed(LIFECYCLE, terminal={ConsultationState.SUMMARY_SENT})


def test_a_summary_is_sent_once() -> None:
    assert (
        LIFECYCLE.next_state(ConsultationState.AWAITING_SUMMARY, ConsultationEvent.SEND_SUMMARY)
        == ConsultationState.SUMMARY_SENT
    )
    with pytest.raises(TransitionNotAllowed, match="This consultation is now 'Summary sent'"):
        LIFECYCLE.next_state(ConsultationState.SUMMARY_SENT, ConsultationEvent.SEND_SUMMARY)
