"""The sentences `ncen.analysis` builds for charts, timelines and associates, in the reader's
language.

The analysis services return `ncen.errors.Message`s (a template and its values, role and
document codes as `ncen.errors.Codes`); `sentence` translates the template and names the
codes (`web.fielderrors.translate_message`). The templates are listed here so that the
extractor puts them in the catalogues: keep them identical to those of ``ncen/analysis``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from web.fielderrors import translate_message

ANALYSIS_TEMPLATES = (
    # Timeline events (ncen/analysis/timeline.py).
    _l("born"),
    _l("%(document)s %(number)s expires"),
    _l("%(change)s v%(version)s by %(who)s"),
    _l("%(change)s v%(version)s by %(who)s: %(fields)s"),
    _l("%(role)s in %(record)s"),
    # Exchange events (web/network/exchangeevents.py).
    _l("sent to %(node)s (version %(version)s)"),
    _l("received from %(node)s"),
    # Chart links (ncen/analysis/graph.py).
    _l("%(role)s of %(record)s"),
    _l("same document"),
    _l("same phone"),
    _l("same e-mail"),
    _l("same address"),
    _l("same identifier"),
    _l("same phone %(value)s"),
    _l("same e-mail %(value)s"),
    _l("same address %(value)s"),
    _l("same %(what)s %(value)s"),
    # Associates (ncen/analysis/associates.py).
    _l("both in %(record)s as %(mine)s / %(theirs)s"),
    _l("and %(n)s more"),
)


def sentence(text: str) -> str:
    """``text`` from the analysis services in the reader's language (a plain string, such as
    a record label or a sentence read back from a saved chart, is looked up as it is)."""
    return translate_message(text)
