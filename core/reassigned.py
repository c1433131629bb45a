"""The FCC's Reassigned Numbers Database (RND): which of our numbers were given to someone else.

A debtor's consent to autodialled calls and texts on a mobile does not pass to the next person
the carrier gives the number to, and every such call reaches a stranger (a third party, 1692c(b)).
The RND answers, per US number and date, whether the number was permanently disconnected on or
after that date: "yes", "no" or "no data". A caller who asked it before calling keeps a safe
harbour if it answered wrongly (47 CFR 64.1200(m)), so the question and the answer are evidence
and are kept on the phone row.

The database has no API we can reach from here; an admin uploads the query file this module
writes (`concord numbers rnd-query`) at reassigned.us and imports the answer file
(`concord numbers rnd-results`). The date asked for each number is the last day we knew the
debtor could be reached on it: when we got the number, a conversation on it, or an earlier
"no". A "yes" retires the number as a wrong number (no calls or texts, its autodial consent
withdrawn), with the database's answer in the debtor's hold history; a lead takes it back as
any wrong number when the debtor says it is still theirs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import phonenumbers
from sqlmodel import Session, col, func, select

from core.holds import record_change
from core.models import Account, ContactAttempt, Phone
from core.phones import e164

YES, NO, NO_DATA = "yes", "no", "no_data"
_ANSWERS = {
    "yes": YES, "y": YES, "no": NO, "n": NO, "no data": NO_DATA, "no_data": NO_DATA,
    "nodata": NO_DATA,
}  # fmt: skip
_NUMBER_HEADERS = ("number", "phone number", "phone", "tn", "telephone number")
_DATE_HEADERS = ("date", "query date", "date of consent", "consent date")
_RESULT_HEADERS = ("result", "answer", "response", "disconnected")
_MAX_ERRORS = 20
_CHUNK = 500  # numbers per IN (...) list, under every backend's parameter limit


class RndFileError(ValueError):
    """An answer file that cannot be read; the message names each bad line and field."""


@dataclass(frozen=True)
class RndAnswer:
    """One line of the database's answer: `number` in E.164, asked about since `asked_since`."""

    number: str
    asked_since: date
    result: str


@dataclass
class RndImport:
    """What an answer file changed."""

    reassigned: list[str] = field(default_factory=list)
    not_disconnected: int = 0
    no_data: int = 0
    not_on_file: int = 0


def ten_digits(number: str) -> str | None:
    """A stored E.164 number as the database takes it (ten digits), or None outside the NANP
    US numbers it holds."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    if parsed.country_code != 1 or phonenumbers.region_code_for_number(parsed) != "US":
        return None
    digits = str(parsed.national_number)
    return digits if len(digits) == 10 else None


def query_rows(session: Session) -> list[tuple[str, date]]:
    """(ten digits, date to ask since) for every US number on file not already retired as
    wrong, sorted by number. A number two debtors hold is asked once, since the earlier of
    their dates: a "yes" then retires it for both, which errs toward not calling."""
    reached: dict[tuple[str, int], datetime] = {
        (number, debtor): at
        for number, debtor, at in session.exec(
            select(
                ContactAttempt.to_address,
                ContactAttempt.debtor_id,
                func.max(ContactAttempt.started_at),
            )
            .where(ContactAttempt.channel == "call", ContactAttempt.outcome == "conversation")
            .group_by(col(ContactAttempt.to_address), col(ContactAttempt.debtor_id))
        )
    }
    asked: dict[str, date] = {}
    for phone in session.exec(select(Phone).where(col(Phone.wrong_number_at).is_(None))):
        digits = ten_digits(phone.number)
        if digits is None:
            continue
        known = [phone.created_at, reached.get((phone.number, phone.debtor_id))]
        if phone.rnd_result == NO and phone.rnd_checked_at is not None:
            known.append(phone.rnd_checked_at)
        since = max(moment.astimezone(UTC).date() for moment in known if moment is not None)
        asked[digits] = min(since, asked.get(digits, since))
    return sorted(asked.items())


def query_file(rows: Iterable[tuple[str, date]]) -> str:
    """The query file: a header, then `number,date` per line (YYYY-MM-DD)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["number", "date"])
    writer.writerows((digits, since.isoformat()) for digits, since in rows)
    return out.getvalue()


