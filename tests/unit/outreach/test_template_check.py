"""Checking a client's template set before a portfolio uses it (outreach.template_check)."""

from __future__ import annotations

from pathlib import Path

from outreach.render import Renderer, template_sets
from outreach.template_check import check


def _set(root: Path, name: str, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_built_in_set_passes_and_is_listed_with_the_agencys_own(tmp_path: Path) -> None:
    custom = _set(tmp_path, "harbor", {"en/no_contact.sms.txt": "Hi. From a debt collector."})

    assert check(Renderer(), "default") == []
    assert template_sets(custom) == ["default", "harbor"] and template_sets() == ["default"]


def test_a_misspelt_field_and_a_broken_template_are_named_with_their_file(tmp_path: Path) -> None:
    custom = _set(
        tmp_path,
        "harbor",
        {
            "en/promise_confirmation.sms.txt": "Hi {{ frist_name }}, {{ amount }} is due.",
            "es/payment_receipt.sms.txt": "Recibimos\n{{ amount }",
        },
    )

    problems = check(Renderer(custom=custom), "harbor")

    assert problems == [
        "harbor/en/promise_confirmation.sms.txt: 'frist_name' is undefined",
        "harbor/es/payment_receipt.sms.txt:2: unexpected '}'",
    ]


def test_a_no_contact_message_may_not_use_or_mention_the_debt(tmp_path: Path) -> None:
    custom = _set(
        tmp_path,
        "harbor",
        {
            "en/no_contact.sms.txt": "Hi {{ first_name }}, about your {{ balance }}.",
            "es/no_contact.sms.txt": "Hola {{ first_name }}, llame por su deuda. Este mensaje es "
            "de un cobrador de deudas.",
        },
    )

    problems = check(Renderer(custom=custom), "harbor")

    assert problems == [
        "harbor/en/no_contact.sms.txt: 'balance' is undefined",
        "harbor/es/no_contact.sms: a no-contact message may reach someone else's eyes first: "
        "it may not mention the debt or an amount",
    ]


def test_every_text_and_email_must_say_it_is_from_a_debt_collector(tmp_path: Path) -> None:
    """A text is never a limited-content message (Reg F 1006.2(j) is about voicemail only): a
    no-contact text without the 1692e(11) words is a communication that hides who sends it."""
    custom = _set(
        tmp_path,
        "harbor",
        {"en/no_contact.sms.txt": "Hi {{ first_name }}, this is {{ business_name }}. Call us."},
    )

    problems = check(Renderer(custom=custom), "harbor")

    assert problems == [
        "harbor/en/no_contact.sms: every text and email must say it is from a debt collector "
        "('debt collector' or 'cobrador de deudas'): FDCPA 1692e(11); only a voicemail can be a "
        "limited-content message"
    ]


def test_a_set_that_drops_the_email_unsubscribe_link_is_refused(tmp_path: Path) -> None:
    custom = _set(tmp_path, "harbor", {"en/_layout.email.html": "<p>{{ content }}</p>"})

    problems = check(Renderer(custom=custom), "harbor")

    # Spanish emails take the set's English layout before the default set's Spanish one.
    assert len(problems) == 14  # every trigger's email, in both languages
    assert all("must carry the unsubscribe link" in p for p in problems)
