"""WTForms forms of the core pages (CSRF tokens come with Flask-WTF)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password"), Length(max=1024)])
    next = HiddenField()


class EmptyForm(FlaskForm):
    """A form with only the CSRF token (sign out, toggles)."""
