"""The benchmark's arithmetic: wrk's output becomes the figures and verdicts `make bench` shows."""

from __future__ import annotations

import json

import pytest

from bench.http_client import BenchError, parse_wrk
from bench.http_report import flatness, round_ratio, summarise, table

WRK = """Running 2s test @ http://127.0.0.1:40001/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    13.10ms    2.01ms  31.22ms   80.00%
    Req/Sec   612.40     40.11   700.00     70.00%
  Latency Distribution
     50%   12.85ms
     75%   13.90ms
     90%   15.20ms
     99%    1.02s
  1225 requests in 2.00s, 13.52MB read
Requests/sec:    611.93
Transfer/sec:      6.75MB
"""


def test_wrk_output_gives_requests_per_second_and_latencies_in_ms():
    result = parse_wrk(WRK)
    assert result.rps == 611.93
    assert result.p50_ms == 12.85
    assert result.p99_ms == 1020.0  # seconds are converted, not read as milliseconds
    assert result.requests == 1225


@pytest.mark.parametrize(
    "extra",
    ["  Non-2xx or 3xx responses: 3\n", "  Socket errors: connect 0, read 2, write 0, timeout 0\n"],
)
def test_a_failed_request_stops_the_benchmark(extra):
    with pytest.raises(BenchError):
        parse_wrk(WRK + extra)


def test_the_ratio_is_the_median_over_rounds_against_the_neighbouring_limit_runs():
    assert round_ratio(100, 900, 1100) == pytest.approx(0.1)
    rounds = [
        {"rps": rps, "p50_ms": 10, "p99_ms": 20, "limit_rps": 1000, "ratio": rps / 1000}
        for rps in (400, 600, 100)  # one disturbed round does not decide
    ]
    row = summarise("home", "visitor", 0.5, rounds)
    assert row["ratio"] == pytest.approx(0.4)
    assert row["passed"] is False
    assert summarise("home", "visitor", 0.4, rounds)["passed"] is True
    # A figure shown for reading (the page rendered anew) is neither a pass nor a fail.
    shown = summarise("home", "uncached", 0.5, rounds, "rendered anew; report only")
    assert shown["passed"] is None
    assert table([shown]).splitlines()[1].split()[8] == "-"


def test_flat_at_a_million_means_keeping_nine_tenths_of_the_ratio(tmp_path):
    baseline = tmp_path / "results-50k-sqlite.json"
    baseline.write_text(json.dumps({"pages": [{"page": "home", "who": "visitor", "ratio": 0.5}]}))
    kept = flatness([{"page": "home", "who": "visitor", "ratio": 0.46}], baseline)
    fell = flatness([{"page": "home", "who": "visitor", "ratio": 0.44}], baseline)
    assert kept[0]["passed"] is True
    assert fell[0]["passed"] is False
