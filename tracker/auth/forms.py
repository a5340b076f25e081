from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from tracker.auth.models import Role
from tracker.core.forms import BaseForm  # text loses NUL characters, which PostgreSQL refuses


class LoginForm(BaseForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])
    remember = BooleanField("Keep me logged in on this device")


class ForgotPasswordForm(BaseForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])


class ResetPasswordForm(BaseForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=10, max=500)])
    confirm = PasswordField("New password again", validators=[DataRequired(), Length(max=500)])

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError("The two passwords differ.")


class UserForm(BaseForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=320)])
    role = SelectField("Role", choices=[(r.value, r.value.capitalize()) for r in Role])
    password = PasswordField("Password (leave blank to keep)", validators=[Optional(), Length(min=10, max=500)])
    active = BooleanField("Active", default=True)
