"""Forms of the pictures: upload to a record, caption and concealment method, the gallery's
filters and the "find similar pictures" upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from ncen.analysis.picture_index import DEFAULT_MAX_DISTANCE, MAX_DISTANCE
from web.codes import offer
from web.forms import Form
from web.records import VersionedForm
from web.seizures.forms import SeizureFilterForm, fill_filter_choices


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


class SimilarForm(Form):
    """A picture to compare with the stored ones; it is checked, searched with, and dropped."""

    file = FileField(
        _l("Picture"),
        description=_l("JPEG, PNG, WebP, GIF or TIFF. It is compared, not stored."),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif,image/tiff"},
    )
    max_distance = IntegerField(
        _l("Largest distance"),
        default=DEFAULT_MAX_DISTANCE,
        validators=[Optional(), NumberRange(0, MAX_DISTANCE)],
        description=_l("pHash + dHash bits that differ, of 128 (0: the same picture)."),
    )
    submit = SubmitField(_l("Find similar pictures"))


class GalleryFilterForm(SeizureFilterForm):
    """The seizure list's filters plus the concealment method shown or recorded."""

    concealment_method = SelectField(_l("Concealment method"), validate_choice=False)


def fill_gallery_choices(form: GalleryFilterForm) -> None:
    """Offer the codes of the gallery filters."""
    fill_filter_choices(form)
    offer(form.concealment_method, "concealment_methods")
