"""Merge fields filled from account rows, and finding a rebuttal by keyword."""

from __future__ import annotations

from types import SimpleNamespace

from scripts_library.fields import FIELDS, build_context, sample_context
from scripts_library.library import Library
from scripts_library.rebuttals import search_rebuttals


def flatten(context: dict[str, object], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in context.items():
        if isinstance(value, dict):
            keys |= flatten(value, f"{prefix}{key}.")
        else:
            keys.add(f"{prefix}{key}")
    return keys


def context_for(balance_minor: int, min_pct: int) -> dict[str, object]:
    account = SimpleNamespace(
        client_account_number="HB-000123-4821",
        original_creditor="",
        balance_minor=balance_minor,
        currency="USD",
    )
    debtor = SimpleNamespace(first_name="Ana", last_name="Ruiz")
    client = SimpleNamespace(name="Harbor Bank", callback_number="+18005550110")
    portfolio = SimpleNamespace(
        settlement_min_pct=min_pct, promise_max_days=21, plan_max_installments=6
    )
    return build_context(
        account,
        debtor,
        client,
        "Sam",
        portfolio=portfolio,
        agency_name="Concord Recovery",
        payment_link="https://pay.test/1",
    )


def test_build_context_fills_exactly_the_declared_fields() -> None:
    assert flatten(context_for(124050, 60)) == set(FIELDS)
    assert flatten(sample_context()) == set(FIELDS)


def test_settlement_band_comes_from_the_portfolio_and_never_rounds_below_it() -> None:
    context = context_for(100001, 60)  # 60% of $1,000.01 is $600.006
    settlement = context["settlement"]
    assert isinstance(settlement, dict)
    assert settlement == {"lowest_amount": "$600.01", "percent_off": "40"}


def test_account_fields_are_formatted_for_reading_aloud() -> None:
    account = context_for(124050, 100)["account"]
    assert account == {
        "balance": "$1,240.50",
        "number_last4": "4821",
        "original_creditor": "Harbor Bank",
    }


def test_the_callback_number_is_read_as_people_say_it_not_in_e164() -> None:
    client = context_for(124050, 100)["client"]
    assert isinstance(client, dict) and client["callback_number"] == "(800) 555-0110"


LIBRARY = Library.from_path()


def test_cant_pay_finds_the_cant_pay_rebuttal_first() -> None:
    results = search_rebuttals(LIBRARY.objections(), "I can't pay")
    assert results[0].handler == "cant_pay"


def test_spanish_search_ignores_accents_and_case() -> None:
    results = search_rebuttals(LIBRARY.objections(language="es"), "NO ES MIA la deuda")
    assert results[0].handler == "not_my_debt"


def test_stop_calling_finds_the_cease_rebuttal() -> None:
    results = search_rebuttals(LIBRARY.objections(), "please stop calling me")
    assert results[0].handler == "stop_calling"


def test_empty_search_lists_every_rebuttal_in_file_order() -> None:
    results = search_rebuttals(LIBRARY.objections(), "  ")
    assert [r.handler for r in results][:3] == ["cant_pay", "not_my_debt", "stop_calling"]


def test_search_with_no_match_finds_nothing() -> None:
    assert search_rebuttals(LIBRARY.objections(), "zebra") == []
