"""The campaigns file: what an admin writes, checked with the line and field of each mistake."""

from __future__ import annotations

import textwrap

from dialer.campaign_file import CampaignsFile, Problem, dump, parse

GOOD = textwrap.dedent(
    """\
    campaigns:
      - client: NWB
        name: Cards early
        portfolios: [Cards 2026-Q3]
        dial_mode: predictive
        abandon_target: 0.025
        caller_id: "+1 202 555 0100"
        script: third_party_first_contact
        schedule:
          days: [mon, tue, wed, thu, fri]
          start: 9:00
          end: 20:30
          timezone: America/New_York
        filter: {segments: [high, medium], min_balance_minor: 5000}
        agents: [ana, ben]
      - client: CTU
        name: Utilities
        portfolios: [Utilities 2026-09]
        dial_mode: preview
    """
)


def _problems(text: str) -> list[Problem]:
    found = parse(text)
    assert isinstance(found, list), f"expected problems, got {found!r}"
    return found


def test_a_good_file_fills_defaults_and_reads_unquoted_times_as_clock_times() -> None:
    parsed = parse(GOOD)

    assert isinstance(parsed, CampaignsFile)
    cards, utilities = parsed.campaigns
    assert (cards.schedule.start, cards.schedule.end) == ("09:00", "20:30")  # YAML's 540 and 1230
    assert cards.caller_id == "+12025550100"
    assert utilities.abandon_target == 0.03 and utilities.filter.statuses == ["open"]
    assert utilities.schedule.days == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_export_then_apply_reads_back_the_same_campaigns() -> None:
    parsed = parse(GOOD)
    assert isinstance(parsed, CampaignsFile)

    again = parse(dump(parsed.campaigns))

    assert again == parsed
    assert "abandon_target: 0.03" not in dump(parsed.campaigns)  # defaults are left out


def test_each_mistake_is_named_by_line_campaign_and_field() -> None:
    text = GOOD.replace("abandon_target: 0.025", "abandon_target: 0.05").replace(
        "timezone: America/New_York", "timezone: Mars/Base"
    )
    text = text.replace("dial_mode: preview", "dial_mode: slow\n    colour: red")

    rendered = [p.render("floor.yaml") for p in _problems(text)]

    assert "floor.yaml:6: campaigns[0] ('Cards early').abandon_target: " in rendered[0]
    assert "less than or equal to 0.03" in rendered[0]
    assert any(
        r.startswith("floor.yaml:13: campaigns[0] ('Cards early').schedule.timezone: 'Mars/Base'")
        for r in rendered
    )
    assert "floor.yaml:19: campaigns[1] ('Utilities').dial_mode: Input should be" in rendered[-2]
    assert rendered[-1] == (
        "floor.yaml:20: campaigns[1] ('Utilities').colour: unknown field (check its spelling)"
    )


def test_a_field_left_out_points_at_its_campaign() -> None:
    text = "campaigns:\n  - client: NWB\n    name: Cards\n    dial_mode: preview\n"

    (problem,) = _problems(text)

    assert (problem.line, problem.where) == (2, "campaigns[0] ('Cards').portfolios")
    assert problem.reason == "Field required"


def test_a_schedule_closing_before_it_opens_and_a_campaign_listed_twice_are_refused() -> None:
    closing = _problems(GOOD.replace("end: 20:30", "end: 8:00"))
    twice = _problems(GOOD.replace("name: Utilities", "name: Cards early").replace("CTU", "NWB"))

    assert closing[0].where == "campaigns[0] ('Cards early').schedule"
    assert closing[0].reason == "start 09:00 is not before end 08:00"
    assert twice[0].reason == "campaign 'Cards early' of client 'NWB' is listed twice"


def test_a_wrong_caller_id_and_broken_yaml_are_refused_in_words() -> None:
    caller = _problems(GOOD.replace('"+1 202 555 0100"', '"+1202"'))
    broken = _problems("campaigns:\n  - client: [NWB\n")
    bare = _problems("- just a list\n")

    assert caller[0].reason == "'+1202' is not a valid phone number in E.164 (+12025550100)"
    assert broken[0].reason.startswith("not valid YAML") and broken[0].line is not None
    assert bare[0].reason == "the file must be a mapping with a 'campaigns:' list"


def test_a_field_written_twice_is_refused_naming_both_lines() -> None:
    twice = GOOD.replace(
        "    dial_mode: preview\n", "    dial_mode: preview\n    dial_mode: predictive\n"
    )

    [problem] = _problems(twice)

    assert problem.line == 20
    assert problem.reason == "not valid YAML: duplicate key 'dial_mode' (first at line 19)"
