"""`web.forms.html_params` writes exactly what WTForms' own ``html_params`` writes, and
`install_html_params` makes WTForms' widgets and labels use it."""

from __future__ import annotations

import wtforms.widgets
from flask_babel import lazy_gettext
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import Form, SelectChoice, SelectField, StringField, SubmitField, widgets
from wtforms.widgets import core

from web.forms import STOCK_HTML_PARAMS, html_params, install_html_params

TRICKY = st.sampled_from(['"', "'", "&", "<", ">", "&quot;", "&#34;", "_", "-", " ", "é", "\u202e"])
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=4)), max_size=6).map("".join)
NAMES = st.one_of(
    TEXT,
    st.builds(lambda a, b: f"{a}_{b}", st.sampled_from(["data", "aria", "class", "x"]), TEXT),
    st.builds(lambda a: f"{a}_", TEXT),
)
VALUES = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(),
    st.floats(allow_nan=False),
    TEXT,
    TEXT.map(Markup),
)


@given(st.dictionaries(NAMES, VALUES, max_size=6))
def test_the_same_markup_as_wtforms(attributes: dict[str, object]) -> None:
    ours, stock = html_params(**attributes), STOCK_HTML_PARAMS(**attributes)
    assert type(ours) is Markup
    assert type(stock) is Markup
    assert str(ours) == str(stock)


def test_the_documented_cases_and_lazy_strings() -> None:
    cases: list[dict[str, object]] = [
        {"data_attr": "user.name", "aria_labeledby": "name"},
        {"name": "text1", "id": "f", "class_": "text"},
        {"checked": True, "readonly": False, "name": "text1", "abc": "hello"},
        {"value": Markup('<b class="x">'), "title": 'say "hi" & <bye>'},
        {"placeholder": lazy_gettext('A "lazy" <label>')},
    ]
    for attributes in cases:
        assert str(html_params(**attributes)) == str(STOCK_HTML_PARAMS(**attributes))
    assert (
        str(html_params(name="text1", id="f", class_="text")) == 'class="text" id="f" name="text1"'
    )


class _Form(Form):
    name = StringField("Name <b>", render_kw={"data_x": 'a"b', "autofocus": True})
    kind = SelectField(choices=[SelectChoice("a", "A & B"), SelectChoice('"q"', "<q>")])
    send = SubmitField("Send")


def test_installed_in_widgets_and_labels_with_the_same_output() -> None:
    install_html_params()
    install_html_params()  # idempotent
    assert core.html_params is html_params
    assert wtforms.widgets.html_params is html_params
    assert widgets.TextInput.html_params is html_params
    assert widgets.SubmitInput.html_params is html_params
    form = _Form(data={"name": 'Ann "&" <Lee>', "kind": '"q"'})
    # What WTForms' stock function wrote for these fields (before the installation).
    assert str(form.name()) == (
        '<input autofocus data-x="a&#34;b" id="name" name="name" type="text" '
        'value="Ann &#34;&amp;&#34; &lt;Lee&gt;">'
    )
    assert str(form.name.label()) == '<label for="name">Name &lt;b&gt;</label>'
    assert str(form.kind()) == (
        '<select id="kind" name="kind"><option value="a">A &amp; B</option>'
        '<option selected value="&#34;q&#34;">&lt;q&gt;</option></select>'
    )
    assert str(form.send()) == '<input id="send" name="send" type="submit" value="Send">'
