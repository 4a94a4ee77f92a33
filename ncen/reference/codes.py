"""The built-in code lists, as immutable Python data that a migration seeds into the database.

Each list is a tuple of `Code`. A code is the stable identifier that records store as a foreign
key and that nodes exchange, so **a published code never changes and is never reused**: to
retire one, deactivate its row; to rename one, change only its English label (nodes translate
labels locally). Codes of the CEN lists are lower_snake_case; HS sections use the roman numeral
and HS chapters the two digits of the nomenclature, because those are the codes everybody knows.

The enforcement areas are the six areas of the WCO Illicit Trade Report, which analyses the CEN
database; the commodity groups are the CEN's thirteen, each under one area. HS texts are the
official English titles of the HS 2022 edition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of a code list; `parent` is the code of the entry it belongs to in another list."""

    code: str
    label: str
    parent: str | None = None


ENFORCEMENT_AREAS: tuple[Code, ...] = (
    Code("cultural_heritage", "Cultural heritage"),
    Code("drugs", "Drugs"),
    Code("environment", "Environment"),
    Code("ipr_health_safety", "IPR, health and safety"),
    Code("revenue", "Revenue"),
    Code("security", "Security"),
)

COMMODITY_GROUPS: tuple[Code, ...] = (
    Code("drugs", "Drugs (narcotic drugs and psychotropic substances)", "drugs"),
    Code("precursors", "Drug precursors and chemicals", "drugs"),
    Code("tobacco", "Tobacco and tobacco products", "revenue"),
    Code("alcohol", "Alcohol and alcoholic beverages", "revenue"),
    Code("commercial_fraud", "Commercial fraud and other revenue goods", "revenue"),
    Code("ipr", "IPR infringements (counterfeit and pirated goods)", "ipr_health_safety"),
    Code("medicines", "Medicines and pharmaceuticals", "ipr_health_safety"),
    Code("cites", "CITES (endangered species of wild fauna and flora)", "environment"),
    Code(
        "hazardous_waste_ods",
        "Hazardous waste and ozone-depleting substances",
        "environment",
    ),
    Code("weapons_ammunition", "Weapons and ammunition", "security"),
    # Cash smuggling is worked under the WCO Security Programme (terrorist financing, e.g.
    # Operation Chimera on small arms and cash), hence security rather than revenue.
    Code("currency", "Currency and bearer negotiable instruments", "security"),
    Code("cultural_heritage", "Cultural heritage (cultural objects)", "cultural_heritage"),
    Code(
        "other_security",
        "Other security-related goods (explosives, dual-use and strategic goods)",
        "security",
    ),
)

DETECTION_METHODS: tuple[Code, ...] = (
    Code("risk_profiling", "Risk profiling / targeting"),
    Code("advance_information", "Advance cargo or passenger information (API/PNR, pre-arrival)"),
    Code("random_check", "Random check"),
    Code("routine_control", "Routine control"),
    Code("intelligence", "Prior intelligence"),
    Code("tip_off", "Tip-off / informant"),
    Code("mutual_assistance", "Mutual administrative assistance request"),
    Code("controlled_delivery", "Controlled delivery"),
    Code("xray_scanner", "X-ray / scanner image"),
    Code("sniffer_dog", "Sniffer dog"),
    Code("behaviour_analysis", "Behaviour analysis / passenger questioning"),
    Code("documentary_check", "Documentary check"),
    Code("post_clearance_audit", "Post-clearance audit"),
    Code("joint_operation", "Joint operation"),
    Code("other", "Other"),
    Code("not_known", "Not known"),
)

DETECTION_TECHNIQUES: tuple[Code, ...] = (
    Code("xray_scanner", "X-ray / non-intrusive inspection scanner"),
    Code("body_scanner", "Body scanner"),
    Code("detector_dog", "Detector dog"),
    Code("physical_examination", "Physical examination"),
    Code("trace_detection", "Ion scanner / trace detection"),
    Code("density_meter", "Density meter"),
    Code("fibrescope", "Fibrescope / endoscope"),
    Code("radiation_detector", "Radiation detector"),
    Code("field_test", "Field test kit"),
    Code("laboratory_analysis", "Sampling and laboratory analysis"),
    Code("document_analysis", "Document analysis"),
    Code("cctv", "CCTV"),
    Code("other", "Other"),
    Code("not_known", "Not known"),
)

