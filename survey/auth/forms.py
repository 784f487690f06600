from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Field, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from survey.forms.staff import StaffForm


class SignInForm(StaffForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=200)]
    )


def _new_password() -> Any:
    """A new password's box (made afresh for each form, so each lists its boxes in order)."""
    return PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. A few unrelated words are easy to remember."),
        validators=[
            DataRequired(_l("Enter a new password")),
            Length(min=12, message=_l("Use at least 12 characters")),
            Length(max=200, message=_l("Use 200 characters or fewer")),
        ],
    )


def _password_again() -> Any:
    return PasswordField(
        _l("Type the password again"),
        validators=[
            DataRequired(_l("Type the password again")),
            EqualTo("password", message=_l("The two passwords are not the same. Type them again.")),
        ],
    )


class SetPasswordForm(StaffForm):
    password = _new_password()
    password_confirm = _password_again()


class ChangePasswordForm(StaffForm):
    """Your account: a new password, knowing the current one (its box first, so the error
    summary lists the mistakes in the order of the boxes)."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password")), Length(max=200)],
    )
    password = _new_password()
    password_confirm = _password_again()

    def validate_password(self, field: Field) -> None:
        if field.data and field.data == self.current_password.data:
            raise ValidationError(_l("Choose a new password different from your current one."))


class CodeForm(StaffForm):
    code = StringField(
        _l("Code"),
        description=_l(
            "The 6 numbers your authenticator app shows now, or one of your recovery codes."
        ),
        validators=[DataRequired(_l("Enter the code from your authenticator app")), Length(max=20)],
    )


class AppCodeForm(StaffForm):
    """A code from the app only (Your account: recovery codes do not work there)."""

    code = StringField(
        _l("Code"),
        description=_l("The 6 numbers your authenticator app shows now."),
        validators=[DataRequired(_l("Enter the code from your authenticator app")), Length(max=20)],
    )


class EnrolForm(StaffForm):
    code = StringField(
        _l("Code from the app"),
        description=_l("The 6 numbers the app shows after you add Heard to it."),
        validators=[DataRequired(_l("Enter the 6 numbers the app shows")), Length(max=20)],
    )


class ForgotPasswordForm(StaffForm):
    email = EmailField(
        _l("Email address"),
        description=_l("The address you sign in to Heard with."),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
    )
