"""The life of one dialer call, as a pure state machine over facts the AMI layer reports.

The service translates raw AMI (OriginateResponse, the dialplan's UserEvents, ConfbridgeJoin,
Hangup) into the small facts below and feeds them here; this module decides what the call is
now and, once it ends, which compliance outcome it gets. No clock, no I/O: every fact carries
Asterisk's own timestamp, so an attempt is stored with the PBX's times, and the same sequence
replayed from a transcript gives the same outcome.

Outcomes are the compliance engine's words (they feed Reg F's 7-in-7 count and the abandon
rate): no_answer, busy, voicemail, abandoned, conversation, not_connected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class CallState(StrEnum):
    DIALING = "dialing"  # Originate sent, nobody answered yet
    ANSWERED = "answered"  # picked up; answering-machine detection is listening
    LIVE = "live"  # a person: waiting (at most 2 s) for an agent
    CONNECTING = "connecting"  # the one Redirect to an agent's bridge is on its way
    CONNECTED = "connected"  # in the agent's bridge: a conversation
    MACHINE = "machine"  # an answering machine: message or hang-up per the portfolio
    ABANDONED = "abandoned"  # no agent in time: the limited-content message plays
    ENDED = "ended"


# The dialplan gives a live answer CONCORD_AGENT_WAIT (1.2 s: the law's 2 s after the greeting,
# less AMD's 0.8 s of silence that decided it was live) before the limited-content message; a
# Redirect sent later than this could pull the debtor out of that message mid-sentence, and a
# connect later than 2 s after the greeting is an abandon however it is recorded.
CONNECT_DEADLINE_S = 1.0

INBOUND = "inbound"  # the mode of a debtor's call in (dialer.inbound_desk): never a placement

OUTCOMES = ("no_answer", "busy", "voicemail", "abandoned", "conversation", "not_connected")

# OriginateResponse Reason codes (Asterisk's AST_CONTROL_*), as seen on this PBX.
_REASON_OUTCOME = {"3": "no_answer", "5": "busy", "8": "not_connected", "0": "not_connected"}
# Hangup causes (Q.850) for a call that was never answered.
_CAUSE_OUTCOME = {"17": "busy", "19": "no_answer", "18": "no_answer", "21": "not_connected"}


@dataclass
class Call:
    """One placed call, keyed by the ChannelId we passed to Originate (`call_id`)."""

    call_id: str
    campaign_id: int | None
    account_id: int
    debtor_id: int
    number: str
    mode: str  # predictive, progressive, preview, callback or inbound
    placed_at: float  # the dialer's monotonic clock, for pacing only
    agent_hint: int | None = None  # preview agent or callback owner: connect there if ready
    callback_id: int | None = None
    decision: dict[str, Any] = field(default_factory=dict)
    state: CallState = CallState.DIALING
    started_at: datetime | None = None
    answered_at: datetime | None = None
    live_at: datetime | None = None
    live_seen: float | None = None  # monotonic, for the 2-second window
    connected_at: datetime | None = None
    ended_at: datetime | None = None
    agent_id: int | None = None
    recording: str = ""
    message: str = ""  # a caller's message left after the tone (a call in no agent took)
    opted_out: bool = False  # the person pressed the opt-out key at the message (keypad)
    amd_status: str = ""
    originate_reason: str | None = None
    hangup_cause: str | None = None
    hung_up_at: datetime | None = None  # a bare hangup while dialling, awaiting its reason
    rang: bool = False  # the network reported ringing: the number was reached
    # The machine branch finished (message left, or hung up on as the portfolio says) before
    # the far end hung up; without it, a MACHINE verdict's callee hung up first.
    machine_done: bool = False
    outcome: str = ""
    # Bookkeeping so pacing hears "resolved" once and the floor hears "abandoned" once.
    pacing_told: bool = False
    abandon_told: bool = False

    @property
    def is_over(self) -> bool:
        return self.state is CallState.ENDED

    def seen(self, at: datetime) -> None:
        """The first AMI event about the call fixes its start with Asterisk's clock."""
        if self.started_at is None:
            self.started_at = at

    def ringing(self, at: datetime) -> None:
        """The far end is ringing: from here an unanswered end is a no-answer, which Reg F
        counts, even if the PBX rather than the timeout ended it."""
        self.seen(at)
        self.rang = True

    def originate_failed(self, reason: str, at: datetime) -> None:
        """OriginateResponse Failure: the number never answered; the call is over."""
        self.seen(at)
        self.originate_reason = reason
        if self.state is CallState.DIALING:
            self._end(self.hung_up_at or at)

    def answered(self, at: datetime, recording: str) -> None:
        """The callee picked up and MixMonitor started recording."""
        self.seen(at)
        self.recording = recording or self.recording
        if self.state is CallState.DIALING:
            self.state = CallState.ANSWERED
            self.answered_at = at

    def amd(self, status: str, at: datetime) -> None:
        """AMD's verdict; MACHINE leaves it to the machine branch, the rest wait for Live."""
        self.seen(at)
        self.amd_status = status
        if status == "MACHINE" and self.state in (CallState.DIALING, CallState.ANSWERED):
            self.state = CallState.MACHINE

    def live(self, at: datetime, monotonic: float) -> None:
        """A person (or AMD unsure, treated as a person): the 2-second window starts now."""
        self.seen(at)
        if self.state in (CallState.DIALING, CallState.ANSWERED):
            if self.answered_at is None:
                self.answered_at = at
            self.state = CallState.LIVE
            self.live_at = at
            self.live_seen = monotonic

    def connecting(self, agent_id: int) -> None:
        """The dialer sent the Redirect to `agent_id`'s bridge."""
        if self.state is CallState.LIVE:
            self.state = CallState.CONNECTING
            self.agent_id = agent_id

    def connect_failed(self) -> None:
        """The Redirect was refused (channel gone or bridge full): back to waiting."""
        if self.state is CallState.CONNECTING:
            self.state = CallState.LIVE
            self.agent_id = None

    def connected(self, agent_id: int, at: datetime) -> None:
        """The callee entered an agent's bridge: the first connect, back from hold, or a
        transfer landing with another agent, who has the call (and its wrap-up) from now on."""
        self.seen(at)
        if self.state in (CallState.LIVE, CallState.CONNECTING, CallState.ANSWERED):
            self.state = CallState.CONNECTED
            self.agent_id = agent_id
            self.connected_at = at
        elif self.state is CallState.CONNECTED:
            self.agent_id = agent_id

    def abandoned(self, at: datetime) -> None:
        """The dialplan's wait ran out: the limited-content message plays, then a hang-up."""
        self.seen(at)
        if self.state in (CallState.LIVE, CallState.CONNECTING, CallState.ANSWERED):
            self.state = CallState.ABANDONED
            self.agent_id = None

    def machine(self, at: datetime) -> None:
        """The machine branch is done: the message was left after the beep, or the portfolio
        says hang up and we are about to."""
        self.seen(at)
        if self.state in (CallState.DIALING, CallState.ANSWERED):
            self.state = CallState.MACHINE
        self.machine_done = self.state is CallState.MACHINE

    def hangup(self, cause: str, at: datetime) -> None:
        """Our channel hung up: the call is over, its outcome fixed.

        A Local channel that never answered hangs up with cause 0 and says why only in its
        OriginateResponse (busy, no answer...), which may come just after; such a call waits
        for that reason (or for `lost`, if it never comes) instead of guessing.
        """
        self.seen(at)
        self.hangup_cause = cause
        if self.state is CallState.ENDED:
            return
        if (
            self.state is CallState.DIALING
            and self.originate_reason is None
            and cause not in _CAUSE_OUTCOME
        ):
            self.hung_up_at = at
            return
        self._end(at)

    def lost(self, at: datetime) -> None:
        """The channel vanished unseen (AMI down, Asterisk restarted) or its reason never came:
        settle from what we know."""
        self.seen(at)
        if self.state is not CallState.ENDED:
            self._end(self.hung_up_at or at)

    def _end(self, at: datetime) -> None:
        self.outcome = settle(self)
        self.state = CallState.ENDED
        self.ended_at = at

    @property
    def answer_to_agent_ms(self) -> int | None:
        if self.live_at is None or self.connected_at is None:
            return None
        return max(0, round((self.connected_at - self.live_at).total_seconds() * 1000))


