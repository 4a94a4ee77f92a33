"""The planted networks of the demo data, as plain data: who, what, which seizures.

Two smuggling rings and one hub company, written into every demo database once (see
`ncen.demo.rings`), so that a newcomer's first link chart, timeline and similar-picture search
show something an analyst would recognise:

- **Ring A, the Pamir route** (heroin and tramadol, Afghanistan → Tajikistan → Kazakhstan →
  Russia, over 18 months): eight persons around Pamir Trans Logistics LLP, which appears as
  carrier or consignee on their seizures; one MAN truck in five seizures; a burner phone, a
  truck phone, an e-mail address and a safe-house address shared across the couriers; and the
  organiser recorded twice (a second record under a variant spelling with the same passport).
- **Ring B, Silk Wind** (cigarettes and counterfeits in containers from China through Khorgos
  and Dostyk to Russia and Poland): five persons, two companies, one container in four
  seizures, and a seizure received from the Uzbek node (``uz-ncen``) whose driver is a foreign
  record that shares a passport and a phone with a national one.
- **The hub**, Trans-Eurasia Express JSC: the carrier of many seizures (also one in
  `HUB_EVERY` of the generated ones), to show how link charts cap and summarise a hub.

Dates are days before the load, so the rings always end in the last weeks. Nothing here draws
random numbers: the networks are the same in every database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# The node the foreign records of ring B were received from.
FOREIGN_NODE = "uz-ncen"
# One generated seizure in this many names the hub company as its carrier.
HUB_EVERY = 25


@dataclass(frozen=True)
class CastPerson:
    """A planted person: native-script name (family, given, patronymic) and its Latin form."""

    key: str
    native: tuple[str, str, str | None]
    latin: tuple[str, str]
    script: str
    gender: str
    born: tuple[int, int | None, int | None]
    nationality: str
    passport: str | None = None
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    address: tuple[str, str, str] | None = None  # line, city, country
    description: str | None = None
    foreign: bool = False


@dataclass(frozen=True)
class CastCompany:
    """A planted company: native and Latin names, country, registration, address, officers."""

    key: str
    native: str
    latin: str
    script: str
    country: str
    registration: str
    address: tuple[str, str, str]
    aeo: str = "none"
    officers: tuple[tuple[str, str], ...] = ()  # (person key, person-company role)


@dataclass(frozen=True)
class CastConveyance:
    """A planted conveyance: kind, make or name, flag, and (kind, value, country) identifiers."""

    key: str
    kind: str
    name: str | None
    flag: str | None
    identifiers: tuple[tuple[str, str, str | None], ...]
    foreign: bool = False


@dataclass(frozen=True)
class CastSeizure:
    """A planted seizure. ``items`` are (group, HS, description, quantity, unit, value USD)."""

    reference: str
    days_ago: int
    office: str | None
    place: str
    mode: str
    location: str
    direction: str
    detection: str
    technique: str
    route: tuple[str, tuple[str, ...], str]  # departure, transit, destination
    concealment: str
    items: tuple[tuple[str, str, str, Decimal, str, Decimal], ...]
    narrative: str
    persons: tuple[tuple[str, str], ...] = ()
    companies: tuple[tuple[str, str], ...] = ()
    conveyances: tuple[tuple[str, str], ...] = ()
    foreign: bool = False
    hour: int = 10


def _heroin(kg: str) -> tuple[str, str, str, Decimal, str, Decimal]:
    return ("drugs", "293911", "Heroin", Decimal(kg), "kg", Decimal(kg) * 30000)


def _tramadol(n: int) -> tuple[str, str, str, Decimal, str, Decimal]:
    return ("medicines", "300490", "Tramadol tablets", Decimal(n), "tablets", Decimal(n) / 2)


def _cigarettes(n: int) -> tuple[str, str, str, Decimal, str, Decimal]:
    return ("tobacco", "240220", "Cigarettes", Decimal(n), "sticks", Decimal(n) * Decimal("0.3"))


def _shoes(n: int) -> tuple[str, str, str, Decimal, str, Decimal]:
    return ("ipr", "640399", "Counterfeit sports shoes", Decimal(n), "pairs", Decimal(n) * 25)


PHONE_BURNER = "+992 93 555 18 42"
PHONE_TRUCK = "+7 701 555 73 19"
MAIL_PAMIR = "pamir.cargo.2025@example.com"
SAFE_HOUSE = ("ул. Толе би 286, кв. 14", "Almaty", "KZ")
PHONE_SILK = "+998 90 555 66 01"
PASSPORT_TURSUNOV = "FA4471902"

PERSONS: tuple[CastPerson, ...] = (
    # Ring A: the Pamir route.
    CastPerson("A1", ("Рахимов", "Фаррух", "Саидович"), ("RAKHIMOV", "Farrukh"), "Cyrl", "M",
               (1978, 3, 14), "TJ", "401187236", (PHONE_BURNER,), (MAIL_PAMIR,),
               description="Director of Pamir Trans Logistics; believed to organise the couriers."),
    CastPerson("A2", ("Назаров", "Бахтиёр", "Олимович"), ("NAZAROV", "Bakhtiyor"), "Cyrl", "M",
               (1991, 7, 2), "TJ", "402250871", (PHONE_BURNER,), address=SAFE_HOUSE),
    CastPerson("A3", ("Юсупов", "Шерзод", None), ("YUSUPOV", "Sherzod"), "Cyrl", "M",
               (1994, 11, None), "UZ", "FA2098455", ("+998 93 555 20 11",), address=SAFE_HOUSE),
    CastPerson("A4", ("Каримов", "Далер", "Рустамович"), ("KARIMOV", "Daler"), "Cyrl", "M",
               (1983, 5, 21), "TJ", "400913370", (PHONE_TRUCK,)),
    CastPerson("A5", ("Жумабаев", "Ерлан", "Серикович"), ("ZHUMABAYEV", "Yerlan"), "Cyrl", "M",
               (1986, 9, 8), "KZ", "N12874401", (PHONE_TRUCK,)),
    CastPerson("A6", ("Исмоилова", "Мадина", None), ("ISMOILOVA", "Madina"), "Cyrl", "F",
               (1997, 1, 30), "TJ", "402771549", (PHONE_BURNER,), address=SAFE_HOUSE),
    CastPerson("A7", ("Смирнов", "Олег", "Викторович"), ("SMIRNOV", "Oleg"), "Cyrl", "M",
               (1975, None, None), "RU", "753318820", ("+7 912 555 40 07",), (MAIL_PAMIR,),
               address=("ул. Малышева 51, офис 9", "Yekaterinburg", "RU")),
    # The organiser again, as a second record under a variant spelling: same passport.
    CastPerson("A8", ("Рахимов", "Фарух", None), ("RAKHIMOV", "Farukh"), "Cyrl", "M",
               (1978, None, None), "TJ", "401187236", ("+992 92 555 77 31",)),
    # Ring B: Silk Wind.
    CastPerson("B1", ("王", "磊", None), ("WANG", "Lei"), "Hani", "M", (1980, 4, 17), "CN",
               "EJ5527190", ("+86 139 5550 2277",), ("wanglei.yh@example.com",)),
    CastPerson("B2", ("Оразбаев", "Нурлан", "Маратович"), ("ORAZBAYEV", "Nurlan"), "Cyrl", "M",
               (1988, 12, 3), "KZ", "N09930112", (PHONE_SILK,), ("silkwind.docs@example.com",)),
    CastPerson("B3", ("Турсунов", "Жасур", None), ("TURSUNOV", "Jasur"), "Cyrl", "M",
               (1990, 6, 12), "UZ", PASSPORT_TURSUNOV, (PHONE_SILK,)),
    CastPerson("B4", ("Ахметова", "Дана", "Ериковна"), ("AKHMETOVA", "Dana"), "Cyrl", "F",
               (1985, 2, 26), "KZ", "N11200458", ("+7 727 555 31 90",),
               ("silkwind.docs@example.com",), ("пр. Абая 150, офис 312", "Almaty", "KZ")),
    CastPerson("B5", ("Kowalski", "Piotr", None), ("KOWALSKI", "Piotr"), "Latn", "M",
               (1979, 8, None), "PL", "EK7730215", ("+48 601 555 118",),
               address=("ul. Przemysłowa 7", "Małaszewicze", "PL")),
    # Received from the Uzbek node with its seizure: the same driver as B3.
    CastPerson("B6", ("Tursunov", "Jasur", None), ("TURSUNOV", "Jasur"), "Latn", "M",
               (1990, 6, 12), "UZ", PASSPORT_TURSUNOV, (PHONE_SILK,), foreign=True),
    # The hub's manager, so that expanding the hub from a person is possible.
    CastPerson("H1", ("Сейткалиев", "Арман", "Болатович"), ("SEITKALIYEV", "Arman"), "Cyrl",
               "M", (1972, 10, 5), "KZ", "N05518234", ("+7 727 555 00 10",)),
)  # fmt: skip

COMPANIES: tuple[CastCompany, ...] = (
    CastCompany("PAMIR", "ТОО «Памир Транс Логистик»", "Pamir Trans Logistics LLP", "Cyrl", "KZ",
                "190240017325", ("ул. Рыскулова 103/5", "Almaty", "KZ"),
                officers=(("A1", "director"), ("A8", "founder"), ("A4", "employee"),
                          ("A5", "employee"), ("A2", "employee"))),
    CastCompany("URAL", "ООО «Урал Фарм Дистрибуция»", "Ural Pharm Distribution LLC", "Cyrl",
                "RU", "1196658042211", ("ул. Малышева 51", "Yekaterinburg", "RU"),
                officers=(("A7", "director"),)),
    CastCompany("SILK", "ТОО «Шёлковый Ветер Трейд»", "Silk Wind Trade LLP", "Cyrl", "KZ",
                "201140023871", ("пр. Абая 150", "Almaty", "KZ"),
                officers=(("B4", "director"), ("B2", "representative"))),
    CastCompany("YIWU", "义乌远航贸易有限公司", "Yiwu Yuanhang Trading Co., Ltd", "Hani", "CN",
                "91330782MA2EC1X57Q", ("稠城街道 88号", "Yiwu", "CN"),
                officers=(("B1", "director"),)),
    CastCompany("HUB", "АО «Транс-Евразия Экспресс»", "Trans-Eurasia Express JSC", "Cyrl", "KZ",
                "050340004411", ("ул. Сейфуллина 410", "Almaty", "KZ"), aeo="aeo_f",
                officers=(("H1", "manager"),)),
)  # fmt: skip

CONVEYANCES: tuple[CastConveyance, ...] = (
    CastConveyance("TRUCK_A", "vehicle", "MAN TGX 18.440 truck", "KZ",
                   (("plate", "847KTA02", "KZ"), ("vin", "WMA06XZZ7HP093184", None))),
    CastConveyance("TRAILER_A", "trailer", "Schmitz Cargobull refrigerated trailer", "KZ",
                   (("plate", "19ATT02", "KZ"),)),
    CastConveyance("BOX_B", "container", None, None, (("container", "MSKU9070323", None),)),
    CastConveyance("TRUCK_B", "vehicle", "Volvo FH truck", "UZ",
                   (("plate", "01A777BA", "UZ"),), foreign=True),
)  # fmt: skip

# Every planted case is seized in Kazakhstan: a transit route crosses it.
_A_ROUTE = ("AF", ("TJ", "KG", "KZ"), "RU")
_A_ROUTE_KZ = ("TJ", ("UZ",), "KZ")

SEIZURES: tuple[CastSeizure, ...] = (
    CastSeizure("DEMO-A-01", 560, "KORDAI", "Kordai", "road", "land_border", "transit",
                "risk_profiling", "xray_scanner", _A_ROUTE, "built_in_compartment",
                (_heroin("18.6"),),
                "18.6 kg of heroin in a welded compartment behind the cab of a MAN truck carrying "
                "dried apricots from Dushanbe to Yekaterinburg.",
                (("A4", "driver"), ("A2", "passenger")),
                (("PAMIR", "carrier"), ("URAL", "consignee")),
                (("TRUCK_A", "means_of_transport"), ("TRAILER_A", "trailer")), hour=4),
    CastSeizure("DEMO-A-02", 468, "ALA-AIR", "Almaty airport", "air", "airport", "transit",
                "behaviour_analysis", "xray_scanner", ("TJ", ("KZ",), "RU"),
                "false_bottom_luggage", (_heroin("2.1"),),
                "2.1 kg of heroin under a false bottom of a suitcase; passenger in transit from "
                "Dushanbe to Moscow.", (("A6", "courier"),), hour=23),
    CastSeizure("DEMO-A-03", 421, "KORDAI", "Kordai", "road", "land_border", "import",
                "xray_scanner", "xray_scanner", _A_ROUTE_KZ, "tyres", (_tramadol(48000),),
                "48,000 tramadol tablets packed inside the spare wheel of the MAN truck.",
                (("A5", "driver"),), (("PAMIR", "consignee"), ("HUB", "carrier")),
                (("TRUCK_A", "means_of_transport"),), hour=6),
    CastSeizure("DEMO-A-04", 377, "POST-ALA", "Almaty postal centre", "postal", "postal_centre",
                "transit", "xray_scanner", "xray_scanner", ("TJ", ("KZ",), "RU"),
                "postal_parcel", (_tramadol(6000),),
                "6,000 tramadol tablets in blister packs declared as 'herbal tea', addressed to "
                "Ural Pharm Distribution.", (("A7", "consignee"), ("A3", "consignor")),
                (("URAL", "consignee"), ("PAMIR", "consignor"), ("HUB", "postal_operator")),
                hour=14),
    CastSeizure("DEMO-A-05", 331, "KORDAI", "Kordai", "road", "land_border", "transit",
                "intelligence", "xray_scanner", _A_ROUTE, "built_in_compartment",
                (_heroin("22.4"), _tramadol(12000)),
                "The same MAN truck again: 22.4 kg of heroin and 12,000 tramadol tablets in the "
                "rebuilt compartment behind the cab.",
                (("A4", "driver"), ("A5", "driver"), ("A1", "organiser")),
                (("PAMIR", "carrier"), ("URAL", "consignee"), ("HUB", "forwarder")),
                (("TRUCK_A", "means_of_transport"), ("TRAILER_A", "trailer")), hour=3),
    CastSeizure("DEMO-A-06", 268, "ALA-AIR", "Almaty airport", "air", "airport", "transit",
                "risk_profiling", "xray_scanner", ("TJ", ("KZ",), "RU"), "false_bottom_luggage",
                (_heroin("1.8"),),
                "1.8 kg of heroin under the false bottom of a suitcase of the same model as in "
                "DEMO-A-02.", (("A2", "courier"),), hour=22),
    CastSeizure("DEMO-A-07", 205, "ZHIBEK-ZHOLY", "Zhibek Zholy", "road", "land_border",
                "import", "sniffer_dog", "detector_dog", _A_ROUTE_KZ, "in_luggage",
                (_heroin("0.9"),), "0.9 kg of heroin in a backpack of a bus passenger.",
                (("A3", "courier"),), hour=17),
    CastSeizure("DEMO-A-08", 148, "KORDAI", "Kordai", "road", "land_border", "transit",
                "xray_scanner", "xray_scanner", _A_ROUTE, "fuel_tank", (_heroin("9.7"),),
                "9.7 kg of heroin in a partitioned fuel tank of the MAN truck.",
                (("A5", "driver"), ("A8", "owner")), (("PAMIR", "carrier"),),
                (("TRUCK_A", "means_of_transport"),), hour=5),
    CastSeizure("DEMO-A-09", 93, "POST-ALA", "Almaty postal centre", "postal", "postal_centre",
                "transit", "xray_scanner", "xray_scanner", ("TJ", ("KZ",), "RU"), "postal_parcel",
                (_tramadol(9000),), "9,000 tramadol tablets in three parcels of 'herbal tea'.",
                (("A7", "consignee"), ("A6", "consignor")),
                (("URAL", "consignee"), ("PAMIR", "consignor"), ("HUB", "postal_operator")),
                hour=11),
    CastSeizure("DEMO-A-10", 21, "KORDAI", "Kordai", "road", "land_border", "transit",
                "controlled_delivery", "physical_examination", _A_ROUTE, "built_in_compartment",
                (_heroin("31.0"),),
                "Controlled delivery: 31 kg of heroin in the MAN truck; driver and organiser "
                "arrested.", (("A4", "driver"), ("A1", "organiser"), ("A2", "passenger")),
                (("PAMIR", "carrier"), ("HUB", "forwarder")),
                (("TRUCK_A", "means_of_transport"), ("TRAILER_A", "trailer")), hour=2),
    # Ring B: Silk Wind.
    CastSeizure("DEMO-B-01", 410, "ALTYNKOL", "Altynkol", "rail", "rail_border", "transit",
                "xray_scanner", "xray_scanner", ("CN", ("KZ",), "RU"), "container_structure",
                (_cigarettes(1_200_000),),
                "1.2 million cigarettes behind a false front wall of a container declared as "
                "plastic kitchenware.", (("B2", "declarant"),),
                (("SILK", "importer"), ("YIWU", "exporter"), ("HUB", "carrier")),
                (("BOX_B", "container"),), hour=9),
    CastSeizure("DEMO-B-02", 329, "DOSTYK", "Dostyk", "rail", "rail_border", "import",
                "risk_profiling", "xray_scanner", ("CN", (), "KZ"), "within_cargo",
                (_cigarettes(600_000), _shoes(2400)),
                "Cigarettes and counterfeit sports shoes among cartons of kitchenware.",
                (("B2", "declarant"), ("B4", "consignee")), (("SILK", "importer"),
                                                            ("YIWU", "exporter")),
                (("BOX_B", "container"),), hour=13),
    CastSeizure("DEMO-B-03", 240, "KHORGOS", "Khorgos", "road", "land_border", "transit",
                "documentary_check", "physical_examination", ("CN", ("KZ", "RU", "BY"), "PL"),
                "misdeclared", (_shoes(9600),),
                "9,600 pairs of counterfeit sports shoes declared as 'textile slippers', bound "
                "for Małaszewicze.", (("B5", "consignee"), ("B1", "consignor")),
                (("YIWU", "exporter"), ("HUB", "carrier")), hour=15),
    CastSeizure("DEMO-B-04", 173, "DOSTYK", "Dostyk", "rail", "rail_border", "transit",
                "intelligence", "xray_scanner", ("CN", ("KZ",), "RU"), "container_structure",
                (_cigarettes(1_800_000),),
                "1.8 million cigarettes in the floor of the same container as DEMO-B-01.",
                (("B2", "declarant"), ("B3", "driver")),
                (("SILK", "importer"), ("YIWU", "exporter")),
                (("BOX_B", "container"),), hour=8),
    CastSeizure("uz-ncen/UZ-TAS-2026-00187", 96, None, "Yallama border post (UZ)", "road",
                "land_border", "import", "xray_scanner", "xray_scanner", ("KZ", (), "UZ"),
                "container_structure", (_cigarettes(900_000),),
                "Received from the Uzbek node: 900,000 cigarettes in the walls of container "
                "MSKU9070323 on a Volvo truck; driver Tursunov J.",
                (("B6", "driver"),), (), (("TRUCK_B", "means_of_transport"),),
                foreign=True, hour=12),
    CastSeizure("DEMO-B-05", 34, "ALTYNKOL", "Altynkol", "rail", "rail_border", "transit",
                "xray_scanner", "xray_scanner", ("CN", ("KZ",), "RU"), "within_cargo",
                (_cigarettes(750_000),),
                "750,000 cigarettes among cartons of kitchenware in the Silk Wind container.",
                (("B2", "declarant"), ("B3", "driver"), ("B4", "consignee")),
                (("SILK", "importer"), ("YIWU", "exporter"), ("HUB", "carrier")),
                (("BOX_B", "container"),), hour=10),
)  # fmt: skip

# Start here: the references and names the README and ``ncen demo`` point newcomers to.
HINTS = (
    ("link chart, timeline", "DEMO-A-10 (Pamir route), person RAKHIMOV Farrukh"),
    ("shared container, foreign record", "DEMO-B-04 and uz-ncen/UZ-TAS-2026-00187"),
    ("similar pictures", "the suitcase X-ray of DEMO-A-02 (its near-duplicate is on DEMO-A-06)"),
    ("hub company (capped expansion)", "Trans-Eurasia Express JSC"),
)
