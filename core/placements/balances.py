"""Which balance a re-placed account carries when payments were booked here since it was placed.

A client's file states the balance on the client's books. Money taken here (the payment page, a
kept promise, a plan installment) comes off the stored balance at once, but reaches the
client's books only when it is remitted. Writing the file's figure over the stored one would
put those payments back on the debtor: the agent would quote a balance already paid, which is
misrepresenting the amount (FDCPA 1692e(2)(A)), and a paid account would show money owed.

So each account keeps the balance the client last placed and how much had been paid here by
then. Payments booked here since are taken off the file's figure, unless the file's figure
already counts them: it is exactly the last placed balance less those payments, which is what
a client's file looks like once the remittance has been posted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rebased:
    """The balance to store, and the placement it now rests on.

    `unremitted_minor` is what was taken off the file's figure: payments booked here that the
    file does not count yet (0 when the file's figure stands as it is).
    """

    balance_minor: int
    placed_balance_minor: int
    placed_paid_minor: int
    unremitted_minor: int


def rebase_balance(
    file_balance_minor: int,
    placed_balance_minor: int,
    placed_paid_minor: int,
    paid_here_minor: int,
) -> Rebased:
    """The stored balance for a re-placed account (see the module docstring).

    `placed_paid_minor` is what had been paid here when the client's balance was last placed;
    `paid_here_minor` is what has been paid here by now.
    """
    since = paid_here_minor - placed_paid_minor
    if since <= 0 or file_balance_minor == placed_balance_minor - since:
        # Nothing paid here since, or the client's books already hold it: the file stands.
        return Rebased(file_balance_minor, file_balance_minor, paid_here_minor, 0)
    balance = max(file_balance_minor - since, 0)
    return Rebased(balance, file_balance_minor, placed_paid_minor, file_balance_minor - balance)
