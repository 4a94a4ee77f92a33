"""Names for the search benchmark, written out by hand, independently of `ncen.search`.

None of these parts occur in the demo generator's pools (`ncen.demo.names`), so the benchmark's
targets are not drowned by demo persons with the same name. Latin spellings of Arabic-script
and Chinese names are the ones found in passports and the press, listed by hand, never
computed; Cyrillic names are transliterated by the benchmark's own tables
(`search_evalset.py`).
"""

from __future__ import annotations


def _split(text: str, sep: str | None = None) -> tuple[str, ...]:
    """The names of a list written as one string (easier to read and extend than a literal)."""
    return tuple(text.split(sep))


CYRILLIC_MALE = _split(
    "Ильяс Бауыржан Жанибек Нуржан Ерболат Асылбек Дәурен Ғалымжан Қуаныш Мұрат Бекзод Шухрат "
    "Фаррух Жахонгир Сардор Ҳусниддин Ҷамшед Фирдавс Зафар Виктор Евгений Григорий Юрий "
    "Вячеслав Станислав Эдуард Ярослав Фёдор Олег Тимофей Аркадий Всеволод Родион Захар Матвей "
    "Глеб Семён Леонид Кирилл Ўткир"
)
CYRILLIC_FEMALE = _split(
    "Жансая Айгерим Гүлнұр Меруерт Гулчехра Нигора Шахноза Мавжуда Евгения Юлия Ксения Светлана "
    "Людмила Вера Яна Дарья Алёна Эльвира Зульфия Фируза"
)
# Family names in their male form; the female form adds -а (-ая for -ий).
CYRILLIC_FAMILY = _split(
    "Назарбеков Жандарбеков Тохтаров Сулейменов Байжанов Құрманғалиев Әлімжанов Өмірзақов "
    "Ұзақбаев Шарипов Холматов Эргашев Ҳакимов Ҷалолов Рахмонов Воробьёв Щербаков Хабибуллин "
    "Чернышёв Журавлёв Зайцев Цветков Юдин Яковлев Ефимов Ёлкин Гусейнов Хрущёв Ильин Федосеев "
    "Кузьмин Соловьёв Белоусов Тарасов Шамсутдинов Абдуллаев Мирзоев Каюмов Ғафуров Юлдашев"
)
# Father's names as patronymics: (male form, female form).
PATRONYMICS = tuple(
    tuple(pair.split("/"))
    for pair in _split(
        "Викторович/Викторовна Евгеньевич/Евгеньевна Григорьевич/Григорьевна Юрьевич/Юрьевна "
        "Олегович/Олеговна Леонидович/Леонидовна Кириллович/Кирилловна "
        "Станиславович/Станиславовна Эдуардович/Эдуардовна Фёдорович/Фёдоровна "
        "Тимурович/Тимуровна Маратович/Маратовна"
    )
)

# Arabic-script names (Dari/Persian, Pashto, Urdu, Arabic) with the Latin spellings in use.
ARABIC_GIVEN = (
    ("حمید", "Hamid Hameed Hamed", "M"),
    ("نوید", "Navid Naveed Nawid", "M"),
    ("فرید", "Farid Fareed", "M"),
    ("ظاهر", "Zahir Zaher", "M"),
    ("صابر", "Saber Sabir", "M"),
    ("شفیق", "Shafiq Shafique Shafik", "M"),
    ("رشید", "Rashid Rasheed Rachid", "M"),
    ("وحید", "Wahid Vahid Waheed", "M"),
    ("قدیر", "Qadir Qadeer Kadir", "M"),
    ("طاهر", "Tahir Taher", "M"),
    ("جمیل", "Jamil Jameel Djamil", "M"),
    ("عزیز", "Aziz Azeez", "M"),
    ("سلیم", "Salim Saleem Selim", "M"),
    ("نعیم", "Naeem Naim", "M"),
    ("بشیر", "Bashir Basheer Bachir", "M"),
    ("منیر", "Munir Monir Muneer", "M"),
    ("خلیل", "Khalil Khaleel", "M"),
    ("اسد", "Asad Assad", "M"),
    ("سمیرا", "Samira Sameera", "F"),
    ("پروین", "Parwin Parvin Perveen", "F"),
    ("لیلا", "Laila Leila Layla", "F"),
    ("شکیلا", "Shakila Shakeela", "F"),
    ("نسرین", "Nasrin Nasreen", "F"),
    ("رخسانه", "Rukhsana Rokhsana", "F"),
)
ARABIC_FAMILY = (
    ("صافی", "Safi Saafi"),
    ("وردک", "Wardak Vardak"),
    ("پوپلزی", "Popalzai Popalzay"),
    ("ستانکزی", "Stanekzai Stanakzai"),
    ("نورزی", "Noorzai Nurzai"),
    ("اچکزی", "Achakzai Achekzai"),
    ("مومند", "Mohmand Momand"),
    ("هاشمی", "Hashemi Hashimi"),
    ("موسوی", "Mousavi Musavi Moosavi"),
    ("جلالی", "Jalali Djalali"),
    ("عثمانی", "Usmani Osmani"),
    ("چودری", "Chaudhry Chaudhary Choudhry"),
    ("بلوچ", "Baloch Baluch"),
    ("ملک", "Malik Malek"),
    ("اعوان", "Awan"),
    ("شیرازی", "Shirazi"),
    ("تهرانی", "Tehrani Teherani"),
    ("کاظمی", "Kazemi Kazimi"),
)

