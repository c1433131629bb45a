"""A whole placement import on the caller's connection: tenant, header, rows, upsert.

It comes in two steps. `check_import` only reads: it finds the client's stored column mapping
and checks every row, which is most of an import's time (about two thirds of a 100,000-row
file). `store_import` then writes the good rows. On SQLite one writer holds the whole database,
and a new client's insert used to open the write transaction before the check, so a large file
locked out every agent's save for the whole import; now the floor waits only while rows are
written. The caller owns both transactions (the CLI checks, writes the error file, then stores
and commits), so a refusal raised anywhere leaves the database exactly as it was, new client
included.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select, update

from core.admin_store import namesake
from core.dispositions import STANDARD_CODES
from core.models import Account, Client, DispositionCode, Portfolio
from core.placements.bulk import table_of
from core.placements.columns import MAPPING_SETTING, Header, check_mapping, resolve_header
from core.placements.exceptions import PlacementFileError
from core.placements.notices import shared_numbers, unexplained_balances
from core.placements.parallel import check_records
from core.placements.rows import Placement, RowError
from core.placements.source import PlacementText, records
from core.placements.store import Stamp, StoreCounts, upsert_placements

Progress = Callable[[int], None]


def _ignore(_done: int) -> None:
    return None


@dataclass
class ImportReport:
    """What an import did, for the terminal summary and the exit code."""

    client_code: str
    portfolio_name: str
    rows_read: int = 0
    counts: StoreCounts = field(default_factory=StoreCounts)
    errors: list[RowError] = field(default_factory=list)
    # Accounts moved into this portfolio, by the name of the one they were in.
    moved_from: dict[str, int] = field(default_factory=dict)
    # Open accounts of this portfolio the file does not list: often recalled or settled at the
    # client, and worked on until someone looks.
    absent: int = 0
    # Rows whose balance is above principal + interest + fees: (line, balance, sum, currency).
    unexplained: list[tuple[int, int, int, str]] = field(default_factory=list)
    # Rows whose phone carries an extension: kept, and dialled only by a person.
    extensions: int = 0
    # Numbers of this file that another of the client's people also has: (line, number), and
    # how many such numbers there are.
    shared_numbers: list[tuple[int, str]] = field(default_factory=list)
    # What the client lacks for its debtors to know whom to call: business name, callback.
    client_lacks: list[str] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({error.line for error in self.errors})


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of rows are built.

    Every few thousand new dicts and tuples CPython runs a collection that walks the ever larger
    heap; an import creates no reference cycles worth collecting, and pausing cuts its CPU time
    by about a third (measured with `concord bench placements`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_names(client_code: str, portfolio_name: str) -> None:
    if not client_code.strip() or len(client_code) > 40:
        raise PlacementFileError(f"client code {client_code!r} must be 1 to 40 characters")
    if not portfolio_name.strip() or len(portfolio_name) > 200:
        raise PlacementFileError(f"portfolio name {portfolio_name!r} must be 1 to 200 characters")


def find_client(conn: Connection, code: str) -> tuple[int, dict[str, Any]] | None:
    """The client with `code` and its settings, or None before its first placement."""
    client = table_of(Client)
    row = conn.execute(select(client.c.id, client.c.settings).where(client.c.code == code)).first()
    return None if row is None else (int(row.id), dict(row.settings or {}))


def ensure_client(conn: Connection, code: str, stamp: Stamp) -> tuple[int, dict[str, Any]]:
    """The client with `code`, created on its first placement: named after its code, with the
    standard disposition codes (core.dispositions) so its calls can be dispositioned at once."""
    found = find_client(conn, code)
    if found is not None:
        return found
    client = table_of(Client)
    audit = {"created_at": stamp.now, "updated_at": stamp.now, "updated_by": stamp.actor}
    new_id = conn.execute(
        insert(client).returning(client.c.id),
        {"code": code, "name": code, "business_name": "", "callback_number": "",
         "reading_grade_max": 8, "settings": {}, **audit},
    ).scalar_one()  # fmt: skip
    codes = [
        {"client_id": new_id, "code": short, "label": label, "category": category.value,
         "requires": list(needs), "active": True, **audit}
        for short, label, category, needs in STANDARD_CODES
    ]  # fmt: skip
    conn.execute(insert(table_of(DispositionCode)), codes)
    return int(new_id), {}


def ensure_portfolio(conn: Connection, client_id: int, name: str, stamp: Stamp) -> int:
    """The client's portfolio called `name`, created with default rules when new."""
    portfolio = table_of(Portfolio)
    found = conn.execute(
        select(portfolio.c.id).where(portfolio.c.client_id == client_id, portfolio.c.name == name)
    ).scalar()
    if found is not None:
        return int(found)
    defaults = Portfolio(client_id=client_id, name=name).model_dump(exclude={"id"})
    defaults.update(created_at=stamp.now, updated_at=stamp.now, updated_by=stamp.actor)
    return int(conn.execute(insert(portfolio).returning(portfolio.c.id), defaults).scalar_one())


