"""Forms of the pictures: upload to a record, caption and concealment method."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import Length

from web.codes import offer
from web.forms import Form
from web.records import VersionedForm


class UploadForm(VersionedForm):
    """Several pictures at once, with one caption and concealment method for all of them."""

    files = MultipleFileField(
        _l("Pictures"),
        description=_l("JPEG, PNG, WebP, GIF or TIFF; several at once."),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif,image/tiff"},
    )
    caption = StringField(_l("Caption"), validators=[Length(max=2000)])
    concealment_method = SelectField(_l("Concealment shown"), validate_choice=False)
    submit = SubmitField(_l("Add pictures"))


class PictureForm(Form):
    """The caption and concealment method of one picture."""

    caption = StringField(_l("Caption"), validators=[Length(max=2000)])
    concealment_method = SelectField(_l("Concealment shown"), validate_choice=False)
    next = HiddenField()
    submit = SubmitField(_l("Save"))


def fill_choices(form: UploadForm | PictureForm) -> None:
    """Offer the concealment methods."""
    offer(form.concealment_method, "concealment_methods")
