"""Scoring calls over real HTTP: the week's sample, the scorecard form, the agents' averages."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from console_floor import NOW, Floor, csrf_of, login, pk
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import ContactAttempt, DispositionCode
from qa.models import CallReview
from qa.scorecard import CODES

pytestmark = pytest.mark.integration
ALL_YES = dict.fromkeys(CODES, "yes")


def _calls(
    db: Session, floor: Floor, count: int, other_client: bool = False, code_name: str = "RPC"
) -> list[int]:
    """Recorded conversations this week (NOW is a Wednesday), ana's or ben's (client B)."""
    account = floor.other_account if other_client else floor.account
    agent = floor.other_agent if other_client else floor.agent
    code = db.exec(
        select(DispositionCode).where(
            DispositionCode.client_id == account.client_id, DispositionCode.code == code_name
        )
    ).one()
    rows = [
        ContactAttempt(
            account_id=pk(account), debtor_id=account.debtor_id, channel="call",
            to_address="+12025550143", started_at=NOW - timedelta(hours=n + 1),
            outcome="conversation", agent_id=pk(agent), disposition_code_id=pk(code),
            call_id=f"cc-{'b' if other_client else 'a'}{code_name}{n}",
            recording_ref=f"/var/spool/asterisk/monitor/concord/cc-{n}.wav",
        )
        for n in range(count)
    ]  # fmt: skip
    db.add_all(rows)
    db.commit()
    return [pk(r) for r in rows]


def _score(client: httpx.Client, attempt_id: int, **marks: str) -> httpx.Response:
    token = csrf_of(client.get(f"/qa/calls/{attempt_id}").text)
    data = {"csrf_token": token, "notes": "Good empathy; recap the date next time.", **marks}
    return client.post(f"/qa/calls/{attempt_id}/review", data=data, follow_redirects=False)


def test_qa_scores_a_call_of_the_weeks_sample_and_the_agents_average_follows(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        ids = _calls(db, floor_data, 7)
    login(client, "quinn")

    page = client.get("/qa").text
    sampled = [i for i in ids if f'data-sample="{i}"' in page]
    first, second = sampled[:2]
    saved = _score(client, first, **{**ALL_YES, "recap": "no"})
    failed = _score(client, second, **{**ALL_YES, "mini_miranda": "no"})
    again = _score(client, first, **ALL_YES)  # a re-score replaces the first
    after = client.get("/qa").text

    assert len(sampled) == 5  # five per agent, of ana's seven
    assert client.get("/qa").text.count("data-sample=") == 5  # the same draw on every load
    assert saved.status_code == failed.status_code == again.status_code == 303
    assert 'data-agent="ana"' in after
    agent_row = after.split('data-agent="ana"')[1].split("</tr>")[0]
    assert "<td>2</td>" in agent_row and "50%" in agent_row  # 100% and a failed 0%
    assert f'href="/qa/calls/{second}" class="warn">0%' in after
    with Session(db_engine) as db:
        reviews = db.exec(select(CallReview)).all()
    assert len(reviews) == 2
    mine = next(r for r in reviews if r.attempt_id == first)
    assert (
        mine.percent == 100.0
        and mine.updated_by == "quinn"
        and mine.agent_id == pk(floor_data.agent)
    )
    assert "recap the date next time" in client.get(f"/qa/calls/{first}").text


def test_a_scorecard_left_incomplete_is_refused_naming_the_criterion_and_keeps_the_marks(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        (attempt,) = _calls(db, floor_data, 1)
    login(client, "quinn")
    marks = {code: "yes" for code in CODES if code != "accurate"}

    response = _score(client, attempt, **marks)

    assert response.status_code == 400
    assert "mark every criterion; not marked: Stated the balance" in response.text
    assert response.text.count("checked") == len(CODES) - 1  # what was marked is still marked
    with Session(db_engine) as db:
        assert db.exec(select(CallReview)).first() is None


def test_a_reviewer_of_one_client_cannot_open_or_score_another_clients_call(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        (theirs,) = _calls(db, floor_data, 1, other_client=True)
        qa = db.get(type(floor_data.qa), pk(floor_data.qa))
        assert qa is not None
        qa.client_id = pk(floor_data.client_a)
        db.commit()
    login(client, "quinn")

    page = client.get("/qa").text
    opened = client.get(f"/qa/calls/{theirs}")
    token = csrf_of(page)
    scored = client.post(f"/qa/calls/{theirs}/review", data={"csrf_token": token, **ALL_YES})

    assert f'data-sample="{theirs}"' not in page
    assert opened.status_code == 404 and scored.status_code == 404


def test_a_call_with_no_recording_offers_no_scorecard_but_says_why(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        (attempt,) = _calls(db, floor_data, 1)
        row = db.get(ContactAttempt, attempt)
        assert row is not None
        row.recording_ref = ""
        db.add(row)
        db.commit()
    login(client, "quinn")

    page = client.get(f"/qa/calls/{attempt}").text

    assert 'id="no-recording"' in page and "cannot be scored" in page
    assert 'id="scorecard"' not in page


def test_a_hello_and_hang_up_marked_no_answer_is_not_sampled_for_scoring(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        db.add(DispositionCode(client_id=floor_data.client_a.id or 0, code="NA",
                               label="No answer", category="no_contact"))  # fmt: skip
        db.commit()
        (hung_up,) = _calls(db, floor_data, 1, code_name="NA")
        (spoken,) = _calls(db, floor_data, 1)
    login(client, "quinn")

    page = client.get("/qa").text
    to_score = page[page.index('id="qa-sample"') : page.index('id="qa-scores"')]

    assert f'data-sample="{spoken}"' in to_score and f'data-sample="{hung_up}"' not in to_score


def test_a_criterion_that_did_not_arise_is_marked_so_and_the_call_passes(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    with Session(db_engine) as db:
        (call,) = _calls(db, floor_data, 1)
    login(client, "quinn")

    saved = _score(client, call, **{**ALL_YES, "mini_miranda": "na", "disputes": "na"})
    form = client.get(f"/qa/calls/{call}").text

    assert saved.status_code == 303
    with Session(db_engine) as db:
        review = db.exec(select(CallReview)).one()
    assert (review.percent, review.fatal_missed) == (100.0, [])
    assert review.marks["mini_miranda"] is None
    assert 'value="na" aria-label="Handled a dispute' in form and "checked" in form


def test_a_team_lead_may_not_replace_a_qa_score_of_their_agents_call(
    client: httpx.Client, db_engine: Engine, floor_data: Floor
) -> None:
    """An examiner's team lead re-saved QA's fatal finding as 100%, no trace left."""
    with Session(db_engine) as db:
        (call,) = _calls(db, floor_data, 1)
    login(client, "quinn")
    assert _score(client, call, **{**ALL_YES, "mini_miranda": "no"}).status_code == 303
    client.post("/logout", headers={"X-CSRF-Token": csrf_of(client.get("/qa").text)})
    login(client, "lee")

    rescored = _score(client, call, **ALL_YES)

    assert rescored.status_code != 303 and "a team lead may not replace that score" in rescored.text
    with Session(db_engine) as db:
        kept = db.exec(select(CallReview)).one()
    assert (kept.percent, kept.updated_by) == (0.0, "quinn")
