"""French and Russian labels of the built-in code lists, which migration 0024 seeds into
``reference_labels``.

English stays the source (`ncen.reference.codes`, the ``label`` column of each list); these are
the translations a node starts with. At run time labels are read from the database only, so an
administrator can correct a translation or label a code of their own in every language
(`ncen.reference.services`). The wording follows the customs vocabulary of each language (the
French of the WCO and the EU customs code, the Russian of the EAEU customs code: «пункт
пропуска», «таможенный представитель», «контролируемая поставка»...).

Like `ncen.reference.codes`, this is seed data: a migration has read it, so a correction made
here reaches existing nodes only through a new migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ncen.reference.hs_translations import HS_CHAPTERS, HS_SECTIONS

#: The languages besides English that every built-in code is labelled in.
LOCALES: tuple[str, ...] = ("fr", "ru")

_OTHER = ("Autre", "Прочее")
_NOT_KNOWN = ("Inconnu", "Неизвестно")

ENFORCEMENT_AREAS: dict[str, tuple[str, str]] = {
    "cultural_heritage": ("Patrimoine culturel", "Культурное наследие"),
    "drugs": ("Drogues", "Наркотики"),
    "environment": ("Environnement", "Окружающая среда"),
    "ipr_health_safety": (
        "Propriété intellectuelle, santé et sécurité",
        "Интеллектуальная собственность, здоровье и безопасность",
    ),
    "revenue": ("Recettes fiscales", "Фискальные доходы"),
    "security": ("Sécurité", "Безопасность"),
}

COMMODITY_GROUPS: dict[str, tuple[str, str]] = {
    "drugs": (
        "Drogues (stupéfiants et substances psychotropes)",
        "Наркотики (наркотические средства и психотропные вещества)",
    ),
    "precursors": (
        "Précurseurs de drogues et produits chimiques",
        "Прекурсоры наркотиков и химические вещества",
    ),
    "tobacco": ("Tabac et produits du tabac", "Табак и табачные изделия"),
    "alcohol": ("Alcool et boissons alcooliques", "Алкоголь и алкогольная продукция"),
    "commercial_fraud": (
        "Fraude commerciale et autres marchandises à enjeu fiscal",
        "Коммерческое мошенничество и прочие товары (фискальные нарушения)",
    ),
    "ipr": (
        "Atteintes aux droits de propriété intellectuelle (contrefaçons et piratage)",
        "Нарушения прав интеллектуальной собственности (контрафактные и пиратские товары)",
    ),
    "medicines": (
        "Médicaments et produits pharmaceutiques",
        "Лекарственные средства и фармацевтическая продукция",
    ),
    "cites": (
        "CITES (espèces menacées de faune et de flore sauvages)",
        "СИТЕС (виды дикой фауны и флоры, находящиеся под угрозой исчезновения)",
    ),
    "hazardous_waste_ods": (
        "Déchets dangereux et substances appauvrissant la couche d'ozone",
        "Опасные отходы и озоноразрушающие вещества",
    ),
    "weapons_ammunition": ("Armes et munitions", "Оружие и боеприпасы"),
    "currency": (
        "Espèces et instruments négociables au porteur",
        "Наличные денежные средства и денежные инструменты на предъявителя",
    ),
    "cultural_heritage": (
        "Patrimoine culturel (biens culturels)",
        "Культурное наследие (культурные ценности)",
    ),
    "other_security": (
        "Autres marchandises sensibles (explosifs, biens à double usage et stratégiques)",
        "Прочие товары, связанные с безопасностью (взрывчатые вещества, товары двойного"
        " назначения и стратегические товары)",
    ),
}

DETECTION_METHODS: dict[str, tuple[str, str]] = {
    "risk_profiling": ("Profils de risque / ciblage", "Профили риска / целевой отбор"),
    "advance_information": (
        "Informations préalables sur le fret ou les passagers (API/PNR, avant l'arrivée)",
        "Предварительная информация о грузах или пассажирах (API/PNR, до прибытия)",
    ),
    "random_check": ("Contrôle aléatoire", "Случайная проверка"),
    "routine_control": ("Contrôle de routine", "Плановый контроль"),
    "intelligence": ("Renseignement préalable", "Предварительные оперативные данные"),
    "tip_off": ("Dénonciation / informateur", "Сигнал / информатор"),
    "mutual_assistance": (
        "Demande d'assistance administrative mutuelle",
        "Запрос о взаимной административной помощи",
    ),
    "controlled_delivery": ("Livraison surveillée", "Контролируемая поставка"),
    "xray_scanner": ("Image radioscopique / scanner", "Рентгеновский снимок / сканер"),
    "sniffer_dog": ("Chien renifleur", "Служебно-розыскная собака"),
    "behaviour_analysis": (
        "Analyse comportementale / entretien avec le voyageur",
        "Анализ поведения / опрос пассажиров",
    ),
    "documentary_check": ("Contrôle documentaire", "Документальная проверка"),
    "post_clearance_audit": ("Contrôle a posteriori", "Проверка после выпуска товаров"),
    "joint_operation": ("Opération conjointe", "Совместная операция"),
    "other": _OTHER,
    "not_known": _NOT_KNOWN,
}

DETECTION_TECHNIQUES: dict[str, tuple[str, str]] = {
    "xray_scanner": (
        "Rayons X / scanner d'inspection non intrusive",
        "Рентген / инспекционно-досмотровый комплекс (ИДК)",
    ),
    "body_scanner": ("Scanner corporel", "Сканер для досмотра людей"),
    "detector_dog": ("Chien détecteur", "Служебная собака-детектор"),
    "physical_examination": ("Visite physique", "Физический досмотр"),
    "trace_detection": (
        "Détecteur ionique / détection de traces",
        "Ионный сканер / обнаружение следов",
    ),
    "density_meter": ("Densimètre", "Плотномер"),
    "fibrescope": ("Fibroscope / endoscope", "Фиброскоп / эндоскоп"),
    "radiation_detector": ("Détecteur de rayonnements", "Детектор ионизирующего излучения"),
    "field_test": ("Kit de test de terrain", "Экспресс-тест (полевой набор)"),
    "laboratory_analysis": (
        "Prélèvement et analyse en laboratoire",
        "Отбор проб и лабораторный анализ",
    ),
    "document_analysis": ("Analyse documentaire", "Анализ документов"),
    "cctv": ("Vidéosurveillance", "Видеонаблюдение"),
    "other": _OTHER,
    "not_known": _NOT_KNOWN,
}

CONCEALMENT_METHODS: dict[str, tuple[str, str]] = {
    "body_internal": (
        "Dissimulation in corpore (cavité corporelle)",
        "Сокрытие внутри тела (в полостях тела)",
    ),
    "swallowed": ("Ingéré (avalé)", "Проглочено"),
    "strapped_to_body": ("Fixé sur le corps", "Прикреплено к телу"),
    "in_clothing": ("Dans les vêtements ou les chaussures", "В одежде или обуви"),
    "in_luggage": (
        "Dans les bagages, parmi les effets personnels",
        "В багаже, среди личных вещей",
    ),
    "false_bottom_luggage": (
        "Double fond ou doublure de bagage",
        "Двойное дно или подкладка багажа",
    ),
    "natural_vehicle_cavity": (
        "Cavité naturelle d'un véhicule",
        "Естественная полость транспортного средства",
    ),
    "built_in_compartment": ("Cache aménagée", "Специально оборудованный тайник"),
    "fuel_tank": ("Réservoir de carburant", "Топливный бак"),
    "tyres": ("Pneus ou roue de secours", "Шины или запасное колесо"),
    "within_cargo": (
        "Dans la cargaison, parmi des marchandises licites (chargement mixte)",
        "В грузе, среди законных товаров (совместная загрузка)",
    ),
    "inside_goods": (
        "À l'intérieur des marchandises (évidées, moulées, dissoutes ou imprégnées)",
        "Внутри товаров (в полостях, в отливках, в растворе или пропиткой)",
    ),
    "container_structure": (
        "Structure du conteneur (parois, plancher, groupe frigorifique)",
        "Конструкция контейнера (стенки, пол, холодильная установка)",
    ),
    "rip_on_rip_off": (
        "Rip-on/rip-off (ajouté à un conteneur licite)",
        "«Rip-on/rip-off» (вложение в законный контейнер)",
    ),
    "vessel_structure": (
        "Structure du navire (coque, citernes, caisson de prise d'eau)",
        "Конструкция судна (корпус, танки, кингстонный ящик)",
    ),
    "aircraft_structure": (
        "Structure de l'aéronef (panneaux, toilettes, soute)",
        "Конструкция воздушного судна (панели, туалеты, грузовой отсек)",
    ),
    "postal_parcel": ("Colis postal ou express", "Почтовое или экспресс-отправление"),
    "misdeclared": (
        "Marchandises mal déclarées ou mal étiquetées",
        "Недостоверно задекларированные или маркированные товары",
    ),
    "diplomatic_bag": ("Valise diplomatique", "Дипломатическая почта"),
    "no_concealment": ("Aucune dissimulation (non déclaré)", "Без сокрытия (не задекларировано)"),
    "other": _OTHER,
    "not_known": _NOT_KNOWN,
}

TRANSPORT_MODES: dict[str, tuple[str, str]] = {
    "maritime": ("Transport maritime", "Морской транспорт"),
    "rail": ("Transport ferroviaire", "Железнодорожный транспорт"),
    "road": ("Transport routier", "Автомобильный транспорт"),
    "air": ("Transport aérien", "Воздушный транспорт"),
    "postal": ("Envoi postal", "Почтовое отправление"),
    "multimodal": ("Transport multimodal", "Мультимодальная перевозка"),
    "fixed_installation": (
        "Installation de transport fixe (pipeline, ligne électrique)",
        "Стационарные транспортные установки (трубопровод, ЛЭП)",
    ),
    "inland_waterway": ("Navigation intérieure", "Внутренний водный транспорт"),
    "pedestrian": ("Voyageur à pied / piéton", "Пешеход"),
    "express_courier": ("Messagerie express", "Экспресс-доставка"),
    "not_known": _NOT_KNOWN,
}

LOCATION_TYPES: dict[str, tuple[str, str]] = {
    "airport": ("Aéroport", "Аэропорт"),
    "seaport": ("Port maritime", "Морской порт"),
    "river_port": ("Port fluvial", "Речной порт"),
    "land_border": ("Point de passage frontalier terrestre", "Автомобильный пункт пропуска"),
    "rail_border": ("Gare frontière", "Железнодорожный пункт пропуска"),
    "inland_office": (
        "Bureau de douane intérieur ou dépôt",
        "Внутренний таможенный пост или терминал",
    ),
    "postal_centre": ("Centre de traitement postal", "Место международного почтового обмена"),
    "express_centre": ("Centre de messagerie express", "Терминал экспресс-перевозчика"),
    "free_zone": ("Zone franche", "Свободная (особая) экономическая зона"),
    "bonded_warehouse": ("Entrepôt sous douane", "Таможенный склад"),
    "inland": ("À l'intérieur du territoire", "Внутри страны"),
    "at_sea": ("En mer", "В море"),
    "other": _OTHER,
    "not_known": _NOT_KNOWN,
}

PERSON_ROLES: dict[str, tuple[str, str]] = {
    "offender": ("Contrevenant", "Правонарушитель"),
    "suspect": ("Suspect", "Подозреваемый"),
    "accomplice": ("Complice", "Соучастник"),
    "organiser": ("Organisateur", "Организатор"),
    "financier": ("Financeur", "Финансист"),
    "courier": ("Passeur", "Курьер"),
    "driver": ("Conducteur", "Водитель"),
    "passenger": ("Passager", "Пассажир"),
    "crew_member": ("Membre d'équipage", "Член экипажа"),
    "master": ("Capitaine / commandant de bord", "Капитан / командир воздушного судна"),
    "owner": ("Propriétaire", "Владелец"),
    "consignor": ("Expéditeur", "Отправитель"),
    "consignee": ("Destinataire", "Получатель"),
    "declarant": ("Déclarant", "Декларант"),
    "witness": ("Témoin", "Свидетель"),
    "other": _OTHER,
}

COMPANY_ROLES: dict[str, tuple[str, str]] = {
    "importer": ("Importateur", "Импортёр"),
    "exporter": ("Exportateur", "Экспортёр"),
    "consignor": ("Expéditeur", "Грузоотправитель"),
    "consignee": ("Destinataire", "Грузополучатель"),
    "carrier": ("Transporteur", "Перевозчик"),
    "forwarder": ("Transitaire", "Экспедитор"),
    "customs_broker": ("Représentant en douane", "Таможенный представитель"),
    "declarant": ("Déclarant", "Декларант"),
    "shipping_agent": ("Agent maritime", "Судовой агент"),
    "express_operator": ("Opérateur de messagerie express", "Экспресс-перевозчик"),
    "postal_operator": ("Opérateur postal", "Почтовый оператор"),
    "warehouse_keeper": ("Entrepositaire", "Владелец склада"),
    "manufacturer": ("Fabricant", "Производитель"),
    "owner": ("Propriétaire des marchandises", "Владелец товаров"),
    "buyer": ("Acheteur", "Покупатель"),
    "seller": ("Vendeur", "Продавец"),
    "other": _OTHER,
}

CONVEYANCE_ROLES: dict[str, tuple[str, str]] = {
    "means_of_transport": ("Moyen de transport", "Транспортное средство"),
    "container": ("Conteneur", "Контейнер"),
    "trailer": ("Remorque", "Прицеп"),
    "concealment_vehicle": (
        "Véhicule utilisé pour la dissimulation",
        "Транспортное средство с тайником",
    ),
    "escort_vehicle": ("Véhicule d'escorte ou d'éclairage", "Машина сопровождения или разведки"),
    "other": _OTHER,
}

PERSON_COMPANY_ROLES: dict[str, tuple[str, str]] = {
    "director": ("Dirigeant", "Директор"),
    "manager": ("Gérant", "Управляющий"),
    "employee": ("Salarié", "Сотрудник"),
    "owner": ("Propriétaire", "Владелец"),
    "shareholder": ("Actionnaire", "Акционер"),
    "beneficial_owner": ("Bénéficiaire effectif", "Бенефициарный владелец"),
    "founder": ("Fondateur", "Учредитель"),
    "representative": ("Représentant légal", "Законный представитель"),
    "agent": ("Mandataire", "Доверенное лицо"),
    "accountant": ("Comptable", "Бухгалтер"),
    "other": _OTHER,
}

QUANTITY_UNITS: dict[str, tuple[str, str]] = {
    "kg": ("Kilogrammes", "Килограммы"),
    "g": ("Grammes", "Граммы"),
    "mg": ("Milligrammes", "Миллиграммы"),
    "t": ("Tonnes", "Тонны"),
    "l": ("Litres", "Литры"),
    "ml": ("Millilitres", "Миллилитры"),
    "m3": ("Mètres cubes", "Кубические метры"),
    "m2": ("Mètres carrés", "Квадратные метры"),
    "m": ("Mètres", "Метры"),
    "pieces": ("Pièces", "Штуки"),
    "pairs": ("Paires", "Пары"),
    "sets": ("Ensembles", "Комплекты"),
    "sticks": ("Cigarettes (unités)", "Сигареты (штуки)"),
    "cigars": ("Cigares", "Сигары"),
    "cartons": ("Cartouches", "Блоки"),
    "packs": ("Paquets", "Пачки"),
    "bottles": ("Bouteilles", "Бутылки"),
    "tablets": ("Comprimés", "Таблетки"),
    "capsules": ("Gélules", "Капсулы"),
    "ampoules": ("Ampoules", "Ампулы"),
    "vials": ("Flacons", "Флаконы"),
    "doses": ("Doses", "Дозы"),
    "blotters": ("Buvards", "Марки (блоттеры)"),
    "plants": ("Plantes", "Растения"),
    "heads": ("Têtes (animaux vivants)", "Головы (живые животные)"),
}

#: Translations of every built-in code list, by table name: code -> (French, Russian), in the
#: order of `LOCALES` (HS titles in `ncen.reference.hs_translations`).
TRANSLATED_LISTS: Mapping[str, Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "enforcement_areas": ENFORCEMENT_AREAS,
        "commodity_groups": COMMODITY_GROUPS,
        "detection_methods": DETECTION_METHODS,
        "detection_techniques": DETECTION_TECHNIQUES,
        "concealment_methods": CONCEALMENT_METHODS,
        "transport_modes": TRANSPORT_MODES,
        "location_types": LOCATION_TYPES,
        "person_roles": PERSON_ROLES,
        "company_roles": COMPANY_ROLES,
        "conveyance_roles": CONVEYANCE_ROLES,
        "person_company_roles": PERSON_COMPANY_ROLES,
        "quantity_units": QUANTITY_UNITS,
        "hs_sections": HS_SECTIONS,
        "hs_chapters": HS_CHAPTERS,
    }
)


def seed_rows() -> list[dict[str, str]]:
    """Every translation as a ``reference_labels`` row (list_name, code, locale, label)."""
    return [
        {"list_name": name, "code": code, "locale": locale, "label": label}
        for name, codes in TRANSLATED_LISTS.items()
        for code, labels in codes.items()
        for locale, label in zip(LOCALES, labels, strict=True)
    ]