def check_placements(
    text: PlacementText,
    mapping: Mapping[str, str],
    stamp: Stamp,
    on_progress: Progress = _ignore,
    workers: int | None = None,
) -> tuple[list[Placement], list[RowError], int, set[str]]:
    """Good rows, row errors, the number of data rows and every account number the file lists
    (rejected rows' too); repeats of an account are errors.

    The whole file is parsed before any row is checked, so a CSV-level refusal (a huge field,
    say) comes before any work and nothing can be half done.
    """
    parsed = records(text)
    first = next(parsed, None)
    if first is None:
        raise PlacementFileError("the file is empty (0 bytes or only blank lines)")
    header = resolve_header(first[1], mapping)
    body: list[tuple[int, list[str]]] = []
    errors: list[RowError] = []
    for line, cells in parsed:
        record = _over_lines(line, cells, header, text.delimiter)
        if isinstance(record, RowError):
            errors.append(record)
        else:
            body.append((line, record))
    read = len(body) + len(errors)
    good: list[Placement] = []
    seen: dict[str, int] = {}
    for checked in check_records(body, header, stamp.today, on_progress, workers):
        if isinstance(checked, list):
            errors.extend(checked)
            continue
        number = checked.client_account_number
        if number in seen:
            reason = f"repeats the account of line {seen[number]}"
            errors.append(RowError(checked.line, "client_account_number", number, reason))
        else:
            seen[number] = checked.line
            good.append(checked)
    errors.sort(key=lambda error: error.line)
    at = header.positions["client_account_number"]
    listed = {cells[at].strip() for _, cells in body if at < len(cells)}
    return good, errors, read, listed


