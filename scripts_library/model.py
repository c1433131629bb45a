"""The script file format: a YAML document of nodes the agent reads and the answers that link them.

A script is reviewed like code, so the format is strict (unknown keys are refused) and every
identity field is explicit: the contact stores the name and version it was worked with, and the
resolver picks a variant by client, language, jurisdiction profile and segment.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.models.contacts import DispositionCategory

# The wildcard for client, jurisdiction and segment: a variant that fits any value.
DEFAULT = "default"
# An answer target in an objection set: go back to the node the agent jumped from.
RESUME = "@resume"

IDENTIFIER = r"^[a-z][a-z0-9_]*$"
# Client codes, jurisdiction profiles and segments as the rest of Concord spells them
# ("DEMO-NWB", "us-ma"); they become part of a published file's name, so no dots or slashes.
VARIANT_CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"


class ContactType(StrEnum):
    """Which disclosures the conversation owes, by who is calling and whether it is the first time.

    A first-party caller (the creditor's own staff) owes no debt-collector disclosure; a debt
    collector owes the full one on the first communication and the short one afterwards
    (15 U.S.C. 1692e(11)). A script for a third party must never discuss the debt at all.
    """

    FIRST_PARTY = "first_party"
    COLLECTOR_FIRST = "collector_first_contact"
    COLLECTOR_LATER = "collector_later_contact"
    NO_DEBT_TALK = "no_debt_talk"


class Disclosure(StrEnum):
    """Steps that must be done (and marked done) before the debt is discussed."""

    RIGHT_PARTY_VERIFICATION = "right_party_verification"
    DEBT_COLLECTOR_FIRST = "debt_collector_first"
    DEBT_COLLECTOR_LATER = "debt_collector_later"


REQUIRED_DISCLOSURES: dict[ContactType, tuple[Disclosure, ...]] = {
    ContactType.FIRST_PARTY: (Disclosure.RIGHT_PARTY_VERIFICATION,),
    ContactType.COLLECTOR_FIRST: (
        Disclosure.RIGHT_PARTY_VERIFICATION,
        Disclosure.DEBT_COLLECTOR_FIRST,
    ),
    ContactType.COLLECTOR_LATER: (
        Disclosure.RIGHT_PARTY_VERIFICATION,
        Disclosure.DEBT_COLLECTOR_LATER,
    ),
    # Right-party verification is still listed so a third-party script can never unlock an RPC
    # disposition: it has no verification node, so the requirement is never met.
    ContactType.NO_DEBT_TALK: (Disclosure.RIGHT_PARTY_VERIFICATION,),
}

# Dispositions that say "we spoke with the debtor about the debt": the console refuses them
# until the script's required disclosures are done.
RIGHT_PARTY_CATEGORIES = frozenset(
    {
        DispositionCategory.RIGHT_PARTY,
        DispositionCategory.PROMISE,
        DispositionCategory.PLAN,
        DispositionCategory.REFUSED,
    }
)


class NodeKind(StrEnum):
    STEP = "step"
    DISCLOSURE = "disclosure"
    END = "end"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(Strict):
    """One thing the debtor may say and the node it leads to."""

    label: str = Field(min_length=1)
    next: str = Field(min_length=1)
    # Choosing this answer on a disclosure node is how the agent marks the disclosure done.
    completes: bool = False


class Allowance(Strict):
    """Permission for one banned-language rule on one node, only with a stated lawful reason."""

    rule: str
    reason: str = Field(min_length=20)


class Handler(Strict):
    """Makes a node in an objection set an entry the agent can find by keyword (a rebuttal)."""

    title: str = Field(min_length=1)
    keywords: tuple[str, ...] = Field(min_length=1)


class Node(Strict):
    """What the agent says at one step, and where each possible answer goes."""

    kind: NodeKind = NodeKind.STEP
    say: str = Field(min_length=1)
    note: str = ""  # guidance for the agent, not read aloud; not linted for reading level
    answers: tuple[Answer, ...] = ()
    disclosure: Disclosure | None = None
    disposition: DispositionCategory | None = None
    about_debt: bool = False  # force "discusses the debt" when the text alone does not show it
    allow: tuple[Allowance, ...] = ()
    handler: Handler | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Node:
        if self.kind is NodeKind.DISCLOSURE and self.disclosure is None:
            raise ValueError("a disclosure node needs `disclosure:` (which one it is)")
        if self.kind is not NodeKind.DISCLOSURE and self.disclosure is not None:
            raise ValueError("`disclosure:` belongs only on nodes of kind disclosure")
        if self.kind is NodeKind.END:
            if self.disposition is None:
                raise ValueError("an end node needs a suggested `disposition:`")
            if self.answers:
                raise ValueError("an end node has no answers")
        elif self.disposition is not None:
            raise ValueError("`disposition:` belongs only on end nodes")
        if self.kind is NodeKind.DISCLOSURE and not any(a.completes for a in self.answers):
            raise ValueError("a disclosure node needs an answer with `completes: true`")
        return self


class ScriptDoc(Strict):
    """One version of one variant of a script (or of an objection set)."""

    kind: Literal["script", "objections"] = "script"
    name: str = Field(pattern=IDENTIFIER)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    client: str = Field(default=DEFAULT, pattern=VARIANT_CODE)
    language: Literal["en", "es"]
    jurisdiction: str = Field(default=DEFAULT, pattern=VARIANT_CODE)
    segment: str = Field(default=DEFAULT, pattern=VARIANT_CODE)
    contact_type: ContactType = ContactType.COLLECTOR_LATER
    start: str | None = None
    nodes: dict[str, Node] = Field(min_length=1)

    @field_validator("nodes")
    @classmethod
    def _node_ids(cls, nodes: dict[str, Node]) -> dict[str, Node]:
        for node_id in nodes:
            if not re.fullmatch(IDENTIFIER, node_id):
                raise ValueError(f"node id {node_id!r} must be lower_snake_case")
        return nodes

    @model_validator(mode="after")
    def _start(self) -> ScriptDoc:
        if self.kind == "script":
            if self.start is None:
                raise ValueError("a script needs `start:` (the id of its first node)")
            if self.start not in self.nodes:
                raise ValueError(f"start node {self.start!r} is not among the nodes")
        elif self.start is not None:
            raise ValueError("an objection set has no `start:`; its entries carry `handler:`")
        return self

    @property
    def required_disclosures(self) -> tuple[Disclosure, ...]:
        return REQUIRED_DISCLOSURES[self.contact_type]

    @property
    def variant(self) -> tuple[str, str, str, str]:
        """The variant key (client, language, jurisdiction, segment)."""
        return (self.client, self.language, self.jurisdiction, self.segment)

    @property
    def ref(self) -> str:
        """How a contact records which script it used: name@version."""
        return f"{self.name}@{self.version}"

    def entries(self) -> tuple[str, ...]:
        """The nodes a walk begins at: the start node, or every handler of an objection set."""
        if self.kind == "script":
            assert self.start is not None
            return (self.start,)
        return tuple(node_id for node_id, node in self.nodes.items() if node.handler)
