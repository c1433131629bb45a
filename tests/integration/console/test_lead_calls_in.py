"""The lead page's holding queue: debtors who called in and wait for an agent."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import redis
from console_floor import NOW, Floor, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session
from test_call_flow import htmx

from core.events import CALLS_IN_HOLDING_KEY
from core.models import ContactAttempt, Debtor, User
from core.settings import Settings
from dialer.models import UnmatchedCall

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def app_settings(app_settings: Settings, tmp_path: Path) -> Settings:
    """The console reads recordings from a directory of this test's own."""
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    return app_settings.model_copy(update={"recordings_dir": recordings})


def hold(redis_url: str, call_id: str, seconds: int, client_id: int | None) -> None:
    """A caller holding for `seconds`, listed as the dialer lists one."""
    since = (NOW - timedelta(seconds=seconds)).isoformat()
    entry = json.dumps({"since": since, "client_id": client_id})
    redis.Redis.from_url(redis_url).hset(CALLS_IN_HOLDING_KEY, call_id, entry)


def test_the_lead_sees_how_many_callers_hold_and_the_longest_wait(
    client: httpx.Client, redis_url: str, floor_data: Floor, db_engine: Engine
) -> None:
    login(client, "lee")
    assert "No one holding." in client.get("/lead").text
    harbor = floor_data.account.client_id
    hold(redis_url, "in-a", 75, harbor)
    hold(redis_url, "in-b", 10, None)  # a number on file for nobody
    hold(redis_url, "in-c", 300, harbor + 1)  # another client's debtor
    page = client.get("/lead", headers={"HX-Request": "true"}).text
    assert "3 callers holding</strong> for an agent, the longest for 5:00" in page
    with Session(db_engine) as db:  # bound to one client, the lead sees its callers only
        lead = db.get(User, pk(floor_data.lead))
        assert lead is not None
        lead.client_id = harbor
        db.add(lead)
        db.commit()
    page = client.get("/lead", headers={"HX-Request": "true"}).text
    assert "2 callers holding</strong> for an agent, the longest for 1:15" in page


