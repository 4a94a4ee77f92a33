"""Name pools for synthetic persons: each entry pairs the native spelling with a Latin one.

Pools cover the scripts met at CAREC-region borders and beyond: Cyrillic (Russian, Kazakh,
Kyrgyz, Tajik, Uzbek — including the Kazakh and Tajik letters Ә Қ Ғ Ұ Ө Ҳ Ҷ), Arabic script
(Dari/Persian, Pashto, Urdu), Chinese (Han characters with pinyin) and Latin (Turkish,
Azerbaijani, German, French, Georgian, Polish, Uzbek Latin). The Latin forms are the ones a
passport would carry; the search issue transliterates independently of them.
"""

from __future__ import annotations

from dataclasses import dataclass

Pair = tuple[str, str]


@dataclass(frozen=True)
class NamePool:
    """Names of one culture: the script code, nationalities and name parts."""

    script: str
    nationalities: tuple[str, ...]
    male: tuple[Pair, ...]
    female: tuple[Pair, ...]
    family_male: tuple[Pair, ...]
    family_female: tuple[Pair, ...]
    patronymic_male: tuple[Pair, ...] = ()
    patronymic_female: tuple[Pair, ...] = ()
    family_first: bool = False
    joiner: str = " "


_CYR_FAMILY = (
    ("Алиев", "Aliyev"),
    ("Иванов", "Ivanov"),
    ("Нурланов", "Nurlanov"),
    ("Касымов", "Kassymov"),
    ("Ахметов", "Akhmetov"),
    ("Сейткалиев", "Seitkaliyev"),
    ("Петров", "Petrov"),
    ("Абдурахманов", "Abdurakhmanov"),
    ("Жумабаев", "Zhumabayev"),
    ("Рахимов", "Rakhimov"),
    ("Юсупов", "Yusupov"),
    ("Каримов", "Karimov"),
    ("Смирнов", "Smirnov"),
    ("Турсунов", "Tursunov"),
    ("Исмаилов", "Ismailov"),
    ("Мамедов", "Mamedov"),
    ("Оразбаев", "Orazbayev"),
    ("Қасымов", "Kasymov"),
    ("Әбдірахманов", "Abdirakhmanov"),
    ("Өтегенов", "Otegenov"),
    ("Ғаниев", "Ganiyev"),
    ("Ҷӯраев", "Juraev"),
    ("Раҳимов", "Rahimov"),
    ("Тошматов", "Toshmatov"),
)

CYRILLIC = NamePool(
    script="Cyrl",
    nationalities=("KZ", "RU", "KG", "TJ", "UZ"),
    male=(
        ("Мухаммад", "Mukhammad"),
        ("Алексей", "Aleksei"),
        ("Дмитрий", "Dmitrii"),
        ("Ерлан", "Yerlan"),
        ("Нурлан", "Nurlan"),
        ("Серик", "Serik"),
        ("Айдар", "Aidar"),
        ("Тимур", "Timur"),
        ("Сергей", "Sergei"),
        ("Иван", "Ivan"),
        ("Руслан", "Ruslan"),
        ("Бахтияр", "Bakhtiyar"),
        ("Асхат", "Askhat"),
        ("Фарход", "Farkhod"),
        ("Александр", "Aleksandr"),
        ("Рустам", "Rustam"),
        ("Қайрат", "Kairat"),
        ("Ұлан", "Ulan"),
        ("Ҳусейн", "Husein"),
        ("Жандос", "Zhandos"),
    ),
    female=(
        ("Айгуль", "Aigul"),
        ("Елена", "Elena"),
        ("Наталья", "Natalia"),
        ("Гульнара", "Gulnara"),
        ("Мадина", "Madina"),
        ("Динара", "Dinara"),
        ("Ольга", "Olga"),
        ("Жанар", "Zhanar"),
        ("Әсем", "Asem"),
        ("Зарина", "Zarina"),
        ("Мөлдір", "Moldir"),
        ("Татьяна", "Tatiana"),
    ),
    family_male=_CYR_FAMILY,
    family_female=tuple((native + "а", latin + "a") for native, latin in _CYR_FAMILY),
    patronymic_male=(
        ("Ибрагимович", "Ibragimovich"),
        ("Сергеевич", "Sergeevich"),
        ("Нурланович", "Nurlanovich"),
        ("Алексеевич", "Alekseevich"),
        ("Бахтиярович", "Bakhtiyarovich"),
        ("Рустамович", "Rustamovich"),
    ),
    patronymic_female=(
        ("Ибрагимовна", "Ibragimovna"),
        ("Сергеевна", "Sergeevna"),
        ("Нурлановна", "Nurlanovna"),
        ("Алексеевна", "Alekseevna"),
    ),
    family_first=True,
)

