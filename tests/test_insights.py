"""Insights for researchers: the numbers against hand-made data (werkvelden, kinds, months with
empty months, code frequencies, coded share), charts as accessible SVG with the same numbers in a
table, a constant number of queries, and only researchers and admins get in."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from lxml import html as lxml_html

from forum.db import db, utcnow
from forum.discussions.models import Post, Thread
from forum.research import charts
from forum.research.insights import last_months
from forum.research.models import Code, PassageCoding, ThreadCoding
from tests.helpers import count_queries, login, set_site, write_reply, write_thread

URL = "/onderzoek/inzichten"


def month_start(months_ago: int) -> datetime:
    year, month = last_months(utcnow(), months_ago + 1)[0]
    return datetime(year, month, 15, 12, tzinfo=UTC)


def move_thread(app, thread_id: int, when: datetime) -> None:
    """Date a thread and its posts back, as if written then."""
    with app.app_context():
        db.session.execute(sa.update(Thread).where(Thread.id == thread_id).values(created_at=when))
        db.session.execute(
            sa.update(Post).where(Post.thread_id == thread_id).values(created_at=when)
        )
        db.session.commit()


def add_codes(app, names: list[str], archived: tuple[str, ...] = ()) -> dict[str, int]:
    with app.app_context():
        codes = [Code(name=name, archived=name in archived) for name in names]
        db.session.add_all(codes)
        db.session.commit()
        ids = {code.name: code.id for code in codes}
        db.session.remove()
    return ids


def code_thread(app, thread_id: int, code_id: int) -> None:
    with app.app_context():
        db.session.add(ThreadCoding(thread_id=thread_id, code_id=code_id))
        db.session.commit()


def code_passage(app, post_id: int, code_id: int) -> None:
    with app.app_context():
        db.session.add(
            PassageCoding(
                post_id=post_id, code_id=code_id, start_offset=0, end_offset=3, quote="Hoe"
            )
        )
        db.session.commit()


@pytest.fixture
def forum_data(app, users):
    """Four approved threads and some waiting posts, codes and codings (numbers in the tests)."""
    set_site(app, "trust_threshold", "0")
    author, other = users.make(), users.make()
    t1 = write_thread(app, author, setting_id=1, kind="question")
    r1a = write_reply(app, other, t1.thread_id)
    write_reply(app, author, t1.thread_id)
    t2 = write_thread(app, author, setting_id=1, kind="example", title="Een voorbeeld uit de klas")
    write_reply(app, other, t2.thread_id)
    move_thread(app, t2.thread_id, month_start(2))
    t3 = write_thread(app, other, setting_id=2, kind="dilemma", title="Een dilemma op de groep")
    t5 = write_thread(app, other, setting_id=2, kind="question", title="Lang geleden gevraagd")
    move_thread(app, t5.thread_id, month_start(13))
    # New members' posts wait again: they count nowhere.
    set_site(app, "trust_threshold", "3")
    newcomer = users.make()
    waiting = write_thread(app, newcomer, setting_id=3, title="Wacht nog op goedkeuring")
    waiting_reply = write_reply(app, newcomer, t1.thread_id)
    assert (waiting.status, waiting_reply.status) == ("pending", "pending")

    codes = add_codes(app, ["Vertrouwen", "communicatie", "Oud", "Afgebouwd"], ("Oud", "Afgebouwd"))
    code_thread(app, t1.thread_id, codes["Vertrouwen"])
    code_thread(app, t2.thread_id, codes["Vertrouwen"])
    code_thread(app, t2.thread_id, codes["communicatie"])
    code_passage(app, t3.id, codes["Vertrouwen"])
    code_passage(app, t1.id, codes["communicatie"])
    code_passage(app, r1a.id, codes["communicatie"])
    code_passage(app, waiting_reply.id, codes["Afgebouwd"])  # waiting post: not counted
    code_thread(app, waiting.thread_id, codes["Afgebouwd"])  # waiting thread: not counted
    return {"t1": t1, "t2": t2, "t3": t3, "t5": t5}


@pytest.fixture
def researcher_client(client, researcher):
    login(client, researcher.email)
    return client


def tables(page_html: str) -> dict[str, list[list[str]]]:
    """Each table on the page by caption: header row, then rows, as text."""
    tree = lxml_html.fromstring(page_html)
    result = {}
    for table in tree.iter("table"):
        caption = table.find("caption").text_content().strip()
        rows = [
            [cell.text_content().strip() for cell in row.iter("th", "td")]
            for row in table.iter("tr")
        ]
        result[caption] = rows
    return result


def table(page_html: str, title: str) -> list[list[str]]:
    return tables(page_html)[f"De getallen: {title}"]


def test_threads_and_posts_per_werkveld_and_kind(researcher_client, forum_data):
    page = researcher_client.get(URL)
    assert page.status_code == 200
    assert table(page.text, "Gesprekken en berichten per werkveld") == [
        ["Werkveld", "Gesprekken", "Berichten"],
        ["Onderwijs", "2", "5"],
        ["Kinderopvang", "2", "2"],
        ["Wijk", "0", "0"],
    ]
    assert table(page.text, "Gesprekken en berichten per soort") == [
        ["Soort", "Gesprekken", "Berichten"],
        ["Voorbeeld", "1", "2"],
        ["Vraag", "2", "4"],
        ["Dilemma", "1", "1"],
    ]
    assert "4 goedgekeurde gesprekken" in page.text
    assert "7 goedgekeurde berichten" in page.text


def test_last_twelve_months_with_empty_months(researcher_client, forum_data):
    rows = table(researcher_client.get(URL).text, "Gesprekken en berichten per maand")
    assert rows[0] == ["Maand", "Gesprekken", "Berichten"]
    counts = [row[1:] for row in rows[1:]]
    # Oldest first, this month last; the thread of 13 months ago falls outside.
    assert len(counts) == 12
    assert counts[-1] == ["2", "4"]
    assert counts[-3] == ["1", "2"]
    assert [*counts[:-3], counts[-2]] == [["0", "0"]] * 10
    assert len({row[0] for row in rows[1:]}) == 12  # twelve different month labels


def test_last_months_cross_the_year():
    assert last_months(datetime(2026, 2, 3, tzinfo=UTC), 4) == [
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
    ]


def test_code_frequencies_and_coded_share(researcher_client, forum_data):
    page = researcher_client.get(URL).text
    # Vertrouwen: on threads 1 and 2, on a passage in thread 3. communicatie: on thread 2, on two
    # passages in thread 1. Afgebouwd is archived and only on waiting posts: not listed, nor Oud.
    assert table(page, "Hoe vaak elke code is gebruikt") == [
        ["Code", "Gesprekken", "Passages"],
        ["communicatie", "2", "2"],
        ["Vertrouwen", "3", "1"],
    ]
    assert table(page, "Gecodeerde gesprekken") == [
        ["Codering", "Gesprekken", "Aandeel"],
        ["Gecodeerd", "3", "75%"],
        ["Niet gecodeerd", "1", "25%"],
    ]
    assert "Afgebouwd" not in page
    assert "Oud" not in page


def test_archived_code_still_in_use_is_listed(app, researcher_client, forum_data):
    codes = add_codes(app, ["Gearchiveerd in gebruik"], ("Gearchiveerd in gebruik",))
    code_thread(app, forum_data["t3"].thread_id, codes["Gearchiveerd in gebruik"])
    rows = table(researcher_client.get(URL).text, "Hoe vaak elke code is gebruikt")
    assert ["Gearchiveerd in gebruik (gearchiveerd)", "1", "0"] in rows


def svg_charts(page_html: str) -> list:
    return list(lxml_html.fromstring(page_html).iter("svg"))


def test_charts_are_accessible_svg_without_style_or_script(researcher_client, forum_data):
    page = researcher_client.get(URL).text
    svgs = svg_charts(page)
    assert len(svgs) == 5
    tree = lxml_html.fromstring(page)
    for svg in svgs:
        assert svg.get("role") == "img"
        labelled_by = svg.get("aria-labelledby").split()
        title = svg.find("title")
        assert title is not None
        assert title.text.strip()
        assert labelled_by[0] == title.get("id")
        assert all(tree.get_element_by_id(ref) is not None for ref in labelled_by)
        assert svg.find("desc") is not None
        assert svg.findall("rect")
        assert svg.findall("text")
    assert not re.search(r"<svg[^>]*\sstyle=|<rect[^>]*\sstyle=|<text[^>]*\sstyle=", page)
    assert "style=" not in page
    svg_source = "".join(re.findall(r"<svg.*?</svg>", page, re.S))
    assert "<script" not in svg_source
    assert "on" + "load=" not in svg_source


def test_bars_carry_the_table_numbers(researcher_client, forum_data):
    page = researcher_client.get(URL).text
    svg = next(
        s for s in svg_charts(page) if s.find("title").text == "Hoe vaak elke code is gebruikt"
    )
    bars = [r for r in svg.findall("rect") if "chart-bar" in r.get("class")]
    values = [
        t.text_content().strip() for t in svg.findall("text") if t.get("class") == "chart-value"
    ]
    # communicatie 2 / 2, Vertrouwen 3 / 1: the numbers by the bars are the table's numbers,
    # and bar widths follow them (the largest, 3, is the full width).
    assert values == ["2", "2", "3", "1"]
    widths = [float(r.get("width")) for r in bars]
    full = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH
    assert widths == pytest.approx([full * 2 / 3, full * 2 / 3, full, full / 3], abs=0.1)


def contrast(colour: str, background: str = charts.BACKGROUND) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_chart_colours_have_enough_contrast(researcher_client, forum_data):
    assert contrast(charts.TEXT_FILL) >= 4.5
    assert all(contrast(fill) >= 3 for fill in charts.SERIES_FILLS)
    page = researcher_client.get(URL).text
    fills = set(re.findall(r'<(?:rect|text)[^>]*\sfill="(#[0-9a-f]{6})"', page))
    assert fills == {charts.TEXT_FILL, *charts.SERIES_FILLS}


def test_empty_forum_shows_zeroes(researcher_client):
    page = researcher_client.get(URL)
    assert page.status_code == 200
    assert table(page.text, "Gesprekken en berichten per werkveld")[1] == ["Onderwijs", "0", "0"]
    assert "Hier is nog niets te tellen." in page.text  # no codes yet


def test_query_count_does_not_grow_with_data(app, users, researcher_client, forum_data):
    researcher_client.get(URL)  # warm up: the first request loads things once
    with count_queries(app) as before:
        assert researcher_client.get(URL).status_code == 200
    set_site(app, "trust_threshold", "0")
    author = users.make()
    codes = add_codes(app, [f"Extra {n}" for n in range(5)])
    for n in range(6):
        ref = write_thread(app, author, setting_id=1 + n % 3, title=f"Nog een gesprek {n}")
        write_reply(app, author, ref.thread_id)
        code_thread(app, ref.thread_id, codes[f"Extra {n % 5}"])
        code_passage(app, ref.id, codes[f"Extra {(n + 1) % 5}"])
        move_thread(app, ref.thread_id, month_start(n))
    with count_queries(app) as after:
        assert researcher_client.get(URL).status_code == 200
    assert len(after) == len(before)
    grouped = [q for q in after if "GROUP BY" in q]
    assert len(grouped) >= 6


@pytest.mark.parametrize("role", [None, "member", "moderator"])
def test_only_researchers_and_admins_see_insights(client, users, role):
    if role is not None:
        person = users.make(roles=[] if role == "member" else [role])
        login(client, person.email)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("role", ["researcher", "admin"])
def test_researchers_and_admins_see_insights(client, users, role):
    login(client, users.make(roles=[role]).email)
    page = client.get(URL)
    assert page.status_code == 200
    assert "<h1>Inzichten</h1>" in page.text
