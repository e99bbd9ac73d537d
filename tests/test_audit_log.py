"""The audit log reads in words: every action and target type the code records has a label
(found by reading every ``audit.record(...)`` call in ``forum/``), details are a definition list
with names and dates instead of JSON, and the page shows no more than the log keeps."""

from __future__ import annotations

import ast
import enum
import html
import importlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from forum.admin.audit_labels import ACTION_LABELS, TARGET_LABELS
from forum.audit import AuditEntry
from forum.db import db
from forum.research.models import Code, ResearchProject
from tests.helpers import count_queries, login, set_site, submit, write_reply, write_thread

FORUM = Path(__file__).resolve().parent.parent / "forum"
# "open" is where a report or removal request starts, never an outcome that is recorded.
NEVER_RECORDED = {"reports.open", "removal_request.open"}


class Unreadable(Exception):
    """An ``audit.record`` whose action this test cannot work out: write it as a literal, a
    conditional of literals or a module constant, or teach ``values`` the new form."""


def enclosing_functions(tree: ast.AST) -> dict[ast.AST, ast.FunctionDef | None]:
    owner: dict[ast.AST, ast.FunctionDef | None] = {}

    def visit(node: ast.AST, function: ast.FunctionDef | None) -> None:
        for child in ast.iter_child_nodes(node):
            owner[child] = function
            inner = child if isinstance(child, ast.FunctionDef) else function
            visit(child, inner)

    visit(tree, None)
    return owner


class ModuleReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.module = ".".join(path.relative_to(FORUM.parent).with_suffix("").parts)
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.owner = enclosing_functions(self.tree)
        self.constants = {
            target.id: node.value
            for node in self.tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(FORUM.parent)}:{getattr(node, 'lineno', '?')}"

    def values(self, node: ast.expr, function: ast.FunctionDef | None) -> set[str]:
        """Every string ``node`` can be when the code runs."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, function) | self.values(node.orelse, function)
        if isinstance(node, ast.JoinedStr):
            return self.formatted(node, function)
        if isinstance(node, ast.Name):
            return self.name(node, function)
        raise Unreadable(self.where(node))

    def name(self, node: ast.Name, function: ast.FunctionDef | None) -> set[str]:
        if function is not None:
            assigned = [
                sub.value
                for sub in ast.walk(function)
                if isinstance(sub, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in sub.targets)
            ]
            if assigned:
                return set().union(*(self.values(value, function) for value in assigned))
            params = [arg.arg for arg in function.args.args]
            if node.id in params:
                return self.from_callers(function, params.index(node.id), node.id)
        if node.id in self.constants:
            return self.values(self.constants[node.id], None)
        raise Unreadable(self.where(node))

    def from_callers(self, function: ast.FunctionDef, index: int, name: str) -> set[str]:
        """A parameter: what every caller in the module passes for it."""
        found: set[str] = set()
        for call in ast.walk(self.tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == function.name:
                given = [k.value for k in call.keywords if k.arg == name]
                given += call.args[index : index + 1]
                for value in given:
                    found |= self.values(value, self.owner.get(call))
        if not found:
            raise Unreadable(self.where(function))
        return found

    def formatted(self, node: ast.JoinedStr, function: ast.FunctionDef | None) -> set[str]:
        """``f"reports.{outcome.value}"``: every value of the parameter's enum annotation."""
        if len(node.values) != 2 or function is None:
            raise Unreadable(self.where(node))
        prefix, hole = node.values
        expr = getattr(hole, "value", None)
        if not (
            isinstance(prefix, ast.Constant)
            and isinstance(expr, ast.Attribute)
            and expr.attr == "value"
            and isinstance(expr.value, ast.Name)
        ):
            raise Unreadable(self.where(node))
        annotation = next(
            (arg.annotation for arg in function.args.args if arg.arg == expr.value.id), None
        )
        enum_class = getattr(importlib.import_module(self.module), getattr(annotation, "id", ""))
        if not (isinstance(enum_class, type) and issubclass(enum_class, enum.Enum)):
            raise Unreadable(self.where(node))
        return {f"{prefix.value}{member.value}" for member in enum_class} - NEVER_RECORDED

    def recorded(self) -> list[tuple[set[str], set[str], str]]:
        """(actions, target types, place) of every ``audit.record(...)`` call."""
        calls = []
        for node in ast.walk(self.tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and getattr(node.func.value, "id", None) == "audit"
            ):
                continue
            arguments = dict(zip(("actor", "action", "target_type"), node.args, strict=False))
            arguments |= {k.arg: k.value for k in node.keywords if k.arg}
            function = self.owner.get(node)
            actions = self.values(arguments["action"], function)
            targets = self.values(arguments["target_type"], function)
            calls.append((actions, targets, self.where(node)))
        return calls


