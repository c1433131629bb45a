"""A client's disposition codes as YAML an admin keeps: the outcomes agents pick from.

Each creditor reports results in its own codes, so a client's codes are its own (every client
starts with core.dispositions' standard set). A code is keyed by client and code; it is never
deleted, since stored calls point at it: `active: false` takes it off the outcome panel. The
category says what kind of outcome it is (rates, follow-ups, the right-party lock) and implies
the fields a promise, plan or callback needs; `requires` may add notes. Pure.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from core import admin_file
from core.admin_file import Problem, Strict
from core.models import DispositionCategory

Required = Literal["promise", "plan", "callback", "notes"]


class DispositionSpec(Strict):
    client: str = Field(min_length=1, max_length=40)
    code: str = Field(min_length=1, max_length=20)
    label: str = Field(min_length=1, max_length=120)
    category: str
    requires: list[Required] = Field(default_factory=list)
    active: bool = True

    @field_validator("code")
    @classmethod
    def _short_code(cls, value: str) -> str:
        if not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in value):
            raise ValueError(f"{value!r} may hold letters, digits, '_' and '-' only")
        return value

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        known = [c.value for c in DispositionCategory]
        if value not in known:
            raise ValueError(f"{value!r} is not a category ({', '.join(known)})")
        return value


class DispositionsFile(Strict):
    dispositions: list[DispositionSpec]

    @model_validator(mode="after")
    def _each_code_once(self) -> DispositionsFile:
        seen: set[tuple[str, str]] = set()
        for spec in self.dispositions:
            key = (spec.client, spec.code)
            if key in seen:
                raise ValueError(f"code {spec.code!r} of client {spec.client!r} is listed twice")
            seen.add(key)
        return self


def parse(text: str) -> DispositionsFile | list[Problem]:
    return admin_file.parse(text, DispositionsFile, "dispositions")


def dump(specs: list[DispositionSpec]) -> str:
    return admin_file.dump("dispositions", specs)
