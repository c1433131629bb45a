"""What the console asks of the dialer over Redis lists, parsed and checked.

- `concord:dial_requests`: an agent's preview (click-to-dial) request,
  `{"agent_id": 7, "account_id": 42, "number": "+12025550111", "campaign_id": 3}`.
- `concord:call_commands`: call controls,
  `{"call_id": "c-...", "action": "hangup" | "hold" | "unhold" | "transfer", "agent_id": 7}`;
  a transfer goes to `target_agent_id` when given, else to the team lead of the agent's team;
  `"identify"` with `account_id` names the account of a call in whose number was on file for
  nobody, once the agent has found it; `"not_caller"` says a call in popped the wrong person
  (a shared or reassigned number): the call is about no account until it is identified.

Lists rather than pub/sub so a request sent while the dialer restarts waits for it. A request
that cannot be parsed is answered with a message naming the field (when the agent is known)
and dropped; it never stops the loop.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

DIAL_REQUESTS_KEY = "concord:dial_requests"
CALL_COMMANDS_KEY = "concord:call_commands"
CALL_ACTIONS = ("hangup", "hold", "unhold", "transfer", "identify", "not_caller")


class DialRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    agent_id: int
    account_id: int
    number: str
    campaign_id: int | None = None

    @field_validator("number")
    @classmethod
    def _e164(cls, number: str) -> str:
        digits = number.removeprefix("+")
        if not number.startswith("+") or not digits.isdigit() or not 8 <= len(digits) <= 15:
            raise ValueError(f"{number!r} is not an E.164 number (+ and 8-15 digits)")
        return number


class CallCommand(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    call_id: str
    action: str
    agent_id: int | None = None
    target_agent_id: int | None = None
    account_id: int | None = None

    @field_validator("action")
    @classmethod
    def _known(cls, action: str) -> str:
        if action not in CALL_ACTIONS:
            raise ValueError(f"{action!r} is not one of {', '.join(CALL_ACTIONS)}")
        return action


class BadRequest(ValueError):
    """A request that cannot be carried out; `agent_id` is who to tell, when known."""

    def __init__(self, message: str, agent_id: int | None) -> None:
        super().__init__(message)
        self.agent_id = agent_id


def _explain(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "request"
    return f"{where}: {first['msg']}"


def _agent_of(raw: str | bytes) -> int | None:

    try:
        value = json.loads(raw).get("agent_id")
        return int(value) if value is not None else None
    except (ValueError, TypeError, AttributeError):
        return None


def parse_dial_request(raw: str | bytes) -> DialRequest:
    try:
        return DialRequest.model_validate_json(raw)
    except ValidationError as exc:
        raise BadRequest(f"dial request refused: {_explain(exc)}", _agent_of(raw)) from exc


def parse_call_command(raw: str | bytes) -> CallCommand:
    try:
        return CallCommand.model_validate_json(raw)
    except ValidationError as exc:
        raise BadRequest(f"call command refused: {_explain(exc)}", _agent_of(raw)) from exc
