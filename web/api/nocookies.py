"""The API reads no cookie: its requests get Flask's null session.

A browser's signed-in session must give no access to ``/api/v1`` (the API is exempt from CSRF
because a cross-site request cannot carry its credential, a bearer token), and an API call
must neither extend nor rewrite the browser's session. `ApiAwareSessionInterface` therefore
opens no session for API requests: Flask hands them a read-only null session, which is never
saved, so no ``Set-Cookie`` goes out and Flask-Login finds nobody signed in.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from web.api.problems import API_PREFIX


class ApiAwareSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session for pages; none for ``/api/v1``."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """None (Flask then uses its null session) for API paths; the cookie otherwise."""
        if request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
            return None
        return super().open_session(app, request)