def settle(call: Call) -> str:
    """The compliance outcome of a call from the furthest state it reached.

    A person who answered and never reached an agent is an abandoned call whatever the reason
    (our wait ran out, they hung up on the silence, AMD hung up on them, the PBX restarted):
    counting it against the 3% cap is the side of the rule that cannot get a shop fined.

    So is a MACHINE verdict whose callee hung up before the machine branch was done: a machine
    records on after its beep until the message is left, while a person AMD misjudged (a long
    "hello, who is this?") hangs up on the silence or the message. A machine that hangs up
    first (mailbox full) is counted too, on the same safe side. When the portfolio says hang up
    on machines, we hang up at once and AMD's verdict is all there is to go by.
    """
    state = call.state
    if state is CallState.CONNECTED:
        return "conversation"
    if state is CallState.MACHINE:
        return "voicemail" if call.machine_done else "abandoned"
    if state in (CallState.LIVE, CallState.CONNECTING, CallState.ABANDONED, CallState.ANSWERED):
        return "abandoned"
    if state is CallState.ENDED:
        return call.outcome
    found = _REASON_OUTCOME.get(call.originate_reason or "") or _CAUSE_OUTCOME.get(
        call.hangup_cause or ""
    )
    if found in ("busy", "no_answer"):
        return found
    if call.rang or (call.originate_reason is None and call.hung_up_at is None):
        # It rang, or was lost before we learnt how it ended (AMI gap, PBX restart): unanswered
        # calls count toward 7-in-7, so the conservative outcome is no_answer.
        return "no_answer"
    return found or "not_connected"


_OUTCOME_RESULT = {
    "busy": "busy",
    "no_answer": "no_answer",
    "abandoned": "live",
    "conversation": "live",
    "voicemail": "machine",
}


def pacing_result(call: Call) -> str:
    """How the placement resolved, in the pacing contract's words (live|machine|busy|...)."""
    if call.state in (CallState.LIVE, CallState.CONNECTING, CallState.CONNECTED):
        return "live"
    if call.state is CallState.ABANDONED:
        return "live"
    if call.state is CallState.MACHINE:
        return "machine"
    return _OUTCOME_RESULT.get(call.outcome, "failed")
