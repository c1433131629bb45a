"""Message templates per client and language, rendered with jinja2, each with its opt-out.

Templates live under `<set>/<lang>/<trigger>.<part>` in the built-in `templates/messages`, and
in the agency's own folder (`CONCORD_OUTREACH_TEMPLATES_DIR`) searched first, so a client's
wording never means editing the installed package. The set is the portfolio's
`followup_templates["template_set"]`, else the client's code, else `default`; a part the set
lacks comes from `default`, a language it lacks from English.

The opt-out is not left to each template: the renderer appends the SMS footer and wraps email
in a layout that carries the unsubscribe link, then refuses any output that lacks them, so no
client template can ship a message without the Reg F 1006.6(e) opt-out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)
from markupsafe import Markup

from core.amounts import money

TEMPLATE_ROOT = Path(__file__).resolve().parent / "templates" / "messages"
LANGUAGES = ("en", "es")
_MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


class TemplateMissing(LookupError):
    """No template for a trigger and channel in any set or language we fall back to."""


class TemplateBroken(ValueError):
    """A template that does not render: its path (and line), and what is wrong, e.g. a field
    the trigger's messages do not have."""


@dataclass(frozen=True)
class Rendered:
    """A message ready to send, with the template it came from and that template's version."""

    template: str
    version: str
    text: str
    subject: str = ""
    html: str = ""


def long_date(day: date, language: str) -> str:
    """A date spelt out in the message's language, never an ambiguous 03/04."""
    if language == "es":
        return f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
    return f"{day:%B} {day.day}, {day.year}"


def template_sets(custom: Path | None = None, root: Path = TEMPLATE_ROOT) -> list[str]:
    """The template sets a portfolio may name: the built-in ones and the agency's own."""
    folders = [root] if custom is None else [custom, root]
    return sorted({d.name for f in folders if f.is_dir() for d in f.iterdir() if d.is_dir()})


class Renderer:
    """Finds and renders message templates; one per process, the jinja2 cache shared.
    `custom` is the agency's own folder of sets, searched before `root`."""

    def __init__(self, root: Path = TEMPLATE_ROOT, custom: Path | None = None) -> None:
        self.root = root
        self.roots = [root] if custom is None else [custom, root]
        self.env = Environment(
            loader=FileSystemLoader([str(r) for r in self.roots]),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["money"] = money

    def file(self, path: str) -> Path | None:
        """Where a template path is read from: the first folder holding it (the loader's order)."""
        return next((r / path for r in self.roots if (r / path).is_file()), None)

    def _find(self, template_set: str, language: str, name: str) -> str:
        for candidate_set in dict.fromkeys((template_set, "default")):
            for lang in dict.fromkeys((language, "en")):
                path = f"{candidate_set}/{lang}/{name}"
                if self.file(path) is not None:
                    return path
        raise TemplateMissing(f"no template {name!r} for set {template_set!r} in {language!r}")

    def _render(self, path: str, context: dict[str, Any]) -> str:
        try:
            return self.env.get_template(path).render(**context).strip()
        except TemplateNotFound as exc:  # pragma: no cover - _find checked the file exists
            raise TemplateMissing(path) from exc
        except TemplateSyntaxError as exc:
            raise TemplateBroken(f"{path}:{exc.lineno}: {exc.message}") from exc
        except UndefinedError as exc:
            raise TemplateBroken(f"{path}: {exc.message}") from exc

    def _version(self, paths: list[str]) -> str:
        digest = hashlib.sha256()
        for path in paths:
            digest.update(path.encode())
            found = self.file(path)
            assert found is not None  # _find returned it
            digest.update(found.read_bytes())
        return digest.hexdigest()[:12]

    def sms(
        self, template_set: str, language: str, trigger: str, context: dict[str, Any]
    ) -> Rendered:
        """SMS body plus the language's STOP footer."""
        body_path = self._find(template_set, language, f"{trigger}.sms.txt")
        footer_path = self._find(template_set, language, "_optout.sms.txt")
        text = f"{self._render(body_path, context)}\n{self._render(footer_path, context)}"
        if "STOP" not in text:
            raise ValueError(f"{footer_path} must tell the debtor to reply STOP to opt out")
        return Rendered(
            template=f"{body_path.rsplit('.', 2)[0]}.sms",
            version=self._version([body_path, footer_path]),
            text=text,
        )

    def email(
        self, template_set: str, language: str, trigger: str, context: dict[str, Any]
    ) -> Rendered:
        """Subject, plain-text and HTML parts, each part closed by the unsubscribe link."""
        unsubscribe_url = str(context["unsubscribe_url"])
        paths = [
            self._find(template_set, language, f"{trigger}.subject.txt"),
            self._find(template_set, language, f"{trigger}.email.txt"),
            self._find(template_set, language, f"{trigger}.email.html"),
            self._find(template_set, language, "_layout.email.txt"),
            self._find(template_set, language, "_layout.email.html"),
        ]
        subject = " ".join(self._render(paths[0], context).split())
        text_body = self._render(paths[1], context)
        html_body = Markup(self._render(paths[2], context))
        text = self._render(paths[3], {**context, "content": text_body})
        html = self._render(paths[4], {**context, "content": html_body})
        if unsubscribe_url not in text or str(Markup.escape(unsubscribe_url)) not in html:
            raise ValueError(f"{paths[3]} and {paths[4]} must carry the unsubscribe link")
        return Rendered(
            template=f"{paths[1].rsplit('.', 2)[0]}.email",
            version=self._version(paths),
            text=text,
            subject=subject,
            html=html,
        )
