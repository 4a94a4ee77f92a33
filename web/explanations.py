"""Match explanations in the reader's language.

`ncen.search.explain.Explanation` is structured (which name form matched, how each word met,
which qualifiers moved the score); its ``summary`` is an English sentence for the CLI and the
JSON API. Pages render the structure here instead, with `gettext`/`ngettext` and named
placeholders, so a Russian officer reads «“Aliyev” совпало с …» rather than English.

Alerts store the explanation as JSON (``Explanation.as_dict``), so `explanation_view` takes
either form. What this module does not know — a transformation or qualifier kind added to the
matcher later — is still shown, in English (the value with its underscores as spaces, or the
matcher's own ``detail`` text): a new kind is never hidden, only untranslated until it gets a
message here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, g
from flask_babel import lazy_gettext as _l

from ncen.search.explain import Explanation
from web.formatting import cached_format_decimal
from web.i18n import request_translations
from web.labels import LABELS, enum_label
from web.search import script_label, transformation_label


def _(string: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext``, through the request's catalogue looked up once
    (`web.i18n.request_translations`): a page of hits translates hundreds of strings."""
    text = request_translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ``ngettext`` (``num`` is a placeholder too), like `_`."""
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


@dataclass(frozen=True)
class WordView:
    """One query word, the record word it met (None: no match), and how (translated)."""

    query: str
    matched: str | None
    via: str | None
    via_kind: str | None = None  # the transformation's code ("parentage_marker"), for layout


@dataclass(frozen=True)
class QualifierView:
    """A qualifier's effect as a translated phrase, with its signed score change."""

    text: str
    delta: str


@dataclass(frozen=True)
class ExplanationView:
    """An explanation ready for a page: every text in the request's language."""

    sentence: str
    transformations: tuple[str, ...]
    words: tuple[WordView, ...]
    qualifiers: tuple[QualifierView, ...]

    @property
    def summary(self) -> str:
        """One line for lists (desk, alerts): the sentence and the qualifiers."""
        parts = [self.sentence, *(f"{q.text} ({q.delta})" for q in self.qualifiers)]
        return "; ".join(parts)


def _years_apart(found: str, searched: str) -> str:
    gap = abs(int(found) - int(searched))
    # Flask-Babel passes the count itself as ``num``; the placeholder is named apart from it.
    return str(ngettext("%(count)s year apart", "%(count)s years apart", gap, count=gap))


