"""Everything the agent screen renders, gathered in one place for every agent route.

Reads the floor state (Redis) and the account (database), checks the tenant, picks and replays
the script, and asks compliance about the number on screen. Routes only add form values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from console.gateways import Floor
from console.live import AgentStatus, LiveCall
from console.services import agent_state, script_panel
from console.services.access import (
    AccountNotFound,
    assigned_campaigns,
    campaign_for,
    visible_account,
)
from console.services.outcome import Policy
from console.services.screen import ScreenPop, debt_age_days, load_screen
from console.services.verdict import Explained, check_call
from core.models import Campaign, ContactAttempt, Phone, User
from core.settings import Settings
from scripts_library.library import Library, ScriptNotFound
from scripts_library.session import ScriptSession, TraversalError


@dataclass
class Workspace:
    user: User
    status: AgentStatus
    campaigns: list[Campaign]
    now: datetime
    call: LiveCall | None = None
    pop: ScreenPop | None = None
    campaign: Campaign | None = None
    session: ScriptSession | None = None
    merge: dict[str, Any] = field(default_factory=dict)
    script_error: str = ""
    # A call in's number is on someone's file: after "Not this caller", the screen must not
    # say the number is on file for nobody, nor offer it as the caller's new number.
    number_on_file: bool = False

    @property
    def verified(self) -> bool:
        return self.call is not None and self.call.right_party_verified

    @property
    def policy(self) -> Policy | None:
        if self.pop is None:
            return None
        return Policy(
            balance_minor=self.pop.account.balance_minor,
            currency=self.pop.account.currency,
            promise_max_days=self.pop.portfolio.promise_max_days,
            settlement_min_pct=self.pop.portfolio.settlement_min_pct,
            plan_max_installments=self.pop.portfolio.plan_max_installments,
            today=self.pop.local_today(self.now),
        )

    def context(self, **extra: Any) -> dict[str, Any]:
        script = None
        if self.session is not None and not self.script_error:
            try:
                script = script_panel.view(self.session, self.merge, str(extra.get("query", "")))
            except Exception as exc:  # a merge field the account cannot fill
                self.script_error = f"The script cannot be shown: {exc}"
        return {
            "user": self.user,
            "ws": self,
            "status": self.status,
            "status_label": agent_state.label(self.status),
            "pause_reasons": agent_state.PAUSE_REASONS,
            "campaigns": self.campaigns,
            "call": self.call,
            "pop": self.pop,
            "verified": self.verified,
            "script": script,
            "script_error": self.script_error,
            "policy": self.policy,
            "age_days": debt_age_days(self.pop.account, self.now.date()) if self.pop else None,
            "debtor_clocks": debtor_clocks(self.pop.zones, self.now) if self.pop else [],
            "now": self.now,
            "form": {},
            "errors": {},
            "oob": (),
            **extra,
        }


def debtor_clocks(zones: tuple[str, ...], now: datetime) -> list[str]:
    """The time now where the debtor may be, one per zone ("14:05 in Los Angeles"): a debtor
    asking for "6 pm" means their 6 pm, and the callback field takes the agent's own clock."""
    return [
        f"{now.astimezone(ZoneInfo(name)):%H:%M} in {name.rsplit('/', 1)[-1].replace('_', ' ')}"
        for name in sorted(zones)
    ]


def first_name(user: User) -> str:
    return (user.full_name or user.username).split()[0]


