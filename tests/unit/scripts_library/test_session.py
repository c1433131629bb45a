"""Walking a script: answers, stepping back, rebuttals, and the right-party disposition gate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.models.contacts import DispositionCategory
from scripts_library.fields import sample_context
from scripts_library.library import Library
from scripts_library.model import Disclosure, NodeKind, ScriptDoc
from scripts_library.session import ScriptSession, TraversalError, from_events, start

LIBRARY = Library.from_path()


def first_contact() -> tuple[ScriptDoc, ScriptDoc]:
    return LIBRARY.resolve("third_party_first_contact"), LIBRARY.objections()


def verified_and_disclosed() -> ScriptSession:
    script, objections = first_contact()
    # greet: Speaking -> verify: Details match -> mini_miranda: Disclosure read -> explain
    return start(script, objections).answer(0).answer(0).answer(0)


def test_session_starts_at_the_start_node_and_renders_merge_fields() -> None:
    session = start(*first_contact())
    rendered = session.render(sample_context())
    assert rendered.id == "greet"
    assert "Sam" in rendered.text and "Maria Lopez" in rendered.text
    assert rendered.answers[0].label == "Speaking"


def test_answer_moves_along_and_path_records_node_ids() -> None:
    session = verified_and_disclosed()
    assert session.position == "explain"
    assert session.path == ("greet", "verify", "mini_miranda", "explain")


def test_right_party_disposition_is_refused_until_every_disclosure_is_done() -> None:
    script, objections = first_contact()
    session = start(script, objections)
    assert not session.may_record_right_party()
    session = session.answer(0).answer(0)  # verified, disclosure not yet read
    assert session.disclosures_done == {Disclosure.RIGHT_PARTY_VERIFICATION}
    assert not session.may_record_right_party()
    assert not session.may_record(DispositionCategory.PROMISE)
    assert session.may_record(DispositionCategory.CALLBACK)
    session = session.answer(0)
    assert session.may_record_right_party()
    assert session.may_record(DispositionCategory.PROMISE)


def test_failed_verification_never_marks_the_disclosure_done() -> None:
    session = start(*first_contact()).answer(0).answer(1)  # details do not match
    assert session.position == "no_match"
    assert session.disclosures_done == frozenset()
    assert not session.may_record_right_party()


def test_step_back_undoes_the_move_and_the_disclosure_it_marked() -> None:
    session = verified_and_disclosed()
    back = session.back().back()
    assert back.position == "verify"
    assert back.disclosures_done == frozenset()
    assert back.path == ("greet", "verify")


def test_step_back_at_the_start_stays_at_the_start() -> None:
    session = start(*first_contact()).back()
    assert session.position == "greet"


def test_answer_index_that_does_not_exist_is_refused() -> None:
    with pytest.raises(TraversalError, match="no answer 9"):
        start(*first_contact()).answer(9)


def test_end_node_has_no_answers_to_take() -> None:
    # pay in full -> read the terms back -> correct -> thanks_paid
    session = verified_and_disclosed().answer(0).answer(0).answer(0)
    assert session.current.kind is NodeKind.END
    assert session.render(sample_context()).disposition == "promise"
    with pytest.raises(TraversalError):
        session.answer(0)


def test_rebuttal_opens_from_any_node_and_resume_returns_there() -> None:
    session = verified_and_disclosed().open_objection("cant_pay")
    assert session.position == "objections:cant_pay"
    assert session.render(sample_context()).in_objection
    session = session.answer(1).answer(0)  # money is tight -> names an amount -> @resume
    assert session.position == "explain"
    assert session.path == (
        "greet",
        "verify",
        "mini_miranda",
        "explain",
        "objections:cant_pay",
        "objections:cant_pay_small",
        "explain",
    )


def test_rebuttal_about_the_debt_is_locked_before_the_disclosures() -> None:
    session = start(*first_contact())
    assert session.objection_locked("cant_pay")
    with pytest.raises(TraversalError, match="right_party_verification"):
        session.open_objection("cant_pay")


def test_rebuttal_that_never_mentions_the_debt_opens_before_verification() -> None:
    session = start(*first_contact()).open_objection("stop_calling")
    session = session.answer(0)
    assert session.position == "objections:stop_calling_all"
    assert session.render(sample_context()).disposition == "cease"


def test_record_names_the_script_version_variant_and_path() -> None:
    run = verified_and_disclosed().record()
    newest = max(d.version for d in LIBRARY.versions("third_party_first_contact"))
    assert newest >= 4  # v4 says the call may be recorded first
    assert (run.script_name, run.script_version) == ("third_party_first_contact", newest)
    assert run.variant == ("default", "en", "default", "default")
    assert run.objections_version == 1
    assert run.path == ("greet", "verify", "mini_miranda", "explain")
    assert run.disclosures_done == ("debt_collector_first", "right_party_verification")


def test_session_survives_a_round_trip_through_its_stored_events() -> None:
    script, objections = first_contact()
    session = verified_and_disclosed().open_objection("cant_pay").answer(1)
    again = from_events(script, objections, session.to_events())
    assert again.path == session.path
    assert again.disclosures_done == session.disclosures_done


def test_stored_events_out_of_step_are_refused() -> None:
    script, objections = first_contact()
    with pytest.raises(TraversalError, match="out of step"):
        from_events(script, objections, [{"op": "answer", "node": "explain", "answer": 0}])


def test_objection_set_cannot_be_started_as_a_script() -> None:
    with pytest.raises(TraversalError):
        start(LIBRARY.objections())


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(LIBRARY.names()),
    language=st.sampled_from(["en", "es"]),
    moves=st.lists(st.integers(min_value=0, max_value=20), max_size=25),
)
def test_random_walks_keep_the_disclosure_gate_and_back_inverts_answer(
    name: str, language: str, moves: list[int]
) -> None:
    script = LIBRARY.resolve(name, language=language)
    session = start(script, LIBRARY.objections(language=language))
    for move in moves:
        answers = session.current.answers
        if not answers:
            break
        before = session
        session = session.answer(move % len(answers))
        assert session.back().path == before.path
        assert len(session.path) == len(before.path) + 1
        assert session.path[-1] in script.nodes
        done = session.disclosures_done
        assert session.may_record_right_party() == all(
            d in done for d in script.required_disclosures
        )
        session.render(sample_context())  # every reachable node renders
