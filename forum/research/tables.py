"""The table exports, CSV and JSON Lines: one row per post, placeholders included, threads in
order, with the same column names in both (werkveld, soort and beroep as words plus a ``_code``
column, see ``vocabulary``).

CSV cells a spreadsheet would run as a formula get a leading apostrophe (offsets count in the text
without it); CSV is UTF-8 with a byte-order mark, for Excel. The interest list uses the same guard.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from forum.research.export import ExportData
from forum.research.vocabulary import BEROEP, SOORT, WERKVELD, term_columns, term_values

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = ("gesprek", "bijdrage", "volgnummer", "titel", *term_columns(WERKVELD))
COLUMNS += (*term_columns(SOORT), "maand", "deelnemer", *term_columns(BEROEP), "tekst")
COLUMNS += ("gesprekscodes", "passagecodes")


def rows(data: ExportData) -> list[dict[str, Any]]:
    """One row per post, placeholders included, threads in order."""
    result = []
    for thread in data.threads:
        for post in thread.posts:
            result.append(
                {
                    "gesprek": thread.ref,
                    "bijdrage": post.ref,
                    "volgnummer": post.position,
                    "titel": thread.title,
                    **term_values(WERKVELD, thread.setting),
                    **term_values(SOORT, thread.kind),
                    "maand": post.month,
                    "deelnemer": post.pseudonym,
                    **term_values(BEROEP, post.profession),
                    "tekst": post.text,
                    "gesprekscodes": [name for _id, name in thread.codes] if post.consented else [],
                    "passagecodes": [
                        {"code": p.code_name, "start": p.start, "end": p.end, "tekst": p.quote}
                        for p in post.passages
                    ],
                }
            )
    return result


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def render_csv(data: ExportData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(data):
        row["gesprekscodes"] = "; ".join(row["gesprekscodes"])
        row["passagecodes"] = "; ".join(
            f"{p['code']} [{p['start']}-{p['end']}]" for p in row["passagecodes"]
        )
        writer.writerow([csv_cell(row[column]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def render_jsonl(data: ExportData) -> bytes:
    lines = [json.dumps(row, ensure_ascii=False, sort_keys=False) for row in rows(data)]
    return "".join(line + "\n" for line in lines).encode("utf-8")
