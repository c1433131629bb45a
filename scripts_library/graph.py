"""What a node says about the debt, and how the nodes of a script connect.

Shared by the linter (which proves statically that no path reaches the debt before verification
and the collector disclosure) and the session (which locks debt-talking rebuttals at run time).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable

from jinja2 import TemplateError

from scripts_library.fields import FIELDS
from scripts_library.model import RESUME, RIGHT_PARTY_CATEGORIES, Node, ScriptDoc
from scripts_library.render import referenced_fields

# Words that tell a listener there is a debt. A third party must hear none of them (1692b(2)).
DEBT_WORDS = re.compile(
    r"\b(debts?|owes?|owed|owing|balance|payments?|pay(?:ing|off)?|paid|account|collect\w*|"
    r"settle\w*|creditor|past[- ]due|overdue|installments?|arrears|recover\w*|receivables?|"
    r"delinquen\w*|"
    r"deudas?|debe[ns]?|saldo|pagos?|pagar|pagado|cuentas?|cobr\w*|acreedor\w*|vencid\w*|"
    r"cuotas?|liquidar|adeud\w*|moros\w*|impag\w*|recuper\w*)\b",
    re.IGNORECASE,
)


def said_fields(node: Node) -> set[str]:
    """Merge fields the agent reads aloud; empty when the template is broken."""
    try:
        return referenced_fields(node.say)
    except TemplateError:  # reported by the linter's own template check
        return set()


def discusses_debt(node: Node) -> bool:
    """True when the node would tell its listener about the debt.

    By its words, by a merge field that reveals the debt, by an explicit `about_debt: true`, or by
    suggesting a right-party disposition (an outcome about the debt).
    """
    if node.about_debt:
        return True
    if node.disposition in RIGHT_PARTY_CATEGORIES:
        return True
    if any(FIELDS[f].reveals_debt for f in said_fields(node) if f in FIELDS):
        return True
    # Answer labels are the debtor's words on the agent's buttons; only `say` is heard.
    return DEBT_WORDS.search(node.say) is not None


def successors(doc: ScriptDoc, node_id: str) -> list[str]:
    return [a.next for a in doc.nodes[node_id].answers if a.next != RESUME]


def reachable(
    doc: ScriptDoc, roots: Iterable[str], blocked: frozenset[str] = frozenset()
) -> set[str]:
    """Nodes reachable from `roots` without passing through any `blocked` node."""
    seen: set[str] = set()
    queue = deque(r for r in roots if r in doc.nodes and r not in blocked)
    while queue:
        node_id = queue.popleft()
        if node_id in seen:
            continue
        seen.add(node_id)
        for nxt in successors(doc, node_id):
            if nxt in doc.nodes and nxt not in blocked and nxt not in seen:
                queue.append(nxt)
    return seen


def reachable_undisclosed(
    doc: ScriptDoc, roots: Iterable[str], holders: frozenset[str]
) -> set[str]:
    """Nodes reachable from `roots` without a disclosure done: through a `holders` node (one
    that gives the disclosure) only by an answer that does not complete it. "Will not confirm"
    on the verification node leads on unverified, so a debt-talking node it reaches is heard
    by someone who may not be the debtor."""
    seen: set[str] = set()
    queue = deque(r for r in roots if r in doc.nodes)
    while queue:
        node_id = queue.popleft()
        if node_id in seen:
            continue
        seen.add(node_id)
        for answer in doc.nodes[node_id].answers:
            if node_id in holders and answer.completes:
                continue
            if answer.next in doc.nodes and answer.next not in seen:
                queue.append(answer.next)
    return seen


def walk_order(doc: ScriptDoc) -> list[str]:
    """Nodes in breadth-first order from the entries, then any unreachable ones: for previews."""
    order: list[str] = []
    seen: set[str] = set()
    queue = deque(doc.entries())
    while queue:
        node_id = queue.popleft()
        if node_id in seen or node_id not in doc.nodes:
            continue
        seen.add(node_id)
        order.append(node_id)
        queue.extend(successors(doc, node_id))
    return order + [n for n in doc.nodes if n not in seen]