CONCEALMENT_METHODS: tuple[Code, ...] = (
    Code("body_internal", "Internal body concealment (body cavity)"),
    Code("swallowed", "Swallowed (ingested)"),
    Code("strapped_to_body", "Strapped to the body"),
    Code("in_clothing", "In clothing or footwear"),
    Code("in_luggage", "In luggage, among personal effects"),
    Code("false_bottom_luggage", "False bottom or lining of luggage"),
    Code("natural_vehicle_cavity", "Natural cavity of a vehicle"),
    Code("built_in_compartment", "Built-in compartment"),
    Code("fuel_tank", "Fuel tank"),
    Code("tyres", "Tyres or spare wheel"),
    Code("within_cargo", "Within cargo, among legitimate goods (co-loading)"),
    Code("inside_goods", "Inside goods (hollowed, moulded, dissolved or impregnated)"),
    Code("container_structure", "Container structure (walls, floor, refrigeration unit)"),
    Code("rip_on_rip_off", "Rip-on/rip-off (added to a legitimate container)"),
    Code("vessel_structure", "Vessel structure (hull, tanks, sea chest)"),
    Code("aircraft_structure", "Aircraft structure (panels, toilets, cargo hold)"),
    Code("postal_parcel", "Postal or express parcel"),
    Code("misdeclared", "Misdeclared or mislabelled goods"),
    Code("diplomatic_bag", "Diplomatic bag"),
    Code("no_concealment", "No concealment (undeclared)"),
    Code("other", "Other"),
    Code("not_known", "Not known"),
)

TRANSPORT_MODES: tuple[Code, ...] = (
    Code("maritime", "Maritime transport"),
    Code("rail", "Rail transport"),
    Code("road", "Road transport"),
    Code("air", "Air transport"),
    Code("postal", "Postal consignment"),
    Code("multimodal", "Multimodal transport"),
    Code("fixed_installation", "Fixed transport installation (pipeline, power line)"),
    Code("inland_waterway", "Inland waterway transport"),
    Code("pedestrian", "Passenger on foot / pedestrian"),
    Code("express_courier", "Express courier"),
    Code("not_known", "Not known"),
)

#: The UN/ECE Recommendation 19 code of each transport mode that has one, for exchange with
#: systems that speak Rec 19 (the CEN's pedestrian and express modes have none).
REC19_TRANSPORT_MODES: Mapping[str, str] = MappingProxyType(
    {
        "not_known": "0",
        "maritime": "1",
        "rail": "2",
        "road": "3",
        "air": "4",
        "postal": "5",
        "multimodal": "6",
        "fixed_installation": "7",
        "inland_waterway": "8",
    }
)

LOCATION_TYPES: tuple[Code, ...] = (
    Code("airport", "Airport"),
    Code("seaport", "Seaport"),
    Code("river_port", "Inland waterway port"),
    Code("land_border", "Land border crossing"),
    Code("rail_border", "Rail border station"),
    Code("inland_office", "Inland customs office or depot"),
    Code("postal_centre", "Postal centre"),
    Code("express_centre", "Express courier centre"),
    Code("free_zone", "Free zone"),
    Code("bonded_warehouse", "Bonded or customs warehouse"),
    Code("inland", "Inland (in-country)"),
    Code("at_sea", "At sea"),
    Code("other", "Other"),
    Code("not_known", "Not known"),
)

PERSON_ROLES: tuple[Code, ...] = (
    Code("offender", "Offender"),
    Code("suspect", "Suspect"),
    Code("accomplice", "Accomplice"),
    Code("organiser", "Organiser"),
    Code("financier", "Financier"),
    Code("courier", "Courier"),
    Code("driver", "Driver"),
    Code("passenger", "Passenger"),
    Code("crew_member", "Crew member"),
    Code("master", "Master / captain / pilot in command"),
    Code("owner", "Owner"),
    Code("consignor", "Consignor / sender"),
    Code("consignee", "Consignee / recipient"),
    Code("declarant", "Declarant"),
    Code("witness", "Witness"),
    Code("other", "Other"),
)