# The matcher's qualifier details (ncen.search.qualifiers), English text -> translated phrase.
# Values (years) are taken from the detail; the patterns are anchored, so a reworded detail
# falls back to the generic phrase of its (qualifier, outcome), never to a wrong one.
_DETAILS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"born (\d{4}), not (\d{4})"),
        lambda m: _(
            "born %(found)s, not %(searched)s (%(gap)s)",
            found=m[1],
            searched=m[2],
            gap=_years_apart(m[1], m[2]),
        ),
    ),
    (
        re.compile(r"born (\d{4}), a year apart"),
        lambda m: _("born %(found)s, a year apart", found=m[1]),
    ),
    # The evidence of the names themselves (ncen.search.evidence).
    (
        re.compile(r"“(.+)” is the other-gender form of “(.+)”"),
        lambda m: _(
            "“%(query)s” is the other-gender form of “%(matched)s”", query=m[1], matched=m[2]
        ),
    ),
    (
        re.compile(r"patronymic “(.+)”, not “(.+)”"),
        lambda m: _("patronymic “%(found)s”, not “%(searched)s”", found=m[1], searched=m[2]),
    ),
    (
        re.compile(r"only “(.+)” of the name matched"),
        lambda m: _("only “%(word)s” of the name matched", word=m[1]),
    ),
    (
        re.compile(r"“(.+)” and “(.+)” only sound alike"),
        lambda m: _("“%(query)s” and “%(matched)s” only sound alike", query=m[1], matched=m[2]),
    ),
    (
        re.compile(r"“(.+)” and “(.+)” are other syllables"),
        lambda m: _(
            "“%(query)s” and “%(matched)s” are different Chinese syllables",
            query=m[1],
            matched=m[2],
        ),
    ),
    (
        re.compile(r"“(.+)” matched only the parent's name"),
        lambda m: _("“%(word)s” matched only the parent's name", word=m[1]),
    ),
    # What the store says of the name (ncen.search.prior).
    (
        re.compile(r"“(.+)” is another name on record"),
        lambda m: _("“%(word)s” is another name on record", word=m[1]),
    ),
    (
        re.compile(r"(\d+) persons could bear this name"),
        lambda m: str(
            ngettext(
                "%(count)s person could bear this name",
                "%(count)s persons could bear this name",
                int(m[1]),
                count=int(m[1]),
            )
        ),
    ),
    # The parent named in the name (ncen.search.parents).
    (
        re.compile(r"same parent \((.+)\)"),
        lambda m: _("same parent (%(parent)s)", parent=m[1]),
    ),
    (
        re.compile(r"parent (.+), not (.+)"),
        lambda m: _("parent %(found)s, not %(searched)s", found=m[1], searched=m[2]),
    ),
    (
        re.compile(r"only the parent's name \((.+)\)"),
        lambda m: _("only the parent's name (%(parent)s)", parent=m[1]),
    ),
)
# Details without values: the English text -> its message.
_PHRASES: dict[str, object] = {
    "same birth year, another date": _l("same birth year, another date"),
    "same date of birth": _l("same date of birth"),
    "same birth year": _l("same birth year"),
    "same nationality": _l("same nationality"),
    "another nationality": _l("another nationality"),
    "another gender": _l("another gender"),
    "shares an identity document number": _l("shares an identity document number"),
    "same registration or tax number": _l("same registration or tax number"),
    "same country": _l("same country"),
    "another parent: never a strong match": _l("another parent: never a strong match"),
    "another country": _l("another country"),
}


def _generic(qualifier: str, outcome: str) -> str | None:
    """A phrase for a known (qualifier, outcome) whose detail text is not one of ours."""
    subjects = {
        "birth_date": _("date of birth"),
        "nationality": _("nationality"),
        "gender": _("gender"),
        "identifier": _("identifier"),
        "country": _("country"),
    }
    subject = subjects.get(qualifier)
    if subject is None:
        return None
    if outcome == "agrees":
        return str(_("%(subject)s agrees", subject=subject))
    if outcome == "conflicts":
        return str(_("%(subject)s differs", subject=subject))
    if outcome == "close":
        return str(_("%(subject)s is close", subject=subject))
    return None


def qualifier_text(qualifier: str, outcome: str, detail: str) -> str:
    """The qualifier's effect in the user's language; ``detail`` (English) when unknown."""
    if detail in _PHRASES:
        return str(_PHRASES[detail])
    for pattern, render in _DETAILS:
        match = pattern.fullmatch(detail)
        if match:
            return render(match)
    return _generic(qualifier, outcome) or detail


def signed(delta: float) -> str:
    """A score change with its sign, in the user's locale ("+0,10" in French)."""
    return cached_format_decimal(delta, "+0.00;-0.00")


def _score(value: float) -> str:
    return cached_format_decimal(value, "0.00")


def _get(source: Any, name: str) -> Any:
    return source.get(name) if isinstance(source, Mapping) else getattr(source, name)


def _kind_label(kind: str) -> str:
    return enum_label("name_kind", kind) if kind in LABELS["name_kind"] else kind


_VIEWS = "ncen_explanation_views"  # flask.g: the request's views, by explanation
_LABELS = "ncen_explanation_labels"  # flask.g: the request's labels, by kind and code
_UNSEEN = object()


