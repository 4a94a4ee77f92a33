"""Development cases of the search benchmark for Cantonese names, parentage and recombined
names, built from general knowledge of the conventions, without `ncen.search` code.

The held-out traditions set (`search_evalset_traditions`) is never tuned on; these cases are
what the matcher is developed against. Kinds:

- ``cantonese``: a Hong Kong person recorded in Chinese characters (traditional or
  simplified), in the Hong Kong government romanisation of the identity card, or both, asked
  for in the Hong Kong romanisation (in Hong Kong order, Chan Tai Man, with the given name
  hyphenated or joined, or in Western order, Tai Man Chan), in Jyutping (Can Daai Man), or in
  pinyin (Chen Dawen). The tables below give each character's Hong Kong spelling, Jyutping
  (tones dropped) and pinyin as the standards write them.
- ``parentage``: South Asian (``s/o``, ``d/o``, ``son of``), Malay (``bin``, ``binti``) and
  Arabic (``ibn``, ``بن``) names, asked for with the marker written another way, the parent
  left out, the parent spelt another way, or the parent named where the record has none.
- ``neg_parentage``: a recorded person's own name with another parent, where the record
  names a parent on one of its name forms; or (session 6) a man recorded with an East Slavic
  patronymic asked for with another father's, often one that looks alike (Ruslanovich ~
  Rustamovich), against his own patronymic in the other script (kind ``patronymic``).
- ``neg_recombined``: the given name of one recorded person with the family name (or the
  parent) of another; Cantonese: the surname of one with the given name of another.

Each target gets distractors: the same surname with another given name, the same given name
with another surname, and (parentage) the same own name with another parent.
"""

from __future__ import annotations

import random

from search_evalset import EvalSet, Person, Query

# (traditional, simplified, Hong Kong government, Jyutping, pinyin)
CANTONESE_SURNAMES = [
    ("陳", "陈", "Chan", "Can", "Chen"),
    ("黃", "黄", "Wong", "Wong", "Huang"),
    ("張", "张", "Cheung", "Zoeng", "Zhang"),
    ("李", "李", "Lee", "Lei", "Li"),
    ("何", "何", "Ho", "Ho", "He"),
    ("梁", "梁", "Leung", "Loeng", "Liang"),
    ("林", "林", "Lam", "Lam", "Lin"),
    ("劉", "刘", "Lau", "Lau", "Liu"),
    ("吳", "吴", "Ng", "Ng", "Wu"),
    ("鄭", "郑", "Cheng", "Zeng", "Zheng"),
    ("周", "周", "Chow", "Zau", "Zhou"),
    ("楊", "杨", "Yeung", "Joeng", "Yang"),
    ("郭", "郭", "Kwok", "Gwok", "Guo"),
    ("羅", "罗", "Law", "Lo", "Luo"),
    ("曾", "曾", "Tsang", "Zang", "Zeng"),
    ("葉", "叶", "Yip", "Jip", "Ye"),
    ("蔡", "蔡", "Choi", "Coi", "Cai"),
    ("鄧", "邓", "Tang", "Dang", "Deng"),
    ("麥", "麦", "Mak", "Mak", "Mai"),
    ("謝", "谢", "Tse", "Ze", "Xie"),
    ("許", "许", "Hui", "Heoi", "Xu"),
    ("潘", "潘", "Poon", "Pun", "Pan"),
    ("譚", "谭", "Tam", "Taam", "Tan"),
    ("盧", "卢", "Lo", "Lou", "Lu"),
    ("關", "关", "Kwan", "Gwaan", "Guan"),
    ("袁", "袁", "Yuen", "Jyun", "Yuan"),
    ("鍾", "钟", "Chung", "Zung", "Zhong"),
    ("徐", "徐", "Tsui", "Ceoi", "Xu"),
]
CANTONESE_GIVEN = [
    ("家", "家", "Ka", "Gaa", "Jia"),
    ("明", "明", "Ming", "Ming", "Ming"),
    ("偉", "伟", "Wai", "Wai", "Wei"),
    ("傑", "杰", "Kit", "Git", "Jie"),
    ("志", "志", "Chi", "Zi", "Zhi"),
    ("文", "文", "Man", "Man", "Wen"),
    ("大", "大", "Tai", "Daai", "Da"),
    ("國", "国", "Kwok", "Gwok", "Guo"),
    ("強", "强", "Keung", "Koeng", "Qiang"),
    ("美", "美", "Mei", "Mei", "Mei"),
    ("玲", "玲", "Ling", "Ling", "Ling"),
    ("麗", "丽", "Lai", "Lai", "Li"),
    ("慧", "慧", "Wai", "Wai", "Hui"),
    ("儀", "仪", "Yee", "Ji", "Yi"),
    ("欣", "欣", "Yan", "Jan", "Xin"),
    ("俊", "俊", "Chun", "Zeon", "Jun"),
    ("輝", "辉", "Fai", "Fai", "Hui"),
    ("華", "华", "Wah", "Waa", "Hua"),
    ("榮", "荣", "Wing", "Wing", "Rong"),
    ("健", "健", "Kin", "Gin", "Jian"),
    ("德", "德", "Tak", "Dak", "De"),
    ("詩", "诗", "Sze", "Si", "Shi"),
    ("婷", "婷", "Ting", "Ting", "Ting"),
    ("秀", "秀", "Sau", "Sau", "Xiu"),
    ("寶", "宝", "Po", "Bou", "Bao"),
    ("天", "天", "Tin", "Tin", "Tian"),
    ("浩", "浩", "Ho", "Hou", "Hao"),
    ("小", "小", "Siu", "Siu", "Xiao"),
    ("龍", "龙", "Lung", "Lung", "Long"),
    ("海", "海", "Hoi", "Hoi", "Hai"),
    ("東", "东", "Tung", "Dung", "Dong"),
    ("雄", "雄", "Hung", "Hung", "Xiong"),
]