def recorded_everywhere() -> list[tuple[set[str], set[str], str]]:
    found = []
    for path in sorted(FORUM.rglob("*.py")):
        if "audit.record(" in path.read_text(encoding="utf-8"):
            found += ModuleReader(path).recorded()
    return found


def test_every_recorded_action_and_target_type_has_a_label():
    calls = recorded_everywhere()
    assert len(calls) > 50  # the reader found the calls (a broken reader finds none)
    missing_actions = sorted(
        f"{action} ({where})" for actions, _t, where in calls for action in actions
        if action not in ACTION_LABELS
    )  # fmt: skip
    missing_targets = sorted(
        f"{target} ({where})" for _a, targets, where in calls for target in targets
        if target not in TARGET_LABELS
    )  # fmt: skip
    assert (missing_actions, missing_targets) == ([], [])


def test_the_reader_follows_constants_conditionals_parameters_and_enums():
    calls = recorded_everywhere()
    actions = set().union(*(actions for actions, _t, _w in calls))
    expected = {
        "thread.locked",  # a conditional
        "thread.unlocked",
        "post.hidden_by_reports",  # a parameter, from its caller's module constant
        "post.hidden_by_removal_request",  # a module constant
        "reports.dismissed",  # an f-string over an enum
        "removal_request.restored",
        "code.unarchived",  # a local variable
    }
    assert expected <= actions


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(app, client, admin):
    login(client, admin.email)
    return client


def add_entries(app, *entries: AuditEntry) -> None:
    with app.app_context():
        db.session.add_all(entries)
        db.session.commit()
        db.session.remove()


