"""`web.forms.QuickSelect` writes exactly what WTForms' own select widget writes."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from wtforms import Form, SelectChoice, SelectField, SelectMultipleField, validators, widgets

from web.forms import QUICK_SELECT, QUICK_SELECT_MULTIPLE, QuickSelect, choices, quicken

OPTIONS = [
    ("", "—"),
    ("KZ", "Kazakhstan"),
    ('a"b', "Quote \" & <b>bold</b> 'single'"),
    ("<x>", ""),  # no label: the value is shown
    ("UZ", Markup("<i>Uzbekistan</i>")),  # a label already marked safe stays as it is
]


class _Filters(Form):
    country = SelectField(choices=choices(OPTIONS))
    required = SelectField(choices=choices(OPTIONS), validators=[validators.InputRequired()])
    many = SelectMultipleField(choices=choices(OPTIONS))
    flag = SelectField(choices=[SelectChoice(True, "Yes"), SelectChoice(False, "No")], coerce=bool)


def _both(field: SelectField, **kwargs: object) -> tuple[str, str]:
    multiple = isinstance(field, SelectMultipleField)
    stock = widgets.Select(multiple=multiple)(field, **kwargs)
    quick = QuickSelect(multiple=multiple)
    first = str(quick(field, **kwargs))
    assert str(quick(field, **kwargs)) == first  # again, from the remembered options
    return str(stock), first


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("country", None),
        ("country", "KZ"),
        ("country", 'a"b'),
        ("country", "not offered"),
        ("required", "UZ"),
        ("many", ["KZ", "<x>"]),
        ("many", None),
        ("flag", True),
    ],
)
def test_the_same_html_as_the_stock_widget(name: str, data: object) -> None:
    field = _Filters()[name]
    field.data = data
    stock, quick = _both(field, class_="form-select is-invalid", data_search="on")
    assert quick == stock
    plain_stock, plain_quick = _both(field)
    assert plain_quick == plain_stock


def test_options_with_attributes_or_groups_fall_back_to_the_stock_widget() -> None:
    field = _Filters()["country"]
    field.choices = [SelectChoice("KZ", "Kazakhstan", render_kw={"data-x": "1"})]
    assert _both(field)[0] == _both(field)[1]
    assert 'data-x="1"' in _both(field)[1]
    field.choices = [SelectChoice("KZ", "Kazakhstan", optgroup="Asia")]
    assert "<optgroup" in _both(field)[1]
    field.choices = [("KZ", "Kazakhstan")]  # plain pairs: WTForms normalises them itself
    assert _both(field)[0] == _both(field)[1]


def test_remembered_options_follow_the_selection_and_stay_bounded() -> None:
    field = _Filters()["country"]
    quick = QuickSelect()
    field.data = "KZ"
    assert '<option selected value="KZ">' in quick(field)
    field.data = "UZ"
    assert '<option value="KZ">Kazakhstan</option>' in quick(field)
    small = QuickSelect()
    small.REMEMBERED = 2
    field.data = None
    for _ in range(3):
        assert str(small(field)) == str(widgets.Select()(field))
        assert len(small._rendered) <= 2


def test_quicken_replaces_only_the_stock_select() -> None:
    form = _Filters()
    quicken(form.country)
    quicken(form.many)
    assert form.country.widget is QUICK_SELECT
    assert form.many.widget is QUICK_SELECT_MULTIPLE
    checkboxes = SelectMultipleField(widget=widgets.ListWidget()).bind(form, "boxes")
    quicken(checkboxes)
    assert isinstance(checkboxes.widget, widgets.ListWidget)