COMPANY_ROLES: tuple[Code, ...] = (
    Code("importer", "Importer"),
    Code("exporter", "Exporter"),
    Code("consignor", "Consignor"),
    Code("consignee", "Consignee"),
    Code("carrier", "Carrier"),
    Code("forwarder", "Freight forwarder"),
    Code("customs_broker", "Customs broker"),
    Code("declarant", "Declarant"),
    Code("shipping_agent", "Shipping agent"),
    Code("express_operator", "Express operator"),
    Code("postal_operator", "Postal operator"),
    Code("warehouse_keeper", "Warehouse keeper"),
    Code("manufacturer", "Manufacturer"),
    Code("owner", "Owner of the goods"),
    Code("buyer", "Buyer"),
    Code("seller", "Seller"),
    Code("other", "Other"),
)

CONVEYANCE_ROLES: tuple[Code, ...] = (
    Code("means_of_transport", "Means of transport"),
    Code("container", "Container"),
    Code("trailer", "Trailer"),
    Code("concealment_vehicle", "Vehicle used for concealment"),
    Code("escort_vehicle", "Escort or scout vehicle"),
    Code("other", "Other"),
)

PERSON_COMPANY_ROLES: tuple[Code, ...] = (
    Code("director", "Director"),
    Code("manager", "Manager"),
    Code("employee", "Employee"),
    Code("owner", "Owner"),
    Code("shareholder", "Shareholder"),
    Code("beneficial_owner", "Beneficial owner"),
    Code("founder", "Founder"),
    Code("representative", "Legal representative"),
    Code("agent", "Authorised agent"),
    Code("accountant", "Accountant"),
    Code("other", "Other"),
)

QUANTITY_UNITS: tuple[Code, ...] = (
    Code("kg", "Kilograms"),
    Code("g", "Grams"),
    Code("mg", "Milligrams"),
    Code("t", "Tonnes"),
    Code("l", "Litres"),
    Code("ml", "Millilitres"),
    Code("m3", "Cubic metres"),
    Code("m2", "Square metres"),
    Code("m", "Metres"),
    Code("pieces", "Pieces"),
    Code("pairs", "Pairs"),
    Code("sets", "Sets"),
    Code("sticks", "Cigarettes (sticks)"),
    Code("cigars", "Cigars"),
    Code("cartons", "Cartons"),
    Code("packs", "Packs"),
    Code("bottles", "Bottles"),
    Code("tablets", "Tablets"),
    Code("capsules", "Capsules"),
    Code("ampoules", "Ampoules"),
    Code("vials", "Vials"),
    Code("doses", "Doses"),
    Code("blotters", "Blotters"),
    Code("plants", "Plants"),
    Code("heads", "Heads (live animals)"),
)

#: How each built-in unit converts: code -> (family, factor), where the family is the code of the
#: base unit and factor how many base units one unit is. Metric prefixes are exact; a pack of
#: cigarettes is 20 sticks and a carton 200 (the trade convention: 10 packs of 20). Every other
#: counted unit is its own family:
#: pieces, bottles and tablets cannot be added together meaningfully.
UNIT_CONVERSIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "kg": ("kg", "1"),
        "g": ("kg", "0.001"),
        "mg": ("kg", "0.000001"),
        "t": ("kg", "1000"),
        "l": ("l", "1"),
        "ml": ("l", "0.001"),
        "m3": ("l", "1000"),
        "m2": ("m2", "1"),
        "m": ("m", "1"),
        "sticks": ("sticks", "1"),
        "packs": ("sticks", "20"),
        "cartons": ("sticks", "200"),
        **{
            code: (code, "1")
            for code in (
                "pieces",
                "pairs",
                "sets",
                "cigars",
                "bottles",
                "tablets",
                "capsules",
                "ampoules",
                "vials",
                "doses",
                "blotters",
                "plants",
                "heads",
            )
        },
    }
)

