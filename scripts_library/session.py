"""Walking a script during a call: pure, immutable, replayed from the agent's choices.

A session is the script plus the list of what the agent clicked. Everything else (current node,
path, disclosures done) is derived by replaying that list, so stepping back is dropping the last
choice, the state survives a page reload as a small JSON list, and the recorded path is exactly
what the agent walked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from scripts_library.graph import discusses_debt, reachable
from scripts_library.language import NEEDS_COMPLIANCE
from scripts_library.model import (
    RESUME,
    RIGHT_PARTY_CATEGORIES,
    Disclosure,
    Node,
    NodeKind,
    ScriptDoc,
)
from scripts_library.render import render_text

OBJECTION_PREFIX = "objections:"


class TraversalError(ValueError):
    """The agent's choice does not fit where the session is (stale button, wrong index)."""


@dataclass(frozen=True)
class Choice:
    """The agent picked answer `answer` (its index) on node `node`."""

    node: str
    answer: int
    op: Literal["answer"] = "answer"


@dataclass(frozen=True)
class OpenObjection:
    """The agent jumped to a rebuttal; its `@resume` answers come back to where they were."""

    handler: str
    op: Literal["objection"] = "objection"


Event = Choice | OpenObjection


@dataclass(frozen=True)
class _State:
    position: str  # qualified node id: "greet" or "objections:cant_pay"
    path: tuple[str, ...]
    resume: tuple[str, ...]
    done: frozenset[Disclosure]


@dataclass(frozen=True)
class RenderedAnswer:
    index: int
    label: str
    next: str


@dataclass(frozen=True)
class RenderedNode:
    """One node ready for the script panel: plain text (escape it in HTML) and its buttons."""

    id: str
    kind: NodeKind
    text: str
    note: str
    answers: tuple[RenderedAnswer, ...]
    disclosure: Disclosure | None
    disposition: str | None
    in_objection: bool
    # The node is allowed to speak of a lawsuit or garnishment: never read on a debt that may
    # be time-barred (compliance.limitations, Reg F 1006.26(b)).
    speaks_of_suit: bool = False


@dataclass(frozen=True)
class ScriptRun:
    """What the contact stores: which script version and variant, and the node ids walked."""

    script_name: str
    script_version: int
    variant: tuple[str, str, str, str]
    objections_version: int | None
    path: tuple[str, ...]
    disclosures_done: tuple[str, ...]