# Names of the demo's pools (ncen.demo.names) are left out: a demo "Imran Khan" without a
# parent would be a true match of "Imran Khan s/o Bashir", and 陈小明 a namesake of a target.
SOUTH_ASIAN_MALE = [
    "Tariq", "Faisal", "Bilal", "Usman", "Zubair", "Kamran", "Rizwan", "Asif",
    "Naveed", "Shahid", "Waqar", "Adnan", "Junaid", "Sohail", "Arshad",
]  # fmt: skip
SOUTH_ASIAN_FEMALE = ["Sadia", "Rabia", "Farah", "Nadia", "Samina", "Shazia", "Uzma"]
SOUTH_ASIAN_FAMILY = [
    "Awan", "Bhatti", "Malik", "Cheema", "Baig", "Chaudhry", "Shaikh", "Butt", "Mirza",
    "Rana", "Abbasi", "Gondal",
]  # fmt: skip
# (as written on the record, another spelling of the same name)
PARENTS = [
    ("Abdul Rashid", "Abdulrashid"), ("Ghulam Nabi", "Ghulam Nabee"),
    ("Muhammad Aslam", "Mohammad Aslam"), ("Abdul Karim", "Abdul Kareem"),
    ("Ismail", "Ismael"), ("Yusof", "Yusuf"), ("Hamzah", "Hamza"), ("Abdullah", "Abdulla"),
    ("Ibrahim", "Ebrahim"), ("Omar", "Umar"), ("Salleh", "Saleh"), ("Osman", "Usman"),
    ("Zakaria", "Zakariya"), ("Mahmood", "Mahmud"), ("Nasir Ahmed", "Naseer Ahmad"),
    ("Bashir", "Basheer"),
]  # fmt: skip
MALAY_MALE = ["Ahmad", "Mohd Faizal", "Azman", "Hafiz", "Khairul", "Rosli", "Shahrul", "Zulkifli"]
MALAY_FEMALE = ["Siti Aminah", "Nur Aisyah", "Nurul Huda", "Farah", "Zainab", "Norazlina"]
MALAYSIAN_INDIAN_MALE = ["Muthu", "Raju", "Suresh", "Ganesan", "Ravi", "Kumaran", "Saravanan"]
MALAYSIAN_INDIAN_FEMALE = ["Devi", "Lakshmi", "Kavitha", "Priya", "Malar", "Vani"]
MALAYSIAN_INDIAN_PARENTS = ["Raman", "Krishnan", "Subramaniam", "Arumugam", "Muniandy", "Selvaraj"]
# Arabic script: (own name, parent, Latin of the own name, Latin of the parent)
ARABIC_SCRIPT = [
    ("احمد", "اسماعیل", "Ahmad", "Ismail"),
    ("علی", "حسن", "Ali", "Hassan"),
    ("محمد", "ابراهیم", "Muhammad", "Ibrahim"),
    ("یوسف", "عمر", "Yusuf", "Omar"),
    ("حسین", "علی", "Hussain", "Ali"),
    ("خالد", "عبدالله", "Khalid", "Abdullah"),
]


