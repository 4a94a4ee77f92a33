"""The extendable dictionaries of name matching: variants and nicknames, Arabic-script names,
Chinese surnames, company legal forms and name particles.

Every Latin entry is written folded (lower case, no diacritics), as `ncen.search.normalise`
produces it. To extend a dictionary, add a line: a new variant group, a new legal form. Tests
in tests/unit/test_search_keys.py show what each one is for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Final


def _words(text: str) -> frozenset[str]:
    """The space-separated words of ``text`` (the dictionaries are written as word lists)."""
    return frozenset(text.split())


# Spellings and nicknames of one name. A name may sit in several groups (ali is its own name
# and not a short form of aleksandr); matching treats two words as variants when they share a
# group. Transliteration variants that the phonetic codes already join are listed only where
# the codes cannot see them (nicknames, Russian г for Arabic h, Turkish forms).
VARIANT_GROUPS: Final[tuple[frozenset[str], ...]] = tuple(
    _words(line)
    for line in (
        "aleksandr alexander aleksander alexandr oleksandr alexandre alessandro sasha sascha "
        "shura sanya alex aleks",
        "aleksei alexei alexey aleksey alexej aleksej oleksiy oleksii alyosha lyosha",
        "dmitrii dmitry dmitriy dimitri dmitrij dima mitya",
        "mikhail michail mikhael michael misha mischa mykhailo",
        "nikolai nikolay nicolas nikolaj mykola kolya",
        "sergei sergey serguei sergej serhii serhiy seryozha",
        "ivan iwan vanya",
        "vladimir wladimir volodymyr volodya vova",
        "yevgeny evgeny evgenii evgeniy yevgeniy jewgeni eugene zhenya",
        "yuri yuriy yurii iouri juri jurij yura",
        "pavel paul pasha",
        "petr pyotr piotr peter pierre petya",
        "andrei andrey andrej andrii andriy andre andrew andrzej",
        "elena yelena jelena helena lena olena",
        "ekaterina yekaterina katerina catherine katya",
        "natalia natalya nataliya natalja natasha natascha",
        "tatiana tatyana tatjana tanya",
        "olga olha olya",
        "maria mariya marija masha",
        "giorgi georgi georgii georgiy george georg",
        "lukasz lukas lucas luka",
        "muhammad mohammed mohammad mohamed mohamad muhammed muhamed mukhammad mukhammed "
        "magomed mahomed mehmet mehmed muhammet mokhammad mukhamad mohd",
        "ahmad ahmed akhmed akhmad ahmet achmed",
        "mahmud mahmoud makhmud mahmood mahmut",
        "husain hussain hussein husein husayn hossein huseyin guseyn gusein khusein huseyn",
        "hasan hassan khasan gasan",
        "abdullah abdulla abdallah abdollah abdulloh",
        "abdurrahman abdulrahman abdelrahman abdurakhman abdurahman abdurahmon",
        "yusuf yousuf yousef youssef yusup jusuf",
        "ibrahim ibragim ebrahim ibrohim",
        "ismail ismoil ismayil esmail",
        "umar omar omer umer",
        "usman osman uthman osmon",
        "khalid khaled halid",
        "fatima fatimah fatemeh fatma patimat",
        "aisha ayesha aysha aishah ayse",
        "maryam mariam meryem",
        "zahra zohra zuhra",
        "yerlan erlan",
        "timur temur teymur timour",
        "farkhod farhod farhad farkhad",
        "jamshid jamshed dzhamshid djamshid",
        "javed javid jawed",
        "noor nur",
        "mammadov mamedov mamadov mammedov",
        "mammad mamed mamad",
        "hosseini husseini husaini huseini",
        "qureshi kureshi qurashi quraishi",
    )
)

# Common names written in Arabic script, with the vowels the script leaves out restored.
ARABIC_SCRIPT_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        native: latin
        for latin, spellings in (
            ("muhammad", "محمد"),
            ("ahmad", "احمد أحمد"),
            ("mahmud", "محمود"),
            ("ali", "علی علي"),
            ("husain", "حسین حسين"),
            ("hasan", "حسن"),
            ("abdullah", "عبدالله"),
            ("abdurrahman", "عبدالرحمن عبدالرحمان"),
            ("umar", "عمر"),
            ("usman", "عثمان"),
            ("yusuf", "یوسف يوسف"),
            ("ibrahim", "ابراهیم إبراهيم ابراهيم"),
            ("ismail", "اسماعیل إسماعيل"),
            ("karim", "کریم كريم"),
            ("rahim", "رحیم رحيم"),
            ("rahman", "رحمان رحمن"),
            ("fatima", "فاطمه فاطمة"),
            ("zahra", "زهرا زهراء"),
            ("maryam", "مریم مريم"),
            ("aisha", "عایشه عائشة عائشه"),
            ("khan", "خان"),
            ("shah", "شاه"),
            ("imran", "عمران"),
            ("khalid", "خالد"),
            ("mustafa", "مصطفی مصطفى"),
            ("reza", "رضا"),
            ("mahdi", "مهدی مهدي"),
            ("hamid", "حمید حميد"),
        )
        for native in _words(spellings)
    }
)

# Two-character Chinese surnames, and surnames whose reading differs from the character's
# most common reading (pypinyin reads the characters as ordinary words).
COMPOUND_SURNAMES: Final = _words(
    "欧阳 司马 诸葛 上官 司徒 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 夏侯 公孙 西门 独孤 端木"
)
SURNAME_READINGS: Final[Mapping[str, str]] = MappingProxyType(
    {"单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
     "盖": "ge", "缪": "miao", "翟": "zhai", "覃": "qin", "吕": "lyu", "尉迟": "yu chi",
     "长孙": "zhang sun"}
)  # fmt: skip
HAN_LEGAL_SUFFIXES: Final = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "公司")
ARABIC_SCRIPT_LEGAL_WORDS: Final = _words("شرکت شركة سهامی خاص عام مسئولیت محدود ذمم")

# Legal forms as folded Latin word sequences (Cyrillic forms as they transliterate).
LEGAL_FORMS: Final[frozenset[tuple[str, ...]]] = frozenset(
    tuple(form.split())
    for form in [
        *_words(
            "llc llp ltd limited inc incorporated corp corporation co company plc lp jsc ojsc "
            "cjsc pjsc gmbh ag kg ohg ug sa sarl sas sasu eurl snc bv nv spa srl sl as sti too "
            "ooo oao zao pao ao ip zhshs mchj aj xk fze fzco fzc pvt pty kft zrt oy ab aps spzoo"
        ),
        "co ltd",
        "a s",
        "s a",
        "a g",
        "b v",
        "n v",
        "s r l",
        "s p a",
        "l l c",
        "l l p",
        "j s c",
        "p l c",
        "pvt ltd",
        "sp z o o",
        "ltd sti",
        "limited sirketi",
        "anonim sirketi",
        "limited liability company",
        "limited liability partnership",
        "joint stock company",
        "public joint stock company",
        "closed joint stock company",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "tovarishchestvo s ogranichennoy otvetstvennostyu",
        "aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "individualnyy predprinimatel",
    ]
)
LONGEST_LEGAL_FORM: Final = max(len(form) for form in LEGAL_FORMS)

# Words that are not part of the name proper.
PERSON_PARTICLES: Final = _words("mr mrs ms miss dr al el")
# "son of" / "daughter of": the marker and the father's name after it are optional.
ARABIC_PATRONYMIC_MARKERS: Final = _words("bin ibn bint binti ben")
# Turkic "son of" / "daughter of" markers follow the father's name, which is optional too.
TURKIC_PATRONYMIC_MARKERS: Final = _words(
    "ogly oglu ogli ugli uly uulu kyzy kizi qizi gizi gyzy qyzy"
)
# East Slavic patronymics as English, French and German spell them (-ovich, -ovitch, -owitsch,
# -ovna, -owna), and Kazakh/Kyrgyz ones written as one word (Bolatuly, Nurbekkyzy).
PATRONYMIC_SUFFIXES: Final = (
    "vich", "vitch", "witsch", "vitsch", "wich", "vych", "vna", "wna", "ichna", "uly", "kyzy",
    "qyzy",
)  # fmt: skip
# Patronymics of fathers' names in -a/-ya (Nikita, Ilya, Kuzma, Foma, Luka, Savva): -ich and
# -ichna/-inichna, not -ovich (Никитич, Ильич, Кузьминична), as Russian grammars list them.
A_PATRONYMICS: Final = _words(
    "nikitich ilyich ilich iljich kuzmich fomich lukich nikitichna ilyinichna ilinichna "
    "kuzminichna fominichna lukinichna"
)
# The elements of compound Arabic and Persian given names, written apart or joined (Sami
# Ullah, Samiullah, سمیع‌الله; Nour Eddine, Noureddine, نور الدين; Ghulam Reza, Gholamreza,
# غلامرضا), as Latin spellings and as the analyser reads the Arabic script (الله: allh).
COMPOUND_SECONDS: Final = _words(
    "ullah allah ulla ulloh ollah allh uddin uddeen eddine eddin addin aldin aldyn udin deen din"
)
COMPOUND_FIRSTS: Final = _words("ghulam gholam golam ghlam")
# Words that are glued to the next one in Arabic names ("Abdul Rahman" = "Abdulrahman").
JOINING_PREFIXES: Final = _words("abd abdul abdel abdal abdur abu")


def _group_index(groups: Iterable[frozenset[str]]) -> Mapping[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in groups:
        for word in group:
            index.setdefault(word, set()).update(group)
    return MappingProxyType({word: frozenset(members) for word, members in index.items()})


_VARIANTS: Final = _group_index(VARIANT_GROUPS)


@lru_cache(maxsize=65536)
def variants_of(word: str) -> frozenset[str]:
    """Every listed spelling and nickname of ``word``, in this module's groups, the English
    nicknames and the cross-language equivalents of `ncen.search.nicknames` (empty when it is
    in none)."""
    # Imported here: nicknames needs the pinyin table, whose module imports this one.
    from ncen.search import nicknames

    found = _VARIANTS.get(word, frozenset())
    short = nicknames.diminutives_of(word)
    more = nicknames.nicknames_of(word) | nicknames.equivalents_of(word) | short
    if not more:
        return found
    # A spelling of a name has the equivalents of the name (Youssef ~ Joseph, Лев ~ Leo), and
    # so has a diminutive (Лёва ~ Leo): the full names a diminutive stands for are spelt too.
    spelt = {word, *found, *short}
    wider = {e for w in spelt for e in nicknames.equivalents_of(w)}
    # The diminutives of the name in other languages' forms (Leo ~ Лёва, Joseph ~ Ося), but
    # not of the other full names a diminutive stands for (Slava: Vladislav, not Vyacheslav).
    small = {d for e in wider for d in nicknames.diminutives_of(e)}
    return frozenset(
        found | more | wider | small | {v for e in wider for v in _VARIANTS.get(e, ())}
    )


def equivalent_only(first: str, second: str) -> bool:
    """True when two different words are the same name only in another language (Yusuf and
    Iosif), not spellings or nicknames of one another: weaker evidence of one person."""
    from ncen.search import nicknames

    if first == second or second in _VARIANTS.get(first, ()):
        return False
    if second in nicknames.nicknames_of(first):
        return False
    return second in variants_of(first)


def is_patronymic(word: str) -> bool:
    """True for a folded Latin word that reads as an East Slavic patronymic (Ibragimovich)."""
    return (len(word) >= 7 and word.endswith(PATRONYMIC_SUFFIXES)) or word in A_PATRONYMICS