@dataclass(frozen=True)
class ScriptSession:
    script: ScriptDoc
    objections: ScriptDoc | None = None
    events: tuple[Event, ...] = field(default=())

    # -- derived state ---------------------------------------------------------------------
    def _state(self) -> _State:
        assert self.script.start is not None
        state = _State(self.script.start, (self.script.start,), (), frozenset())
        for event in self.events:
            state = self._apply(state, event)
        return state

    def _lookup(self, qualified: str) -> tuple[ScriptDoc, str]:
        if qualified.startswith(OBJECTION_PREFIX):
            if self.objections is None:
                raise TraversalError("this session has no objection set")
            return self.objections, qualified.removeprefix(OBJECTION_PREFIX)
        return self.script, qualified

    def _apply(self, state: _State, event: Event) -> _State:
        doc, node_id = self._lookup(state.position)
        node = doc.nodes[node_id]
        if isinstance(event, OpenObjection):
            return self._open(state, event.handler)
        if event.node != state.position:
            raise TraversalError(
                f"answer for {event.node!r} but the session is at {state.position!r}"
            )
        if not 0 <= event.answer < len(node.answers):
            raise TraversalError(f"node {state.position!r} has no answer {event.answer}")
        answer = node.answers[event.answer]
        done = state.done
        if answer.completes and node.disclosure is not None:
            done = done | {node.disclosure}
        resume = state.resume
        if answer.next == RESUME:
            if not resume:
                raise TraversalError(f"node {state.position!r} resumes but nothing was left open")
            target, resume = resume[-1], resume[:-1]
        else:
            prefix = OBJECTION_PREFIX if doc is self.objections else ""
            target = prefix + answer.next
        return _State(target, (*state.path, target), resume, done)

    def _open(self, state: _State, handler: str) -> _State:
        if self.objections is None or handler not in self.objections.nodes:
            raise TraversalError(f"no rebuttal {handler!r}")
        if self.objections.nodes[handler].handler is None:
            raise TraversalError(f"{handler!r} is not a rebuttal entry")
        if self.objection_locked(handler, state.done):
            raise TraversalError(
                f"rebuttal {handler!r} talks about the debt; finish "
                + ", ".join(d.value for d in self._missing(state.done))
                + " first"
            )
        target = OBJECTION_PREFIX + handler
        return _State(target, (*state.path, target), (*state.resume, state.position), state.done)

    def _missing(self, done: frozenset[Disclosure]) -> list[Disclosure]:
        return [d for d in self.script.required_disclosures if d not in done]

    # -- queries ---------------------------------------------------------------------------
    @property
    def position(self) -> str:
        """Qualified id of the current node ("greet" or "objections:cant_pay")."""
        return self._state().position

    @property
    def current(self) -> Node:
        doc, node_id = self._lookup(self.position)
        return doc.nodes[node_id]

    @property
    def path(self) -> tuple[str, ...]:
        return self._state().path

    @property
    def disclosures_done(self) -> frozenset[Disclosure]:
        return self._state().done

    @property
    def required_disclosures(self) -> tuple[Disclosure, ...]:
        return self.script.required_disclosures

    def may_record_right_party(self) -> bool:
        """False until every required disclosure of this script has been marked done."""
        return not self._missing(self._state().done)

    def may_record(self, category: str) -> bool:
        """Whether the console may accept a disposition of this category now."""
        return category not in RIGHT_PARTY_CATEGORIES or self.may_record_right_party()

    def objection_locked(self, handler: str, done: frozenset[Disclosure] | None = None) -> bool:
        """A rebuttal that discusses the debt opens only after the required disclosures."""
        if self.objections is None:
            return True
        done = self._state().done if done is None else done
        if not self._missing(done):
            return False
        nodes = reachable(self.objections, [handler])
        return any(discusses_debt(self.objections.nodes[n]) for n in nodes)

    # -- moves -----------------------------------------------------------------------------
    def answer(self, index: int) -> ScriptSession:
        """Follow answer `index` of the current node; raises TraversalError if it has none."""
        event = Choice(self.position, index)
        self._apply(self._state(), event)  # validate before keeping it
        return replace(self, events=(*self.events, event))

    def open_objection(self, handler: str) -> ScriptSession:
        event = OpenObjection(handler)
        self._apply(self._state(), event)
        return replace(self, events=(*self.events, event))

    def back(self) -> ScriptSession:
        """Undo the last choice (and any disclosure it marked done); no-op at the start."""
        return replace(self, events=self.events[:-1])

    # -- output ----------------------------------------------------------------------------
    def render(self, context: Mapping[str, Any]) -> RenderedNode:
        """The current node filled with the account's data; raises on a missing merge field."""
        return render_node(self.position, self.current, context)

    def record(self) -> ScriptRun:
        state = self._state()
        return ScriptRun(
            script_name=self.script.name,
            script_version=self.script.version,
            variant=self.script.variant,
            objections_version=self.objections.version if self.objections else None,
            path=state.path,
            disclosures_done=tuple(sorted(d.value for d in state.done)),
        )

    def to_events(self) -> list[dict[str, Any]]:
        """The choices as JSON-ready dicts, to keep across requests (see `from_events`)."""
        return [
            {"op": e.op, "node": e.node, "answer": e.answer}
            if isinstance(e, Choice)
            else {"op": e.op, "handler": e.handler}
            for e in self.events
        ]


def render_node(node_id: str, node: Node, context: Mapping[str, Any]) -> RenderedNode:
    """Any node filled with `context`: the script panel, the preview command and the editor."""
    return RenderedNode(
        id=node_id,
        kind=node.kind,
        text=render_text(node.say, context),
        note=node.note,
        answers=tuple(
            RenderedAnswer(i, render_text(a.label, context), a.next)
            for i, a in enumerate(node.answers)
        ),
        disclosure=node.disclosure,
        disposition=node.disposition.value if node.disposition else None,
        in_objection=node_id.startswith(OBJECTION_PREFIX),
        speaks_of_suit=any(a.rule in NEEDS_COMPLIANCE for a in node.allow),
    )


def start(script: ScriptDoc, objections: ScriptDoc | None = None) -> ScriptSession:
    """A new session at the script's start node."""
    if script.kind != "script":
        raise TraversalError(f"{script.name!r} is an objection set, not a script")
    return ScriptSession(script, objections)


def from_events(
    script: ScriptDoc, objections: ScriptDoc | None, events: list[dict[str, Any]]
) -> ScriptSession:
    """Rebuild a session from `to_events()` output; replays so a bad list fails loudly."""
    session = start(script, objections)
    for raw in events:
        if raw.get("op") == "objection":
            session = session.open_objection(str(raw["handler"]))
        elif raw.get("op") == "answer":
            if raw.get("node") != session.position:
                raise TraversalError(f"stored choice for {raw.get('node')!r} is out of step")
            session = session.answer(int(raw["answer"]))
        else:
            raise TraversalError(f"unknown stored choice {raw!r}")
    return session