HS_SECTIONS: tuple[Code, ...] = (
    Code("I", "Live animals; animal products"),
    Code("II", "Vegetable products"),
    Code(
        "III",
        "Animal, vegetable or microbial fats and oils and their cleavage products; prepared"
        " edible fats; animal or vegetable waxes",
    ),
    Code(
        "IV",
        "Prepared foodstuffs; beverages, spirits and vinegar; tobacco and manufactured tobacco"
        " substitutes; products, whether or not containing nicotine, intended for inhalation"
        " without combustion; other nicotine containing products intended for the intake of"
        " nicotine into the human body",
    ),
    Code("V", "Mineral products"),
    Code("VI", "Products of the chemical or allied industries"),
    Code("VII", "Plastics and articles thereof; rubber and articles thereof"),
    Code(
        "VIII",
        "Raw hides and skins, leather, furskins and articles thereof; saddlery and harness;"
        " travel goods, handbags and similar containers; articles of animal gut (other than"
        " silk-worm gut)",
    ),
    Code(
        "IX",
        "Wood and articles of wood; wood charcoal; cork and articles of cork; manufactures of"
        " straw, of esparto or of other plaiting materials; basketware and wickerwork",
    ),
    Code(
        "X",
        "Pulp of wood or of other fibrous cellulosic material; recovered (waste and scrap) paper"
        " or paperboard; paper and paperboard and articles thereof",
    ),
    Code("XI", "Textiles and textile articles"),
    Code(
        "XII",
        "Footwear, headgear, umbrellas, sun umbrellas, walking-sticks, seat-sticks, whips,"
        " riding-crops and parts thereof; prepared feathers and articles made therewith;"
        " artificial flowers; articles of human hair",
    ),
    Code(
        "XIII",
        "Articles of stone, plaster, cement, asbestos, mica or similar materials; ceramic"
        " products; glass and glassware",
    ),
    Code(
        "XIV",
        "Natural or cultured pearls, precious or semi-precious stones, precious metals, metals"
        " clad with precious metal, and articles thereof; imitation jewellery; coin",
    ),
    Code("XV", "Base metals and articles of base metal"),
    Code(
        "XVI",
        "Machinery and mechanical appliances; electrical equipment; parts thereof; sound"
        " recorders and reproducers, television image and sound recorders and reproducers, and"
        " parts and accessories of such articles",
    ),
    Code("XVII", "Vehicles, aircraft, vessels and associated transport equipment"),
    Code(
        "XVIII",
        "Optical, photographic, cinematographic, measuring, checking, precision, medical or"
        " surgical instruments and apparatus; clocks and watches; musical instruments; parts"
        " and accessories thereof",
    ),
    Code("XIX", "Arms and ammunition; parts and accessories thereof"),
    Code("XX", "Miscellaneous manufactured articles"),
    Code("XXI", "Works of art, collectors' pieces and antiques"),
)

