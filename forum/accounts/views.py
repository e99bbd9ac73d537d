"""Account pages: register, verify, sign in and out, reset and change password, profile."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from forum.accounts import services, tokens
from forum.accounts.forms import (
    ChangePasswordForm,
    ConsentChoiceForm,
    LanguageForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetForm,
    ResetRequestForm,
)
from forum.accounts.models import Profession, TokenPurpose
from forum.accounts.rights.download_views import bp as download_bp
from forum.accounts.twofactor import gate
from forum.accounts.twofactor.views import bp as twofactor_bp
from forum.core import site
from forum.core.models import Setting
from forum.core.queries import active_settings, setting_choices
from forum.db import db
from forum.extensions import limiter
from forum.forms import ActionForm
from forum.i18n import LANG_COOKIE, LANGUAGES, _
from forum.research import consent
from forum.security import safe_next_url

bp = Blueprint("accounts", __name__, url_prefix="/account")
bp.register_blueprint(twofactor_bp)
# Download your data (accounts.download.*), under the same /account prefix.
bp.register_blueprint(download_bp)


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    mode = site.registration_mode()
    invite_raw = request.args.get("invite", "")
    invitation = tokens.find_valid(invite_raw, TokenPurpose.INVITE) if invite_raw else None
    if mode is site.RegistrationMode.INVITE and invitation is None:
        return render_template("accounts/invite_only.html", had_invite=bool(invite_raw)), 403
    form = RegisterForm()
    form.main_setting.choices = setting_choices()
    if invitation is not None and request.method == "GET":
        form.email.data = invitation.email_normalized
    if form.validate_on_submit():
        if invitation is not None and (
            services.normalize_email(form.email.data) != invitation.email_normalized
        ):
            form.email.errors = [_("Gebruik het e-mailadres waarop je de uitnodiging kreeg.")]
            return render_template("accounts/register.html", form=form, mode=mode), 400
        info = services.RegistrationInfo(
            email=form.email.data,
            display_name=form.display_name.data,
            password=form.password.data,
            profession=Profession(form.profession.data),
            main_setting=_setting_or_400(form.main_setting.data),
            research_consent=form.research_consent.data,
            locale=str(get_locale() or "nl"),
        )
        approved = mode is not site.RegistrationMode.APPROVAL or invitation is not None
        if invitation is not None and not tokens.consume(invitation):
            abort(409)
        services.register(info, approved=approved)
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data, approved=approved)
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/register.html", form=form, mode=mode), status


def _setting_or_400(setting_id: int) -> Setting:
    for setting in active_settings():
        if setting.id == setting_id:
            return setting
    abort(400)


@bp.route("/bevestigen/<token>", methods=["GET", "POST"])
def verify(token: str) -> str | Response:
    """GET shows a button; only the POST uses the link, so mail scanners cannot burn it."""
    form = ActionForm()
    if form.validate_on_submit():
        user = services.verify_email(token)
        if user is None:
            db.session.rollback()
            return verify_link_invalid(token, 400)
        db.session.commit()
        flash(_("Je e-mailadres is bevestigd. Welkom!"), "success")
        return redirect(
            url_for("accounts.login" if not current_user.is_authenticated else "core.index")
        )
    if tokens.find_valid(token, TokenPurpose.VERIFY) is None:
        return verify_link_invalid(token, 404)
    return render_template("accounts/verify.html", form=form)


def verify_link_invalid(token: str, status: int) -> tuple[str, int]:
    """A verification link that no longer works: the way on is a new verification link (or
    nothing, when the address is verified already), never a new password."""
    if current_user.is_authenticated:
        verified = current_user.email_verified
    else:
        verified = services.verified_through_link(token)
    return render_template(
        "accounts/link_invalid.html", link="verify", verified=verified, resend_form=ActionForm()
    ), status


@bp.post("/bevestiging-opnieuw")
@login_required
@limiter.limit("5 per hour")
def resend_verification() -> Response:
    form = ActionForm()
    if form.validate_on_submit() and not current_user.email_verified:
        services.send_verification(current_user)
        db.session.commit()
        flash(_("We hebben je een nieuwe bevestigingslink gestuurd."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> str | Response:
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and not user.approved:
            flash(
                _(
                    "Je aanmelding wacht nog op goedkeuring door een beheerder. "
                    "Je krijgt een mail zodra je kunt inloggen."
                ),
                "info",
            )
            return render_template("accounts/login.html", form=form), 403
        step = gate.step_for(user) if user is not None else None
        if user is not None and step is not None:
            # Not signed in yet: the code (or, for staff, setting it up) comes first.
            return gate.hold(user, step, remember=form.remember.data, next_url=next_url)
        gate.forget_passed(None)  # a code given in this browser before counts for no one now
        if user is not None and login_user(user, remember=form.remember.data):
            flash(_("Je bent ingelogd."), "success")
            response = redirect(next_url or url_for("core.index"))
            response.set_cookie(LANG_COOKIE, user.locale, max_age=365 * 86400, samesite="Lax")
            return response
        flash(
            _("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw."), "error"
        )
        return render_template("accounts/login.html", form=form), 400
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/uitloggen")
def logout() -> Response:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    logout_user()
    flash(_("Je bent uitgelogd."), "success")
    return redirect(url_for("core.index"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def reset_request() -> str | Response:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address is known.
        return render_template("accounts/reset_sent.html", email=form.email.data)
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/reset_request.html", form=form), status


@bp.route("/nieuw-wachtwoord/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset(token: str) -> str | Response:
    if tokens.find_valid(token, TokenPurpose.RESET) is None:
        return render_template("accounts/link_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        if user is None:
            db.session.rollback()
            return render_template("accounts/link_invalid.html"), 400
        db.session.commit()
        logout_user()
        flash(_("Je wachtwoord is veranderd. Log in met je nieuwe wachtwoord."), "success")
        return redirect(url_for("accounts.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/reset.html", form=form), status


@bp.route("/profiel", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    form = ProfileForm(obj=None if request.method == "POST" else current_user)
    form.main_setting.choices = setting_choices()
    if request.method == "GET":
        form.main_setting.data = current_user.main_setting_id
        form.profession.data = current_user.profession.value
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            display_name=form.display_name.data,
            profession=Profession(form.profession.data),
            main_setting=_setting_or_400(form.main_setting.data),
            locale=form.locale.data,
            research_consent=form.research_consent.data,
        )
        db.session.commit()
        flash(_("Je profiel is opgeslagen."), "success")
        response = redirect(url_for("accounts.profile"))
        response.set_cookie(LANG_COOKIE, form.locale.data, max_age=365 * 86400, samesite="Lax")
        return response
    status = 400 if form.is_submitted() else 200
    return render_template(
        "accounts/profile.html",
        form=form,
        resend_form=ActionForm(),
        consent_form=ConsentChoiceForm(),
        consent_summary=consent.summary(current_user),
    ), status


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            form.current_password.errors = [error.message]
        else:
            db.session.commit()
            # The session version changed: sign in again in this browser with the new cookie.
            # Pass the real object: with the current_user proxy itself, Flask-Login stores the
            # proxy as the user and every later lookup recurses until the process crashes.
            login_user(current_user._get_current_object(), remember=False)
            flash(_("Je wachtwoord is veranderd. Op andere apparaten ben je uitgelogd."), "success")
            return redirect(url_for("accounts.profile"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


@bp.post("/taal")
def set_language() -> Response:
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = form.lang.data
        db.session.commit()
    return remember_language(form.lang.data, request.form.get("next"))


@bp.get("/taal")
def choose_language() -> Response:
    """The visitors' language switch: a GET form, so that their pages carry no CSRF token (or
    session) and can be the same for every visitor (``forum.core.pagecache``). It only sets a
    cookie in the visitor's own browser; a member's saved choice changes only by POST."""
    lang = request.args.get("lang", "")
    if lang not in LANGUAGES:
        abort(400)
    return remember_language(lang, request.args.get("next"))


def remember_language(lang: str, next_url: str | None) -> Response:
    response = make_response(redirect(safe_next_url(next_url) or url_for("core.index")))
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="Lax")
    return response