# Chinese names: (characters, pinyin) for family and given names.
HAN_FAMILY = (
    ("郭", "Guo"),
    ("马", "Ma"),
    ("罗", "Luo"),
    ("梁", "Liang"),
    ("宋", "Song"),
    ("郑", "Zheng"),
    ("谢", "Xie"),
    ("韩", "Han"),
    ("唐", "Tang"),
    ("冯", "Feng"),
    ("董", "Dong"),
    ("萧", "Xiao"),
    ("程", "Cheng"),
    ("曹", "Cao"),
    ("袁", "Yuan"),
    ("邓", "Deng"),
    ("许", "Xu"),
    ("沈", "Shen"),
)
HAN_GIVEN = (
    ("子涵", "Zihan"),
    ("浩然", "Haoran"),
    ("雨轩", "Yuxuan"),
    ("梓萱", "Zixuan"),
    ("欣怡", "Xinyi"),
    ("宇航", "Yuhang"),
    ("思远", "Siyuan"),
    ("嘉怡", "Jiayi"),
    ("俊杰", "Junjie"),
    ("晓东", "Xiaodong"),
    ("文博", "Wenbo"),
    ("天佑", "Tianyou"),
    ("明轩", "Mingxuan"),
    ("一鸣", "Yiming"),
    ("家豪", "Jiahao"),
    ("国强", "Guoqiang"),
    ("春燕", "Chunyan"),
    ("玉兰", "Yulan"),
    ("建国", "Jianguo"),
    ("海燕", "Haiyan"),
)

# Latin-script names with diacritics, and how a Russian-language record would spell them.
LATIN_GIVEN = (
    ("Gökhan", "Гёкхан"),
    ("Şükrü", "Шюкрю"),
    ("Ömer", "Омер"),
    ("Ayşegül", "Айшегюль"),
    ("Çiğdem", "Чигдем"),
    ("Müge", "Мюге"),
    ("Lütfi", "Лютфи"),
    ("Jörg", "Йорг"),
    ("Günther", "Гюнтер"),
    ("Björn", "Бьорн"),
    ("Hélène", "Элен"),
    ("Jérôme", "Жером"),
    ("Agnès", "Аньес"),
    ("Wojciech", "Войцех"),
    ("Grzegorz", "Гжегож"),
    ("Małgorzata", "Малгожата"),
    ("Jiří", "Иржи"),
    ("Tomáš", "Томаш"),
    ("Rəşad", "Рашад"),
    ("Aytən", "Айтан"),
    ("Nərgiz", "Наргиз"),
    ("Elçin", "Эльчин"),
)
LATIN_FAMILY = (
    ("Yıldırım", "Йылдырым"),
    ("Çelik", "Челик"),
    ("Doğan", "Доган"),
    ("Aydın", "Айдын"),
    ("Kılıç", "Кылыч"),
    ("Güneş", "Гюнеш"),
    ("Şimşek", "Шимшек"),
    ("Çakır", "Чакыр"),
    ("Häusler", "Хойслер"),
    ("Krüger", "Крюгер"),
    ("Böhm", "Бём"),
    ("Lefèvre", "Лефевр"),
    ("Bérenger", "Беранже"),
    ("Wójcik", "Вуйцик"),
    ("Dąbrowski", "Домбровский"),
    ("Wiśniewski", "Вишневский"),
    ("Dvořák", "Дворжак"),
    ("Hüseynov", "Гусейнов"),
    ("Quliyev", "Кулиев"),
    ("Rzayev", "Рзаев"),
    ("Məmmədli", "Мамедли"),
    ("Süleymanlı", "Сулейманлы"),
)

# Names of nobody in the database, for negative queries.
STRANGERS = _split(
    "Kwabena Asante, Siddharth Venkataraman, Bjarne Kristiansen, Oluwaseun Adeyemi, "
    "Tadeusz Kościuszko, Hiroshi Tanaka, Mateo Fernández, Aroha Ngata, Sipho Dlamini, "
    "Eero Virtanen, Ioana Popescu, Lior Ben-David, Thabo Mokoena, Nguyen Van Thanh, "
    "Kaito Yamamoto, Priya Raghunathan, Dagny Haugland, Cormac O'Sullivan, Yaw Boateng, "
    "Anahera Walker",
    ", ",
)
