"""The script editor for team leads and admins: live preview, and publish only when lint passes.

The preview runs the very linter CI runs (scripts_library.lint) on the draft, and renders every
node with sample data, so what a lead sees is what an agent would read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from console.deps import AppSettings, CsrfChecked, DbSession, LeadUser, ScriptLibrary, Templates
from console.htmx import page_or_block
from console.logs import log
from console.scripts_store import load_library, write_published
from core.models import Client, Role
from scripts_library.drafts import next_version_draft, pick, variants
from scripts_library.fields import sample_context
from scripts_library.graph import walk_order
from scripts_library.language import NEEDS_COMPLIANCE
from scripts_library.library import LoadedScript, LoadError, parse_script
from scripts_library.lint import Finding, lint_docs
from scripts_library.model import ScriptDoc
from scripts_library.render import render_text

router = APIRouter(prefix="/scripts", tags=["scripts"])


def _check(
    text: str, library: ScriptLibrary
) -> tuple[object, list[Finding], list[tuple[str, str]]]:
    """Parse, lint against the library (duplicate versions count), and render a preview."""
    parsed = parse_script(text, "draft")
    if isinstance(parsed, LoadError):
        return None, [Finding("draft", parsed.where, "invalid", parsed.reason)], []
    draft = LoadedScript(parsed, "draft")
    findings = lint_docs([draft], published=library.scripts)
    preview: list[tuple[str, str]] = []
    sample = sample_context()
    for node_id in walk_order(parsed):
        try:
            preview.append((node_id, render_text(parsed.nodes[node_id].say, sample)))
        except Exception as exc:
            preview.append((node_id, f"[cannot render: {exc}]"))
    return parsed, findings, preview


def _needs_compliance(doc: ScriptDoc) -> list[Finding]:
    """A suit or garnishment allowed on a node is a legal decision about the debt (1692e(5)):
    a team lead's publish is refused, and an admin, the agency's compliance officer, publishes."""
    return [
        Finding(
            "draft",
            node_id,
            "needs_compliance",
            f"the allowance for {allowance.rule!r} needs an admin (compliance) to publish",
        )
        for node_id, node in doc.nodes.items()
        for allowance in node.allow
        if allowance.rule in NEEDS_COMPLIANCE
    ]


def _changes_contact_type(doc: ScriptDoc, library: ScriptLibrary) -> list[Finding]:
    """A script's contact type sets the disclosures the linter requires: relabelled from a
    collector's to first_party, a team lead's new version dropped the debt-collector
    disclosure and lint passed (1692e(11)). A change of type is the compliance officer's."""
    before = [d for d in library.versions(doc.name) if d.variant == doc.variant]
    if not before or before[-1].contact_type == doc.contact_type:
        return []
    return [
        Finding(
            "draft",
            "-",
            "needs_compliance",
            f"contact_type changes from {before[-1].contact_type.value} to "
            f"{doc.contact_type.value}, which changes the disclosures the law asks for: an admin "
            "(compliance) publishes that",
        )
    ]


def _outside_client(db: DbSession, doc: ScriptDoc, client_id: int) -> list[Finding]:
    """A login bound to one client publishes only that client's own variant: a default script
    (or another client's) is read on every other client's calls too."""
    client = db.get(Client, client_id)
    code = client.code if client is not None else "?"
    if doc.client == code:
        return []
    return [
        Finding(
            "draft",
            "-",
            "other_clients",
            f"you work for client {code}: publish only its own variant (client: {code}); "
            "this one is read on other clients' calls",
        )
    ]


@router.get("/editor")
def editor(
    request: Request,
    user: LeadUser,
    library: ScriptLibrary,
    templates: Templates,
    name: str = "",
    variant: str = "",
) -> Response:
    found = variants(library)
    chosen = pick(found, variant, name) if (name or variant) else None
    text = ""
    if chosen is not None:
        published = Path(chosen.newest.file).read_text(encoding="utf-8")
        text = next_version_draft(published, chosen.newest.doc.version)
    _, findings, preview = _check(text, library) if text else (None, [], [])
    context = {
        "user": user,
        "variants": found,
        "chosen": chosen,
        "text": text,
        "findings": findings,
        "preview": preview,
        "published": "",
        "csrf": request.session.get("csrf", ""),
    }
    return templates.TemplateResponse(request, "editor.html", context)


@router.post("/preview", dependencies=[CsrfChecked])
def preview(
    request: Request,
    user: LeadUser,
    library: ScriptLibrary,
    templates: Templates,
    text: Annotated[str, Form()] = "",
) -> Response:
    if not text.strip():  # nothing opened or pasted yet: nothing to find fault with
        context = {"findings": [], "preview": [], "published": "", "empty": True}
        return page_or_block(templates, request, "editor.html", context, "result")
    _, findings, rendered = _check(text, library)
    context = {"findings": findings, "preview": rendered, "published": ""}
    return page_or_block(templates, request, "editor.html", context, "result")


@router.post("/publish", dependencies=[CsrfChecked])
def publish(
    request: Request,
    user: LeadUser,
    db: DbSession,
    library: ScriptLibrary,
    settings: AppSettings,
    templates: Templates,
    text: Annotated[str, Form()] = "",
) -> Response:
    doc, findings, rendered = _check(text, library)
    if isinstance(doc, ScriptDoc) and user.role != Role.ADMIN.value:
        findings += _needs_compliance(doc) + _changes_contact_type(doc, library)
    if isinstance(doc, ScriptDoc) and user.client_id is not None:
        findings += _outside_client(db, doc, user.client_id)
    published = ""
    if doc is not None and not findings:
        try:
            path = write_published(settings, doc, text)  # type: ignore[arg-type]
        except FileExistsError:
            findings = [
                Finding(
                    "draft",
                    "-",
                    "duplicate_version",
                    "that version is already published; bump the version",
                )
            ]
        else:
            request.app.state.library = load_library(settings)
            published = f"Published {doc.ref} to {path.name}."  # type: ignore[attr-defined]
            log.info("script_published", user_id=user.id, script=doc.ref)  # type: ignore[attr-defined]
    context = {
        "findings": findings,
        "preview": rendered,
        "published": published,
        "refused": bool(findings),
    }
    return page_or_block(templates, request, "editor.html", context, "result")
