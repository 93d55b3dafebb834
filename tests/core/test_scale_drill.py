"""The pure helpers of scripts/scale_drill.py (the drill runs real processes and is not part of
the test suite: `make scale-test`)."""

import importlib.util
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))  # the drill imports fault_drill's helpers
spec = importlib.util.spec_from_file_location("scale_drill", SCRIPTS / "scale_drill.py")
drill = importlib.util.module_from_spec(spec)
sys.modules.setdefault("scale_drill", drill)
spec.loader.exec_module(drill)


def test_phases_split_the_minutes_and_leave_room_for_the_faults():
    assert drill.phase_seconds(5) == (90, 90, 120)
    assert drill.phase_seconds(1) == (20, 20, 70)  # the fault phase needs 30 s down and the kill


def test_locust_statistics_are_read_per_request_type(tmp_path):
    path = tmp_path / "x_stats.csv"
    path.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
        "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
        "99.99%,100%\n"
        "GET,visitor: home,100,0,12,15,3,80,1000,5.5,0,12,14,15,16,20,31,40,50,80,80,80\n"
        ",Aggregated,100,1,12,15,3,80,1000,5.5,0.1,12,14,15,16,20,31,40,50,80,80,80\n")
    stats = drill.parse_stats(path)
    assert stats["visitor: home"] == {"requests": 100, "failures": 0, "rps": 5.5, "p50": 12.0, "p95": 31.0}
    assert stats["all requests"]["failures"] == 1
    table = drill.comparison_table(stats, {name: {**row, "rps": row["rps"] * 1.5} for name, row in stats.items()})
    assert "1.50" in table[2] and table[-1].startswith("all requests")


def test_5xx_of_the_killed_server_right_after_the_kill_are_counted_apart(tmp_path):
    log = tmp_path / "access.log"
    log.write_text('100.0|200|127.0.0.1:1|200|GET / HTTP/1.1\n'
                   '101.0|502|127.0.0.1:1|502|POST /api HTTP/1.1\n'
                   '101.5|502|127.0.0.1:2|502|POST /api HTTP/1.1\n'
                   '120.0|502|127.0.0.1:1|502|POST /api HTTP/1.1\n'
                   '101.2|200|127.0.0.1:1, 127.0.0.1:2|502, 200|GET /x HTTP/1.1\n'
                   'garbage\n')
    entries = drill.parse_nginx_log(log)
    assert len(entries) == 5 and entries[-1]["upstream"] == "127.0.0.1:1, 127.0.0.1:2"
    in_flight, others = drill.split_server_errors(entries, 100.9, "127.0.0.1:1")
    assert [e["at"] for e in in_flight] == [101.0]
    assert [e["at"] for e in others] == [101.5, 120.0]  # other server, or long after the kill


def _rec(email, status=201, state="confirmed"):
    return {"email": email, "status": status, "state": state}


def test_registrations_each_stored_once_with_one_mail():
    records = [_rec("a@x"), _rec("b@x", state="waitlisted"), _rec("c@x", 502, ""), _rec("d@x", 0, "")]
    rows = [{"email": "a@x", "status": "confirmed"}, {"email": "b@x", "status": "waitlisted"},
            {"email": "c@x", "status": "confirmed"}]
    result = drill.check_registrations(records, rows, {"a@x": 1, "b@x": 1, "c@x": 1})
    assert result["problems"] == []
    assert (result["answered_201"], result["in_flight_failed"], result["in_flight_stored"]) == (2, 2, 1)


def test_lost_duplicated_and_mail_problems_are_found():
    records = [_rec("a@x"), _rec("b@x"), _rec("c@x"), _rec("e@x", 400, "")]
    rows = [{"email": "b@x", "status": "confirmed"}, {"email": "b@x", "status": "waitlisted"},
            {"email": "c@x", "status": "confirmed"}, {"email": "z@x", "status": "confirmed"}]
    problems = " | ".join(drill.check_registrations(records, rows, {"b@x": 2, "z@x": 1})["problems"])
    assert "not stored exactly once" in problems and "registered twice" in problems
    assert "nobody sent" in problems and "without exactly one mail" in problems and "refused" in problems


def test_each_daily_job_once_per_day_across_the_schedulers():
    logs = {"day1": ["a: ok\nretry_due_mails: ok 0", "b: FAILED boom"], "day2": ["a: ok", "a: ok\nb: ok"]}
    result = drill.check_scheduler_logs(logs, ["a", "b"])
    assert result["runs"] == {"day1": {"a": 1, "b": 1}, "day2": {"a": 2, "b": 1}}
    assert result["problems"] == ["day2: daily jobs not run exactly once across the schedulers: {'a': 2}"]
