"""The call script beside the screen pop: which script, the agent's clicks, the filled node.

The session itself (traversal, disclosures, step back) is scripts_library's pure API; this
module picks the variant for the account and turns the stored clicks back into a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from console.live import ScriptProgress
from core.models import Account, Campaign, Client, Debtor, Portfolio
from outreach.links import PaymentLink, sign_payment
from scripts_library import challenger
from scripts_library.fields import build_context
from scripts_library.library import CALL_IN_SCRIPT, Library, ScriptNotFound
from scripts_library.model import DEFAULT, ScriptDoc
from scripts_library.rebuttals import Rebuttal, search_rebuttals
from scripts_library.session import RenderedNode, ScriptSession, from_events

DEFAULT_SCRIPT = "third_party_first_contact"
# A debtor calling in: we did not choose them, so the campaign's script (which asks for them by
# name) does not fit; this one asks who is calling. The campaign's is used when a client has none.
INBOUND_SCRIPT = CALL_IN_SCRIPT
PAYMENT_LINK_DAYS = 14


@dataclass(frozen=True)
class ScriptView:
    """What the panel renders: the node, whether the agent may step back, the rebuttals."""

    doc: ScriptDoc
    node: RenderedNode
    can_go_back: bool
    path: tuple[str, ...]
    disclosures_done: frozenset[str]
    required: tuple[str, ...]
    rebuttals: list[Rebuttal]
    locked_rebuttals: frozenset[str]


def choose(
    library: Library,
    campaign: Campaign | None,
    client: Client,
    debtor: Debtor,
    portfolio: Portfolio,
    account: Account,
    *,
    inbound: bool = False,
) -> ScriptProgress:
    """The campaign's script in the debtor's language, the client's own variant when it has one;
    for a call in (`inbound`), the call-in script, else the campaign's (its challenger for the
    accounts the campaign's test gives it, scripts_library.challenger).

    Falls back to English only when no variant exists in the debtor's language, because a
    missing translation must not leave the agent with no script at all on a live call.
    """
    if inbound:
        try:
            return _resolve(library, INBOUND_SCRIPT, client, debtor, portfolio, account)
        except ScriptNotFound:
            pass  # a library without it: the campaign's script still verifies and discloses
    name = (campaign.script_name if campaign else "") or DEFAULT_SCRIPT
    if campaign is not None and campaign.id is not None and campaign.challenger_script:
        share = campaign.challenger_share
        if challenger.arm(campaign.id, account.id or 0, share) == challenger.CHALLENGER:
            try:
                return _resolve(
                    library, campaign.challenger_script, client, debtor, portfolio, account
                )
            except ScriptNotFound:
                pass  # taken out of the library since: the champion still serves the call
    return _resolve(library, name, client, debtor, portfolio, account)


def _resolve(
    library: Library,
    name: str,
    client: Client,
    debtor: Debtor,
    portfolio: Portfolio,
    account: Account,
) -> ScriptProgress:
    wanted = {
        "client": client.code,
        "jurisdiction": portfolio.calling_profile or DEFAULT,
        "segment": account.segment or DEFAULT,
    }
    for language in dict.fromkeys([debtor.preferred_language, "en"]):
        for attempt in (
            wanted,
            {**wanted, "segment": DEFAULT},
            {**wanted, "jurisdiction": DEFAULT, "segment": DEFAULT},
        ):
            try:
                doc = library.resolve(name, language=language, **attempt)
            except ScriptNotFound:
                continue
            objections = _objections(library, client.code, language)
            return ScriptProgress(
                name=doc.name,
                version=doc.version,
                variant=doc.variant,
                objections_version=objections.version if objections else None,
                objections_variant=objections.variant if objections else None,
            )
    raise ScriptNotFound(f"no script {name!r} for client {client.code!r}")


def _objections(library: Library, client: str, language: str) -> ScriptDoc | None:
    try:
        return library.objections(client=client, language=language)
    except ScriptNotFound:
        return None


def session_of(library: Library, progress: ScriptProgress) -> ScriptSession:
    script = library.get(progress.name, progress.version, progress.variant)
    objections = None
    if progress.objections_version is not None and progress.objections_variant is not None:
        objections = library.get(
            "objections", progress.objections_version, progress.objections_variant
        )
    return from_events(script, objections, progress.events)


def saved(progress: ScriptProgress, session: ScriptSession) -> ScriptProgress:
    return progress.model_copy(
        update={
            "events": session.to_events(),
            "disclosures_done": sorted(d.value for d in session.disclosures_done),
        }
    )


def context(
    *,
    account: Account,
    debtor: Debtor,
    client: Client,
    portfolio: Portfolio,
    agent_first_name: str,
    secret: str,
    base_url: str,
    agency_name: str,
    now: datetime,
) -> dict[str, Any]:
    """Merge fields for this account; the payment link is the outreach payment page's. The
    agency is named as everywhere else it speaks (CONCORD_AGENCY_NAME: the greeting of calls
    in, written follow-ups): a collector uses its one true name (FDCPA 1692e(14))."""
    token = sign_payment(
        secret,
        PaymentLink(
            account_id=account.id or 0,
            amount_minor=account.balance_minor,
            expires_at=now + timedelta(days=PAYMENT_LINK_DAYS),
        ),
    )
    return build_context(
        account,
        debtor,
        client,
        agent_first_name,
        portfolio=portfolio,
        agency_name=agency_name,
        payment_link=f"{base_url.rstrip('/')}/pay/{token}",
    )


def view(session: ScriptSession, merge: dict[str, Any], query: str = "") -> ScriptView:
    objections = session.objections
    rebuttals = search_rebuttals(objections, query) if objections is not None else []
    return ScriptView(
        doc=session.script,
        node=session.render(merge),
        can_go_back=bool(session.events),
        path=session.path,
        disclosures_done=frozenset(d.value for d in session.disclosures_done),
        required=tuple(d.value for d in session.required_disclosures),
        rebuttals=rebuttals,
        locked_rebuttals=frozenset(
            r.handler for r in rebuttals if session.objection_locked(r.handler)
        ),
    )
