"""Templates: every part carries its opt-out, the limited-content message stays limited."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.amounts import money
from outreach.models import Trigger
from outreach.render import Renderer, long_date

CONTEXT = {
    "first_name": "Ana",
    "business_name": "Acme Services",
    "callback_number": "+18005550100",
    "unsubscribe_url": "https://pay.example.test/u/TOKEN",
    "account_ref": "7731",
    "balance": "$840.00",
    "amount": "$150.00",
    "due_date": "March 19, 2027",
    "payment_url": "https://pay.example.test/pay/LINK",
    "total": "$300.00",
    "schedule": [{"seq": 1, "due_date": "April 1, 2027", "amount": "$150.00"}],
    "seq": 1,
    "paid_on": "March 9, 2027",
    "reference": "ch_1",
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("trigger", [t.value for t in Trigger])
def test_every_trigger_renders_sms_and_email_with_an_opt_out(trigger: str, language: str) -> None:
    renderer = Renderer()
    sms = renderer.sms("acme", language, trigger, CONTEXT)
    mail = renderer.email("acme", language, trigger, CONTEXT)
    assert "STOP" in sms.text
    assert CONTEXT["unsubscribe_url"] in mail.text and CONTEXT["unsubscribe_url"] in mail.html
    assert mail.subject and "\n" not in mail.subject
    assert sms.template == f"default/{language}/{trigger}.sms" and len(sms.version) == 12


def test_spanish_debtor_gets_spanish_text() -> None:
    sms = Renderer().sms("acme", "es", "promise_confirmation", CONTEXT)
    assert "Acordó pagar $150.00" in sms.text and "Responda STOP" in sms.text


def test_unknown_language_falls_back_to_english() -> None:
    assert "Reply STOP" in Renderer().sms("acme", "fr", "no_contact", CONTEXT).text


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_contact_template_uses_nothing_about_the_account(language: str) -> None:
    limited = {k: CONTEXT[k] for k in ("first_name", "business_name", "callback_number",
                                       "unsubscribe_url")}  # fmt: skip
    renderer = Renderer()
    text = renderer.sms("acme", language, "no_contact", limited).text
    mail = renderer.email("acme", language, "no_contact", limited)
    disclosures = (
        "This is a message from a debt collector.",
        "Este mensaje es de un cobrador de deudas.",
    )
    assert any(d in text for d in disclosures) and any(d in mail.text for d in disclosures)
    for content in (text, mail.text, mail.subject):
        said = content
        for disclosure in disclosures:  # who writes is no word about this debt
            said = said.replace(disclosure, "")
        assert "$" not in said and "deud" not in said.lower() and "debt" not in said.lower()


def test_client_template_that_drops_the_unsubscribe_link_is_refused(tmp_path: Path) -> None:
    source = Path(Renderer().root)
    for lang_dir in (source / "default").iterdir():
        target = tmp_path / "default" / lang_dir.name
        target.mkdir(parents=True)
        for file in lang_dir.iterdir():
            (target / file.name).write_text(file.read_text())
    (tmp_path / "rogue" / "en").mkdir(parents=True)
    (tmp_path / "rogue" / "en" / "_layout.email.html").write_text("<p>{{ content }}</p>")
    with pytest.raises(ValueError, match="unsubscribe"):
        Renderer(tmp_path).email("rogue", "en", "no_contact", CONTEXT)


def test_client_template_set_overrides_default(tmp_path: Path) -> None:
    source = Path(Renderer().root)
    (tmp_path / "default" / "en").mkdir(parents=True)
    for file in (source / "default" / "en").iterdir():
        (tmp_path / "default" / "en" / file.name).write_text(file.read_text())
    (tmp_path / "acme" / "en").mkdir(parents=True)
    (tmp_path / "acme" / "en" / "no_contact.sms.txt").write_text("Acme here, {{ first_name }}.")
    sms = Renderer(tmp_path).sms("acme", "en", "no_contact", CONTEXT)
    assert sms.text == "Acme here, Ana.\nReply STOP to opt out."
    assert sms.template == "acme/en/no_contact.sms"


def test_money_and_dates_read_naturally() -> None:
    from datetime import date

    assert money(123456) == "$1,234.56"
    assert money(500, "EUR") == "5.00 EUR"
    assert long_date(date(2027, 3, 19), "es") == "19 de marzo de 2027"
    assert long_date(date(2027, 3, 19), "en") == "March 19, 2027"
