"""The "limit page": the smallest Flask app that does what a forum page does at its core.

It renders a ~10 KB Jinja page with a 50-item loop, from a template file, with autoescaping on,
and nothing else (no database, no session, no login). ``make bench`` serves it with the same
gunicorn settings as the forum and reports every forum page as a ratio to it, so the figures
mean the same on a fast or a slow machine.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))

# Fixed data built once: the page measures rendering, not building the data.
ITEMS = [
    {
        "id": number,
        "title": f"Gesprek {number} over ouders",
        "author": f"Lid {number % 7}",
        "replies": number * 3 % 41,
        "excerpt": "Hoe betrek je ouders bij het gesprek over hun kind?",
    }
    for number in range(1, 51)
]


@app.get("/")
def limit() -> str:
    return render_template("limit.html", items=ITEMS, title="Dorpsplein")


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
