"""The pure helpers of scripts/fault_drill.py (the drill itself runs real processes and is not
part of the test suite: `make fault-drill`)."""

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fault_drill.py"
spec = importlib.util.spec_from_file_location("fault_drill", SCRIPT)
drill = importlib.util.module_from_spec(spec)
sys.modules.setdefault("fault_drill", drill)  # dataclasses look their module up
spec.loader.exec_module(drill)

A, B = drill.Attempt, drill.BurstOutcome
EVENT = {"capacity": 2, "seats_taken": 2, "waitlist_length": 1}


def reg(email, status="confirmed", order=None):
    return {"email": email, "status": status, "waitlist_order": order}


def test_a_clean_burst_has_no_problems():
    outcomes = [B("a@x", [A(201)]), B("b@x", [A(0), A(409)]), B("c@x", [A(0), A(201)]), B("d@x", [A(0), A(0)])]
    rows = [reg("a@x"), reg("b@x"), reg("c@x", "waitlisted", 1)]
    result = drill.check_burst(outcomes, rows, EVENT)
    assert result["problems"] == []
    assert (result["answered"], result["retried"], result["unanswered"], result["lost"], result["duplicated"]) == (
        3, 3, 1, 0, 0)


def test_lost_and_duplicated_and_wrong_counters_are_found():
    outcomes = [B("a@x", [A(201)]), B("b@x", [A(201)]), B("c@x", [A(201)])]
    rows = [reg("a@x"), reg("A@x", "waitlisted", 1), reg("c@x"), reg("z@x", "cancelled")]
    result = drill.check_burst(outcomes, rows, {"capacity": 2, "seats_taken": 1, "waitlist_length": 1})
    assert result["lost"] == 1 and result["duplicated"] == 1
    assert any("counters" in p for p in result["problems"])


def test_a_409_on_the_first_try_or_a_server_error_is_a_problem():
    result = drill.check_burst([B("a@x", [A(409)]), B("b@x", [A(502)])], [reg("a@x")],
                               {"capacity": 5, "seats_taken": 1, "waitlist_length": 0})
    assert len(result["problems"]) == 2 and result["lost"] == 0


def test_mail_counts_need_exactly_one_per_recipient():
    assert drill.check_mail_counts(["a@x", "B@x"], {"a@x": 1, "b@x": 1})["problems"] == []
    result = drill.check_mail_counts(["a@x", "b@x", "c@x"], {"a@x": 2, "c@x": 1})
    assert (result["missing"], result["more_than_one"], result["exactly_one"]) == (1, 1, 1)


def test_retry_delays_cover_the_outage():
    assert drill.drill_retry_delays(60) == [5, 10, 20, 40, 80]
    for down in (60, 300, 600, 1800):
        assert drill.retry_budget(drill.drill_retry_delays(down)) > down + drill.SWEEP_SECONDS


def test_import_page_states():
    running = ('<strong id="import-status">Wird importiert</strong> <progress class="kp-progress" max="100" '
               'value="50" aria-label="x">')
    assert drill.import_page_state(running)["status"] == "Wird importiert"
    assert drill.import_page_state(running)["progress"] == 50
    failed = ('<strong id="import-status">Fehlgeschlagen</strong><div class="kern-alert" id="import-failed">'
              '<div><p class="kern-body">Der Worker ist ausgefallen.</p></div></div><form method="post" '
              'action="/mein-bereich/organisation/3/co2-bilanz/import/9/erneut/" class="kp-actions">')
    state = drill.import_page_state(failed)
    assert state["retry_action"].endswith("/import/9/erneut/") and state["failure"] == "Der Worker ist ausgefallen."
    assert not state["can_start"]
    ready = ('<strong id="import-status">Bereit zum Import</strong><form method="post" class="kp-form" novalidate '
             'id="import-form"><input type="hidden" name="csrfmiddlewaretoken" value="x">')
    assert drill.import_page_state(ready)["can_start"]
