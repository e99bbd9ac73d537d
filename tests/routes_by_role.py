"""The route-by-role table: for every route, the status each kind of person gets.

One line per route (more for object-level variants). Columns, in this order:

    visitor  member  other  suspended  moderator  researcher  admin

``member`` owns the seeded member objects (their thread, waiting posts, notifications);
``other`` is another member, ``suspended`` a suspended member. A cell is a status code, or ``L``
for a redirect to the login page. ``get`` is what a GET answers, ``post`` what a POST with a
valid CSRF token (and ``data``, else only the token) answers. The test adds two rows of its own
for every route: a POST without a token is 400 for everyone (``csrf=False``: the view is
exempt), and a method a route does not take is 405.

Arguments name objects of the seeded forum (``tests/test_routes_by_role.py``, ``seed``); a value
that names none is used as it is. A new route fails the test until it has a line here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("visitor", "member", "other", "suspended", "moderator", "researcher", "admin")
OK = "200 200 200 200 200 200 200"
READERS = "L 200 200 200 200 200 200"  # signed-in people read; visitors log in first
MEMBERS = READERS  # any signed-in person
STAFF = "L 403 403 403 200 403 200"  # moderators (and admins); others are told why
ADMINS = "L 403 403 403 403 403 200"
RESEARCH = "404 404 404 404 404 200 200"  # research pages do not exist for anyone else


@dataclass(frozen=True)
class Row:
    endpoint: str
    args: str = ""  # "post_id=waiting_post action=omhoog"
    get: str | None = None
    post: str | None = None
    data: dict[str, str] = field(default_factory=dict)  # values may name seeded objects
    query: str = ""
    csrf: bool = True
    last: bool = False  # ends the session (log out): run after every other request
    label: str = ""

    def expected(self, method: str, role: str) -> str:
        cells = (self.get if method == "GET" else self.post or "").split()
        assert len(cells) == len(ROLES), f"{self.endpoint} {method}: {len(cells)} cells"
        return cells[ROLES.index(role)]


def rows() -> list[Row]:
    return [*PUBLIC, *ACCOUNTS, *DISCUSSIONS, *NOTIFICATIONS, *MODERATION, *ADMIN, *RESEARCH_ROWS]


PUBLIC = [
    Row("discussions.home", get=OK),
    Row("core.index", get=OK),
    Row("core.page", "page=privacy", get=OK),
    Row("core.healthz", get=OK),
    Row("observability.readyz", get=OK),
    # The test client comes from 127.0.0.1, inside the default FORUM_METRICS_NETWORKS.
    Row("observability.metrics", get=OK),
    Row("static", "filename=css/forum.css", get=OK),
    Row("search.results", get=READERS, query="q=ouders"),
    Row("harvest.index", get=READERS),
    Row("harvest.show", "harvest_id=published_harvest", get=READERS),
    Row(
        "harvest.show",
        "harvest_id=draft_harvest",
        get="L 404 404 404 404 200 200",
        label="a draft: only researchers see it before it is published",
    ),
    Row("interest.signup", get=OK, post="400 400 400 400 400 400 400"),
    Row("interest.thanks", get=OK),
    Row("reports.removal_request", get=OK, post="400 400 400 400 400 400 400"),
    Row("reports.removal_received", get=OK),
    Row("unsubscribe.confirm", "token=unsubscribe_token", get=OK),
    Row("unsubscribe.stop", "token=unsubscribe_token", post=OK, csrf=False),
    Row("unsubscribe.confirm", "token=nonsense", get="404 " * 7, label="bad token"),
]

ACCOUNTS = [
    Row("accounts.register", get="200 302 302 302 302 302 302", post="400 302 302 302 302 302 302"),
    Row("accounts.verify", "token=verify_token", get=OK, post="L 302 302 302 302 302 302"),
    Row("accounts.verify", "token=nonsense", get="404 " * 7, post="400 " * 7, label="bad token"),
    Row("accounts.resend_verification", post="L 302 302 302 302 302 302"),
    Row("accounts.login", get="200 302 302 302 302 302 302", post="400 302 302 302 302 302 302"),
    Row("accounts.logout", post="302 " * 7, last=True),
    Row("accounts.reset_request", get=OK, post="400 " * 7),
    Row("accounts.reset", "token=reset_token", get=OK, post="400 " * 7),
    Row("accounts.reset", "token=nonsense", get="404 " * 7, post="404 " * 7, label="bad token"),
    Row("accounts.profile", get=MEMBERS, post="L 400 400 400 400 400 400"),
    Row("accounts.change_password", get=MEMBERS, post="L 400 400 400 400 400 400"),
    Row("accounts.choose_language", get="302 " * 7, query="lang=en"),
    Row("accounts.set_language", post="302 " * 7, data={"lang": "en"}),
    # Two-factor sign-in. The code step exists only while a sign-in waits for its code: anyone
    # else is sent to the login page. Staff have it on (the factory sets it up), so setting it up
    # again sends them to the overview; members without it are sent there from renew and disable.
    # A POST without the code and password is a form error (400).
    Row("accounts.twofactor.overview", get=MEMBERS),
    Row(
        "accounts.twofactor.setup",
        get="L 200 200 200 302 302 302",
        post="L 400 400 400 302 302 302",
    ),
    Row("accounts.twofactor.code", get="L " * 7, post="L " * 7),
    Row("accounts.twofactor.cancel", post="L " * 7),
    Row(
        "accounts.twofactor.renew",
        get="L 302 302 302 200 200 200",
        post="L 302 302 302 400 400 400",
    ),
    Row(
        "accounts.twofactor.disable",
        get="L 302 302 302 200 200 200",
        post="L 302 302 302 400 400 400",
    ),
    # Privacy rights: one's own data, one's own account.
    Row("accounts.download.page", get=MEMBERS),
    Row("accounts.download.ask", post="L 303 303 303 303 303 303"),
    Row(
        "accounts.download.file",
        "token=download_token",
        get="L 200 404 404 404 404 404",
        label="the member's own download: nobody else's link",
    ),
    Row("accounts.download.file", "token=nonsense", get="L 404 404 404 404 404 404", label="bad"),
    # The only admin cannot delete their own account (403); without the password: 400.
    Row(
        "account_deletion.delete_own",
        get="L 200 200 200 200 200 403",
        post="L 400 400 400 400 400 403",
    ),
    Row("consent.history", get=MEMBERS),
    Row("consent.all_posts", post="L 400 400 400 400 400 400"),
    Row("consent.post_consent", "post_id=opening", post="404 400 404 404 404 404 404"),
]

# Writing: members write, the suspended member is told why not; only authors edit and delete.
DISCUSSIONS = [
    Row("discussions.setting", "slug=school", get=READERS),
    Row("discussions.thread", "thread_id=thread", get=READERS),
    Row(
        "discussions.thread",
        "thread_id=waiting_thread",
        get="L 200 404 404 200 404 200",
        label="someone else's waiting thread",
    ),
    Row("discussions.newest", "thread_id=thread", get="L 302 302 302 302 302 302"),
    Row("discussions.first_unread", "thread_id=thread", get="L 302 302 302 302 302 302"),
    Row("discussions.show_post", "post_id=opening", get="L 302 302 302 302 302 302"),
    Row(
        "discussions.show_post",
        "post_id=waiting_post",
        get="L 302 404 404 302 404 302",
        label="someone else's waiting post",
    ),
    Row("discussions.show_post", "post_id=hidden_post", get="L 302 302 302 302 302 302"),
    Row(
        "discussions.new_thread", get="L 200 200 403 200 200 200", post="L 400 400 403 400 400 400"
    ),
    Row("discussions.reply", "thread_id=thread", post="L 400 400 403 400 400 400"),
    Row(
        "discussions.reply",
        "thread_id=waiting_thread",
        post="L 403 404 404 403 404 403",
        label="a waiting thread",
    ),
    Row(
        "discussions.edit_post",
        "post_id=opening",
        get="L 200 403 403 403 403 403",
        post="L 400 403 403 403 403 403",
    ),
    Row(
        "discussions.edit_post",
        "post_id=waiting_post",
        get="L 200 404 403 403 404 403",
        post="L 400 404 403 403 404 403",
        label="someone else's waiting post",
    ),
    Row("discussions.delete_post", "post_id=deletable_post", post="L 302 404 404 403 404 403"),
    Row("discussions.reveal_author", "post_id=anonymous_post", post="L 403 403 403 302 403 302"),
    Row(
        "discussions.reveal_author",
        "post_id=reply",
        post="L 403 403 403 404 403 404",
        label="a post with a name",
    ),
    Row(
        "reports.report_post",
        "post_id=reply",  # other's post: its author cannot bring it forward, nor a suspended member
        get="L 200 403 403 200 200 200",
        post="L 400 403 403 400 400 400",
    ),
    Row("reports.reported", "post_id=reported_post", get="L 200 404 404 404 404 404"),
]

NOTIFICATIONS = [
    Row("notifications.index", get=MEMBERS),
    Row("notifications.mark_read", post="L 302 302 302 302 302 302"),
    Row("notifications.settings", get=MEMBERS, post="L 400 400 400 400 400 400"),
    Row("notifications.follow_thread", "thread_id=thread", post="L 302 302 302 302 302 302"),
    Row(
        "notifications.follow_thread",
        "thread_id=waiting_thread",
        post="L 302 404 404 302 404 302",
        label="someone else's waiting thread",
    ),
    Row("notifications.unfollow_thread", "thread_id=thread", post="L 302 302 302 302 302 302"),
    Row(
        "notifications.read_thread",
        "thread_id=thread",
        post="L 302 302 302 302 302 302",
        data={"bericht": "reply"},
    ),
    Row(
        "notifications.read_thread",
        "thread_id=thread",
        post="L 302 404 404 302 404 302",
        data={"bericht": "waiting_post"},
        label="read up to someone else's waiting post",
    ),
    Row("notifications.follow_setting", "slug=school", post="L 302 302 302 302 302 302"),
    Row("notifications.unfollow_setting", "slug=school", post="L 302 302 302 302 302 302"),
]

_QUEUE_POST = "L 403 403 403 400 403 400"  # an empty form is a form error for moderators
_DONE = "L 403 403 403 302 403 302"
MODERATION = [
    Row("moderation.queue", get=STAFF),
    Row("moderation.item", "post_id=waiting_post", get=STAFF),
    Row("moderation.approve", "post_id=pending_a", post=_DONE),
    Row("moderation.approve_and_trust", "post_id=pending_b", post=_DONE),
    Row("moderation.edit_and_approve", "post_id=waiting_post", post=_QUEUE_POST),
    Row("moderation.return_post", "post_id=waiting_post", post=_QUEUE_POST),
    Row("moderation.reject", "post_id=waiting_post", post=_QUEUE_POST),
    Row("moderation.redact", "post_id=reply", post=_QUEUE_POST),
    Row("moderation.approve_edit", "post_id=spare_edited_post edit_id=spare_edit", post=_DONE),
    Row("moderation.reject_edit", "post_id=edited_post edit_id=pending_edit", post=_QUEUE_POST),
    Row("moderation.findings.mark", "post_id=waiting_post", post="L 403 403 403 400 403 400"),
    Row("moderation.findings.undo", "decision_id=999999", post=_DONE, label="already undone"),
    Row("moderation.findings.review", get=STAFF),
    Row("moderation.findings.download", get=STAFF),
    Row("moderation.rejection_templates", get=ADMINS, post="L 403 403 403 403 403 400"),
    Row(
        "moderation.rejection_template",
        "template_id=template",
        get=ADMINS,
        post="L 403 403 403 403 403 400",
    ),
    Row(
        "moderation.delete_rejection_template",
        "template_id=spare_template",
        post="L 403 403 403 403 403 302",
    ),
    Row("moderation_actions.lock_thread", "thread_id=managed_thread", post=_DONE),
    Row("moderation_actions.unlock_thread", "thread_id=managed_thread", post=_DONE),
    Row("moderation_actions.pin_thread", "thread_id=managed_thread", post=_DONE),
    Row("moderation_actions.unpin_thread", "thread_id=managed_thread", post=_DONE),
    Row("moderation_actions.move_thread", "thread_id=managed_thread", get=STAFF, post=_QUEUE_POST),
    Row("moderation_actions.hide_post", "post_id=reply", get=STAFF, post=_QUEUE_POST),
    Row("moderation_actions.restore_post", "post_id=hidden_post", post=_DONE),
    Row("moderation_actions.person", "user_id=target", get=STAFF),
    Row("moderation_actions.suspend", "user_id=target", post=_QUEUE_POST),
    Row("moderation_actions.unsuspend", "user_id=target", post=_DONE),
    Row("moderation_actions.always_moderate", "user_id=target", post=_DONE),
    Row(
        "moderation_actions.suspend",
        "user_id=admin",
        post="L 403 403 403 403 403 403",
        label="staff, by a moderator, or yourself",
    ),
    Row("reports.reports", get=STAFF),
    Row("reports.decide", "post_id=reported_post", post=_DONE),
    Row("reports.removal_requests", get=STAFF),
    Row("reports.decide_removal", "request_id=removal_request", post=_DONE),
]

_ADMIN_DONE = "L 403 403 403 403 403 302"
_ADMIN_FORM = "L 403 403 403 403 403 400"
ADMIN = [
    Row("admin.people", get=ADMINS),
    Row("admin.person", "user_id=target", get=ADMINS, post=_ADMIN_DONE),
    Row("admin.delete_person", "user_id=target", get=ADMINS, post="L 403 403 403 403 403 400"),
    Row("admin.approve", "user_id=applicant", post=_ADMIN_DONE),
    Row("admin.reset_two_factor", "user_id=target", post=_ADMIN_FORM),
    Row("admin.reset_two_factor", "user_id=target", post=_ADMIN_DONE, data={"reason": "kwijt"}),
    Row("admin.invite", post=_ADMIN_DONE),
    Row("admin.settings", get=ADMINS, post=_ADMIN_FORM),
    Row("admin.audit_log", get=ADMINS),
    Row("werkvelden.index", get=ADMINS, post=_ADMIN_FORM),
    Row("werkvelden.premoderation", "setting_id=3", post=_ADMIN_DONE),
    Row("werkvelden.rename", "setting_id=3", post=_ADMIN_DONE),
    Row("werkvelden.change", "setting_id=3 action=omlaag", post=_ADMIN_DONE),
    Row("moderation_settings.watched_words", get=ADMINS, post=_ADMIN_FORM),
    Row("moderation_settings.delete_watched_word", "word_id=watched_word", post=_ADMIN_DONE),
]

_R_DONE = "404 404 404 404 404 302 302"
_R_FORM = "404 404 404 404 404 400 400"
RESEARCH_ROWS = [
    Row("research.codes", get=RESEARCH),
    Row("research.load_starters", post=_R_DONE),
    Row("research.code_new", get=RESEARCH, post=_R_FORM),
    Row("research.code", "code_id=code", get=RESEARCH),
    Row("research.code_edit", "code_id=code", get=RESEARCH, post=_R_FORM),
    Row("research.code_archive", "code_id=spare_code action=archiveren", post=_R_DONE),
    Row("research.code_delete", "code_id=unused_code", post=_R_DONE),
    Row("research.code_memo", "code_id=code", post=_R_FORM),
    Row("research.threads", get=RESEARCH),
    Row("research.thread", "thread_id=thread", get=RESEARCH),
    Row("research.thread_code", "thread_id=thread", post=_R_FORM),
    Row("research.thread_uncode", "thread_id=thread coding_id=thread_coding", post=_R_DONE),
    Row("research.thread_memo", "thread_id=thread", post=_R_FORM),
    Row("research.passage_code", "post_id=consenting_post", post=_R_FORM),
    Row("research.passage_uncode", "passage_id=spare_passage", post=_R_DONE),
    Row("research.passage_memo", "passage_id=passage", post=_R_FORM),
    Row("research.memo_edit", "memo_id=memo", post="404 404 404 404 404 400 404"),
    Row(
        "research.memo_edit",
        "memo_id=memo_of_other_researcher",
        post="404 404 404 404 404 404 404",
        label="another researcher's memo",
    ),
    Row("research_exports.projects", get=RESEARCH),
    Row("research_exports.project_new", get=RESEARCH, post=_R_FORM),
    Row("research_exports.project", "project_id=project", get=RESEARCH),
    # Fields left out of a POST keep the project's values: a valid form, saved unchanged.
    Row("research_exports.project_edit", "project_id=project", get=RESEARCH, post=_R_DONE),
    Row("research_exports.export", "project_id=project", post=_R_DONE),
    # No such background export (never made, or purged): researchers are sent back to the page.
    Row(
        "research_exports.job_file",
        "project_id=project job_id=999999",
        get="404 404 404 404 404 303 303",
    ),
    Row("research_exports.exports", get=RESEARCH),
    Row("research_codebook.export_qdc", get=RESEARCH),
    Row("research_codebook.import_qdc", get=RESEARCH, post=_R_FORM),
    # Approving linked anonymous posts is for admins only; a researcher is told no (403).
    Row(
        "research_linkage.decide",
        "project_id=project",
        post="404 404 404 404 404 403 302",
        data={"decision": "goedkeuren", "reason": "Longitudinale analyse per deelnemer"},
    ),
    Row("harvest.insights", get=RESEARCH),
    Row("harvest.manage", get=RESEARCH),
    Row("harvest.new", get=RESEARCH, post=_R_FORM),
    Row("harvest.edit", "harvest_id=draft_harvest", get=RESEARCH, post=_R_FORM),
    Row("harvest.publish", "harvest_id=spare_harvest", post=_R_DONE),
    Row("interest.entries", get=RESEARCH),
    Row("interest.export", get=RESEARCH),
    Row("interest.mark_contacted", "entry_id=spare_entry", post=_R_DONE),
    Row("interest.remove", "entry_id=entry", get=RESEARCH, post=_R_FORM),
]
