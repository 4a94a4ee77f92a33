"""Chinese names written in Wade–Giles or in Cyrillic (Palladius), read back into pinyin.

The Chinese path of the matcher compares pinyin syllables (`ncen.search.transliterate` reads
characters with pypinyin). Two older conventions spell the same syllables differently:

- **Wade–Giles** (Latin; Taiwan passports, older Western records): ``hs`` = x, ``ch``/``ch'``
  = zh/ch before a, e, o, u and j/q before i, ü; ``ts``/``tz`` = z/c; ``j`` = r; ``p``, ``t``,
  ``k`` = b, d, g (p', t', k' = p, t, k); finals ``-ih`` (chih = zhi), ``-ien`` (ian), ``-ieh``
  (ie), ``-ung`` (ong), ``-uei`` (ui), ``ŭ``/``u`` after tz, ts, ss, sz (tzu = zi), ``-o`` after
  k, h (ko = ge), ``erh`` (er). Records lose the apostrophes and umlauts (Chiu for Ch'iu), so an
  aspirated and an unaspirated initial are both kept as readings.
- **Palladius** (Cyrillic; the Russian standard since the 19th century, ГОСТ-free but
  universal in Russian documents): ``цз`` = j/z, ``ц`` = q/c, ``с`` = x/s, ``чж`` = zh, ``ж``
  = r, ``-нь`` = -n against ``-н`` = -ng, ``ы`` = the i of zi/ci/si, ``юй`` = ü, ``о`` = uo.

`read_name` recognises a whole name written in one of them (every word, or every hyphenated
part, is one syllable of the system, or a Cyrillic word that splits into at most three) and
gives tokens whose extra terms are the pinyin readings, marked ``via`` the system so that the
explanation names it. A name that does not parse as a whole is left to the ordinary readers.
`read_transcription` reads a Chinese-character transcription of a foreign name (written with
a middle dot, 买买提·吐尔逊) as one word that may meet its Latin spelling by sound.
Sources: the Wade–Giles/pinyin and Palladius/pinyin correspondence tables (Library of Congress
Pinyin conversion guidelines, 2000; Палладий, "Китайско-русский словарь", 1888, as tabulated in
the Russian "Система Палладия").
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product
from typing import Final

from ncen.search.normalise import fold_latin
from ncen.search.phonetic import MAX_CODES, latin_codes
from ncen.search.tokens import Token
from ncen.search.transliterate import CYRILLIC, LATIN, OTHER, char_script, read_word

WADE_GILES, PALLADIUS = "wade_giles", "palladius"
MAX_SYLLABLES = 3
MAX_READINGS = 8
MIDDLE_DOTS: Final = "·・•‧∙⋅"

# Every syllable of standard Mandarin in pinyin, folded as the matcher compares them (ü → u).
_SYLLABLES: Final = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai
    can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua
    chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de
    dei den deng di dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan
    fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan
    guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui
    hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao
    ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei
    leng li lia lian liang liao lie lin ling liu lo long lou lu luan lue lun luo ma mai man
    mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne
    nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nue nuo o ou pa pai pan
    pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin
    qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run
    ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou
    shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang
    tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen
    weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao
    ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai
    zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun
    zhuo zi zong zou zu zuan zui zun zuo"""
PINYIN: Final = frozenset(_SYLLABLES.split())

# Wade–Giles initials (longest first) and their pinyin values without apostrophes.
_WG_INITIALS: Final = (
    ("tz", ("z", "c")), ("ts", ("z", "c")), ("ss", ("s",)), ("sz", ("s",)), ("hs", ("x",)),
    ("ch", ("zh", "ch", "j", "q")), ("sh", ("sh",)), ("p", ("b", "p")), ("t", ("d", "t")),
    ("k", ("g", "k")), ("j", ("r",)), ("m", ("m",)), ("f", ("f",)), ("n", ("n",)),
    ("l", ("l",)), ("h", ("h",)), ("s", ("s",)), ("y", ("y",)), ("w", ("w",)), ("", ("",)),
)  # fmt: skip
_WG_FINALS: Final = {
    "ih": ("i",), "ien": ("ian",), "ieh": ("ie",), "ueh": ("ue",), "eh": ("e",),
    "ung": ("ong",), "iung": ("iong",), "uei": ("ui",), "erh": ("er",), "o": ("o", "uo"),
}  # fmt: skip
_SIBILANTS: Final = frozenset({"tz", "ts", "ss", "sz"})
# Taiwan passport spellings outside the Wade–Giles table (Lee Teng-hui = Li Denghui).
_TAIWAN_SPELLINGS: Final = {"lee": ("li",)}