def test_details_read_as_words_not_json(app, admin_client, admin, member):
    submit(admin_client, f"/beheer/mensen/{member.id}", {"roles": "researcher", "reason": "NJi"})
    data = {"registration_mode": "invite", "public_read": "1", "reason": "Pilot"}
    submit(admin_client, "/beheer/instellingen", data)
    with app.app_context():
        code = Code(name="Vertrouwen")
        project = ResearchProject(name="Ouders betrekken", question="Hoe?", criteria={})
        project.created_at = datetime(2026, 12, 1, tzinfo=UTC)
        db.session.add_all([code, project])
        db.session.commit()
        code_id, project_id = code.id, project.id
        db.session.remove()
    add_entries(
        app,
        AuditEntry(
            actor_id=admin.id,
            action="thread.moved",
            target_type="thread",
            target_id=4,
            data={"from": "school", "to": "childcare"},
        ),
        AuditEntry(
            actor_id=admin.id,
            action="research_export.created",
            target_type="research_export",
            target_id=1,
            data={
                "project_id": project_id,
                "format": "qdpx",
                "counts": {"threads": 2, "posts": 4},
                "file_hash": "ab12",
            },
        ),
        AuditEntry(
            actor_id=admin.id,
            action="coding.thread_removed",
            target_type="thread",
            target_id=4,
            data={
                "code_id": code_id,
                "coder_id": admin.id,
                "coded_at": "2026-12-02T12:00:00+00:00",
            },
        ),
        AuditEntry(
            actor_id=admin.id,
            action="research_project.created",
            target_type="research_project",
            target_id=project_id,
            data={"period_start": "2026-01-01", "period_end": None, "kinds": ["dilemma"]},
        ),
        AuditEntry(
            actor_id=None,
            action="iets.nieuws",
            target_type="site",
            data={"nieuw_veld": True, "lijst": [1, 2]},
        ),
    )
    page = admin_client.get("/beheer/logboek")
    assert page.status_code == 200
    text = page.text
    shown = html.unescape(re.sub(r"<[^>]+>", " ", text))  # what a person reads
    for raw in ('{"', '":', "research_export.created", "thread.moved", "coder_id", "childcare"):
        assert raw not in shown, raw
    for words in (
        "Onderzoeksexport gemaakt",
        "<dt>Van werkveld</dt>",
        "<dd>Onderwijs</dd>",
        "<dd>Kinderopvang</dd>",
        "<dt>Rollen erbij</dt>",
        "<dd>Onderzoeker</dd>",
        "<dt>Aanmelden</dt>",
        "<dd>Open: iedereen kan zich aanmelden → Alleen op uitnodiging</dd>",
        "<dd>Alleen leden (ingelogd) → Iedereen, ook zonder account</dd>",
        "<dd>Ouders betrekken</dd>",
        "<dd>REFI-QDA (.qdpx)</dd>",
        "<dd>gesprekken: 2, bijdragen: 4</dd>",
        "<dd>Vertrouwen</dd>",
        f'<a href="/beheer/mensen/{admin.id}">Beheerder Bea</a>',
        "<dd>2 dec",  # the site's one date format, in the site's time zone
        "2026, 13:00</dd>",
        "<dd>1 jan",
        "<dd>tot nu</dd>",
        "<dd>Dilemma</dd>",
        "<dt>Nieuw veld</dt>",  # unknown keys still show, readably
        "<dd>ja</dd>",
        "<dd>1, 2</dd>",
        "<code>iets.nieuws</code>",  # an action without a label shows its raw name
    ):
        assert words in text, words


def test_the_page_shows_no_more_than_the_log_keeps(app, admin_client, users):
    set_site(app, "trust_threshold", "0")
    author = users.make(email="schrijver@example.org", name="Schrijver Sam")
    opening = write_thread(app, author)
    reply = write_reply(app, author, opening.thread_id)
    assert reply.status == "approved"
    visitor = app.test_client()
    reason, contact = "Dit gaat over mijn zoon Tim.", "ouder.tim@example.org"
    data = {"post": str(reply.id), "reason": reason, "contact": contact}
    assert submit(visitor, "/verwijderverzoek", data).status_code == 302
    text = admin_client.get("/beheer/logboek").text
    assert "Bericht verborgen na verzoek tot verwijdering" in text
    assert f'href="/bericht/{reply.id}"' in text
    for private in (reason, contact, "Tim", "Schrijver Sam"):
        assert private not in text


def test_the_number_of_queries_does_not_grow_with_entries(app, admin_client, admin):
    def entries(count: int) -> list[AuditEntry]:
        return [
            AuditEntry(
                actor_id=admin.id,
                action="coding.thread_added",
                target_type="thread",
                target_id=n,
                data={"code_id": n, "coder_id": admin.id, "from": "school", "project_id": n},
            )
            for n in range(count)
        ]

    add_entries(app, *entries(2))
    admin_client.get("/beheer/logboek")  # warm up
    with count_queries(app) as few:
        admin_client.get("/beheer/logboek")
    add_entries(app, *entries(30))
    with count_queries(app) as many:
        assert admin_client.get("/beheer/logboek").text.count("Gesprek gecodeerd") >= 32
    assert len(few) == len(many), many


def test_labels_follow_the_language(app, admin_client, admin):
    add_entries(
        app,
        AuditEntry(
            actor_id=admin.id,
            action="thread.moved",
            target_type="thread",
            target_id=4,
            data={"from": "school", "to": "childcare"},
        ),
    )
    data = {"lang": "en", "next": "/beheer/logboek"}
    answer = submit(admin_client, "/account/taal", data, form_url="/beheer/logboek")
    assert answer.status_code == 302
    english = admin_client.get("/beheer/logboek").text
    assert "<dd>Education</dd>" in english
    assert "<dd>Childcare</dd>" in english
