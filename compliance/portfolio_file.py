"""The portfolio rules file: per client placement, the legal regime it is worked under and the
client's own limits, as YAML an admin keeps next to the campaigns file.

A portfolio is created by its first placement import with the US profile and the defaults: a
UK book would be called under US rules, and no settlement could be offered, until someone
changed the row by hand. Here each portfolio states its calling profile (us, us-ma, uk, in),
its settlement band, the longest a promise may run, the most installments a plan may have, what
an answering machine gets, and `rules` that tighten the profile (narrower hours, holidays, lower
caps). Tightening is checked with the engine's own `tighten`, so a file that would loosen the
law is refused with the field named. `followups` says which follow-up messages its debtors get
on which channel, in which template set, read by the same code the outreach worker reads them
with. Pure: text in, checked specs or problems out.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_serializer, field_validator, model_validator

from compliance.profiles import PROFILES, PortfolioRules, format_clock, resolve
from core import admin_file
from core.admin_file import Problem, Strict
from outreach.planning import policy_from


def rules_as_written(rules: PortfolioRules) -> dict[str, Any]:
    """The rules as a file (and the stored overrides) write them: clocks as HH:MM, unset
    fields left out."""
    written: dict[str, Any] = {}
    for name, value in rules.model_dump(mode="json", exclude_defaults=True).items():
        written[name] = format_clock(value) if name in ("start", "end") else value
    return written


class Followups(Strict):
    """A portfolio's follow-ups (stored as `Portfolio.followup_templates`): a trigger left out
    goes to SMS and email, an empty list switches it off; unset numbers take the worker's."""

    template_set: str | None = None
    triggers: dict[str, list[str]] = Field(default_factory=dict)
    reminder_days_before: int | None = None
    send_hour: int | None = None
    broken_promise_grace_days: int | None = None

    def stored(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True, exclude_defaults=True)

    @model_validator(mode="after")
    def _as_the_worker_reads_it(self) -> Followups:
        try:  # the numbers given here only stand in for unset fields while checking
            policy_from(
                self.stored(),
                "default",
                reminder_days_before=0,
                send_hour=0,
                broken_promise_grace_days=1,
            )
        except ValueError as exc:
            raise ValueError(str(exc).removeprefix("followup_templates.")) from None
        return self


class PortfolioSpec(Strict):
    """One portfolio as the file states it; (client, name) is its key."""

    client: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    calling_profile: str = "us"
    settlement_min_pct: int = Field(100, ge=1, le=100)
    promise_max_days: int = Field(30, ge=0, le=366)
    plan_max_installments: int = Field(12, ge=1, le=120)
    # Years after delinquency its debts may be time-barred (compliance.limitations): counsel's
    # figure for the placement's states and kind of debt; 3, the shortest in use, by default.
    limitation_years: int = Field(3, ge=1, le=30)
    machine_action: Literal["voicemail", "hangup"] = "voicemail"
    rules: PortfolioRules | None = None
    followups: Followups | None = None

    @field_validator("calling_profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        if value not in PROFILES:
            raise ValueError(f"{value!r} is not a calling profile ({', '.join(sorted(PROFILES))})")
        return value

    @field_validator("rules")
    @classmethod
    def _only_tightens(
        cls, rules: PortfolioRules | None, info: ValidationInfo
    ) -> PortfolioRules | None:
        """Checked on the rules field, so the problem points at the rules' line."""
        profile = info.data.get("calling_profile")  # absent when it was itself refused
        if rules is not None and profile is not None:
            resolve(profile, rules)
        return rules

    @field_serializer("rules")
    def _rules_written(self, rules: PortfolioRules | None) -> dict[str, Any] | None:
        return None if rules is None else rules_as_written(rules)


class PortfoliosFile(Strict):
    portfolios: list[PortfolioSpec]

    @model_validator(mode="after")
    def _each_portfolio_once(self) -> PortfoliosFile:
        seen: set[tuple[str, str]] = set()
        for spec in self.portfolios:
            key = (spec.client, spec.name)
            if key in seen:
                raise ValueError(
                    f"portfolio {spec.name!r} of client {spec.client!r} is listed twice"
                )
            seen.add(key)
        return self


def parse(text: str) -> PortfoliosFile | list[Problem]:
    """The checked portfolios of a file, or every problem found (nothing changes then)."""
    return admin_file.parse(text, PortfoliosFile, "portfolios")


def dump(specs: list[PortfolioSpec]) -> str:
    return admin_file.dump("portfolios", specs)
