"""Filters and globals the templates share: money, masks, field errors, required fields.

Python functions rather than jinja2 macros so a block rendered alone (htmx partial) has them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from console.services.masking import mask_dob, mask_number
from console.services.outcome import required_fields
from core import reassigned
from core.amounts import money
from core.models import Phone, StoppedNumber
from core.stopped_numbers import said
from dialer.campaigns import lead_pause_of


def field_error(errors: dict[str, str], name: str) -> Markup:
    if not errors.get(name):
        return Markup("")
    return Markup('<span class="field-error" id="err-{0}" role="alert">{1}</span>').format(
        name, errors[name]
    )


def phone_retired(phone: Phone, stopped: Mapping[str, StoppedNumber]) -> str:
    """Why a number is not called any more ("" while it is): an agent asked "why don't you
    call me?" by a debtor who pressed 9 at a message, or whose work forbids calls, can say.
    `stopped`: the agency's do-not-call list entries of the debtor's numbers."""
    if reassigned.retired_by_answer(phone):
        return reassigned.said(phone)
    if phone.wrong_number_at is not None:
        return f"wrong number since {phone.wrong_number_at:%Y-%m-%d}"
    if phone.number in stopped:
        return said(stopped[phone.number])
    if phone.no_calls_at is None:
        return ""
    return f"no calls here since {phone.no_calls_at:%Y-%m-%d} (asked)"


def when(moment: datetime, fmt: str = "%Y-%m-%d %H:%M", label: bool = True) -> Markup:
    """A stored (UTC) instant as `fmt`, in an element the page's script rewrites into the
    reader's own clock (static/localtime.js); `label` names the clock after it ("UTC" here).
    Without the script the UTC text stands, named."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    text = aware.astimezone(UTC).strftime(fmt) + (" UTC" if label else "")
    return Markup('<time datetime="{0}" data-fmt="{1}"{2}>{3}</time>').format(
        aware.isoformat(), fmt, Markup(' data-label="1"') if label else "", text
    )


def invalid(errors: dict[str, str], name: str) -> Markup:
    return Markup(' aria-invalid="true" class="invalid"') if errors.get(name) else Markup("")


def oob(blocks: Any, name: str) -> Markup:
    return Markup(' hx-swap-oob="true"') if name in (blocks or ()) else Markup("")


def install(env: Environment) -> None:
    env.filters["money"] = money
    env.filters["when"] = when
    env.globals.update(
        field_error=field_error,
        invalid=invalid,
        swap_oob=oob,
        mask_number=mask_number,
        mask_dob=mask_dob,
        required_fields=required_fields,
        lead_pause_of=lead_pause_of,
        phone_retired=phone_retired,
    )
