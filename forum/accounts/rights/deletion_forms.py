"""The form that deletes an account: what happens to the posts, and the password that confirms."""

from __future__ import annotations

from wtforms import PasswordField, RadioField
from wtforms.validators import InputRequired, Length

from forum.accounts.rights.deletion import PostChoice
from forum.forms import ForumForm, choice_list
from forum.i18n import _l

POST_CHOICES = {
    PostChoice.KEEP: _l("Bewaren als ‘oud-lid’"),
    PostChoice.REMOVE: _l("Verwijderen"),
}


class DeleteAccountForm(ForumForm):
    # No choice is made beforehand: nobody removes their posts, or keeps them, by accident.
    posts = RadioField(
        _l("Wat gebeurt er met de berichten?"),
        choices=choice_list((choice.value, label) for choice, label in POST_CHOICES.items()),
        validators=[InputRequired(_l("Kies wat er met de berichten gebeurt."))],
    )
    password = PasswordField(
        _l("Je wachtwoord"),
        validators=[InputRequired(_l("Vul je wachtwoord in.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )

    @property
    def choice(self) -> PostChoice:
        return PostChoice(self.posts.data)
