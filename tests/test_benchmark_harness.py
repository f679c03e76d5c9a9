"""The HTTP benchmarks' arithmetic: wrk's output read into numbers, percentiles, the gunicorn
command rendered from the Helm chart, and the results files (benchmarks/ holds scripts, not
tests; these are the pure functions their figures depend on)."""

import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import benchsupport as bench  # noqa: E402
import httpbench  # noqa: E402

WRK_OUTPUT = """Running 20s test @ http://127.0.0.1:8170
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   180.21ms   40.10ms 950.00ms   75.00%
  4000 requests in 20.00s, 40.00MB read
  Non-2xx or 3xx responses: 7
Requests/sec:    200.00
Transfer/sec:      2.00MB
WRKJSON {"requests": 4000, "duration_us": 20000000, "bytes": 41943040, "latency_us": \
{"min": 1200, "mean": 180210.5, "max": 950000, "stdev": 40100.0, "percentiles": \
{"50": 150000, "75": 190000, "90": 240000, "95": 310000, "99": 720000, "99.9": 900000}}, \
"codes": {"200": 3990, "503": 7, "302": 3}, \
"errors": {"connect": 0, "read": 2, "write": 0, "status": 7, "timeout": 1}}
"""


def test_wrk_output_becomes_milliseconds_counts_and_rate():
    result = httpbench.parse_wrk_output(WRK_OUTPUT)
    assert result.requests == 4000
    assert result.seconds == pytest.approx(20.0)
    assert result.rps == pytest.approx(200.0)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (150.0, 310.0, 720.0)
    assert result.p(99.9) == 900.0
    assert result.mean_ms == pytest.approx(180.2105)
    assert result.codes == {200: 3990, 503: 7, 302: 3}
    # Another status than the expected ones counts, and so do broken connections and timeouts
    # (wrk's own "status" counter only repeats the >= 400 responses already counted).
    assert result.unexpected([200]) == 7 + 3 + 2 + 1
    assert result.unexpected([200, 302]) == 7 + 2 + 1
    assert result.as_dict()["codes"] == {"200": 3990, "302": 3, "503": 7}


def test_wrk_output_without_the_scripts_line_is_an_error_not_zeros():
    with pytest.raises(ValueError, match="no WRKJSON line"):
        httpbench.parse_wrk_output("Requests/sec:    200.00\n")


def test_percentiles_interpolate_between_ranks():
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert bench.percentile(values, 50) == pytest.approx(5.5)
    assert bench.percentile(values, 95) == pytest.approx(9.55)
    assert bench.percentile(values, 100) == 10.0
    assert bench.percentile([3.0], 99) == 3.0
    assert bench.median([4.0, 1.0, 3.0]) == 3.0


def test_the_server_command_is_the_charts_with_its_values_and_extra_arguments():
    command = httpbench.chart_command(
        {"web.gunicorn.workers": 2, "web.gunicorn.extraArgs": ["--backlog=64", "--max-requests=9"]}
    )
    assert command[:2] == ["gunicorn", "ratusz.wsgi:application"]
    assert "--workers=2" in command
    assert "--config=python:ratusz.gunicorn_conf" in command  # load shedding's worker class
    assert any(part.startswith("--threads=") for part in command)
    assert any(part.startswith("--timeout=") for part in command)
    assert command[-2:] == ["--backlog=64", "--max-requests=9"]
    assert not any("{{" in part for part in command)


def test_a_request_line_keeps_its_fields_apart():
    line = httpbench.Request(
        host="a.bench.localhost", path="/x/", method="POST", headers={"A": "1"}, body="k=1"
    ).line()
    method, host, path, headers, body = line.split("\t")
    assert (method, host, path, body) == ("POST", "a.bench.localhost", "/x/", "k=1")
    assert headers.split("\x1f") == ["X-Forwarded-Proto: https", "A: 1"]
    with pytest.raises(ValueError, match="tab or newline"):
        httpbench.Request(host="h", path="/a\tb").line()


def test_results_name_their_conditions_and_the_machine(tmp_path):
    run = bench.start_run("example")
    path = bench.write_results(
        run,
        conditions={"cities": 20},
        rows=[{"page": "home", "p95_ms": 12.5}],
        curves=[bench.Curve("example-curve", "t", "x", "y", {"a": [(1, 2.0), (10, 3.0)]})],
        directory=tmp_path,
    )
    document = json.loads(path.read_text())
    assert path.name == "example.json"
    assert document["conditions"] == {"cities": 20}
    assert document["rows"] == [{"page": "home", "p95_ms": 12.5}]
    assert len(document["load_start"]) == 3 and len(document["load_end"]) == 3
    assert document["cpus"] >= 1
    assert document["curves"][0]["series"] == {"a": [[1, 2.0], [10, 3.0]]}