def _label(kind: str, value: Any) -> str:
    """The translated label of a transformation (``kind`` "t"), script ("s") or name kind
    ("k"), looked up once per request: the hits of a page repeat the same few."""
    labels: dict[tuple[str, Any], str] | None = g.get(_LABELS)
    if labels is None:
        labels = {}
        setattr(g, _LABELS, labels)
    found = labels.get((kind, value))
    if found is None:
        if kind == "t":
            found = str(transformation_label(value))
        elif kind == "s":
            found = str(script_label(value))
        else:
            found = _kind_label(value)
        labels[kind, value] = found
    return found


def explanation_view(explanation: Any) -> ExplanationView | None:
    """``explanation`` (an `Explanation` or its ``as_dict``) for a page; None for no or an
    unreadable explanation (an alert written before explanations were stored).

    Within a request, equal explanations (namesakes met alike) share one view."""
    if not isinstance(explanation, Explanation):
        return _view(explanation)
    views: dict[Explanation, ExplanationView | None] | None = g.get(_VIEWS)
    if views is None:
        views = {}
        setattr(g, _VIEWS, views)
    try:
        found = views.get(explanation, _UNSEEN)
    except TypeError:  # built by hand with a list inside: not hashable, not memoised
        return _view(explanation)
    if found is _UNSEEN:
        found = views[explanation] = _view(explanation)
    return found  # type: ignore[return-value]


def _view(explanation: Any) -> ExplanationView | None:
    if not explanation:
        return None
    try:
        words = tuple(
            WordView(
                str(_get(w, "query")),
                _get(w, "matched"),
                _label("t", _get(w, "via")) if _get(w, "via") else None,
                str(getattr(_get(w, "via"), "value", _get(w, "via"))) if _get(w, "via") else None,
            )
            for w in _get(explanation, "words")
        )
        matched = sum(1 for w in words if w.matched is not None)
        sentence = _(
            "“%(query)s” matched “%(form)s” (%(kind)s, %(script)s): %(words)s, "
            "name score %(name_score)s, score %(score)s.",
            query=_get(explanation, "query_form"),
            kind=_label("k", str(_get(explanation, "matched_kind"))),
            form=_get(explanation, "matched_form"),
            script=_label("s", str(_get(explanation, "matched_script"))),
            words=ngettext(
                "%(matched)s of %(count)s word met",
                "%(matched)s of %(count)s words met",
                len(words),
                matched=matched,
                count=len(words),
            ),
            name_score=_score(float(_get(explanation, "name_score"))),
            score=_score(float(_get(explanation, "score"))),
        )
        qualifiers = tuple(
            QualifierView(
                qualifier_text(
                    str(_get(q, "qualifier")), str(_get(q, "outcome")), str(_get(q, "detail"))
                ),
                signed(float(_get(q, "delta"))),
            )
            for q in _get(explanation, "qualifiers")
        )
        transformations = tuple(_label("t", t) for t in _get(explanation, "transformations"))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return ExplanationView(sentence, transformations, words, qualifiers)


def alert_reason(explanation: Any) -> str | None:
    """Why an alert that is not a name match was raised, translated, from the ``reason`` and
    values `ncen.watch` stores; the stored English ``summary`` for a reason this module does
    not know (or an alert stored before reasons were); None when there is neither."""
    if not isinstance(explanation, Mapping):
        return None
    reason = explanation.get("reason")
    if reason == "identifier" and explanation.get("value"):
        return str(_("carries the identifier “%(value)s”.", value=explanation["value"]))
    if reason == "record_changed" and explanation.get("label"):
        return str(_("“%(label)s” changed.", label=explanation["label"]))
    if reason == "saved_search" and explanation.get("name"):
        return str(_("new result of the saved search “%(name)s”.", name=explanation["name"]))
    summary = explanation.get("summary")
    return str(summary) if summary else None


def init_app(app: Flask) -> None:
    """Expose `explanation_view` and `alert_reason` to templates."""
    app.jinja_env.globals.update(explanation_view=explanation_view, alert_reason=alert_reason)
