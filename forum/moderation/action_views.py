"""Moderator actions on threads, posts and people.

Each view: load → authorise (policy) → validate (form, CSRF) → act (actions) → commit → flash and
redirect back to what was acted on.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import policy
from forum.accounts.models import User
from forum.core.queries import active_settings
from forum.db import db
from forum.discussions.models import Post, PostStatus, Thread
from forum.forms import ActionForm
from forum.i18n import _
from forum.moderation import actions
from forum.moderation.action_forms import (
    AlwaysModerateForm,
    HideForm,
    MoveForm,
    SuspendForm,
    UnsuspendForm,
)
from forum.moderation.actions import ActionError, Period

bp = Blueprint("moderation_actions", __name__, url_prefix="/moderatie")


@bp.before_request
@policy.rule_required(policy.can_moderate)
def moderators_only() -> None:
    """Every page here is for moderators (and admins); visitors are sent to log in."""


def thread_or_404(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        abort(404)
    return thread


def post_or_404(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    return post


def person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    return person


def back_to_thread(thread: Thread) -> Response:
    return redirect(url_for("discussions.thread", thread_id=thread.id))


def back_to_post(post: Post) -> Response:
    return redirect(url_for("discussions.show_post", post_id=post.id))


def done(act: Callable[[], object], message: str) -> None:
    """Run the action and commit with a success message, or roll back and say why not."""
    try:
        act()
    except ActionError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash(message, "success")


# --- threads ----------------------------------------------------------------------------------


def thread_action(thread_id: int, act: Callable[[Thread], object], message: str) -> Response:
    thread = thread_or_404(thread_id)
    policy.require(policy.can_manage_thread(current_user, thread))
    if not ActionForm().validate_on_submit():
        abort(400)
    done(lambda: act(thread), message)
    return back_to_thread(thread)


@bp.post("/gesprek/<id:thread_id>/sluiten")
def lock_thread(thread_id: int) -> Response:
    return thread_action(
        thread_id,
        lambda thread: actions.set_locked(thread, current_user, True),
        _("Het gesprek is gesloten. Niemand kan nog reageren."),
    )


@bp.post("/gesprek/<id:thread_id>/openen")
def unlock_thread(thread_id: int) -> Response:
    return thread_action(
        thread_id,
        lambda thread: actions.set_locked(thread, current_user, False),
        _("Het gesprek is weer open."),
    )


@bp.post("/gesprek/<id:thread_id>/vastzetten")
def pin_thread(thread_id: int) -> Response:
    return thread_action(
        thread_id,
        lambda thread: actions.set_pinned(thread, current_user, True),
        _("Het gesprek staat nu bovenaan in het werkveld."),
    )


@bp.post("/gesprek/<id:thread_id>/losmaken")
def unpin_thread(thread_id: int) -> Response:
    return thread_action(
        thread_id,
        lambda thread: actions.set_pinned(thread, current_user, False),
        _("Het gesprek staat niet meer vast bovenaan."),
    )


@bp.route("/gesprek/<id:thread_id>/verplaatsen", methods=["GET", "POST"])
def move_thread(thread_id: int) -> str | Response:
    thread = thread_or_404(thread_id)
    policy.require(policy.can_manage_thread(current_user, thread))
    targets = {s.id: s for s in active_settings() if s.id != thread.setting_id}
    form = MoveForm()
    form.setting.choices = [(s.id, s.name_nl) for s in targets.values()]
    if form.validate_on_submit():
        target = targets[form.setting.data]
        done(
            lambda: actions.move_thread(thread, target, current_user, form.reason.data or ""),
            _("Het gesprek staat nu in %(setting)s.", setting=target.name_nl),
        )
        return back_to_thread(thread)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "moderation/actions/move.html", thread=thread, form=form, has_targets=bool(targets)
    ), status


# --- posts ------------------------------------------------------------------------------------


def already(post: Post, status: PostStatus) -> Response | None:
    """The post already has the status this action would give it: say who did it."""
    if post.status is not status:
        return None
    flash(actions.AlreadyHandled(post).message, "info")
    return back_to_post(post)


@bp.route("/bericht/<id:post_id>/verbergen", methods=["GET", "POST"])
def hide_post(post_id: int) -> str | Response:
    post = post_or_404(post_id)
    if (answer := already(post, PostStatus.HIDDEN)) is not None:
        return answer
    policy.require(policy.can_hide_post(current_user, post))
    form = HideForm()
    if form.validate_on_submit():
        done(
            lambda: actions.hide_post(post, current_user, form.reason.data),
            _("Het bericht is verborgen. De schrijver krijgt de reden te zien."),
        )
        return back_to_post(post)
    status = 400 if form.is_submitted() else 200
    return render_template("moderation/actions/hide.html", post=post, form=form), status


@bp.post("/bericht/<id:post_id>/terugzetten")
def restore_post(post_id: int) -> Response:
    post = post_or_404(post_id)
    if (answer := already(post, PostStatus.APPROVED)) is not None:
        return answer
    policy.require(policy.can_restore_post(current_user, post))
    if not ActionForm().validate_on_submit():
        abort(400)
    done(
        lambda: actions.restore_post(post, current_user),
        _("Het bericht is weer zichtbaar."),
    )
    return back_to_post(post)


# --- people -----------------------------------------------------------------------------------


def person_page(person: User, status: int = 200, **forms: object) -> tuple[str, int]:
    may_act = policy.can_act_on_person(current_user, person)
    always = forms.pop("always_form", None) or AlwaysModerateForm(
        formdata=None, data={"always_moderate": person.always_moderate}
    )
    return render_template(
        "moderation/actions/person.html",
        person=person,
        suspended=policy.is_suspended(person),
        history=actions.history(person),
        recent=actions.recent_posts(person),
        may_act=may_act,
        suspend_form=forms.pop("suspend_form", None) or SuspendForm(formdata=None),
        unsuspend_form=forms.pop("unsuspend_form", None) or UnsuspendForm(formdata=None),
        always_form=always,
    ), status


def back_to_person(person: User) -> Response:
    return redirect(url_for("moderation_actions.person", user_id=person.id))


@bp.get("/persoon/<id:user_id>")
def person(user_id: int) -> tuple[str, int]:
    return person_page(person_or_404(user_id))


@bp.post("/persoon/<id:user_id>/schorsen")
def suspend(user_id: int) -> tuple[str, int] | Response:
    person = person_or_404(user_id)
    policy.require(policy.can_act_on_person(current_user, person))
    form = SuspendForm()
    if not form.validate_on_submit():
        return person_page(person, 400, suspend_form=form)
    done(
        lambda: actions.suspend(person, current_user, form.reason.data, Period(form.period.data)),
        _("%(name)s is geschorst.", name=person.display_name),
    )
    return back_to_person(person)


@bp.post("/persoon/<id:user_id>/schorsing-opheffen")
def unsuspend(user_id: int) -> tuple[str, int] | Response:
    person = person_or_404(user_id)
    policy.require(policy.can_act_on_person(current_user, person))
    form = UnsuspendForm()
    if not form.validate_on_submit():
        return person_page(person, 400, unsuspend_form=form)
    done(
        lambda: actions.unsuspend(person, current_user, form.unsuspend_reason.data or ""),
        _("De schorsing van %(name)s is opgeheven.", name=person.display_name),
    )
    return back_to_person(person)


@bp.post("/persoon/<id:user_id>/altijd-beoordelen")
def always_moderate(user_id: int) -> tuple[str, int] | Response:
    person = person_or_404(user_id)
    policy.require(policy.can_act_on_person(current_user, person))
    form = AlwaysModerateForm()
    if not form.validate_on_submit():
        return person_page(person, 400, always_form=form)
    on = bool(form.always_moderate.data)
    name = person.display_name
    if actions.set_always_moderate(person, current_user, on, form.moderate_reason.data or ""):
        db.session.commit()
        flash(
            _("Berichten van %(name)s wachten voortaan eerst op een moderator.", name=name)
            if on
            else _("Berichten van %(name)s hoeven niet meer altijd eerst te wachten.", name=name),
            "success",
        )
    else:
        flash(_("Er is niets veranderd."), "info")
    return back_to_person(person)
