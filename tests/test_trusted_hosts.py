"""FORUM_TRUSTED_HOSTS: a forged Host header gets a short 400, on every kind of page; the
forum's own host name is served as usual."""

from __future__ import annotations

import pytest

PAGES = ["/", "/healthz", "/account/inloggen", "/zoeken?q=ouders", "/static/css/forum.css"]


@pytest.fixture
def trusted(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["forum.example.org"])
    return app


@pytest.mark.parametrize("path", PAGES)
def test_a_host_outside_the_list_is_refused_with_a_400(trusted, path):
    answer = trusted.test_client().get(path, headers={"Host": "evil.example.com"})
    assert answer.status_code == 400
    assert "Dat ging niet goed" in answer.text
    assert "evil.example.com" not in answer.text  # nothing built on the forged name


def test_a_form_post_to_a_forged_host_is_refused_too(trusted):
    answer = trusted.test_client().post(
        "/account/inloggen", data={"email": "a@example.org"}, headers={"Host": "evil.example.com"}
    )
    assert answer.status_code == 400


def test_the_forums_own_host_is_served(trusted):
    answer = trusted.test_client().get("/account/inloggen", headers={"Host": "forum.example.org"})
    assert answer.status_code == 200
    assert 'name="password"' in answer.text
