"""Research projects through the real forms: create, show, edit, validation, audit."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from forum.audit import AuditEntry
from forum.db import db
from forum.research.models import Code, ResearchProject
from tests.helpers import login, submit
from tests.test_exports import new_project


def project_row(app, project_id: int) -> ResearchProject:
    with app.app_context():
        project = db.session.get(ResearchProject, project_id)
        db.session.expunge(project)
        db.session.remove()
    return project


def add_code(app, name: str) -> int:
    with app.app_context():
        code = Code(name=name)
        db.session.add(code)
        db.session.commit()
        code_id = code.id
        db.session.remove()
    return code_id


def test_researcher_creates_project_with_criteria(app, client, researcher):
    trust = add_code(app, "Vertrouwen")
    login(client, researcher.email)
    assert "Vertrouwen" in client.get("/onderzoek/projecten/nieuw").text
    project_id = new_project(
        client,
        name="Overgangen",
        question="Hoe verloopt de overgang van opvang naar school?",
        period_start="2026-01-01",
        period_end="2026-06-30",
        settings=["1", "2"],
        kinds=["question", "dilemma"],
        codes=[str(trust)],
    )
    project = project_row(app, project_id)
    assert (project.name, project.period_start, project.period_end) == (
        "Overgangen",
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    assert project.criteria == {
        "settings": [1, 2],
        "kinds": ["dilemma", "question"],
        "codes": [trust],
    }
    assert project.created_by_id == researcher.id
    page = client.get(f"/onderzoek/projecten/{project_id}").text
    for text in ("Overgangen", "opvang naar school", "Onderwijs, Kinderopvang", "Vertrouwen"):
        assert text in page
    assert "Overgangen" in client.get("/onderzoek/projecten").text
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "research_project.created")
        ).one()
        assert (entry.actor_id, entry.target_id) == (researcher.id, project_id)
        db.session.remove()


def test_empty_criteria_mean_everything(app, client, researcher):
    login(client, researcher.email)
    project_id = new_project(client)
    assert project_row(app, project_id).criteria == {"settings": [], "kinds": [], "codes": []}
    page = client.get(f"/onderzoek/projecten/{project_id}").text
    assert "Alle gesprekken, ongeacht de datum" in page
    assert "Geen selectie op codes" in page


def test_researcher_edits_project(app, client, researcher):
    login(client, researcher.email)
    project_id = new_project(client)
    url = f"/onderzoek/projecten/{project_id}/bewerken"
    form = client.get(url).text
    assert 'value="Ouders betrekken"' in form
    response = submit(
        client,
        url,
        {"name": "Ouders betrekken 2", "question": "Nieuwe vraag?", "kinds": ["example"]},
    )
    assert response.status_code == 302
    project = project_row(app, project_id)
    assert (project.name, project.question, project.criteria["kinds"]) == (
        "Ouders betrekken 2",
        "Nieuwe vraag?",
        ["example"],
    )
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.target_type == "research_project")
        ).all()
        assert sorted(actions) == ["research_project.changed", "research_project.created"]
        db.session.remove()


def test_invalid_project_forms_are_refused(app, client, researcher):
    login(client, researcher.email)
    url = "/onderzoek/projecten/nieuw"
    missing = submit(client, url, {"name": "", "question": ""})
    assert missing.status_code == 400
    assert "Geef het project een naam." in missing.text
    backwards = submit(
        client,
        url,
        {"name": "X", "question": "Y", "period_start": "2026-05-01", "period_end": "2026-04-01"},
    )
    assert backwards.status_code == 400
    assert "De einddatum ligt voor de begindatum." in backwards.text
    unknown = submit(client, url, {"name": "X", "question": "Y", "settings": ["999"]})
    assert unknown.status_code == 400
    bad_kind = submit(client, url, {"name": "X", "question": "Y", "kinds": ["roddel"]})
    assert bad_kind.status_code == 400
    with app.app_context():
        assert db.session.scalars(sa.select(ResearchProject)).all() == []
        db.session.remove()
    assert client.get("/onderzoek/projecten/2147483647").status_code == 404


def test_admin_reaches_projects(app, client, admin):
    login(client, admin.email)
    assert client.get("/onderzoek/projecten").status_code == 200
    project_id = new_project(client)
    assert client.get(f"/onderzoek/projecten/{project_id}").status_code == 200