@lru_cache(maxsize=8192)
def wade_giles_syllable(syllable: str) -> tuple[str, ...]:
    """The pinyin readings of one folded Wade–Giles syllable, () when it is none.

    "hsin" → ("xin",); "chiu" → ("jiu", "qiu"); "chih" → ("zhi", "chi"); "tzu" → ("zi", "ci").
    """
    if syllable in _TAIWAN_SPELLINGS:
        return _TAIWAN_SPELLINGS[syllable]
    for initial, given in _WG_INITIALS:
        if not syllable.startswith(initial):
            continue
        final = syllable[len(initial) :]
        if not final or (not initial and final[0] not in "aeiou"):
            return ()
        finals = _WG_FINALS.get(final, (final,))
        if initial in _SIBILANTS and final == "u":
            finals = ("i",)  # tzu, tz'u, ssu, szu: the apical vowel
        elif initial in ("k", "h") and final == "o":
            finals = ("e",)  # ko, k'o, ho
        elif initial == "y" and final == "u":
            finals = ("ou", "u")  # yu is you; yü (umlaut lost) is yu
        elif not initial and final == "i":
            return ("yi",)
        elif not initial and final in ("in", "ing"):
            finals = ("y" + final,)  # Taiwan passports drop the y: Ing-wen is Yingwen
        elif final == "ih" and initial not in ("ch", "sh", "j"):
            return ()
        values = given
        if initial == "ch":
            front = final.startswith(("i", "u")) and final != "ih"
            values = ("j", "q") if front else ("zh", "ch")
            if final.startswith("u"):  # chu is zhu or chu; chü (umlaut lost) is ju or qu
                values = ("zh", "ch", "j", "q")
        readings = [v + f for v in values for f in finals]
        return tuple(r for r in dict.fromkeys(readings) if r in PINYIN)
    return ()


def _palladius_final(initial: str, final: str) -> str:
    palatal = initial in ("j", "q", "x")
    if final == "i" and initial in ("z", "c", "s"):
        return "ы"
    if final.startswith("u") and palatal:  # ju, juan, jun, jue: the ü series
        final = "v" + final[1:]
    if final == "v":
        return "юй"
    table = {
        "a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу",
        "an": "ань", "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "er": "эр", "i": "и",
        "ia": "я", "ie": "е", "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь", "iang": "ян",
        "ing": "ин", "iong": "юн", "u": "у", "ua": "уа", "uo": "о", "uai": "уай", "ui": "уй",
        "uan": "уань", "un": "унь", "uang": "уан", "ve": "юэ", "van": "юань", "vn": "юнь",
        "ue": "юэ",
    }  # fmt: skip
    return table.get(final, "")


_PALLADIUS_INITIALS: Final = (
    ("zh", "чж"), ("ch", "ч"), ("sh", "ш"), ("b", "б"), ("p", "п"), ("m", "м"), ("f", "ф"),
    ("d", "д"), ("t", "т"), ("n", "н"), ("l", "л"), ("g", "г"), ("k", "к"), ("h", "х"),
    ("j", "цз"), ("q", "ц"), ("x", "с"), ("r", "ж"), ("z", "цз"), ("c", "ц"), ("s", "с"),
)  # fmt: skip
_PALLADIUS_ZERO: Final = {
    "yi": "и", "ya": "я", "yao": "яо", "ye": "е", "you": "ю", "yan": "янь", "yin": "инь",
    "yang": "ян", "ying": "ин", "yong": "юн", "yu": "юй", "yue": "юэ", "yuan": "юань",
    "yun": "юнь", "yo": "ё", "wu": "у", "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй",
    "wan": "вань", "wen": "вэнь", "wang": "ван", "weng": "вэн",
}  # fmt: skip


def palladius(syllable: str) -> str:
    """The Palladius spelling of one pinyin syllable ("jin" → "цзинь", "qiu" → "цю")."""
    if syllable in _PALLADIUS_ZERO:
        return _PALLADIUS_ZERO[syllable]
    for initial, cyrillic in _PALLADIUS_INITIALS:
        if syllable.startswith(initial):
            final = _palladius_final(initial, syllable[len(initial) :])
            return cyrillic + final if final else ""
    return _palladius_final("", syllable)