def read_answers(text: str) -> list[RndAnswer]:
    """Every line of an answer file, or RndFileError naming each bad line (up to 20) and
    field: nothing is stored from a file with any bad line."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip().lower() for cell in next(reader, [])]
    columns = [_column(header, names) for names in (_NUMBER_HEADERS, _DATE_HEADERS,
                                                    _RESULT_HEADERS)]  # fmt: skip
    missing = [label for label, at in zip(("number", "date", "result"), columns, strict=True)
               if at is None]  # fmt: skip
    if missing:
        raise RndFileError(
            f"line 1: the header needs columns named number, date and result; "
            f"no {' or '.join(missing)} column in {','.join(header) or 'an empty line'}"
        )
    number_at, date_at, result_at = (c for c in columns if c is not None)
    answers, errors = [], []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            answers.append(_answer(row, number_at, date_at, result_at))
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
    if errors:
        more = len(errors) - _MAX_ERRORS
        shown = errors[:_MAX_ERRORS] + ([f"and {more} more bad lines"] if more > 0 else [])
        raise RndFileError("; ".join(shown))
    return answers


def apply_answers(
    session: Session, answers: Iterable[RndAnswer], actor: str, at: datetime
) -> RndImport:
    """Keeps each answer on the phone rows holding its number and retires the numbers the
    database says were disconnected (see the module docstring). Not committed."""
    done = RndImport()
    answers = list(answers)
    holding: dict[str, list[Phone]] = {}
    wanted = sorted({a.number for a in answers})
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for phone in session.exec(select(Phone).where(col(Phone.number).in_(chunk))):
            holding.setdefault(phone.number, []).append(phone)
    for answer in answers:
        phones = holding.get(answer.number, [])
        if not phones:
            done.not_on_file += 1
            continue
        if answer.result == YES:
            done.reassigned.append(answer.number)
        elif answer.result == NO:
            done.not_disconnected += 1
        else:
            done.no_data += 1
        for phone in phones:
            _keep(session, phone, answer, actor, at)
    session.flush()
    return done


def retired_by_answer(phone: Phone) -> bool:
    """The number is retired, by the database's "yes" (not by a later wrong-number report
    after a lead took the "yes" back)."""
    return (
        phone.rnd_result == YES
        and phone.wrong_number_at is not None
        and phone.wrong_number_at == phone.rnd_checked_at
    )


def said(phone: Phone) -> str:
    """A retired number's reason as an agent reads it next to the number."""
    since = f"{phone.rnd_since:%Y-%m-%d}" if phone.rnd_since else "the date asked"
    checked = f"{phone.rnd_checked_at:%Y-%m-%d}" if phone.rnd_checked_at else "?"
    return f"reassigned: disconnected on or after {since} (FCC database, checked {checked})"


def _keep(session: Session, phone: Phone, answer: RndAnswer, actor: str, at: datetime) -> None:
    phone.rnd_result, phone.rnd_since, phone.rnd_checked_at = answer.result, answer.asked_since, at
    phone.updated_at, phone.updated_by = at, actor
    if answer.result == YES and phone.wrong_number_at is None:
        # The next subscriber never consented: autodial stops even after a lead takes it back.
        phone.wrong_number_at, phone.consent = at, False
        first = session.exec(
            select(Account).where(Account.debtor_id == phone.debtor_id).order_by(col(Account.id))
        ).first()
        if first is not None:  # the person's hold history, as a wrong-number outcome writes it
            why = f"{phone.number} {said(phone)}"
            record_change(session, first, "wrong_number", "set", "debtor", why, actor, at)
    session.add(phone)


def _answer(row: list[str], number_at: int, date_at: int, result_at: int) -> RndAnswer:
    width = max(number_at, date_at, result_at) + 1
    if len(row) < width:
        raise ValueError(f"{len(row)} fields, the header names {width}")
    typed, day, result = (row[i].strip() for i in (number_at, date_at, result_at))
    number = e164(typed)
    if number is None or ten_digits(number) is None:
        raise ValueError(f"number {typed!r} is not a ten-digit US number")
    try:
        asked = date.fromisoformat(day)
    except ValueError:
        raise ValueError(f"date {day!r} is not a date as YYYY-MM-DD") from None
    answer = _ANSWERS.get(result.lower())
    if answer is None:
        raise ValueError(f"result {result!r} is not yes, no or no data")
    return RndAnswer(number, asked, answer)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, cell in enumerate(header) if cell in names), None)
