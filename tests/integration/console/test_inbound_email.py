"""A debtor's reply to one of our emails, posted raw by the mail provider: kept with the texts,
its own words (not our quoted email) read for a dispute or a lawyer, the debtor held until a lead
reads it, a bare "unsubscribe" honoured at once."""

from __future__ import annotations

from email.message import EmailMessage

import httpx
import pytest
from console_floor import Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from test_call_flow import htmx

from core.models import Debtor, Email
from outreach.inbound import REVIEW_FLAG
from outreach.models import InboundText, OptOut

pytestmark = [pytest.mark.integration, pytest.mark.db]
TOKEN = "dev-email-webhook-token"
QUOTED = (
    "On Mon, 30 Nov 2026 at 10:02, Concord Services <replies@concord.local> wrote:\n"
    "> Hi Maria, please call us about your account. If you dispute this debt, tell us.\n"
    "> To stop these emails: https://concord.local/u/x\n"
)


def _raw(sender: str, words: str, *, html: bool = False, subject: str = "Re: please call") -> bytes:
    message = EmailMessage()
    message["From"] = f"Maria Lopez <{sender}>"
    message["To"] = "replies@concord.local"
    message["Subject"] = subject
    if html:
        message.set_content(f"<div>{words}</div><blockquote>{QUOTED}</blockquote>", "html")
    else:
        message.set_content(f"{words}\n\n{QUOTED}")
    return message.as_bytes()


@pytest.fixture
def maria_email(db_engine: Engine, floor_data: Floor) -> str:
    with Session(db_engine) as db:
        db.add(Email(debtor_id=pk(floor_data.debtor), address="Maria.Lopez@example.com"))
        db.commit()
    return "maria.lopez@example.com"


def _post(client: httpx.Client, raw: bytes, token: str = TOKEN) -> httpx.Response:
    return client.post(
        "/webhooks/email/inbound", content=raw,
        headers={"content-type": "message/rfc822", "x-concord-token": token},
    )  # fmt: skip


def test_an_emailed_dispute_holds_the_debtor_and_reaches_the_lead_and_the_agent(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, maria_email: str
) -> None:
    posted = _post(client, _raw("MARIA.LOPEZ@example.com", "This is not my debt. Send proof."))
    assert posted.status_code == 200 and posted.json()["concern"] == "dispute"
    with Session(db_engine) as db:
        (text,) = db.exec(select(InboundText)).all()
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and REVIEW_FLAG in debtor.flags  # held from when it came
    assert (text.channel, text.sender) == ("email", maria_email)
    assert text.body.startswith("Re: please call\n\nThis is not my debt. Send proof.")
    assert "wrote:" not in text.body and "tell us" not in text.body  # our quote left out
    token = login(client, "lee")
    lead = client.get("/lead/texts", headers={"HX-Request": "true"}).text
    assert "Texts and emails a person must read" in lead
    row = lead.split(f'data-text="{text.id}"', 1)[1].split("</tr>", 1)[0]
    assert "emailed from maria.lopez@example.com" in row and "Maria Lopez" in row
    assert "Retire this number" not in row  # an address, not a number
    htmx(
        client,
        token,
        f"/lead/texts/{text.id}/hold",
        {"hold": "dispute", "account": str(pk(floor_data.account))},
    )
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and REVIEW_FLAG not in debtor.flags  # read: the hold is set
    with httpx.Client(base_url=client.base_url, follow_redirects=True) as agent:
        agent_token = login(agent, "ana")
        screen = htmx(agent, agent_token, f"/agent/preview/{pk(floor_data.account)}", {}).text
        history = screen.split('id="texts"')[1].split("</ul>")[0]
        assert "email from" in history and "This is not my debt" in history


def test_our_own_words_quoted_under_a_reply_flag_nothing(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, maria_email: str
) -> None:
    """Our email says "if you dispute this debt"; a reply of thanks quoting it is no dispute,
    and an HTML-only reply is read as well as a plain one."""
    for html in (False, True):
        posted = _post(client, _raw(maria_email, "Thanks, I will call Friday.", html=html))
        assert posted.json()["concern"] == "other"
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and REVIEW_FLAG not in debtor.flags  # read, not held
        bodies = [t.body for t in db.exec(select(InboundText))]
    assert all("Thanks, I will call Friday." in b and "dispute" not in b for b in bodies)


def test_a_dispute_written_under_our_quoted_message_is_read_and_holds(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, maria_email: str
) -> None:
    """Bottom-posting: the quote first, the debtor's words under it. They were cut with the
    quote, and a written dispute was kept as its subject line alone."""
    plain = EmailMessage()
    plain["From"], plain["To"], plain["Subject"] = maria_email, "replies@concord.local", "Re: x"
    plain.set_content(f"{QUOTED}\nI dispute this debt. It is not mine.\n")
    html = EmailMessage()
    html["From"], html["To"], html["Subject"] = maria_email, "replies@concord.local", "Re: x"
    html.set_content(
        "<div>On Mon, 30 Nov 2026 Concord Services wrote:<br></div><blockquote>Hi Maria, if "
        "you dispute this debt, tell us.<blockquote>older</blockquote></blockquote>"
        "<div>I dispute this debt.</div>", "html",
    )  # fmt: skip
    for raw in (plain.as_bytes(), html.as_bytes()):
        assert _post(client, raw).json()["concern"] == "dispute"
    with Session(db_engine) as db:
        bodies = [t.body for t in db.exec(select(InboundText).order_by(col(InboundText.id)))]
    assert bodies == [
        "Re: x\n\nI dispute this debt. It is not mine.",
        "Re: x\n\nI dispute this debt.",
    ]


def test_a_reply_saying_unsubscribe_opts_the_address_out_at_once(
    client: httpx.Client, db_engine: Engine, floor_data: Floor, maria_email: str
) -> None:
    posted = _post(client, _raw(maria_email, "", subject="unsubscribe"))
    assert posted.json() == {"opted_out": True, "debtors": 1, "concern": "stop"}
    with Session(db_engine) as db:
        debtor = db.get(Debtor, pk(floor_data.debtor))
        assert debtor is not None and debtor.email_opt_out and not debtor.sms_opt_out
        (kept,) = db.exec(select(OptOut)).all()
    assert (kept.channel, kept.address, kept.source) == ("email", maria_email, "email_reply")


def test_a_bad_token_or_a_message_that_is_no_email_is_refused(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    assert _post(client, _raw("a@example.com", "hi"), token="guess").status_code == 401
    empty = _post(client, b"")
    assert empty.status_code == 400 and "the body is empty" in empty.text
    nobody = _post(client, b"Subject: hello\n\nno sender here\n")
    assert nobody.status_code == 400 and "no sender address in the From header" in nobody.text
    with Session(db_engine) as db:
        assert db.exec(select(InboundText)).all() == []
