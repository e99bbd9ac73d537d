"""Ratios, the printed table and the JSON file of ``make bench``.

A page's ratio in one round is its req/s divided by the mean req/s of the limit page measured just
before and just after it; the reported ratio is the median over the rounds, so one disturbed
round (other work on the machine) does not decide the result.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import psycopg

from bench.http_data import PG_ADMIN

VERDICT = {True: "PASS", False: "FAIL", None: "-"}


def round_ratio(page_rps: float, limit_before: float, limit_after: float) -> float:
    """One round's ratio: the page against the limit page measured on both sides of it."""
    limit = (limit_before + limit_after) / 2
    return page_rps / limit if limit > 0 else 0.0


def summarise(key: str, who: str, target: float, rounds: list[dict], note: str = "") -> dict:
    """Median figures of one page over its rounds, with the verdict against ``target``."""
    ratio = statistics.median(r["ratio"] for r in rounds)
    return {
        "page": key,
        "who": who,
        "rps": statistics.median(r["rps"] for r in rounds),
        "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
        "limit_rps": statistics.median(r["limit_rps"] for r in rounds),
        "ratio": ratio,
        "ratios": [r["ratio"] for r in rounds],
        "target": target,
        # Rows marked "report only" are figures to read, not targets to meet.
        "passed": None if "report only" in note else ratio >= target,
        "note": note,
        "rounds": rounds,
    }


def table(rows: list[dict]) -> str:
    lines = [
        f"{'page':<22} {'as':<10} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'limit/s':>7} "
        f"{'ratio':>6} {'target':>6}  result",
    ]
    for row in rows:
        lines.append(
            f"{row['page']:<22} {row['who']:<10} {row['rps']:>7.0f} {row['p50_ms']:>7.1f} "
            f"{row['p99_ms']:>7.1f} {row['limit_rps']:>7.0f} {row['ratio']:>6.2f} "
            f"{row['target']:>6.2f}  {VERDICT[row['passed']]}"
            + (f"  ({row['note']})" if row["note"] else "")
        )
    return "\n".join(lines)


def memory_table(variants: list[dict]) -> str:
    lines = [
        f"{'workers':>7} {'preload':<8} {'worker peak RSS':>16} {'worker Pss':>11} "
        f"{'worker private':>15} {'master Pss':>11} {'host total Pss':>15} {'sum of RSS':>11}"
    ]
    for variant in variants:
        workers = variant["memory"]["workers"]
        lines.append(
            f"{variant['workers']:>7} {'yes' if variant['preload'] else 'no':<8} "
            f"{max(w['peak_rss'] for w in workers):>12.0f} MiB "
            f"{statistics.mean(w['pss'] for w in workers):>7.0f} MiB "
            f"{statistics.mean(w['private'] for w in workers):>11.0f} MiB "
            f"{variant['memory']['master']['pss']:>7.0f} MiB "
            f"{variant['memory']['total_pss_mib']:>11.0f} MiB "
            f"{variant['memory']['sum_rss_mib']:>7.0f} MiB"
        )
    return "\n".join(lines)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def machine() -> dict[str, object]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(memory_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "load_average_at_start": os.getloadavg(),
    }


def versions(with_postgres: bool) -> dict[str, str]:
    found = {
        "python": platform.python_version(),
        "flask": _version("flask"),
        "werkzeug": _version("werkzeug"),
        "jinja2": _version("jinja2"),
        "sqlalchemy": _version("sqlalchemy"),
        "gunicorn": _version("gunicorn"),
        "sqlite": sqlite3.sqlite_version,
    }
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # noqa: S607
    found["wrk"] = (wrk.stdout or wrk.stderr).split("[")[0].replace("wrk", "").strip()
    if with_postgres:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        found["postgres"] = row[0] if row else "?"
    return found


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def save(path: Path, result: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def flatness(rows: list[dict], baseline: Path) -> list[dict]:
    """At 1,000,000 posts every page keeps ≥ 0.9× its ratio at 50,000 (issue 11)."""
    if not baseline.exists():
        return []
    before = {(r["page"], r["who"]): r for r in json.loads(baseline.read_text())["pages"]}
    checks = []
    for row in rows:
        earlier = before.get((row["page"], row["who"]))
        if earlier is None or earlier["ratio"] <= 0:
            continue
        kept = row["ratio"] / earlier["ratio"]
        checks.append({"page": row["page"], "who": row["who"], "kept": kept, "passed": kept >= 0.9})
    return checks