ARABIC = NamePool(
    script="Arab",
    nationalities=("AF", "PK", "IR"),
    male=(
        ("محمد", "Mohammad"),
        ("احمد", "Ahmad"),
        ("علی", "Ali"),
        ("حسین", "Hussain"),
        ("عبدالله", "Abdullah"),
        ("کریم", "Karim"),
        ("گل", "Gul"),
        ("نور", "Noor"),
        ("رحمان", "Rahman"),
        ("یوسف", "Yousuf"),
        ("عمران", "Imran"),
        ("جاوید", "Javed"),
    ),
    female=(
        ("فاطمه", "Fatemeh"),
        ("زهرا", "Zahra"),
        ("مریم", "Maryam"),
        ("شبانه", "Shabana"),
        ("نازنین", "Nazanin"),
        ("عایشه", "Ayesha"),
    ),
    family_male=(
        ("رحیمی", "Rahimi"),
        ("احمدی", "Ahmadi"),
        ("کریمی", "Karimi"),
        ("خان", "Khan"),
        ("حیدری", "Haidari"),
        ("نوری", "Noori"),
        ("صدیقی", "Siddiqui"),
        ("یوسفزی", "Yousafzai"),
        ("محمدی", "Mohammadi"),
        ("حسینی", "Hosseini"),
        ("قریشی", "Qureshi"),
        ("شاه", "Shah"),
    ),
    family_female=(
        ("رحیمی", "Rahimi"),
        ("احمدی", "Ahmadi"),
        ("کریمی", "Karimi"),
        ("خان", "Khan"),
        ("حیدری", "Haidari"),
        ("نوری", "Noori"),
        ("محمدی", "Mohammadi"),
        ("حسینی", "Hosseini"),
    ),
)

CHINESE = NamePool(
    script="Hani",
    nationalities=("CN",),
    male=(
        ("伟", "Wei"),
        ("强", "Qiang"),
        ("磊", "Lei"),
        ("军", "Jun"),
        ("勇", "Yong"),
        ("建华", "Jianhua"),
        ("小明", "Xiaoming"),
        ("志强", "Zhiqiang"),
        ("海涛", "Haitao"),
    ),
    female=(("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽华", "Lihua")),
    family_male=(
        ("王", "Wang"),
        ("李", "Li"),
        ("张", "Zhang"),
        ("刘", "Liu"),
        ("陈", "Chen"),
        ("杨", "Yang"),
        ("赵", "Zhao"),
        ("黄", "Huang"),
        ("周", "Zhou"),
        ("吴", "Wu"),
    ),
    family_female=(
        ("王", "Wang"),
        ("李", "Li"),
        ("张", "Zhang"),
        ("刘", "Liu"),
        ("陈", "Chen"),
        ("杨", "Yang"),
        ("赵", "Zhao"),
        ("黄", "Huang"),
        ("周", "Zhou"),
        ("吴", "Wu"),
    ),
    family_first=True,
    joiner="",
)

LATIN = NamePool(
    script="Latn",
    nationalities=("TR", "DE", "FR", "GE", "AZ", "UZ", "PL"),
    male=(
        ("Mehmet", "Mehmet"),
        ("Hans", "Hans"),
        ("Jürgen", "Juergen"),
        ("Pierre", "Pierre"),
        ("Giorgi", "Giorgi"),
        ("Oybek", "Oybek"),
        ("Əli", "Ali"),
        ("Łukasz", "Lukasz"),
        ("Çağlar", "Caglar"),
        ("François", "Francois"),
    ),
    female=(
        ("Ayşe", "Ayse"),
        ("Zoé", "Zoe"),
        ("Nino", "Nino"),
        ("Dilnoza", "Dilnoza"),
        ("Gülşən", "Gulsen"),
        ("Agnieszka", "Agnieszka"),
    ),
    family_male=(
        ("Yılmaz", "Yilmaz"),
        ("Müller", "Mueller"),
        ("Dubois", "Dubois"),
        ("Şahin", "Sahin"),
        ("Məmmədov", "Mammadov"),
        ("Beridze", "Beridze"),
        ("Kowalski", "Kowalski"),
        ("Karimov", "Karimov"),
        ("Öztürk", "Ozturk"),
        ("Schröder", "Schroeder"),
    ),
    family_female=(
        ("Yılmaz", "Yilmaz"),
        ("Müller", "Mueller"),
        ("Dubois", "Dubois"),
        ("Şahin", "Sahin"),
        ("Məmmədova", "Mammadova"),
        ("Beridze", "Beridze"),
        ("Kowalska", "Kowalska"),
        ("Karimova", "Karimova"),
        ("Öztürk", "Ozturk"),
        ("Schröder", "Schroeder"),
    ),
)

POOLS: tuple[tuple[NamePool, int], ...] = ((CYRILLIC, 45), (ARABIC, 20), (CHINESE, 15), (LATIN, 20))

COMPANY_STEMS: tuple[Pair, ...] = (
    ("Шелковый путь", "Silk Road"),
    ("Евразия Транс", "Eurasia Trans"),
    ("Восток Логистик", "Vostok Logistic"),
    ("Алтын Жол", "Altyn Zhol"),
    ("Памир Экспорт", "Pamir Export"),
    ("丝路贸易", "Silu Trading"),
    ("远东物流", "Yuandong Logistics"),
    ("آریانا تجارت", "Ariana Tejarat"),
    ("Anadolu Lojistik", "Anadolu Lojistik"),
    ("Kaspian Cargo", "Kaspian Cargo"),
    ("Steppe Freight", "Steppe Freight"),
    ("Baltic Forwarding", "Baltic Forwarding"),
    ("Orient Express Trade", "Orient Express Trade"),
)
LEGAL_FORMS: tuple[Pair, ...] = (
    ("ТОО", "LLP"),
    ("ООО", "LLC"),
    ("АО", "JSC"),
    ("有限公司", "Co. Ltd"),
    ("Ltd", "Ltd"),
    ("GmbH", "GmbH"),
    ("LLC", "LLC"),
    ("A.Ş.", "AS"),
)