def _palladius_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for syllable in sorted(PINYIN):
        spelling = palladius(syllable)
        if spelling:
            index.setdefault(spelling, []).append(syllable)
    # Russian records often drop the soft sign (Цзин Пин for Цзинь Пин): -н is also -нь.
    for spelling, syllables in list(index.items()):
        if spelling.endswith("нь"):
            index.setdefault(spelling[:-1], []).extend(syllables)
    # Lü and nü (folded lu, nu) are люй, нюй; lüe, nüe are люэ, нюэ.
    for initial, cyrillic in (("l", "л"), ("n", "н")):
        index.setdefault(cyrillic + "юй", []).append(initial + "u")
        index.setdefault(cyrillic + "юэ", []).append(initial + "ue")
    return {k: tuple(v) for k, v in index.items()}


_PALLADIUS_INDEX: Final = _palladius_index()
_PALLADIUS_MARKS: Final = ("цз", "чж", "нь", "э", "юй", "оу", "ао")
# The most common Chinese surnames (Ministry of Public Security household register, 2020).
_COMMON_SURNAMES: Final = """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo
    he gao lin luo zheng liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan
    cai jiang yu du ye cheng wei su lu ding ren shen yao cui zhong tan fan jin shi liao jia xia
    fu fang bai zou meng xiong qin qiu yin xue yan duan lei hou long tao gu mao hao gong shao
    wan qian kong xiang"""
COMMON_SURNAMES: Final = frozenset(_COMMON_SURNAMES.split())
_PALLADIUS_SURNAMES: Final = frozenset(palladius(s) for s in COMMON_SURNAMES)
# Common surnames whose Wade–Giles spelling is also a pinyin syllable, but another one.
_WADE_GILES_SURNAMES: Final = frozenset(
    [
        "chang",
        "cheng",
        "chao",
        "chou",
        "chu",
        "chung",
        "kao",
        "kuo",
        "teng",
        "tung",
        "pai",
        "tu",
        "ting",
        "tai",
        "kung",
        "ku",
    ]
)
_LONGEST: Final = max(len(k) for k in _PALLADIUS_INDEX)


@lru_cache(maxsize=8192)
def palladius_word(word: str) -> tuple[tuple[str, ...], ...]:
    """Every split of a lower-case Cyrillic word into at most `MAX_SYLLABLES` Palladius
    syllables, fewest syllables first, as pinyin: "цзиньпин" → (("jin", "ping"),)."""
    word = word.replace("ё", "е")
    splits: list[tuple[str, ...]] = []

    def walk(start: int, done: tuple[tuple[str, ...], ...]) -> None:
        if start == len(word):
            splits.extend(product(*done))
            return
        if len(done) == MAX_SYLLABLES:
            return
        for end in range(min(len(word), start + _LONGEST), start, -1):
            readings = _PALLADIUS_INDEX.get(word[start:end])
            if readings:
                walk(end, (*done, readings))

    walk(0, ())
    splits.sort(key=len)
    return tuple(dict.fromkeys(splits))[:MAX_READINGS]


@lru_cache(maxsize=65536)
def is_pinyin(word: str) -> bool:
    """True for a folded word made of at most `MAX_SYLLABLES` pinyin syllables (zhou, enlai)."""
    if not word:
        return False
    if word in PINYIN:
        return True
    return any(
        word[:end] in PINYIN and len(word) > end and _pinyin_rest(word[end:], 1)
        for end in range(1, min(len(word), 6) + 1)
    )


def _pinyin_rest(word: str, used: int) -> bool:
    if word in PINYIN:
        return True
    if used + 1 >= MAX_SYLLABLES:
        return False
    return any(
        word[:end] in PINYIN and _pinyin_rest(word[end:], used + 1)
        for end in range(1, min(len(word) - 1, 6) + 1)
    )


def _token(text: str, readings: list[str], parts: list[str], script: str, via: str) -> Token:
    extra = tuple(dict.fromkeys(r for r in readings if r != text))
    codes = tuple(dict.fromkeys(c for w in (text, *readings) for c in latin_codes(w)))
    changed = bool(extra) or script != LATIN
    return Token(
        text,
        script,
        codes[:MAX_CODES],
        extra=extra,
        via=via if changed else "",
        parts=tuple(dict.fromkeys(p for p in parts if p not in extra and p != text)),
    )


