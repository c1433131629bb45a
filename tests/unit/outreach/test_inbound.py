"""What a text asks a person to act on (outreach.inbound.concern_of)."""

from __future__ import annotations

import pytest

from outreach.inbound import concern_of


@pytest.mark.parametrize(
    ("body", "concern"),
    [
        ("This is not my debt", "dispute"),
        ("I dispute the amount", "dispute"),
        ("I never owed them anything, prove it", "dispute"),
        ("No es mi deuda", "dispute"),
        ("I have a lawyer now", "attorney"),
        ("Hable con mi abogada", "attorney"),
        ("I don't owe this, my attorney has the letter", "attorney"),  # a lawyer outranks all
        ("We filed Chapter 13 in May", "bankruptcy"),
        ("Estoy en bancarrota", "bankruptcy"),
        ("Stop calling me at work", "cease"),
        ("Leave me alone", "cease"),
        ("No me llamen más", "cease"),
        # A reviewer's everyday wordings, read as nothing before (no hold, calls went on).
        ("Do not text or call me again", "cease"),
        ("Don't call this number anymore", "cease"),
        ("Never contact me again", "cease"),
        ("Take my number off your list", "cease"),
        ("No more calls", "cease"),
        ("Dejen de llamarme por favor", "cease"),
        ("Please dont call my work", "inconvenient"),
        ("Sandra does not live here anymore", "wrong_number"),
        ("This is her husband, she passed", "deceased"),
        ("I'll pay at the end of the month", "other"),
        ("Quiero un plan para pagar", "other"),
        ("Can you call me after 5?", "inconvenient"),  # so before 5 is not a time to call
        # A review's real wordings, missed or misread before.
        ("This isn't my debt", "dispute"),
        ("This debt is not mine", "dispute"),
        ("That's not mine", "dispute"),
        ("I never had this account", "dispute"),
        ("I paid this already", "dispute"),
        ("I already paid this off", "dispute"),
        ("Paid in full already", "dispute"),
        ("This is identity theft", "dispute"),
        ("Send me proof I owe this", "dispute"),
        ("This is past the statute of limitations", "dispute"),
        ("Esta deuda no es mía", "dispute"),
        ("Eso no es mío", "dispute"),
        ("No reconozco esta deuda", "dispute"),
        ("Ya pagué esto", "dispute"),
        ("I'm not disputing, just want to know the balance", "other"),
        ("No dispute, I'll pay Friday", "other"),
        ("I don't owe you an explanation, I'll pay when I can", "other"),
        ("I'm a lawyer, what's this about", "other"),
        ("I get paid on the 15th", "other"),
        ("Please don't call me at work", "inconvenient"),
        ("No me llamen al trabajo", "inconvenient"),
        ("Do not contact me again", "cease"),
        ("I'm represented by counsel", "attorney"),
        # A second review's wordings, missed before.
        ("Please call me after 6pm, I am at work during the day", "inconvenient"),
        ("I work nights, call after 2pm", "inconvenient"),
        ("Llámenme después de las 6", "inconvenient"),
        ("Wrong number, I am not Jose", "wrong_number"),
        ("Número equivocado", "wrong_number"),
        ("I don't know anyone named Jose", "wrong_number"),
        ("I am not able to pay now", "other"),
        ("I'm not sure I can pay this month", "other"),
        ("I paid at work today", "other"),
        # An examiner's wordings: an amount disputed, a death, a bankruptcy in shorthand.
        ("The amount you have is wrong, I only owe 200 dollars", "dispute"),
        ("I already sent you the money last month, check your records", "dispute"),
        ("My husband passed away in October. This is his widow.", "deceased"),
        ("Mi esposo falleció", "deceased"),
        ("I filed ch.7 last week, case number 26-10442", "bankruptcy"),
        ("This was discharged years ago", "bankruptcy"),
        ("I will pay when I get paid", "other"),
        (
            "I am an attorney and I represent John Smith on this debt. Direct all communication "
            "to my office.",
            "attorney",
        ),
        ("You have the wrong amount", "dispute"),
        ("I filed for BK", "bankruptcy"),
        ("Quit calling", "cease"),
        ("no calls before noon please", "inconvenient"),
        ("Wrong #", "wrong_number"),
        ("who is this? I dont know any Thomas", "wrong_number"),
    ],
)
def test_words_a_person_must_act_on_are_read_in_english_and_spanish(
    body: str, concern: str
) -> None:
    assert concern_of(body, opted_out=False) == concern


def test_a_plain_stop_was_acted_on_already_and_a_dispute_with_it_still_waits() -> None:
    assert concern_of("STOP", opted_out=True) == "stop"
    assert concern_of("Not my account. Stop", opted_out=True) == "dispute"
    assert concern_of("thanks", opted_out=False) == "other"  # a person still reads it
    assert concern_of("  ", opted_out=False) == ""