HS_CHAPTERS: tuple[Code, ...] = (
    # Section I
    Code("01", "Live animals", "I"),
    Code("02", "Meat and edible meat offal", "I"),
    Code("03", "Fish and crustaceans, molluscs and other aquatic invertebrates", "I"),
    Code(
        "04",
        "Dairy produce; birds' eggs; natural honey; edible products of animal origin, not"
        " elsewhere specified or included",
        "I",
    ),
    Code("05", "Products of animal origin, not elsewhere specified or included", "I"),
    # Section II
    Code(
        "06",
        "Live trees and other plants; bulbs, roots and the like; cut flowers and ornamental"
        " foliage",
        "II",
    ),
    Code("07", "Edible vegetables and certain roots and tubers", "II"),
    Code("08", "Edible fruit and nuts; peel of citrus fruit or melons", "II"),
    Code("09", "Coffee, tea, maté and spices", "II"),
    Code("10", "Cereals", "II"),
    Code("11", "Products of the milling industry; malt; starches; inulin; wheat gluten", "II"),
    Code(
        "12",
        "Oil seeds and oleaginous fruits; miscellaneous grains, seeds and fruit; industrial or"
        " medicinal plants; straw and fodder",
        "II",
    ),
    Code("13", "Lac; gums, resins and other vegetable saps and extracts", "II"),
    Code(
        "14",
        "Vegetable plaiting materials; vegetable products not elsewhere specified or included",
        "II",
    ),
    # Section III
    Code(
        "15",
        "Animal, vegetable or microbial fats and oils and their cleavage products; prepared"
        " edible fats; animal or vegetable waxes",
        "III",
    ),
    # Section IV
    Code(
        "16",
        "Preparations of meat, of fish, of crustaceans, molluscs or other aquatic"
        " invertebrates, or of insects",
        "IV",
    ),
    Code("17", "Sugars and sugar confectionery", "IV"),
    Code("18", "Cocoa and cocoa preparations", "IV"),
    Code("19", "Preparations of cereals, flour, starch or milk; pastrycooks' products", "IV"),
    Code("20", "Preparations of vegetables, fruit, nuts or other parts of plants", "IV"),
    Code("21", "Miscellaneous edible preparations", "IV"),
    Code("22", "Beverages, spirits and vinegar", "IV"),
    Code("23", "Residues and waste from the food industries; prepared animal fodder", "IV"),
    Code(
        "24",
        "Tobacco and manufactured tobacco substitutes; products, whether or not containing"
        " nicotine, intended for inhalation without combustion; other nicotine containing"
        " products intended for the intake of nicotine into the human body",
        "IV",
    ),
    # Section V
    Code("25", "Salt; sulphur; earths and stone; plastering materials, lime and cement", "V"),
    Code("26", "Ores, slag and ash", "V"),
    Code(
        "27",
        "Mineral fuels, mineral oils and products of their distillation; bituminous"
        " substances; mineral waxes",
        "V",
    ),
    # Section VI
    Code(
        "28",
        "Inorganic chemicals; organic or inorganic compounds of precious metals, of rare-earth"
        " metals, of radioactive elements or of isotopes",
        "VI",
    ),
    Code("29", "Organic chemicals", "VI"),
    Code("30", "Pharmaceutical products", "VI"),
    Code("31", "Fertilisers", "VI"),
    Code(
        "32",
        "Tanning or dyeing extracts; tannins and their derivatives; dyes, pigments and other"
        " colouring matter; paints and varnishes; putty and other mastics; inks",
        "VI",
    ),
    Code("33", "Essential oils and resinoids; perfumery, cosmetic or toilet preparations", "VI"),
    Code(
        "34",
        "Soap, organic surface-active agents, washing preparations, lubricating preparations,"
        " artificial waxes, prepared waxes, polishing or scouring preparations, candles and"
        ' similar articles, modelling pastes, "dental waxes" and dental preparations with a'
        " basis of plaster",
        "VI",
    ),
    Code("35", "Albuminoidal substances; modified starches; glues; enzymes", "VI"),
    Code(
        "36",
        "Explosives; pyrotechnic products; matches; pyrophoric alloys; certain combustible"
        " preparations",
        "VI",
    ),
    Code("37", "Photographic or cinematographic goods", "VI"),
    Code("38", "Miscellaneous chemical products", "VI"),
    # Section VII
    Code("39", "Plastics and articles thereof", "VII"),
    Code("40", "Rubber and articles thereof", "VII"),
    # Section VIII
    Code("41", "Raw hides and skins (other than furskins) and leather", "VIII"),
    Code(
        "42",
        "Articles of leather; saddlery and harness; travel goods, handbags and similar"
        " containers; articles of animal gut (other than silk-worm gut)",
        "VIII",
    ),
    Code("43", "Furskins and artificial fur; manufactures thereof", "VIII"),
    # Section IX
    Code("44", "Wood and articles of wood; wood charcoal", "IX"),
    Code("45", "Cork and articles of cork", "IX"),
    Code(
        "46",
        "Manufactures of straw, of esparto or of other plaiting materials; basketware and"
        " wickerwork",
        "IX",
    ),
    # Section X
    Code(
        "47",
        "Pulp of wood or of other fibrous cellulosic material; recovered (waste and scrap)"
        " paper or paperboard",
        "X",
    ),
    Code(
        "48",
        "Paper and paperboard; articles of paper pulp, of paper or of paperboard",
        "X",
    ),
    Code(
        "49",
        "Printed books, newspapers, pictures and other products of the printing industry;"
        " manuscripts, typescripts and plans",
        "X",
    ),
    # Section XI
    Code("50", "Silk", "XI"),
    Code("51", "Wool, fine or coarse animal hair; horsehair yarn and woven fabric", "XI"),
    Code("52", "Cotton", "XI"),
    Code(
        "53",
        "Other vegetable textile fibres; paper yarn and woven fabrics of paper yarn",
        "XI",
    ),
    Code("54", "Man-made filaments", "XI"),
    Code("55", "Man-made staple fibres", "XI"),
    Code(
        "56",
        "Wadding, felt and nonwovens; special yarns; twine, cordage, ropes and cables and"
        " articles thereof",
        "XI",
    ),
    Code("57", "Carpets and other textile floor coverings", "XI"),
    Code(
        "58",
        "Special woven fabrics; tufted textile fabrics; lace; tapestries; trimmings; embroidery",
        "XI",
    ),
    Code(
        "59",
        "Impregnated, coated, covered or laminated textile fabrics; textile articles of a kind"
        " suitable for industrial use",
        "XI",
    ),
    Code("60", "Knitted or crocheted fabrics", "XI"),
    Code("61", "Articles of apparel and clothing accessories, knitted or crocheted", "XI"),
    Code("62", "Articles of apparel and clothing accessories, not knitted or crocheted", "XI"),
    Code(
        "63",
        "Other made up textile articles; sets; worn clothing and worn textile articles; rags",
        "XI",
    ),
    # Section XII
    Code("64", "Footwear, gaiters and the like; parts of such articles", "XII"),
    Code("65", "Headgear and parts thereof", "XII"),
    Code(
        "66",
        "Umbrellas, sun umbrellas, walking-sticks, seat-sticks, whips, riding-crops and parts"
        " thereof",
        "XII",
    ),
    Code(
        "67",
        "Prepared feathers and down and articles made of feathers or of down; artificial"
        " flowers; articles of human hair",
        "XII",
    ),
    # Section XIII
    Code(
        "68",
        "Articles of stone, plaster, cement, asbestos, mica or similar materials",
        "XIII",
    ),
    Code("69", "Ceramic products", "XIII"),
    Code("70", "Glass and glassware", "XIII"),
    # Section XIV
    Code(
        "71",
        "Natural or cultured pearls, precious or semi-precious stones, precious metals, metals"
        " clad with precious metal, and articles thereof; imitation jewellery; coin",
        "XIV",
    ),
    # Section XV
    Code("72", "Iron and steel", "XV"),
    Code("73", "Articles of iron or steel", "XV"),
    Code("74", "Copper and articles thereof", "XV"),
    Code("75", "Nickel and articles thereof", "XV"),
    Code("76", "Aluminium and articles thereof", "XV"),
    Code("77", "(Reserved for possible future use)", "XV"),
    Code("78", "Lead and articles thereof", "XV"),
    Code("79", "Zinc and articles thereof", "XV"),
    Code("80", "Tin and articles thereof", "XV"),
    Code("81", "Other base metals; cermets; articles thereof", "XV"),
    Code(
        "82",
        "Tools, implements, cutlery, spoons and forks, of base metal; parts thereof of base metal",
        "XV",
    ),
    Code("83", "Miscellaneous articles of base metal", "XV"),
    # Section XVI
    Code(
        "84",
        "Nuclear reactors, boilers, machinery and mechanical appliances; parts thereof",
        "XVI",
    ),
    Code(
        "85",
        "Electrical machinery and equipment and parts thereof; sound recorders and"
        " reproducers, television image and sound recorders and reproducers, and parts and"
        " accessories of such articles",
        "XVI",
    ),
    # Section XVII
    Code(
        "86",
        "Railway or tramway locomotives, rolling-stock and parts thereof; railway or tramway"
        " track fixtures and fittings and parts thereof; mechanical (including"
        " electro-mechanical) traffic signalling equipment of all kinds",
        "XVII",
    ),
    Code(
        "87",
        "Vehicles other than railway or tramway rolling-stock, and parts and accessories thereof",
        "XVII",
    ),
    Code("88", "Aircraft, spacecraft, and parts thereof", "XVII"),
    Code("89", "Ships, boats and floating structures", "XVII"),
    # Section XVIII
    Code(
        "90",
        "Optical, photographic, cinematographic, measuring, checking, precision, medical or"
        " surgical instruments and apparatus; parts and accessories thereof",
        "XVIII",
    ),
    Code("91", "Clocks and watches and parts thereof", "XVIII"),
    Code("92", "Musical instruments; parts and accessories of such articles", "XVIII"),
    # Section XIX
    Code("93", "Arms and ammunition; parts and accessories thereof", "XIX"),
    # Section XX
    Code(
        "94",
        "Furniture; bedding, mattresses, mattress supports, cushions and similar stuffed"
        " furnishings; luminaires and lighting fittings, not elsewhere specified or included;"
        " illuminated signs, illuminated name-plates and the like; prefabricated buildings",
        "XX",
    ),
    Code("95", "Toys, games and sports requisites; parts and accessories thereof", "XX"),
    Code("96", "Miscellaneous manufactured articles", "XX"),
    # Section XXI
    Code("97", "Works of art, collectors' pieces and antiques", "XXI"),
)

#: Every list, keyed by the name of the table it seeds. Parents come before children in the
#: iteration order (areas before groups, sections before chapters), so seeding in this order
#: satisfies the foreign keys.
ALL_LISTS: Mapping[str, tuple[Code, ...]] = MappingProxyType(
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
