"""QA's own table: one scored review per recorded call."""

from __future__ import annotations

from sqlmodel import Field

from core.models.base import Audited, json_column


class CallReview(Audited, table=True):
    """A reviewer's scorecard for one call (qa.scorecard); a later review of the call replaces
    it, and `updated_by` says who scored it last."""

    __tablename__ = "qa_call_review"

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="contactattempt.id", unique=True)
    reviewer_id: int = Field(foreign_key="user.id")
    # The agent on the call, kept here so per-agent averages need no join through attempts.
    agent_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    marks: dict[str, bool | None] = json_column(dict)  # None: did not apply to the call
    percent: float
    fatal_missed: list[str] = json_column(list)
    notes: str = Field(default="", max_length=2000)
