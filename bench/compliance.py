"""`concord bench compliance`: decide a million-account portfolio for the hopper, vectorised, and
a per-contact loop beside it for comparison.

The portfolio is synthetic but shaped like a US placement: debtors in a dozen address/number
combinations across zones (including a New York address with a Los Angeles mobile and split
states without a ZIP), a few percent flagged or on the do-not-call list, some stated inconvenient
times, and about five call/SMS attempts per account over the last two weeks.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from compliance.batch import (
    CHANNELS,
    NO_CAP,
    OUTCOMES,
    REASON_BITS,
    HopperColumns,
    callable_now,
    microseconds,
    reasons_of,
)
from compliance.contact import WEEKDAYS, Contact
from compliance.engine import blocking_reasons, decide, locate
from compliance.local_caps import local_caps
from compliance.profiles import resolve
from compliance.reasons import Reason

AT = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # a Monday, 12:00 in New York
ARCHETYPES: list[tuple[list[dict[str, str]], str]] = [
    ([{"state": "NY", "postal_code": "10001"}], "+12125550100"),
    ([{"state": "NY", "postal_code": "10001"}], "+13105550100"),
    ([{"state": "CA", "postal_code": "90012"}], "+13105550100"),
    ([{"state": "FL"}], "+13055550100"),
    ([{"state": "TX", "postal_code": "79901"}], "+12145550100"),
    ([{"state": "IL", "postal_code": "60601"}], "+13125550100"),
    ([{"state": "AZ", "postal_code": "85004"}], "+16025550100"),
    ([{"state": "IN"}], "+13175550100"),
    ([{"state": "HI", "postal_code": "96813"}], "+18085550100"),
    ([{"state": "AK", "postal_code": "99501"}], "+19075550100"),
    ([{"state": "NY", "postal_code": "10001"}, {"state": "CO"}], "+12125550100"),
    ([], "+18005550100"),
]  # fmt: skip
FLAGS = ["cease", "attorney", "bankruptcy", "deceased", "dispute"]
# by OUTCOMES: a quarter of the connected calls reached someone other than the debtor
OUTCOME_WEIGHTS = [0.45, 0.1, 0.2, 0.03, 0.09, 0.1, 0.03]


def _synthetic_portfolio(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """Raw per-account data, as the database would hold it, in columns."""
    per_account = np.minimum(rng.poisson(5, n), 20)
    total = int(per_account.sum())
    ranged = np.flatnonzero(rng.random(n) < 0.1)
    start = rng.integers(0, 20, len(ranged)) * 60
    return {
        "archetype": rng.integers(0, len(ARCHETYPES), n),
        "flag": np.where(rng.random(n) < 0.02, rng.integers(0, len(FLAGS), n), -1),
        "dnc": rng.random(n) < 0.01,
        "range_row": ranged.astype(np.int32),
        "range_days": rng.integers(1, 128, len(ranged)).astype(np.uint8),
        "range_start": start.astype(np.int32),
        "range_end": (start + rng.integers(1, 5, len(ranged)) * 60).astype(np.int32),
        "attempt_row": np.repeat(np.arange(n, dtype=np.int32), per_account),
        "attempt_at": microseconds(AT) - rng.integers(1, 14 * 86_400_000_000, total),
        "attempt_channel": np.where(rng.random(total) < 0.85, 0, 1).astype(np.int8),
        "attempt_outcome": rng.choice(len(OUTCOMES), total, p=OUTCOME_WEIGHTS).astype(np.int8),
        "attempt_same_account": rng.random(total) < 0.9,
    }


def _columns(raw: dict[str, Any], profile_name: str) -> HopperColumns:
    profile = resolve(profile_name)
    catalog: dict[str, int] = {}
    masks, homes, state_caps, city_caps = [], [], [], []
    for addresses, number in ARCHETYPES:
        archetype = _contact(addresses, number, profile_name)
        zones, home = locate(archetype, profile)
        masks.append(sum(1 << catalog.setdefault(z, len(catalog)) for z in zones))
        homes.append(catalog.setdefault(home, len(catalog)))
        local = local_caps(archetype.debtor.addresses)
        state_caps.append(NO_CAP if local.state_call_cap is None else local.state_call_cap)
        city_caps.append(NO_CAP if local.city_attempt_cap is None else local.city_attempt_cap)
    standing = np.where(raw["dnc"], REASON_BITS[Reason.DNC], 0).astype(np.uint32)
    flag_bits = np.array([REASON_BITS[Reason(f)] for f in FLAGS], dtype=np.uint32)
    flagged = raw["flag"] >= 0
    standing[flagged] |= flag_bits[raw["flag"][flagged]]
    return HopperColumns(
        zones=tuple(catalog),
        zone_mask=np.array(masks, dtype=np.uint64)[raw["archetype"]],
        home=np.array(homes, dtype=np.int16)[raw["archetype"]],
        standing=standing,
        inconvenient_row=raw["range_row"],
        inconvenient_days=raw["range_days"],
        inconvenient_start=raw["range_start"],
        inconvenient_end=raw["range_end"],
        attempt_row=raw["attempt_row"],
        attempt_at=raw["attempt_at"],
        attempt_channel=raw["attempt_channel"],
        attempt_outcome=raw["attempt_outcome"],
        attempt_same_account=raw["attempt_same_account"],
        state_call_cap=np.array(state_caps, dtype=np.int16)[raw["archetype"]],
        city_attempt_cap=np.array(city_caps, dtype=np.int16)[raw["archetype"]],
    )


def _contact(addresses: list[dict[str, str]], number: str, profile: str, **debtor: Any) -> Contact:
    return Contact.model_validate(
        {
            "channel": "call",
            "to": number,
            "profile": profile,
            "debtor": {"addresses": addresses, **debtor},
            "account": {"id": "A1"},
            "history": debtor.pop("history", []),
        }
    )


def _contacts(raw: dict[str, Any], rows: NDArray[np.int64], profile: str) -> list[Contact]:
    """The same accounts one by one, as the per-contact engine sees them."""
    starts = np.searchsorted(raw["attempt_row"], rows, side="left")
    ends = np.searchsorted(raw["attempt_row"], rows, side="right")
    found = []
    for row, lo, hi in zip(rows.tolist(), starts.tolist(), ends.tolist(), strict=True):
        addresses, number = ARCHETYPES[raw["archetype"][row]]
        ranges = [
            {
                "days": [d for i, d in enumerate(WEEKDAYS) if raw["range_days"][k] >> i & 1],
                "start": f"{raw['range_start'][k] // 60:02d}:00",
                "end": f"{raw['range_end'][k] // 60:02d}:00",
            }
            for k in np.flatnonzero(raw["range_row"] == row).tolist()
        ]
        history = [
            {
                "at": AT + timedelta(microseconds=int(raw["attempt_at"][k]) - microseconds(AT)),
                "channel": CHANNELS[raw["attempt_channel"][k]],
                "account": "A1" if raw["attempt_same_account"][k] else "A2",
                "outcome": OUTCOMES[raw["attempt_outcome"][k]],
            }
            for k in range(lo, hi)
        ]
        flag = int(raw["flag"][row])
        found.append(
            Contact.model_validate(
                {
                    "channel": "call",
                    "to": number,
                    "profile": profile,
                    "debtor": {
                        "addresses": addresses,
                        "inconvenient": ranges,
                        "flags": [FLAGS[flag]] if flag >= 0 else [],
                        "dnc": bool(raw["dnc"][row]),
                    },
                    "account": {"id": "A1"},
                    "history": history,
                }
            )
        )
    return found


def main(
    accounts: int = 1_000_000, sample: int = 2_000, profile: str = "us", seed: int = 7
) -> None:
    """Time the vectorised batch on `accounts` and a per-contact loop on `sample` of them."""
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    raw = _synthetic_portfolio(accounts, rng)
    columns = _columns(raw, profile)
    built = time.perf_counter() - started
    attempts = len(columns.attempt_row)
    print(f"portfolio: {accounts:,} accounts, {attempts:,} attempts, {len(columns.zones)} zones")
    print(f"  synthetic data built in {built:.2f} s (not part of the figures below)")

    started = time.perf_counter()
    bits = callable_now(columns, resolve(profile), AT)
    batch = time.perf_counter() - started
    callable_count = int((bits == 0).sum())
    print(f"batch (vectorised, measured): {accounts:,} accounts in {batch:.2f} s "
          f"({accounts / batch:,.0f}/s); callable now: {callable_count:,}")  # fmt: skip

    rows = np.sort(rng.choice(accounts, size=min(sample, accounts), replace=False))
    contacts = _contacts(raw, rows, profile)
    started = time.perf_counter()
    per_row = [blocking_reasons(c, AT) for c in contacts]
    loop = time.perf_counter() - started
    started = time.perf_counter()
    for c in contacts:
        decide(c, AT)
    with_next = time.perf_counter() - started
    agree = sum(reasons_of(int(bits[r])) == got for r, got in zip(rows, per_row, strict=True))
    scale = accounts / len(contacts)
    print(f"per-row loop (blocking_reasons, measured on {len(contacts):,}): {loop:.2f} s; "
          f"EXTRAPOLATED to {accounts:,}: {loop * scale:,.0f} s")  # fmt: skip
    print(f"per-row loop (decide with next_allowed_at, measured on {len(contacts):,}): "
          f"{with_next:.2f} s; EXTRAPOLATED: {with_next * scale:,.0f} s")  # fmt: skip
    print(f"batch and per-row agree on {agree:,} of {len(contacts):,} sampled accounts")
    print(f"target: {accounts:,} in at most 10 s -> {'met' if batch <= 10 else 'MISSED'}")


if __name__ == "__main__":
    main()
