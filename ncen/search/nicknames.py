"""Nicknames and cross-language equivalents of given names.

Two sources, joined into the variant lookup of `ncen.search.variants.variants_of`:

- English given names and their nicknames (William ~ Bill ~ Will, Robert ~ Bob) from the
  ``nicknames`` package, a hand-curated list maintained upstream (Apache-2.0). A nickname is
  paired with its full names only, never with the other names that share it (Al is Albert and
  Alfred, but Albert is not Alfred). Pairs that would mislead in the traditions this node
  serves are left out: nicknames of one or two letters, nicknames that are given names of
  their own there (Ali is not Alison, Nur is not Eleanor), markers (Ben is "son of") and
  nicknames that are pinyin syllables (Dan, Lin: a Chinese given name, not Daniel).
- The same name in other languages (`EQUIVALENTS`): the names of the Abrahamic tradition as
  the Qur'an, the Bible in English and the Russian Orthodox calendar write them (Yusuf ~
  Joseph ~ Iosif ~ Osip; Ibrahim ~ Abraham ~ Avraam; Musa ~ Moses ~ Moisei), and European
  names with their Russian forms (Lev ~ Leo, Ivan ~ John). Sources: the table of prophets'
  names in Arabic and English in "Prophets and messengers in Islam" and the Russian forms of
  the names in the Orthodox calendar (Святцы), as tabulated in "Russian given names".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Final

MIN_NICKNAME = 3
# Given names of their own in Central Asian, Middle Eastern and South Asian naming, or markers.
_OWN_NAMES: Final = "ali nur ben bin ibn aya ela ina ada lola alla dina lena sara rosa kim lee mia"
NOT_NICKNAMES: Final = frozenset(_OWN_NAMES.split())

EQUIVALENTS: Final = (
    "yusuf yousuf yousef youssef yusup jusuf joseph josef jozef iosif osip yosef giuseppe jose",
    "ibrahim ibragim ebrahim ibrohim abraham avraam abram",
    "musa moussa mousa moses moisei moise mozes",
    "yakub yaqub yakup jacob jakob yakov iakov",
    "ishaq isaac isaak",
    "ismail ismoil ismayil ishmael",
    "ilyas ilias elias elijah ilya ilia",
    "yunus younes jonah jonas iona",
    "sulaiman sulayman suleiman suleyman sulaymon solomon",
    "dawud dawood daud davud dovud david",
    "harun haroun aaron aron",
    "nuh noah noy",
    "ayub ayyub ayoub job iov",
    "zakariya zakaria zakariyya zachary zacharias zakhar",
    "maryam mariam meryem maria mariya mary",
    "mikail mikayil mikhail michael",
    "jibril jabrail gabriel gavriil",
    "lev leo leon",
    "ivan john johann ioann giovanni juan",
    "fyodor fedor theodore",
    "stepan stephen steven",
    "grigory grigoriy gregory",
    "yakov jacob",
    "peter petr pyotr piotr pierre pietro pedro petro",
    "paul pavel pawel paolo pablo pavlo",
    "nicholas nikolai nikolay nikolaus nicolas nicola mykola mikolaj nikoloz",
    "constantine konstantin konstantinos kostas konstanty kostiantyn",
    "catherine katherine ekaterina yekaterina katarzyna katharina caterina kateryna katerina",
    "elizabeth elizaveta yelizaveta elzbieta elisabeth elisabetta yelyzaveta",
    "anastasia anastasiya anastasija nastasia anastazja",
    "anna anne hanna ganna",
    "michael mikhail mikheil michel michal mykhailo miguel michele",
    "david davit dawid davide davyd",
    "george georgy georgiy giorgi jerzy jorge georges heorhiy",
    "alexander aleksandr aleksander oleksandr alexandre alessandro alejandro",
    "andrew andrei andrey andrzej andreas andriy andrii",
    "thomas foma tomasz tomas tommaso",
    "philip filipp filip philippe felipe pylyp",
    "matthew matvei matvey mateusz matteo mateo matthias",
    "helen elena yelena olena helena",
    "sophia sofia sofiya zofia sophie",
    "eugene yevgeny evgeny eugeniusz eugen yevhen",
    "basil vasily vasiliy wasyl vasyl",
    "gregory grigory grzegorz hryhoriy",
    "stephen stepan stefan stephane esteban",
    "theodore fyodor fedor teodor fedir",
    "simon semyon semen szymon",
)

# Russian (and Georgian) diminutives: full names (spellings), then their diminutives.
DIMINUTIVES: Final = (
    "aleksandr aleksandra: sasha shura sanya",
    "aleksei alexei: alyosha alesha lyosha lesha",
    "anatoly anatoliy anatolii: tolya",
    "andrei andrey: andryusha",
    "anna: anya nyura anyuta",
    "anastasiya anastasia: nastya",
    "boris: borya",
    "valentin valentina: valya",
    "valery valeriy valerii: valera",
    "vasily vasiliy vasilii: vasya",
    "viktor: vitya",
    "vladimir: volodya vova",
    "vladislav vyacheslav yaroslav stanislav: slava",
    "galina: galya",
    "gennady gennadiy gennadii: gena",
    "georgy georgiy georgii: zhora gosha",
    "grigory grigoriy grigorii: grisha",
    "darya daria darja: dasha",
    "dmitry dmitriy dmitrii: dima mitya",
    "evgeny evgeniy evgenii yevgeny evgeniya yevgeniya: zhenya",
    "ekaterina yekaterina: katya katyusha",
    "elena yelena: lena lenochka",
    "elizaveta yelizaveta: liza",
    "ivan: vanya",
    "iosif: osya",
    "irina: ira",
    "konstantin: kostya",
    "kseniya ksenia: ksyusha",
    "lev: leva lyova",
    "leonid: lenya lyonya",
    "lyudmila: lyuda",
    "mariya maria: masha manya",
    "mikhail: misha",
    "nadezhda: nadya",
    "natalya natalia: natasha",
    "nikolai nikolay: kolya",
    "olga: olya",
    "pavel: pasha",
    "petr pyotr: petya",
    "svetlana: sveta",
    "sergei sergey: seryozha serezha",
    "stepan: styopa stepa",
    "tatyana tatiana: tanya",
    "yuliya yulia: yulya",
    "yuri yuriy yurii: yura",
    "yakov: yasha",
    "fedor fyodor: fedya",
    "semyon semen: syoma sema",
    "roman: roma",
    "ilya: ilyusha",
    "david: dato",
)


def _index(groups: list[frozenset[str]]) -> Mapping[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for group in groups:
        for word in group:
            found.setdefault(word, set()).update(group - {word})
    return MappingProxyType({w: frozenset(v) for w, v in found.items()})


@lru_cache(maxsize=1)
def _nickname_pairs() -> Mapping[str, frozenset[str]]:
    # Imported on first use: reading the list is work a process that never searches need not do.
    from nicknames import NickNamer

    from ncen.search.chinese import PINYIN

    def kept(name: str) -> bool:
        return name.isascii() and name.isalpha() and name not in NOT_NICKNAMES

    pairs: list[frozenset[str]] = []
    for full, nicks in NickNamer().nickname_lookup.items():
        if not kept(full):
            continue
        pairs.extend(
            frozenset((full, nick))
            for nick in nicks
            if kept(nick) and len(nick) >= MIN_NICKNAME and nick not in PINYIN
        )
    return _index(pairs)


_EQUIVALENTS: Final = _index([frozenset(line.split()) for line in EQUIVALENTS])


def _diminutive_pairs() -> Mapping[str, frozenset[str]]:
    pairs: list[frozenset[str]] = []
    for line in DIMINUTIVES:
        fulls, shorts = line.split(":")
        pairs.extend(frozenset((f, d)) for f in fulls.split() for d in shorts.split())
    return _index(pairs)


_DIMINUTIVES: Final = _diminutive_pairs()


def nicknames_of(word: str) -> frozenset[str]:
    """The full names of a nickname and the nicknames of a full name (folded Latin)."""
    return _nickname_pairs().get(word, frozenset())


def diminutives_of(word: str) -> frozenset[str]:
    """The full names of a diminutive and the diminutives of a full name ("leva" → lev)."""
    return _DIMINUTIVES.get(word, frozenset())


def equivalents_of(word: str) -> frozenset[str]:
    """The same given name in other languages ("yusuf" → joseph, iosif, osip...)."""
    return _EQUIVALENTS.get(word, frozenset())
