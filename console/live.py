"""What the floor knows about one agent right now: state and the live call, as plain data.

Kept in Redis (append-only) rather than the process, so a page reload, a websocket reconnect or a
console restart shows the same call: the snapshot half of snapshot-then-events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.events import AgentState


class AgentStatus(BaseModel):
    """The state bar: what the dialer reads to decide whom to give the next call."""

    agent_id: int
    state: AgentState = "logged_out"
    reason: str = ""
    campaign_id: int | None = None
    since: datetime
    # End of the campaign's wrap-up time; the bar counts down to it, nothing logs anyone out.
    wrapup_until: datetime | None = None


class ScriptProgress(BaseModel):
    """The script on screen and the agent's clicks in it; scripts_library replays the clicks
    to know the current node, the path and the disclosures done (so a reload loses nothing)."""

    name: str
    version: int
    variant: tuple[str, str, str, str]
    objections_version: int | None = None
    objections_variant: tuple[str, str, str, str] | None = None
    events: list[dict[str, Any]] = Field(default_factory=list)
    # Derived on each save, kept so the floor can tell "verified" without loading the script.
    disclosures_done: list[str] = Field(default_factory=list)


class LiveCall(BaseModel):
    """The account on the agent's screen: a connected call, or a preview before dialing."""

    account_id: int
    debtor_id: int
    campaign_id: int | None = None
    call_id: str = ""
    number: str = ""
    source: str = "dialer"  # dialer (screen pop), preview (agent chose the account)
    inbound: bool = False  # the debtor called us (a dialer screen pop all the same)

    @property
    def caller_unknown(self) -> bool:
        """A call in whose number is on file for nobody: the agent finds the account."""
        return self.inbound and not self.account_id

    connected_at: datetime | None = None
    ended: bool = False
    outcome: str = ""
    script: ScriptProgress | None = None
    # The identity card's last check matched every detail on file (core.identity.confirms):
    # without it the script's "Details match" is refused, or one click unmasked the file.
    identity_confirmed: bool = False

    @property
    def right_party_verified(self) -> bool:
        return self.script is not None and (
            "right_party_verification" in self.script.disclosures_done
        )