def load(
    db: Session,
    floor: Floor,
    library: Library,
    settings: Settings,
    user: User,
    now: datetime,
) -> Workspace:
    assert user.id is not None
    status, call = floor.desk(user.id, now)
    ws = Workspace(user=user, status=status, campaigns=assigned_campaigns(db, user), now=now)
    if call is None:
        return ws
    if call.source == "dialer" and call.call_id and not call.ended:
        call = _ended_meanwhile(db, floor, user.id, call)
    holders = number_holders(db, call.number) if call.inbound and call.number else set()
    ws.number_on_file = bool(holders - {call.debtor_id})
    if call.caller_unknown:
        ws.call = call  # no account yet: the screen asks who is calling (routes.dial.identify)
        return ws
    try:
        account = visible_account(db, user, call.account_id)
    except AccountNotFound:
        # A call for an account this agent may not see is never shown, whatever sent it.
        ws.script_error = "The connected account is not in your campaigns; ask your team lead."
        return ws
    ws.call = call
    ws.pop = load_screen(db, account)
    ws.pop.flags[:0] = shared_number(holders, account.debtor_id)
    ws.campaign = campaign_for(db, user, account)
    if call.number:
        ws.pop.decision = check_call(db, account, call.number, now)
    elif ws.pop.phones:
        ws.pop.decision = check_call(db, account, ws.pop.phones[0].number, now)
    _attach_script(ws, floor, library, settings)
    return ws


def number_holders(db: Session, number: str) -> set[int]:
    """The debtors who have `number` among their phones."""
    return set(db.exec(select(Phone.debtor_id).where(Phone.number == number)))


def shared_number(holders: set[int], debtor_id: int) -> list[tuple[str, str]]:
    """A call in from a number other people on file also have: the account popped is the one
    last worked on it, which may be someone else's (a household line, a phone passed on). A
    caller the agent found by search, on a number not on their own file, was chosen by the
    agent, not by the number: no warning."""
    others = len(holders - {debtor_id})
    if debtor_id not in holders or not others:
        return []
    people = "person" if others == 1 else "people"
    return [(
        "shared number",
        f"The number they called from is on file for {others} other {people} too: the account "
        "shown may not be theirs. Verify before anything else; if it is someone else's, say "
        "nothing about it and press Not this caller.",
    )]  # fmt: skip


def _ended_meanwhile(db: Session, floor: Floor, agent_id: int, call: LiveCall) -> LiveCall:
    """The call as the stored attempt knows it. CallEnded goes over pub/sub, which keeps nothing
    for a listener not yet there: a dialer starting with the console (`concord up`) settles a
    call that ended while it was down before the console listens, and the screen went on
    showing a live call that was gone. A settled attempt is the truth; the screen then asks
    for the outcome as after any call."""
    outcome = db.exec(
        select(ContactAttempt.outcome).where(
            ContactAttempt.call_id == call.call_id, col(ContactAttempt.ended_at).is_not(None)
        )
    ).first()
    if not outcome or not floor.end_call(agent_id, call.call_id, outcome):
        return call
    return call.model_copy(update={"ended": True, "outcome": outcome})


def _attach_script(ws: Workspace, floor: Floor, library: Library, settings: Settings) -> None:
    assert ws.call is not None and ws.pop is not None and ws.user.id is not None
    pop = ws.pop
    try:
        if ws.call.script is None:
            progress = script_panel.choose(
                library, ws.campaign, pop.client, pop.debtor, pop.portfolio, pop.account,
                inbound=ws.call.inbound,
            )  # fmt: skip
            ws.call = ws.call.model_copy(update={"script": progress})
            floor.set_live_call(ws.user.id, ws.call)
        assert ws.call.script is not None
        ws.session = script_panel.session_of(library, ws.call.script)
    except (ScriptNotFound, TraversalError) as exc:
        ws.script_error = f"No call script: {exc}"
        return
    ws.merge = script_panel.context(
        account=pop.account,
        debtor=pop.debtor,
        client=pop.client,
        portfolio=pop.portfolio,
        agent_first_name=first_name(ws.user),
        secret=settings.secret_key,
        base_url=settings.public_base_url,
        agency_name=settings.agency_name,
        now=ws.now,
    )


def store_session(ws: Workspace, floor: Floor, session: ScriptSession) -> None:
    """Keep the agent's clicks with the live call so a reload replays to the same node."""
    assert ws.call is not None and ws.call.script is not None and ws.user.id is not None
    ws.call = ws.call.model_copy(update={"script": script_panel.saved(ws.call.script, session)})
    ws.session = session
    floor.set_live_call(ws.user.id, ws.call)


def recheck(db: Session, ws: Workspace, number: str) -> Explained:
    assert ws.pop is not None
    return check_call(db, ws.pop.account, number, ws.now)
