"""Checking a template set before a portfolio uses it.

A client's own wording is written by an admin, and a broken template would otherwise be found
by the worker at 10:00, one failed message per debtor. Every trigger is rendered on both
channels in every language with the fields the worker gives that trigger (outreach.content),
so a misspelt field, a template that does not parse, a dropped opt-out, a message without the
debt collector's disclosure (1692e(11): a text or email is never a limited-content message,
which Reg F 1006.2(j) allows for voicemail only), or a no-contact message that mentions the
debt (someone else may read it first) is reported with the file it is in.
"""

from __future__ import annotations

from typing import Any

from outreach.models import Trigger
from outreach.render import LANGUAGES, Renderer, TemplateBroken, TemplateMissing
from scripts_library.graph import DEBT_WORDS

#: The 1692e(11) words every message carries, per language (lower case).
DISCLOSURES = {"en": "debt collector", "es": "cobrador de deudas"}
_SAID = " or ".join(repr(words) for words in DISCLOSURES.values())

_BASE = {
    "first_name": "Ana",
    "business_name": "Harbor Services",
    "callback_number": "+18005550100",
    "unsubscribe_url": "https://pay.example.test/u/TOKEN",
}
_ACCOUNT = {"account_ref": "7731", "balance": "$840.00"}
_PAYMENT_URL = {"payment_url": "https://pay.example.test/pay/LINK"}
_PROMISE = {"amount": "$150.00", "due_date": "March 19, 2027", **_PAYMENT_URL}
#: The fields each trigger's messages get, beyond the account's; as outreach.content builds
#: them (a test holds the two together).
FIELDS: dict[Trigger, dict[str, Any]] = {
    Trigger.NO_CONTACT: {},
    Trigger.PROMISE_CONFIRMATION: _PROMISE,
    Trigger.PROMISE_REMINDER: _PROMISE,
    Trigger.BROKEN_PROMISE: _PROMISE,
    Trigger.PLAN_SCHEDULE: {
        "total": "$300.00",
        "schedule": [{"seq": 1, "due_date": "April 1, 2027", "amount": "$150.00"}],
        **_PAYMENT_URL,
    },
    Trigger.INSTALLMENT_REMINDER: {
        "seq": 2,
        "amount": "$150.00",
        "due_date": "May 1, 2027",
        **_PAYMENT_URL,
    },
    Trigger.PAYMENT_RECEIPT: {"amount": "$150.00", "paid_on": "March 9, 2027", "reference": "ch_1"},
}


def sample_context(trigger: Trigger) -> dict[str, Any]:
    """What the worker would give a message of `trigger`: a no-contact message gets nothing
    about the account."""
    if trigger is Trigger.NO_CONTACT:
        return dict(_BASE)
    return {**_BASE, **_ACCOUNT, **FIELDS[trigger]}


def check(renderer: Renderer, template_set: str) -> list[str]:
    """Every problem of `template_set` (with the parts it takes from `default`), each once."""
    problems: dict[str, None] = {}
    for trigger in Trigger:
        context = sample_context(trigger)
        for language in LANGUAGES:
            for channel in ("sms", "email"):
                render = renderer.sms if channel == "sms" else renderer.email
                try:
                    rendered = render(template_set, language, trigger.value, context)
                except (TemplateBroken, TemplateMissing) as exc:
                    problems[str(exc)] = None
                    continue
                except ValueError as exc:  # the renderer's opt-out checks
                    problems[f"{template_set}/{language}/{trigger.value}.{channel}: {exc}"] = None
                    continue
                # A set's English template serves a Spanish debtor when it has no Spanish one.
                if not any(words in rendered.text.lower() for words in DISCLOSURES.values()):
                    problems[
                        f"{rendered.template}: every text and email must say it is from a debt "
                        f"collector ({_SAID}): FDCPA 1692e(11); only a voicemail can be a "
                        "limited-content message"
                    ] = None
                if trigger is Trigger.NO_CONTACT:
                    # The link's own host may read "pay.": only the words count, and the
                    # disclosure the law asks for is not a mention of this debt.
                    said = " ".join((rendered.subject, rendered.text)).lower()
                    said = said.replace(context["unsubscribe_url"].lower(), "")
                    for words in DISCLOSURES.values():
                        said = said.replace(words, "")
                    if DEBT_WORDS.search(said) or "$" in said:
                        problems[
                            f"{rendered.template}: a no-contact message may reach someone "
                            "else's eyes first: it may not mention the debt or an amount"
                        ] = None
    return list(problems)