def test_the_lead_sees_todays_missed_calls_in_and_which_were_called_back(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    account = floor_data.account
    with Session(db_engine) as db:
        db.add_all([
            ContactAttempt(account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                           direction="inbound", outcome="abandoned", to_address="+12025550143",
                           started_at=NOW - timedelta(hours=2),
                           ended_at=NOW - timedelta(hours=2) + timedelta(seconds=95)),
            ContactAttempt(account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                           direction="inbound", outcome="abandoned", to_address="",
                           started_at=NOW - timedelta(minutes=10),
                           ended_at=NOW - timedelta(minutes=9)),
            ContactAttempt(account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                           outcome="conversation", to_address="+12025550143",
                           started_at=NOW - timedelta(hours=1)),  # the first one returned
            ContactAttempt(account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                           direction="inbound", outcome="conversation",
                           started_at=NOW - timedelta(minutes=30)),  # answered: not missed
        ])  # fmt: skip
        db.commit()
    login(client, "lee")
    day = client.get("/lead/day", headers={"HX-Request": "true"}).text
    rows = day.split('id="missed-calls"', 1)[1].split("</table>", 1)[0].split("<tr>")[2:]
    assert len(rows) == 2
    # the 10-minutes-ago one: only the earlier conversation by a call in came before it
    assert "withheld" in rows[0] and "not yet" in rows[0] and "1:00" in rows[0]
    # the two-hours-ago one: called back at 14:00, and they reached an agent calling in at 14:30
    assert "+12025550143" in rows[1] and "1:35" in rows[1] and "14:30" in rows[1]


def test_the_lead_reads_each_agents_pauses_of_the_day_by_reason(
    client: httpx.Client, floor_data: Floor
) -> None:
    token = login(client, "ana")
    for action, reason in (("pause", "break"), ("ready", ""), ("pause", "lunch")):
        htmx(client, token, "/agent/state", {"action": action, "reason": reason})
    with httpx.Client(base_url=client.base_url, follow_redirects=True) as lead:
        login(lead, "lee")
        day = lead.get("/lead/day", headers={"HX-Request": "true"}).text
    row = day.split(f'data-agent="{floor_data.agent.username}"', 1)[1].split("</tr>", 1)[0]
    paused = row.split('class="paused">', 1)[1].split("</td>", 1)[0]
    # the app's clock stands still in tests: every pause lasted 0:00, and each is listed
    assert "Break 0:00" in paused and "Lunch 0:00" in paused and "Not yet ready 0:00" in paused


def test_calls_in_from_numbers_on_file_for_nobody_are_listed_for_the_lead(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    with Session(db_engine) as db:
        db.add_all([
            UnmatchedCall(call_id="in-u1", number="+13035550166", outcome="abandoned",
                          started_at=NOW - timedelta(minutes=40),
                          ended_at=NOW - timedelta(minutes=39)),
            UnmatchedCall(call_id="in-u2", number="", outcome="conversation",
                          agent_id=pk(floor_data.agent), recording_ref="/r/in-u2.wav",
                          started_at=NOW - timedelta(minutes=20),
                          ended_at=NOW - timedelta(minutes=17)),
        ])  # fmt: skip
        db.commit()
    login(client, "lee")
    day = client.get("/lead/day", headers={"HX-Request": "true"}).text
    missed = day.split('id="missed-calls"', 1)[1].split("</table>", 1)[0]
    assert "+13035550166" in missed and "on file for nobody" in missed and "not yet" in missed
    taken = day.split('id="unmatched-calls"', 1)[1].split("</table>", 1)[0]
    assert "withheld" in taken and "Ana Park" in taken and "3:00" in taken
    assert "/qa/calls-in/" in taken  # a player for its recording


def test_the_lead_plays_the_recording_of_a_call_in_no_account_matched(
    client: httpx.Client, floor_data: Floor, db_engine: Engine, app_settings: Settings
) -> None:
    """What a stranger (or a debtor we failed to find) said is on file; a lead can hear it,
    and a stored path never reaches outside the recordings directory."""
    audio = b"RIFF" + bytes(40) + b"\x01\x00" * 400
    (app_settings.recordings_dir / "in-u3.wav").write_bytes(audio)
    (app_settings.recordings_dir.parent / "secret.wav").write_bytes(b"RIFF not for leads")
    with Session(db_engine) as db:
        calls = [
            UnmatchedCall(call_id=call_id, number="+13035550166", outcome="conversation",
                          agent_id=pk(floor_data.agent), recording_ref=ref,
                          started_at=NOW - timedelta(minutes=20), ended_at=NOW)
            for call_id, ref in (("in-u3", "/var/spool/asterisk/monitor/concord/in-u3.wav"),
                                 ("in-u4", "/var/spool/asterisk/monitor/../secret.wav"),
                                 ("in-u5", ""))
        ]  # fmt: skip
        db.add_all(calls)
        db.commit()
        ids = [pk(call) for call in calls]
    login(client, "lee")
    taken = client.get("/lead/day", headers={"HX-Request": "true"}).text
    taken = taken.split('id="unmatched-calls"', 1)[1].split("</table>", 1)[0]
    assert f'src="/qa/calls-in/{ids[0]}/recording"' in taken
    assert f'src="/qa/calls-in/{ids[2]}/recording"' not in taken and "none" in taken
    played = client.get(f"/qa/calls-in/{ids[0]}/recording")
    assert played.status_code == 200 and played.content == audio
    assert played.headers["content-type"] == "audio/wav"
    outside = client.get(f"/qa/calls-in/{ids[1]}/recording")
    assert outside.status_code == 404 and "not in the recordings directory" in outside.text
    assert "has no recording" in client.get(f"/qa/calls-in/{ids[2]}/recording").text
    assert client.get("/qa/calls-in/999999/recording").status_code == 404
    with httpx.Client(base_url=client.base_url, follow_redirects=True) as agent:
        login(agent, "ana")  # an agent hears no one's calls here
        assert agent.get(f"/qa/calls-in/{ids[0]}/recording").status_code == 403


def test_an_agent_not_ready_is_told_callers_of_their_client_hold(
    client: httpx.Client, redis_url: str, floor_data: Floor
) -> None:
    token = login(client, "ana")  # signed in, not yet ready
    assert 'id="callers-holding"' not in client.get("/agent/dialer").text
    hold(redis_url, "in-a", 75, floor_data.account.client_id)
    hold(redis_url, "in-c", 300, floor_data.account.client_id + 1)  # another client's caller
    told = client.get("/agent/dialer").text
    assert "1 caller holding on a call in, the longest for 1:15: press Ready to take them" in told
    htmx(client, token, "/agent/state", {"action": "ready"})
    assert "press Ready" not in client.get("/agent/dialer").text  # ready: the next is theirs


def test_a_missed_call_from_a_debtor_under_a_hold_is_not_one_to_return(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    """A debtor who asked us to stop may still call us; a lead must not be asked to call back."""
    account = floor_data.account
    with Session(db_engine) as db:
        debtor = db.get(Debtor, account.debtor_id)
        assert debtor is not None
        debtor.flags = ["cease"]
        db.add(debtor)
        db.add(ContactAttempt(account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                              direction="inbound", outcome="abandoned", to_address="+12025550143",
                              started_at=NOW - timedelta(minutes=5)))  # fmt: skip
        db.commit()
    login(client, "lee")
    day = client.get("/lead/day", headers={"HX-Request": "true"}).text
    missed = day.split('id="missed-calls"', 1)[1].split("</table>", 1)[0]
    assert "do not call: cease hold" in missed and "not yet" not in missed


def test_a_message_left_on_a_missed_call_in_plays_where_the_call_is_listed(
    client: httpx.Client, floor_data: Floor, db_engine: Engine, app_settings: Settings
) -> None:
    """The lead returning a missed call, and the agent whose account it is, hear what the
    debtor said after the tone; the client's viewer does not (a recording of the floor)."""
    folder = app_settings.recordings_dir
    said, stranger = b"RIFF" + b"\x02\x00" * 800, b"RIFF" + b"\x03\x00" * 800
    (folder / "msg-in-m1.wav").write_bytes(said)
    (folder / "msg-in-m2.wav").write_bytes(stranger)
    account = floor_data.account
    with Session(db_engine) as db:
        left = ContactAttempt(
            account_id=pk(account),
            debtor_id=account.debtor_id,
            channel="call",
            direction="inbound",
            outcome="abandoned",
            call_id="in-m1",
            to_address=floor_data.phone.number,
            started_at=NOW - timedelta(minutes=30),
            ended_at=NOW - timedelta(minutes=27),
            message_ref="/var/spool/asterisk/monitor/concord/msg-in-m1.wav",
        )
        silent = ContactAttempt(
            account_id=pk(account),
            debtor_id=account.debtor_id,
            channel="call",
            direction="inbound",
            outcome="abandoned",
            call_id="in-m0",
            started_at=NOW - timedelta(minutes=50),
            ended_at=NOW - timedelta(minutes=49),
        )
        nobody = UnmatchedCall(call_id="in-m2", number="+13035550166", outcome="abandoned",
                               started_at=NOW - timedelta(minutes=10), ended_at=NOW,
                               message_ref="/x/msg-in-m2.wav")  # fmt: skip
        db.add_all([left, silent, nobody])
        db.commit()
        ids = pk(left), pk(silent), pk(nobody)
    login(client, "lee")
    day = client.get("/lead/day", headers={"HX-Request": "true"}).text
    missed = day.split('id="missed-calls"', 1)[1].split("</table>", 1)[0]
    assert f'src="/calls/{ids[0]}/message"' in missed
    assert f'src="/calls-in/{ids[2]}/message"' in missed
    assert f'src="/calls/{ids[1]}/message"' not in missed
    assert client.get(f"/calls/{ids[0]}/message").content == said
    assert client.get(f"/calls-in/{ids[2]}/message").content == stranger
    none = client.get(f"/calls/{ids[1]}/message")
    assert none.status_code == 404 and "This caller left no message." in none.text
    with httpx.Client(base_url=client.base_url, follow_redirects=True) as agent:
        login(agent, "ana")  # the account's agent, returning the call from its history
        page = agent.get(f"/accounts/{pk(account)}").text
        assert "left a message" in page and f'src="/calls/{ids[0]}/message"' in page
        # the debtor's missed call, not an outbound call "abandoned" by the "dialer"
        assert "missed: no agent free" in page and "abandoned · dialer" not in page
        assert agent.get(f"/calls/{ids[0]}/message").content == said
        assert agent.get(f"/calls-in/{ids[2]}/message").status_code == 403
    with httpx.Client(base_url=client.base_url, follow_redirects=True) as viewer:
        login(viewer, "harbor_view")
        assert "left a message" not in viewer.get(f"/accounts/{pk(account)}").text
        assert viewer.get(f"/calls/{ids[0]}/message").status_code == 403


def test_an_earlier_missed_call_stays_listed_until_the_debtor_is_called_back(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    """A message left at 23:00 UTC vanished from the lead's 'today' list at midnight, before
    anyone returned it; returned ones, and ones under a hold, drop off as before."""
    account, other = floor_data.account, floor_data.second_account
    with Session(db_engine) as db:
        db.add_all([
            ContactAttempt(account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                           direction="inbound", outcome="abandoned", to_address="+12025550143",
                           started_at=NOW - timedelta(days=2), ended_at=NOW - timedelta(days=2)),
            ContactAttempt(account_id=pk(other), debtor_id=other.debtor_id, channel="call",
                           direction="inbound", outcome="abandoned", to_address="+12025550144",
                           started_at=NOW - timedelta(days=3), ended_at=NOW - timedelta(days=3)),
            ContactAttempt(account_id=pk(other), debtor_id=other.debtor_id, channel="call",
                           outcome="no_answer", started_at=NOW - timedelta(days=1)),  # returned
            ContactAttempt(account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                           direction="inbound", outcome="abandoned", to_address="+12025550145",
                           started_at=NOW - timedelta(days=9), ended_at=NOW - timedelta(days=9)),
        ])  # fmt: skip
        db.commit()
    login(client, "lee")
    day = client.get("/lead/day", headers={"HX-Request": "true"}).text
    missed = day.split('id="missed-calls"', 1)[1].split("</table>", 1)[0]
    assert "+12025550143" in missed and "not yet" in missed  # two days ago, still owed
    assert (NOW - timedelta(days=2)).strftime("%a %d %b") in missed  # dated, not just a time
    assert "+12025550144" not in missed  # returned since
    assert "+12025550145" not in missed  # older than a week


def test_an_earlier_missed_call_from_a_stranger_stays_listed_until_the_number_is_reached(
    client: httpx.Client, floor_data: Floor, db_engine: Engine
) -> None:
    """A caller on file for nobody who left a message last night is still owed a call back;
    reached since (called, or their next call taken), or withheld, they drop off as before."""
    account = floor_data.account

    def missed(call_id: str, number: str, days: float) -> UnmatchedCall:
        at = NOW - timedelta(days=days)
        return UnmatchedCall(call_id=call_id, number=number, outcome="abandoned", started_at=at,
                             ended_at=at + timedelta(minutes=1))  # fmt: skip

    with Session(db_engine) as db:
        db.add_all([
            missed("in-s1", "+13035550901", 2),  # still owed
            missed("in-s2", "+13035550902", 3),
            UnmatchedCall(call_id="in-s2b", number="+13035550902", outcome="conversation",
                          started_at=NOW - timedelta(days=1)),  # called again, taken
            missed("in-s3", "+13035550903", 3),
            ContactAttempt(account_id=pk(account), debtor_id=account.debtor_id, channel="call",
                           outcome="no_answer", to_address="+13035550903",
                           started_at=NOW - timedelta(days=2)),  # an agent called it back
            missed("in-s4", "", 2),  # withheld: nothing to return
            missed("in-s5", "+13035550905", 9),  # older than a week
        ])  # fmt: skip
        db.commit()
    login(client, "lee")
    day = client.get("/lead/day", headers={"HX-Request": "true"}).text
    listed = day.split('id="missed-calls"', 1)[1].split("</table>", 1)[0]
    assert "+13035550901" in listed and "not yet" in listed
    assert (NOW - timedelta(days=2)).strftime("%a %d %b") in listed
    for gone in ("+13035550902", "+13035550903", "withheld", "+13035550905"):
        assert gone not in listed, gone
