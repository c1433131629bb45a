"""Settings from CONCORD_* environment variables and an optional .env file.

One object, built where the process starts (CLI command, FastAPI lifespan, worker), never at
import time, so tests can point a process at their own Redis, database and Asterisk.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-insecure-change-me"


def host_zone() -> str:
    """The machine's IANA zone name: $TZ, else /etc/timezone, else where /etc/localtime links;
    UTC when none names one (a POSIX rule such as "EST5EDT,M3.2.0,M11.1.0" is not a name)."""
    named = os.environ.get("TZ", "").removeprefix(":")
    if not named:
        try:
            named = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        except OSError:
            target = os.path.realpath("/etc/localtime")
            named = target.partition("/zoneinfo/")[2]
    try:
        ZoneInfo(named)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return named


class Settings(BaseSettings):
    """Everything a Concord process needs to find its peers."""

    model_config = SettingsConfigDict(env_prefix="CONCORD_", env_file=".env", extra="ignore")

    environment: str = Field("development", description="development, test or production")
    var_dir: Path = Path("var")
    database_url: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    secret_key: str = DEFAULT_SECRET

    ami_host: str = "127.0.0.1"
    ami_port: int = 5038
    ami_user: str = "concord"
    ami_secret: str = "concord-secret"

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "Concord <no-reply@concord.local>"
    # Where debtors' replies go (Reply-To), when not to `mail_from`: the address the mail
    # provider's inbound route posts to /webhooks/email/inbound, so a reply is read, not lost.
    mail_reply_to: str = ""

    sms_provider_url: str = "http://127.0.0.1:8790"
    sms_provider_token: str = "dev-sms-token"
    sms_from: str = "+15005550006"

    # Where this machine sees the directory MixMonitor writes (CONCORD_RECORDINGS in
    # infra/asterisk/extensions.conf): the same path when Asterisk runs here, a mount of the
    # PBX's spool otherwise. QA plays recordings from it; `concord up` points it into the chroot.
    recordings_dir: Path = Path("/var/spool/asterisk/monitor/concord")

    # How long a Ready agent may be without an open agent screen (browser closed, laptop shut)
    # before the console pauses them, so the dialer stops sending calls to an empty seat. A
    # reload reconnects in about 3 s; at a minute, a debtor was connected to the closed screen
    # and sat 80 s in dead air. Nobody is logged out for it, so a longer outage costs a Ready.
    agent_screen_grace_seconds: float = Field(10.0, gt=0)
    # The agent websocket's keepalive: a protocol ping this often, the link ended when no pong
    # comes back in time. A dropped network leaves the socket half-open; uvicorn's 20 s + 20 s
    # default kept a lost agent Ready, and taking calls, for about 50 s.
    agent_link_ping_seconds: float = Field(2.0, gt=0)
    agent_link_timeout_seconds: float = Field(3.0, gt=0)
    # QA, client-viewer and admin logins end after this long without a request (0: never), so
    # a report left open on a shared or stolen computer does not stay signed in for 12 hours.
    # Agents and team leads are exempt: an agent talks for minutes without a click, and a
    # lead's wallboard must not go blank; their logins last the shift.
    idle_logout_minutes: int = Field(30, ge=0, le=720)

    public_base_url: str = "http://127.0.0.1:8000"
    # The collection agency's own name, said in disclosures and shown in written follow-ups.
    agency_name: str = "Concord Recovery"
    # The person abandoned calls and voicemails tell debtors to ask for when they call back (a
    # limited-content message names one, Reg F 1006.2(j)(1)(iii)): someone who answers the
    # clients' callback numbers. Empty, the message names none.
    message_contact_name: str = ""
    # The floor's own clock (an IANA zone name): where a team lead's "today" and the QA week
    # begin. A UTC day turns over at 7 pm on an Eastern floor, mid-evening shift. Unset, the
    # machine's own zone, as an on-site PBX server is usually set to the floor's.
    floor_timezone: str = Field(default_factory=host_zone)

    @model_validator(mode="after")
    def _defaults_and_refusals(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'concord.db'}"
        try:
            ZoneInfo(self.floor_timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"CONCORD_FLOOR_TIMEZONE {self.floor_timezone!r} is not a time zone name; "
                "write one such as America/Chicago or UTC"
            ) from exc
        if self.environment not in {"development", "test"} and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "CONCORD_SECRET_KEY is still the development default; set a real secret "
                f"before running with CONCORD_ENVIRONMENT={self.environment}"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once on first use (not at import)."""
    return Settings()
