"""/metrics: hidden (404) from outside the allowed networks without the token; counts requests
per endpoint; shows the moderation queue, the unsent mails and the privacy check's time."""

from __future__ import annotations

import pytest

from forum.db import db
from forum.notifications import outbox
from tests.helpers import set_site, write_reply, write_thread
from tests.observability.support import make_app_factory, samples

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}
HOME = 'forum_http_requests_total{endpoint="discussions.home",method="GET",status="200"}'


@pytest.fixture
def make_app(app, monkeypatch):
    yield from make_app_factory(app, monkeypatch)


def scrape(client, **kwargs) -> dict[str, float]:
    answer = client.get("/metrics", **kwargs)
    assert answer.status_code == 200
    assert answer.content_type.startswith("text/plain")
    return samples(answer.text)


def test_hidden_from_outside_without_the_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_METRICS_TOKEN", "geheim-token-voor-prometheus")
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 404
    wrong = {"Authorization": "Bearer een-ander-token"}
    assert client.get("/metrics", environ_base=OUTSIDE, headers=wrong).status_code == 404
    right = {"Authorization": "Bearer geheim-token-voor-prometheus"}
    assert client.get("/metrics", environ_base=OUTSIDE, headers=right).status_code == 200
    assert client.get("/metrics").status_code == 200  # 127.0.0.1 is in the default networks


def test_no_token_configured_means_no_bearer_way_in(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "FORUM_METRICS_TOKEN", "")
    empty = {"Authorization": "Bearer "}
    assert client.get("/metrics", environ_base=OUTSIDE, headers=empty).status_code == 404


def test_networks_are_configurable_and_a_proxy_address_does_not_count(make_app):
    inside = make_app(env={"FORUM_METRICS_NETWORKS": "10.0.0.0/8, 2001:db8::/32"})
    client = inside.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "2001:db8::7"}).status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 no longer listed
    mapped = {"REMOTE_ADDR": "::ffff:10.9.8.7"}  # an IPv4 client of a server bound to [::]
    assert client.get("/metrics", environ_base=mapped).status_code == 200
    # Behind one proxy (on 127.0.0.1) the client's own address decides, not the proxy's.
    local = {"FORUM_METRICS_NETWORKS": "127.0.0.1/32"}
    proxied = make_app(env=local, FORUM_PROXY_HOPS=1).test_client()
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert proxied.get("/metrics", headers=forwarded).status_code == 404
    assert proxied.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200


def test_a_wrong_network_stops_the_start(make_app):
    with pytest.raises(ValueError, match="FORUM_METRICS_NETWORKS"):
        make_app(env={"FORUM_METRICS_NETWORKS": "10.0.0.0/33"})


def test_requests_are_counted_per_endpoint(client):
    before = scrape(client).get(HOME, 0)
    for _ in range(3):
        assert client.get("/").status_code == 200
    after = scrape(client)
    assert after[HOME] == before + 3
    latency = 'forum_http_request_duration_seconds_count{endpoint="discussions.home"}'
    assert after[latency] >= 3
    client.open("/", method="BREW")  # a made-up method is one "other" series, not a new one
    methods = {key.split('method="')[1].split('"')[0] for key in scrape(client) if "method=" in key}
    assert "BREW" not in methods
    assert "other" in methods


def test_the_queue_the_outbox_and_the_privacy_check_are_shown(app, client, users):
    first = scrape(client)
    assert first["forum_moderation_queue_waiting"] == 0
    assert first["forum_outbox_unsent"] == 0
    assert first["forum_database_up"] == 1

    set_site(app, "trust_threshold", "5")  # a newcomer's posts wait for a moderator
    opening = write_thread(app, users.make(name="Nieuwe Nina"))
    reply = write_reply(app, users.make(name="Nieuwe Noor"), opening.thread_id)
    assert (opening.status, reply.status) == ("pending", "pending")
    with app.app_context():  # queued outside a request: it stays unsent
        outbox.enqueue("iemand@example.org", "Welkom", "Welkom op Dorpsplein.")
        db.session.commit()
        db.session.remove()

    second = scrape(client)
    assert second["forum_moderation_queue_waiting"] == 2
    assert second["forum_outbox_unsent"] == 1
    checks = "forum_privacy_check_seconds_count"
    assert second[checks] >= first.get(checks, 0) + 2  # the opening post and the reply


def test_while_the_database_is_away_the_counts_still_answer(make_app):
    broken = make_app(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-directory/dorpsplein/f.db")
    client = broken.test_client()
    assert client.get("/healthz").status_code == 503
    found = scrape(client)
    assert found["forum_database_up"] == 0
    assert "forum_moderation_queue_waiting" not in found
    assert 'forum_http_requests_total{endpoint="core.healthz",method="GET",status="503"}' in found
