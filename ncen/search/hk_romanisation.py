"""Jyutping → the Hong Kong government romanisation of Cantonese, as identity cards spell names.

The romanisation table that `ncen.search.cantonese` reads gives many characters one or two
spellings only, often in Yale (丁 "ding", 戴 "daai", 蔣 "jeung"), where a Hong Kong identity
card writes Ting, Tai and Tseung. The government romanisation is not a table of its own: it
is a set of conventions on the sounds, which Jyutping (LSHK) spells unambiguously, so every
character's Jyutping is rewritten here into the spellings the conventions allow:

- initials: the unaspirated stops lose their voicing letter (b→p, d→t, g→k, gw→kw: 鄧 dang
  Tang, 家 gaa Ka, 郭 gwok Kwok); z and c are written ch or ts (陳 Chan, 曾 Tsang); s is s or,
  before some vowels, sh (成 Shing, 石 Shek, 岑 Shum); j is y (葉 jip Yip);
- finals: aa is a (華 waa Wa, Wah), oeng/oek are eung/euk (張 Cheung, 卓 Cheuk), eoi is ui
  (徐 Tsui, 許 Hui), eon is un (俊 Chun), yu/yun/yut are u/uen/uet (朱 Chu, 孫 Suen, 月
  Yuet), ou is o (杜 To, 高 Ko), i after a sibilant is ze or z (思 Sze, 子 Tsz), ei is also
  ee or i (李 Lee), a closed short a is also u (芬 Fun, 林 Lum), au is also ow (周 Chow),
  o is also oh, or and aw (羅 Law), u is also oo (顧 Koo).

`hk_spellings` gives them most usual first; every one is a spelling an identity card has
been seen to use for that sound (Hong Kong government, "A Chinese Syllabary Pronounced
According to the Dialect of Canton", the romanisation of the Immigration Department). The
variants are bounded (`MAX_SPELLINGS`), so a syllable never spreads over the table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product
from typing import Final

MAX_SPELLINGS = 6

_INITIALS: Final = ("gw", "kw", "ng", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h")
_INITIALS_MORE: Final = ("w", "z", "c", "s", "j")
_INITIAL_SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    "b": ("p",), "p": ("p",), "m": ("m",), "f": ("f",), "d": ("t",), "t": ("t",),
    "n": ("n",), "l": ("l",), "g": ("k",), "k": ("k",), "ng": ("ng",), "h": ("h",),
    "gw": ("kw",), "kw": ("kw",), "w": ("w",), "z": ("ch", "ts"), "c": ("ch", "ts"),
    "s": ("s", "sh"), "j": ("y",), "": ("",),
}  # fmt: skip
# Jyutping final → its spellings, the usual one first.
_FINAL_SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    "aa": ("a", "ah"), "aai": ("ai",), "aau": ("au",), "aam": ("am",), "aan": ("an",),
    "aang": ("ang",), "aap": ("ap",), "aat": ("at",), "aak": ("ak",),
    "ai": ("ai",), "au": ("au", "ow"), "am": ("am", "um"), "an": ("an", "un"),
    "ang": ("ang",), "ap": ("ap",), "at": ("at",), "ak": ("ak",),
    "e": ("e",), "ei": ("ei", "ee", "i"), "eng": ("eng",), "ek": ("ek",), "eu": ("eu",),
    "i": ("i", "ee"), "iu": ("iu",), "im": ("im",), "in": ("in",), "ing": ("ing",),
    "ip": ("ip",), "it": ("it",), "ik": ("ik",),
    "o": ("o", "oh", "or", "aw"), "oi": ("oi", "oy"), "ou": ("o", "ou"), "on": ("on",),
    "ong": ("ong",), "ot": ("ot",), "ok": ("ok",),
    "oe": ("oe", "eu"), "oeng": ("eung", "eong"), "oek": ("euk", "eok"),
    "eoi": ("ui", "eui"), "eon": ("un", "eun"), "eot": ("ut", "eut"),
    "u": ("u", "oo"), "ui": ("ui", "ooi"), "un": ("un", "oon"), "ung": ("ung",),
    "ut": ("ut",), "uk": ("uk",),
    "yu": ("u", "ue", "yu"), "yun": ("uen", "un", "yun"), "yut": ("uet", "ut"),
    "m": ("m",), "ng": ("ng",),
}  # fmt: skip
_SIBILANT_I: Final = {"z": ("tsz", "chi", "tsze", "chee"), "c": ("chi", "tsz", "tsze", "chee")}
_SIBILANT_I_S: Final = ("sze", "si", "see", "shi")
_JYUTPING: Final = re.compile(r"^(gw|kw|ng|[bpmfdtnlgkhwzcsj])?([a-z]+)$")


def _split(syllable: str) -> tuple[str, str] | None:
    """A toneless Jyutping syllable as (initial, final); None when it is not one."""
    if syllable in {"m", "ng"}:
        return "", syllable
    found = _JYUTPING.match(syllable)
    if found is None:
        return None
    initial, final = found.group(1) or "", found.group(2)
    if final not in _FINAL_SPELLINGS:
        return None
    return initial, final


@lru_cache(maxsize=4096)
def hk_spellings(syllable: str) -> tuple[str, ...]:
    """The Hong Kong government spellings of one toneless Jyutping syllable, the usual one
    first, at most `MAX_SPELLINGS` ("zoeng" → ("cheung", "tseung", "cheong", "tseong"));
    () when ``syllable`` is not Jyutping."""
    split = _split(syllable)
    if split is None:
        return ()
    initial, final = split
    if final == "i" and initial in _SIBILANT_I:
        return _SIBILANT_I[initial]
    if final == "i" and initial == "s":
        return _SIBILANT_I_S
    heads = _INITIAL_SPELLINGS[initial]
    tails = _FINAL_SPELLINGS[final]
    if initial == "j":
        # y before the vowel: jyu is yu, not yu-u (余 Yu, 袁 jyun Yuen, 月 jyut Yuet).
        tails = tuple(dict.fromkeys(t[1:] if t.startswith("y") else t for t in tails))
    spellings = ["".join(pair) for pair in product(heads, tails)]
    # Ordered by the rank of each part: the usual spelling of both parts first.
    ranked = sorted(range(len(spellings)), key=lambda i: (i // len(tails)) + (i % len(tails)))
    return tuple(dict.fromkeys(spellings[i] for i in ranked))[:MAX_SPELLINGS]