def _over_lines(
    line: int, cells: list[str], header: Header, delimiter: str
) -> list[str] | RowError:
    """A record's cells, with a line break inside a quoted cell made a ", " ("PO Box 12" and
    "Suite 5" on two lines of an Excel address cell), or the reason it is refused.

    A quote left open also reads as one record over several lines, and it swallows the rows
    after it, which would vanish from the import unreported. It is told from a real line break
    by what the swallowed rows leave behind: a record of another width, or a cell holding as
    many delimiters as half a row. Then the error names every line taken and the column where
    the quote opened."""
    broken = [index for index, cell in enumerate(cells) if "\n" in cell or "\r" in cell]
    if not broken:
        return cells
    crowded = max(2, header.width // 2)
    if len(cells) == header.width and all(cells[i].count(delimiter) < crowded for i in broken):
        return [
            ", ".join(part.strip() for part in cell.splitlines() if part.strip())
            if index in broken
            else cell
            for index, cell in enumerate(cells)
        ]
    end = line + "".join(cells).count("\n")
    column = {at: name for name, at in header.positions.items()}.get(broken[0], "*")
    reason = (
        f"lines {line}-{end} were read as one row, as a quote opened on line {line} is not "
        f"closed before line {end}; close it (or take the line break out) and import again"
    )
    return RowError(line, column, "", reason)


@dataclass
class CheckedImport:
    """A file checked against its client's mapping, not yet written."""

    client_code: str
    portfolio_name: str
    mapping: dict[str, str]
    keep_mapping: bool  # a mapping given on this import, new to the client
    good: list[Placement]
    errors: list[RowError]
    rows_read: int
    listed: set[str]  # every account number in the file, rejected rows' included


def check_import(
    conn: Connection,
    text: PlacementText,
    client_code: str,
    portfolio_name: str,
    stamp: Stamp,
    mapping: Mapping[str, str] | None = None,
    on_checked: Progress = _ignore,
) -> CheckedImport:
    """Checks every row and reports what `store_import` would write; reads only."""
    _check_names(client_code, portfolio_name)
    found = find_client(conn, client_code)
    if found is not None:
        _check_portfolio_is_not_a_namesake(conn, found[0], portfolio_name)
    stored = None if found is None else found[1].get(MAPPING_SETTING)
    active = dict(mapping) if mapping is not None else check_mapping(stored or {}, "stored mapping")
    with gc_paused():
        good, errors, read, listed = check_placements(text, active, stamp, on_checked)
    keep = mapping is not None and stored != active
    return CheckedImport(client_code, portfolio_name, active, keep, good, errors, read, listed)


def store_import(
    conn: Connection,
    checked: CheckedImport,
    stamp: Stamp,
    on_stored: Progress = _ignore,
    after_chunk: Callable[[], None] = lambda: None,
) -> ImportReport:
    """Upserts the checked rows, creating the client and portfolio when new; a given mapping
    is kept on the client. `after_chunk` runs after each chunk of rows is written (see
    core.placements.store)."""
    client_id, settings = ensure_client(conn, checked.client_code, stamp)
    portfolio_id = ensure_portfolio(conn, client_id, checked.portfolio_name, stamp)
    with gc_paused():
        counts = upsert_placements(
            conn, client_id, portfolio_id, checked.good, stamp, on_stored, after_chunk
        )
    if checked.keep_mapping:
        client = table_of(Client)
        conn.execute(
            update(client)
            .where(client.c.id == client_id)
            .values(settings={**settings, MAPPING_SETTING: checked.mapping},
                    updated_at=stamp.now, updated_by=stamp.actor)
        )  # fmt: skip
    client_row = table_of(Client)
    named, callback = conn.execute(
        select(client_row.c.business_name, client_row.c.callback_number).where(
            client_row.c.id == client_id
        )
    ).one()
    lacks = [what for what, value in (("business name", named), ("callback number", callback))
             if not value]  # fmt: skip
    portfolio = table_of(Portfolio)
    moved = select(portfolio.c.id, portfolio.c.name).where(
        portfolio.c.id.in_(list(counts.moved_from))
    )
    names: dict[int, str] = {pid: name for pid, name in conn.execute(moved)}
    account = table_of(Account)
    open_here = conn.execute(
        select(account.c.client_account_number)
        .where(account.c.portfolio_id == portfolio_id, account.c.status == "open")
    ).scalars()  # fmt: skip
    return ImportReport(
        checked.client_code, checked.portfolio_name, checked.rows_read, counts, checked.errors,
        moved_from={names[pid]: n for pid, n in counts.moved_from.items()},
        absent=sum(1 for number in open_here if number not in checked.listed),
        unexplained=unexplained_balances(checked.good),
        extensions=sum(1 for p in checked.good if p.phone_extension),
        shared_numbers=shared_numbers(conn, client_id, checked.good),
        client_lacks=lacks,
    )  # fmt: skip


def _check_portfolio_is_not_a_namesake(conn: Connection, client_id: int, name: str) -> None:
    """A new portfolio named like an existing one but for case or spacing is a typo in all
    likelihood, and importing into it would move the accounts out of their portfolio's rules
    and campaigns; it is refused, naming the existing one."""
    portfolio = table_of(Portfolio)
    names = conn.execute(select(portfolio.c.name).where(portfolio.c.client_id == client_id))
    other = namesake(name, names.scalars())
    if other is not None:
        raise PlacementFileError(
            f"portfolio {name!r} is new, but the client has {other!r}; portfolio names "
            "must match exactly (a new portfolio needs a name of its own)"
        )


def import_placements(
    conn: Connection,
    text: PlacementText,
    client_code: str,
    portfolio_name: str,
    stamp: Stamp,
    mapping: Mapping[str, str] | None = None,
    on_checked: Progress = _ignore,
    on_stored: Progress = _ignore,
) -> ImportReport:
    """Both steps in the caller's one transaction."""
    checked = check_import(conn, text, client_code, portfolio_name, stamp, mapping, on_checked)
    return store_import(conn, checked, stamp, on_stored)