_DEMO_GIVEN = {"小明", "志强", "建华", "海涛", "丽华"}


def _given_ok(g: tuple[int, ...]) -> bool:
    return "".join(CANTONESE_GIVEN[i][1] for i in g) not in _DEMO_GIVEN


def _cantonese(ev: EvalSet, rng: random.Random, count: int) -> None:
    held: set[tuple[int, tuple[int, ...]]] = set()
    people: list[tuple[int, tuple[int, ...], str]] = []
    while len(people) < count:
        s = rng.randrange(len(CANTONESE_SURNAMES))
        g = tuple(rng.sample(range(len(CANTONESE_GIVEN)), 2))
        if (s, g) in held or not _given_ok(g):
            continue
        held.add((s, g))
        people.append((s, g, rng.choice("MF")))
    for n, (s, g, gender) in enumerate(people):
        sur, given = CANTONESE_SURNAMES[s], [CANTONESE_GIVEN[i] for i in g]
        han = rng.choice((0, 1))  # traditional or simplified
        chars = sur[han] + "".join(c[han] for c in given)
        hk = f"{sur[2].upper()} {given[0][2]} {given[1][2]}"
        form = rng.random()
        names = [chars] if form < 0.5 else [chars, hk] if form < 0.75 else [hk]
        target = Person(f"k{n}", names, gender, rng.randint(1950, 2005), "HK")
        ev.targets.append(target)
        # Distractors: the same surname with another given name, the same given name with
        # another surname (never a name a query asks for).
        for _ in range(2):
            while True:
                s2 = rng.randrange(len(CANTONESE_SURNAMES)) if rng.random() < 0.5 else s
                g2 = tuple(rng.sample(range(len(CANTONESE_GIVEN)), 2)) if s2 == s else g
                if (s2, g2) not in held and _given_ok(g2):
                    break
            held.add((s2, g2))
            other = CANTONESE_SURNAMES[s2][han] + "".join(CANTONESE_GIVEN[i][han] for i in g2)
            ev.distractors.append(
                Person(f"kd{len(ev.distractors)}", [other], "M", rng.randint(1950, 2005), "HK")
            )
        a, b = given
        layouts = [
            f"{sur[2]} {a[2]} {b[2]}",
            f"{sur[2]} {a[2]}-{b[2].lower()}",
            f"{a[2]}-{b[2].lower()} {sur[2]}",
            f"{a[2]} {b[2]} {sur[2].upper()}",
            f"{sur[2]} {a[2]}{b[2].lower()}",
        ]
        queries = [
            rng.choice(layouts),
            f"{sur[3]} {a[3]} {b[3]}",
        ]
        if chars not in names or rng.random() < 0.5:
            queries.append(f"{sur[4]} {a[4]}{b[4].lower()}")
        ev.queries += [Query("cantonese", q, target.key) for q in queries]
    # Recombined: the surname of one with the given name of another, held by nobody.
    added = 0
    while added < count // 2:
        (s, _, _), (_, g, _) = rng.sample(people, 2)
        if (s, g) in held or not _given_ok(g):
            continue
        held.add((s, g))
        sur, a, b = CANTONESE_SURNAMES[s], CANTONESE_GIVEN[g[0]], CANTONESE_GIVEN[g[1]]
        ev.queries.append(Query("neg_recombined", f"{sur[2]} {a[2]} {b[2]}", None))
        added += 1


def _marker(gender: str, rng: random.Random) -> str:
    male = gender == "M"
    return rng.choice(["s/o", "S/O", "son of"] if male else ["d/o", "D/O", "daughter of"])


