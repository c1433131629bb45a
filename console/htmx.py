"""htmx request and response helpers, kept in one place (style point 10).

A route renders one page template; an htmx request gets only the named block of it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import Response


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def page_or_block(
    templates: Jinja2Blocks,
    request: Request,
    name: str,
    context: dict[str, Any],
    block: str | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """The whole page, or only `block` when htmx asked (and a block is named)."""
    if block is not None and is_htmx(request):
        return templates.TemplateResponse(
            request, name, context, status_code=status_code, block_name=block
        )
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def blocks(
    templates: Jinja2Blocks,
    request: Request,
    name: str,
    context: dict[str, Any],
    names: list[str],
    *,
    status_code: int = 200,
) -> Response:
    """Several blocks at once (the main one plus hx-swap-oob ones, e.g. the state bar)."""
    return templates.TemplateResponse(
        request, name, context, status_code=status_code, block_names=names
    )


def trigger(response: Response, **events: Any) -> Response:
    """Fire client-side events after the swap (HX-Trigger), e.g. a toast message."""
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


def retarget(response: Response, selector: str, swap: str = "outerHTML") -> Response:
    """Swap the response somewhere other than the requesting element's hx-target."""
    response.headers["HX-Retarget"] = selector
    response.headers["HX-Reswap"] = swap
    return response


def redirect(request: Request, url: str) -> Response:
    """A full-page redirect that works for htmx (HX-Redirect) and plain forms (303)."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return Response(status_code=303, headers={"Location": url})
