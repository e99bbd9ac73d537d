"""Two-factor pages: the code step after the password, setting it up (also as the step staff
take the first time), the overview under *Mijn profiel*, new recovery codes and turning it off.

Every page that checks a code is rate-limited per account and per address, counting wrong codes
only (``forum.ratelimits``). Pages that show the secret or recovery codes are never stored.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import policy, ratelimits
from forum.accounts.models import User
from forum.accounts.services import AccountError
from forum.accounts.twofactor import gate, services
from forum.accounts.twofactor.forms import CodeForm, DisableForm, SetupForm
from forum.db import db
from forum.extensions import limiter
from forum.forms import ActionForm
from forum.i18n import _

bp = Blueprint("twofactor", __name__, url_prefix="/tweestapsverificatie")

per_account = limiter.shared_limit(
    ratelimits.TWO_FACTOR_PER_ACCOUNT,
    scope="two-factor-account",
    key_func=gate.signing_in_person_key,
    methods=["POST"],
    deduct_when=ratelimits.only_when_refused,
)
per_address = limiter.shared_limit(
    ratelimits.TWO_FACTOR_PER_ADDRESS,
    scope="two-factor-address",
    methods=["POST"],
    deduct_when=ratelimits.only_when_refused,
)


def private(response: Response) -> Response:
    """A page with the secret or recovery codes: no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@login_required
def overview() -> str:
    user = current_user
    enabled = user.two_factor_since is not None
    return render_template(
        "accounts/twofactor/overview.html",
        enabled=enabled,
        required=policy.must_use_two_factor(user),
        codes_left=services.recovery_codes_left(user) if enabled else None,
    )


@bp.route("/code", methods=["GET", "POST"])
@per_account
@per_address
def code() -> Response | tuple[str, int]:
    """The second step of signing in, for someone whose password was right."""
    user = gate.pending_person(gate.CODE)
    if user is None:
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            accepted = services.check_code(user, form.code.data)
        except services.TwoFactorError as error:
            db.session.rollback()
            form.code.errors = [error.message]
        else:
            db.session.commit()
            next_url = gate.complete(user, code_given=True)
            flash(_("Je bent ingelogd."), "success")
            if accepted.was_recovery_code:
                flash(recovery_code_warning(accepted.recovery_codes_left or 0), "warning")
            return gate.language_cookie(redirect(next_url), user)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "accounts/twofactor/code.html", form=form, cancel_form=ActionForm()
    ), status


def recovery_code_warning(left: int) -> str:
    text = ngettext(
        "Je hebt een herstelcode gebruikt. Je hebt er nog %(num)d over.",
        "Je hebt een herstelcode gebruikt. Je hebt er nog %(num)d over.",
        left,
    )
    if left <= 3:
        text += " " + _("Maak nieuwe herstelcodes bij Mijn profiel → Tweestapsverificatie.")
    return text


@bp.post("/stoppen")
def cancel() -> Response:
    """Stop halfway: the password step is forgotten."""
    if not ActionForm().validate_on_submit():
        abort(400)
    session.pop(gate.PENDING, None)
    flash(_("Je bent niet ingelogd."), "info")
    return redirect(url_for("accounts.login"))


def person_setting_up() -> tuple[User | None, bool]:
    """Who sets it up: the signed-in person, or staff held at the setup step (then True)."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), False
    return gate.pending_person(gate.SETUP), True


@bp.route("/instellen", methods=["GET", "POST"])
@per_account
@per_address
def setup() -> Response:
    user, held = person_setting_up()
    if user is None:
        return redirect(url_for("accounts.login"))
    if user.two_factor_since is not None:
        flash(_("Tweestapsverificatie staat al aan."), "info")
        return redirect(url_for("accounts.twofactor.overview"))
    secret = services.start_setup(user).secret
    db.session.commit()
    form = SetupForm()
    if form.validate_on_submit():
        try:
            codes = services.confirm_setup(user, form.code.data)
        except services.TwoFactorError as error:
            db.session.rollback()
            form.code.errors = [error.message]
        else:
            db.session.commit()
            return turned_on(user, codes, held)
    status = 400 if form.is_submitted() else 200
    uri = services.provisioning_uri(user, secret)
    page = render_template(
        "accounts/twofactor/setup.html",
        form=form,
        held=held,
        qr_code=services.qr_code_svg(uri),
        secret=services.spaced(secret),
        cancel_form=ActionForm(),
    )
    return private(make_response(page, status))


def turned_on(user: User, codes: list[str], held: bool) -> Response:
    """The recovery codes, shown this once; a held person is signed in with them."""
    if held:
        next_url = gate.complete(user, code_given=True)
        flash(_("Je bent ingelogd."), "success")
    else:
        session[gate.PASSED] = user.id
        next_url = url_for("accounts.twofactor.overview")
    page = render_template(
        "accounts/twofactor/recovery_codes.html", codes=codes, next_url=next_url, new=True
    )
    response = private(make_response(page))
    return gate.language_cookie(response, user) if held else response


@bp.route("/herstelcodes", methods=["GET", "POST"])
@login_required
@per_account
@per_address
def renew() -> Response | tuple[str, int]:
    """Ten new recovery codes (the old ones stop working), confirmed with a code."""
    if current_user.two_factor_since is None:
        return redirect(url_for("accounts.twofactor.overview"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = services.renew_recovery_codes(current_user, form.code.data)
        except services.TwoFactorError as error:
            db.session.rollback()
            form.code.errors = [error.message]
        else:
            db.session.commit()
            page = render_template(
                "accounts/twofactor/recovery_codes.html",
                codes=codes,
                next_url=url_for("accounts.twofactor.overview"),
                new=False,
            )
            return private(make_response(page))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/twofactor/renew.html", form=form), status


@bp.route("/uitzetten", methods=["GET", "POST"])
@login_required
@per_account
@per_address
def disable() -> Response | tuple[str, int]:
    """Turn it off with the password and a code. Staff are then led to set it up again."""
    if current_user.two_factor_since is None:
        return redirect(url_for("accounts.twofactor.overview"))
    form = DisableForm()
    if form.validate_on_submit():
        try:
            services.disable(current_user, form.password.data, form.code.data)
        except AccountError as error:
            db.session.rollback()
            getattr(form, error.field or "code").errors = [error.message]
        else:
            db.session.commit()
            session.pop(gate.PASSED, None)
            flash(_("Tweestapsverificatie staat uit."), "success")
            return redirect(url_for("accounts.twofactor.overview"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "accounts/twofactor/disable.html",
        form=form,
        required=policy.must_use_two_factor(current_user),
    ), status