def _parentage(ev: EvalSet, rng: random.Random, count: int) -> None:  # noqa: PLR0912, PLR0915
    held: set[tuple[str, str]] = set()  # (own name, parent)
    owns: dict[str, set[str]] = {}
    people: list[tuple[str, str, str, str, str]] = []  # key, own, parent, gender, kind
    years: dict[str, int] = {}
    n = 0
    while len(people) < count:
        kind = rng.choice(("south_asian", "south_asian", "malay", "arabic", "indian"))
        gender = "M" if rng.random() < 0.7 else "F"
        parent, parent_other = rng.choice(PARENTS)
        if kind == "south_asian":
            given = rng.choice(SOUTH_ASIAN_MALE if gender == "M" else SOUTH_ASIAN_FEMALE)
            own = f"{given} {rng.choice(SOUTH_ASIAN_FAMILY)}"
            record = [f"{own} {_marker(gender, rng).lower()} {parent}"]
            if rng.random() < 0.3:  # a second name form without the parent
                record.append(own)
        elif kind == "malay":
            own = rng.choice(MALAY_MALE if gender == "M" else MALAY_FEMALE)
            record = [f"{own} {'bin' if gender == 'M' else 'binti'} {parent}"]
        elif kind == "indian":
            own = rng.choice(MALAYSIAN_INDIAN_MALE if gender == "M" else MALAYSIAN_INDIAN_FEMALE)
            parent = parent_other = rng.choice(MALAYSIAN_INDIAN_PARENTS)
            record = [f"{own} {'a/l' if gender == 'M' else 'a/p'} {parent}"]
        else:
            own_ar, parent_ar, own, parent = rng.choice(ARABIC_SCRIPT)
            parent_other = parent
            gender = "M"
            record = [f"{own_ar} بن {parent_ar}", f"{own} bin {parent}"]
        if (own, parent) in held or own in owns:
            continue
        held.add((own, parent))
        owns.setdefault(own, set()).add(parent)
        key = f"p{n}"
        n += 1
        year = rng.randint(1950, 2005)
        ev.targets.append(Person(key, record, gender, year, "PK"))
        people.append((key, own, parent, gender, kind))
        years[key] = year
        # A namesake with another parent, born another year.
        others = [p for p, _ in PARENTS if p != parent]
        other_parent = rng.choice(others)
        held.add((own, other_parent))
        owns[own].add(other_parent)
        marker = "bin" if kind not in {"south_asian", "indian"} else _marker(gender, rng).lower()
        if gender == "F" and kind == "malay":
            marker = "binti"
        ev.distractors.append(
            Person(
                f"pd{len(ev.distractors)}",
                [f"{own} {marker} {other_parent}"],
                gender,
                rng.randint(1950, 2005),
                "PK",
            )
        )
        # Positive queries.
        if kind == "south_asian":
            queries = [
                f"{own} {_marker(gender, rng)} {parent_other}",
                own,
                f"{own} {'bin' if gender == 'M' else 'binti'} {parent}",
            ]
        elif kind == "indian":
            queries = [f"{own} {_marker(gender, rng)} {parent}", f"{own} {parent}"]
        elif kind == "malay":
            queries = [
                f"{own} {'bin' if gender == 'M' else 'bt.'} {parent}",
                f"{own} {'ibn' if gender == 'M' else 'bint'} {parent_other}",
                f"{own} {parent}",
            ]
        else:
            queries = [f"{own} ibn {parent}", f"{own} {parent}"]
        # Half the queries give the birth year, as a form at the border would.
        # The own name alone is the namesake's too: those queries give the birth year.
        ev.queries += [
            Query("parentage", q, key, year if q == own or rng.random() < 0.5 else None)
            for q in queries
        ]
    # The parent named where the record has none: not a conflict.
    for m in range(count // 4):
        given = rng.choice(SOUTH_ASIAN_MALE)
        own = f"{given} {rng.choice(SOUTH_ASIAN_FAMILY)}"
        if own in owns:
            continue
        owns[own] = set()
        key = f"pn{m}"
        ev.targets.append(Person(key, [own], "M", rng.randint(1950, 2005), "PK"))
        parent = rng.choice(PARENTS)[0]
        ev.queries.append(Query("parentage", f"{own} s/o {parent}", key))
    # Negatives: a recorded person's own name with a parent nobody with that name has.
    for key, own, _parent, gender, kind in rng.sample(people, min(len(people), count)):
        choices = [p for p, _ in PARENTS if p not in owns[own]]
        if not choices:
            continue
        other = rng.choice(choices)
        if kind in {"south_asian", "indian"}:
            text = f"{own} {_marker(gender, rng)} {other}"
        else:
            text = f"{own} {'bin' if gender == 'M' else 'binti'} {other}"
        # The recorded person's own birth year, half the time: a namesake born the same year
        # with another father is still another person.
        year = years[key] if rng.random() < 0.5 else None
        ev.queries.append(Query("neg_parentage", text, None, year))
    # Recombined: the own given name of one with the family name of another (South Asian).
    south = [p for p in people if p[4] == "south_asian"]
    added = tries = 0
    while added < count // 2 and tries < 1000:
        tries += 1
        a, b = rng.sample(south, 2)
        own = f"{a[1].split()[0]} {b[1].split()[-1]}"
        if own in owns:
            continue
        owns[own] = set()
        ev.queries.append(Query("neg_recombined", own, None))
        added += 1


# East Slavic patronymics (Russian passport order: family, given, patronymic), with fathers'
# names that differ by two consonants or more (a slip would touch one): (Latin, Cyrillic).
FATHERS = [
    ("Ruslan", "Руслан"), ("Rustam", "Рустам"), ("Ildar", "Ильдар"), ("Ilnur", "Ильнур"),
    ("Rashid", "Рашид"), ("Rasul", "Расул"), ("Kamil", "Камиль"), ("Karim", "Карим"),
    ("Anvar", "Анвар"), ("Azat", "Азат"), ("Timur", "Тимур"), ("Tagir", "Тагир"),
    ("Nikolay", "Николай"), ("Nikita", "Никита"), ("Viktor", "Виктор"), ("Vitaly", "Виталий"),
]  # fmt: skip
SLAVIC_FAMILY = [
    ("Khasanov", "Хасанов"), ("Galiev", "Галиев"), ("Sadykov", "Садыков"),
    ("Nurmatov", "Нурматов"), ("Zakirov", "Закиров"), ("Mingazov", "Мингазов"),
]  # fmt: skip
SLAVIC_GIVEN = [
    ("Timur", "Тимур"), ("Artur", "Артур"), ("Denis", "Денис"), ("Eldar", "Эльдар"),
    ("Marat", "Марат"), ("Oleg", "Олег"),
]  # fmt: skip


def _patronymic(father: tuple[str, str]) -> tuple[str, str]:
    """The male patronymic of a father's name, in Latin and Cyrillic (Ruslan → Ruslanovich;
    Nikolay → Nikolayevich, Николаевич; Vitaly → Vitalyevich, Витальевич; Kamil, Камиль →
    Kamilevich, Камилевич)."""
    latin, cyrillic = father
    if cyrillic.endswith("ий"):
        return latin.rstrip("y") + "yevich", cyrillic[:-2] + "ьевич"
    if cyrillic.endswith("й"):
        return latin.rstrip("y") + "yevich", cyrillic[:-1] + "евич"
    if cyrillic.endswith("ь"):
        return latin + "evich", cyrillic[:-1] + "евич"
    if latin.endswith("a"):
        return latin[:-1] + "ich", cyrillic[:-1] + "ич"
    return latin + "ovich", cyrillic + "ович"


def _patronymics(ev: EvalSet, rng: random.Random, count: int) -> None:
    """Men recorded with a patronymic (Cyrillic, and half the time also Latin); found under
    the same patronymic in the other script, and not found under another father's, even one
    whose patronymic looks alike (Ruslanovich ~ Rustamovich)."""
    held: set[tuple[int, int]] = set()
    for n in range(count):
        while True:
            f, g = rng.randrange(len(SLAVIC_FAMILY)), rng.randrange(len(SLAVIC_GIVEN))
            if (f, g) not in held:
                break
        held.add((f, g))
        father = rng.randrange(len(FATHERS))
        family, given = SLAVIC_FAMILY[f], SLAVIC_GIVEN[g]
        latin, cyrillic = _patronymic(FATHERS[father])
        names = [f"{family[1]} {given[1]} {cyrillic}"]
        if rng.random() < 0.5:
            names.append(f"{family[0]} {given[0]} {latin}")
        year = rng.randint(1950, 2005)
        ev.targets.append(Person(f"r{n}", names, "M", year, "RU"))
        ev.queries.append(Query("patronymic", f"{family[0]} {given[0]} {latin}", f"r{n}"))
        # Another father: the neighbour in the list (alike), or any other.
        other = (
            father ^ 1
            if rng.random() < 0.5
            else rng.choice([i for i in range(len(FATHERS)) if i != father])
        )
        wrong = _patronymic(FATHERS[other])[0]
        given_year = year if rng.random() < 0.5 else None
        ev.queries.append(
            Query("neg_parentage", f"{family[0]} {given[0]} {wrong}", None, given_year)
        )


def add_development(ev: EvalSet, seed: int, count: int = 60) -> None:
    """Append the development persons and queries (see the module docstring) to ``ev``."""
    rng = random.Random(seed * 104729 + 5)
    _cantonese(ev, rng, count)
    _parentage(ev, rng, count)
    _patronymics(ev, random.Random(seed * 104729 + 6), count // 2)
