"""What the load test's recorders send, for the benchmarks that replay it in process.

`case_fields` is a valid record-a-seizure form (the header and one item), `small_jpeg` a picture
of the size a phone sends after the browser shrank it. `bench_pages.py` posts them through the
Flask test client; ``load_users.py`` (locust) posts the same fields over HTTP.
"""

from __future__ import annotations

import io
import random
import re

from PIL import Image

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of ``html``."""
    found = _CSRF.search(html)
    if found is None:
        raise AssertionError("no CSRF token on the page")
    return found.group(1)


def case_fields(when: str) -> dict[str, str]:
    """A valid recording form, occurred at ``when`` (``YYYY-MM-DDTHH:MM``): the header and one
    item, as the load test's recorders post it."""
    return {
        "occurred_at": when,
        "utc_offset": "+05:00",
        "place": "Khorgos border crossing",
        "direction": "import",
        "transport_mode": "road",
        "departure_country": "CN",
        "transit_countries": "KZ",
        "destination_country": "RU",
        "concealment_methods": "within_cargo",
        "concealment_description": "Behind tiles",
        "narrative": "Load test: cigarettes hidden behind a load of tiles.",
        "source_reliability": "B",
        "information_grade": "2",
        "handling_code": "H0",
        "items-0-commodity_group": "tobacco",
        "items-0-hs_code": "2402.20",
        "items-0-description": "Cigarettes",
        "items-0-quantity": "12000",
        "items-0-unit": "pieces",
        "items-0-estimated_value": "3600",
        "items-0-currency": "USD",
        "save": "Save as draft",
    }


def small_jpeg() -> bytes:
    """A 320x240 JPEG of a few kB, different every call (the store is content-addressed)."""
    colour = tuple(random.randrange(256) for _ in range(3))
    image = Image.new("RGB", (320, 240), colour)  # type: ignore[arg-type]
    for _ in range(50):
        image.putpixel((random.randrange(320), random.randrange(240)), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
