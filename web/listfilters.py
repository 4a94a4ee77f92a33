"""The filter form of a list page, rendered once and reused while nothing it shows changes.

The seizure and person lists open with a form of up to eleven filter fields (the country
select alone has some 250 options); rendering it through the ``field`` macro cost about as
much CPU as the fifty rows of the list under it, and for the same query string it is the very
same HTML every time. `filters_html` keeps the rendered fields per:

- the template (one per list) and the request's language (labels, enumeration options);
- the code lists the form offers, by identity: `web.codes.code_list` gives a new `CodeList`
  object once the reference data changed, so new codes or labels miss the cache (each entry
  holds its lists, so an identity is never reused while the entry lives);
- the query string without ``page`` (the form shows the filters, sort and facets, never the
  page number).

Only forms without errors are kept, and only query strings whose parameters are all in the
list's ``cacheable`` set: free-text filters (a name, a reference, a document number) are
rendered each time, so that no typed search is held in the process. The cache is a small LRU
shared by the threads of a worker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from flask import render_template, request
from markupsafe import Markup

from web.codes import code_list, request_locale
from web.forms import QueryForm

CACHE_SIZE = 256  # rendered forms kept per worker (a few kB each)

_lock = threading.Lock()
_rendered: OrderedDict[tuple[Any, ...], tuple[Markup, tuple[object, ...]]] = OrderedDict()


def filters_html(
    template: str,
    form: QueryForm,
    lists: Iterable[str],
    cacheable: frozenset[str],
    **context: Any,
) -> Markup:
    """``template`` rendered with ``form`` and ``context``, from the cache when the same
    language, code lists ``lists`` and query string rendered it before (see the module
    docstring for what is kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    refused = form.errors or getattr(form, "form_errors", None)
    if refused or any(k not in cacheable for k, _ in args):
        return Markup(render_template(template, form=form, **context))  # noqa: S704
    held = tuple(code_list(name) for name in lists)
    key = (template, request_locale(), tuple(id(x) for x in held), tuple(args))
    with _lock:
        found = _rendered.get(key)
        if found is not None:
            _rendered.move_to_end(key)
            return found[0]
    # render_template returns the template's escaped output: markup.
    html = Markup(render_template(template, form=form, **context))  # noqa: S704
    with _lock:
        _rendered[key] = (html, held)
        while len(_rendered) > CACHE_SIZE:
            _rendered.popitem(last=False)
    return html