@lru_cache(maxsize=65536)
def _wade_giles_word(word: str) -> Token | None:
    parts = [p for p in fold_latin(word).replace("‐", "-").split("-") if p]
    if not parts or len(parts) > MAX_SYLLABLES or not all(p.isascii() for p in parts):
        return None
    readings = [wade_giles_syllable(p) for p in parts]
    if not all(readings):
        return None
    joined = ["".join(combo) for combo in product(*readings)][:MAX_READINGS]
    syllables = [s for options in readings for s in options] if len(parts) > 1 else []
    return _token("".join(parts), joined, syllables, LATIN, WADE_GILES)


@lru_cache(maxsize=65536)
def _palladius_word(word: str) -> Token | None:
    lower = word.lower()
    if not lower or any(char_script(c) != CYRILLIC for c in lower if c.isalpha()):
        return None
    splits = palladius_word(lower)
    if not splits:
        return None
    joined = ["".join(s) for s in splits]
    syllables = list(splits[0]) if len(splits[0]) > 1 else []
    own = [p for r in read_word(lower) for p in r.parts]
    return _token(joined[0], [*joined, *own], syllables, CYRILLIC, PALLADIUS)


def read_name(written: list[str]) -> list[list[Token]] | None:
    """The tokens of each written word when the whole name is Wade–Giles or Palladius.

    Returns None when any word is not a syllable (or, in Cyrillic, a run of at most three
    syllables) of the system, or when no word needed converting: the name is then read as
    usual. One token per written word: a hyphenated Wade–Giles given name (Hsiao-p'ing) is
    one word, as pinyin writes it (Xiaoping).
    """
    if not 2 <= len(written) <= 4:
        return None  # one word (Муса = mu sa, Chang) says too little to be taken as Chinese
    for reader in (_wade_giles_word, _palladius_word):
        tokens = [reader(w) for w in written]
        if all(t is not None for t in tokens) and any(t is not None and t.via for t in tokens):
            if reader is _palladius_word and not _looks_palladian(written):
                continue
            if reader is _wade_giles_word and not _looks_wade_giles(written):
                continue
            return [[t] for t in tokens if t is not None]
    return None


def _looks_wade_giles(written: list[str]) -> bool:
    """True when a name whose words are all Wade–Giles syllables is likely Wade–Giles, not
    pinyin: a word is no pinyin (Hsin, Chiu, Tse-tung) or is hyphenated (Shu-chen, as Taiwan
    passports write given names), or the name starts or ends with a surname as Taiwan and
    older records spell it (Chang = Zhang, Kuo = Guo). Otherwise "Tang Kai" would also read
    Dang Gai, and every pinyin name would meet others. A hyphenated pinyin name keeps its own
    spelling as the token's text, so reading it as Wade–Giles only adds readings; pinyin
    initials that Wade–Giles lacks (b, d, g, q, x, z) keep such names out of this path."""
    folded = [fold_latin(w).replace("-", "") for w in written]
    if any(not is_pinyin(w) for w in folded):
        return True
    if any("-" in fold_latin(w).replace("‐", "-") for w in written):
        return True  # Taiwan passports write given names hyphenated (Shu-chen); pinyin joins them
    return folded[0] in _WADE_GILES_SURNAMES or folded[-1] in _WADE_GILES_SURNAMES


def _looks_palladian(written: list[str]) -> bool:
    """True when a Cyrillic name that splits into Palladius syllables is likely Chinese: it
    has a spelling only Palladius uses (цз, чж, нь, э, юй, оу, ао), or starts with a common
    Chinese surname (Ван, Ли, Лю...). "Анна Ли" and "Мурат Ма" are not taken for Chinese."""
    lower = " ".join(written).lower()
    if any(mark in lower for mark in _PALLADIUS_MARKS):
        return True
    return written[0].lower() in _PALLADIUS_SURNAMES or written[-1].lower() in (_PALLADIUS_SURNAMES)


def read_transcription(part: str) -> list[Token] | None:
    """A run of Chinese characters in a name written with a middle dot (a transcribed foreign
    name, 买买提·吐尔逊) as one word, compared by sound like a Latin spelling; None when
    ``part`` is not Chinese."""
    readings = read_word(part)
    if len(readings) != 1 or not readings[0].syllables:
        return None
    text = "".join(readings[0].syllables)
    return [Token(text, OTHER, latin_codes(text))]
