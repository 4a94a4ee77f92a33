"""French and Russian titles of the HS 2022 sections and chapters (seed data, see
`ncen.reference.translations`).

The French follows the wording of the WCO's French edition of the Harmonized System and the
Russian the group titles of the EAEU's ТН ВЭД, written here from those texts (a few long titles
slightly shortened, e.g. chapter 94 in Russian): they are reading aids beside the code, not the
legal text, which stays the nomenclature an administration loads (``ncen reference load --hs``)
(HS lists are not editable on the reference-list page: a correction here needs a migration).
"""

from __future__ import annotations

HS_SECTIONS: dict[str, tuple[str, str]] = {
    "I": (
        "Animaux vivants et produits du règne animal",
        "Живые животные; продукты животного происхождения",
    ),
    "II": ("Produits du règne végétal", "Продукты растительного происхождения"),
    "III": (
        "Graisses et huiles animales, végétales ou d'origine microbienne et produits de leur"
        " dissociation; graisses alimentaires élaborées; cires d'origine animale ou végétale",
        "Жиры и масла животного, растительного или микробиологического происхождения и продукты"
        " их расщепления; готовые пищевые жиры; воски животного или растительного происхождения",
    ),
    "IV": (
        "Produits des industries alimentaires; boissons, liquides alcooliques et vinaigres; tabacs"
        " et succédanés de tabac fabriqués; produits, même contenant de la nicotine, destinés à"
        " être inhalés sans combustion; autres produits contenant de la nicotine destinés à"
        " l'absorption de la nicotine dans le corps humain",
        "Готовые пищевые продукты; алкогольные и безалкогольные напитки и уксус; табак и его"
        " промышленные заменители; продукция, содержащая или не содержащая никотин,"
        " предназначенная для вдыхания без горения; прочая никотинсодержащая продукция,"
        " предназначенная для поступления никотина в организм человека",
    ),
    "V": ("Produits minéraux", "Минеральные продукты"),
    "VI": (
        "Produits des industries chimiques ou des industries connexes",
        "Продукция химической и связанных с ней отраслей промышленности",
    ),
    "VII": (
        "Matières plastiques et ouvrages en ces matières; caoutchouc et ouvrages en caoutchouc",
        "Пластмассы и изделия из них; каучук, резина и изделия из них",
    ),
    "VIII": (
        "Peaux, cuirs, pelleteries et ouvrages en ces matières; articles de bourrellerie ou de"
        " sellerie; articles de voyage, sacs à main et contenants similaires; ouvrages en boyaux",
        "Необработанные шкуры, выделанная кожа, натуральный мех и изделия из них; шорно-седельные"
        " изделия и упряжь; дорожные принадлежности, дамские сумки и аналогичные им товары;"
        " изделия из кишок животных (кроме волокна из фиброина шелкопряда)",
    ),
    "IX": (
        "Bois, charbon de bois et ouvrages en bois; liège et ouvrages en liège; ouvrages de"
        " sparterie ou de vannerie",
        "Древесина и изделия из нее; древесный уголь; пробка и изделия из нее; изделия из"
        " соломы, альфы или прочих материалов для плетения; корзиночные и другие плетеные изделия",
    ),
    "X": (
        "Pâtes de bois ou d'autres matières fibreuses cellulosiques; papier ou carton à recycler"
        " (déchets et rebuts); papier et ses applications",
        "Масса из древесины или других волокнистых целлюлозных материалов; регенерируемые бумага"
        " или картон (макулатура и отходы); бумага, картон и изделия из них",
    ),
    "XI": (
        "Matières textiles et ouvrages en ces matières",
        "Текстильные материалы и текстильные изделия",
    ),
    "XII": (
        "Chaussures, coiffures, parapluies, parasols, cannes, fouets, cravaches et leurs parties;"
        " plumes apprêtées et articles en plumes; fleurs artificielles; ouvrages en cheveux",
        "Обувь, головные уборы, зонты, солнцезащитные зонты, трости, трости-сиденья, хлысты,"
        " кнуты и их части; обработанные перья и изделия из них; искусственные цветы; изделия"
        " из человеческого волоса",
    ),
    "XIII": (
        "Ouvrages en pierres, plâtre, ciment, amiante, mica ou matières analogues; produits"
        " céramiques; verre et ouvrages en verre",
        "Изделия из камня, гипса, цемента, асбеста, слюды или аналогичных материалов;"
        " керамические изделия; стекло и изделия из него",
    ),
    "XIV": (
        "Perles fines ou de culture, pierres gemmes ou similaires, métaux précieux, plaqués ou"
        " doublés de métaux précieux et ouvrages en ces matières; bijouterie de fantaisie;"
        " monnaies",
        "Жемчуг природный или культивированный, драгоценные или полудрагоценные камни,"
        " драгоценные металлы, металлы, плакированные драгоценными металлами, и изделия из них;"
        " бижутерия; монеты",
    ),
    "XV": ("Métaux communs et ouvrages en ces métaux", "Недрагоценные металлы и изделия из них"),
    "XVI": (
        "Machines et appareils, matériel électrique et leurs parties; appareils d'enregistrement"
        " ou de reproduction du son, appareils d'enregistrement ou de reproduction des images et"
        " du son en télévision, et parties et accessoires de ces appareils",
        "Машины, оборудование и механизмы; электротехническое оборудование; их части;"
        " звукозаписывающая и звуковоспроизводящая аппаратура, аппаратура для записи и"
        " воспроизведения телевизионного изображения и звука, их части и принадлежности",
    ),
    "XVII": (
        "Matériel de transport",
        "Средства наземного транспорта, летательные аппараты, плавучие средства и относящиеся"
        " к транспорту устройства и оборудование",
    ),
    "XVIII": (
        "Instruments et appareils d'optique, de photographie ou de cinématographie, de mesure,"
        " de contrôle ou de précision; instruments et appareils médico-chirurgicaux; horlogerie;"
        " instruments de musique; parties et accessoires de ces instruments ou appareils",
        "Инструменты и аппараты оптические, фотографические, кинематографические,"
        " измерительные, контрольные, прецизионные, медицинские или хирургические; часы всех"
        " видов; музыкальные инструменты; их части и принадлежности",
    ),
    "XIX": (
        "Armes, munitions et leurs parties et accessoires",
        "Оружие и боеприпасы; их части и принадлежности",
    ),
    "XX": ("Marchandises et produits divers", "Разные промышленные товары"),
    "XXI": (
        "Objets d'art, de collection ou d'antiquité",
        "Произведения искусства, предметы коллекционирования и антиквариат",
    ),
}

HS_CHAPTERS: dict[str, tuple[str, str]] = {
    "01": ("Animaux vivants", "Живые животные"),
    "02": ("Viandes et abats comestibles", "Мясо и пищевые мясные субпродукты"),
    "03": (
        "Poissons et crustacés, mollusques et autres invertébrés aquatiques",
        "Рыба и ракообразные, моллюски и прочие водные беспозвоночные",
    ),
    "04": (
        "Lait et produits de la laiterie; œufs d'oiseaux; miel naturel; produits comestibles"
        " d'origine animale, non dénommés ni compris ailleurs",
        "Молочная продукция; яйца птиц; мед натуральный; пищевые продукты животного"
        " происхождения, в другом месте не поименованные или не включенные",
    ),
    "05": (
        "Autres produits d'origine animale, non dénommés ni compris ailleurs",
        "Продукты животного происхождения, в другом месте не поименованные или не включенные",
    ),
    "06": (
        "Plantes vivantes et produits de la floriculture",
        "Живые деревья и другие растения; луковицы, корни и прочие аналогичные части растений;"
        " срезанные цветы и декоративная зелень",
    ),
    "07": (
        "Légumes, plantes, racines et tubercules alimentaires",
        "Овощи и некоторые съедобные корнеплоды и клубнеплоды",
    ),
    "08": (
        "Fruits comestibles; écorces d'agrumes ou de melons",
        "Съедобные фрукты и орехи; кожура цитрусовых плодов или корки дынь",
    ),
    "09": ("Café, thé, maté et épices", "Кофе, чай, мате, или парагвайский чай, и пряности"),
    "10": ("Céréales", "Злаки"),
    "11": (
        "Produits de la minoterie; malt; amidons et fécules; inuline; gluten de froment",
        "Продукция мукомольно-крупяной промышленности; солод; крахмалы; инулин; пшеничная"
        " клейковина",
    ),
    "12": (
        "Graines et fruits oléagineux; graines, semences et fruits divers; plantes industrielles"
        " ou médicinales; pailles et fourrages",
        "Масличные семена и плоды; прочие семена, плоды и зерно; лекарственные растения и"
        " растения для технических целей; солома и фураж",
    ),
    "13": (
        "Gommes, résines et autres sucs et extraits végétaux",
        "Шеллак природный неочищенный; камеди, смолы и прочие растительные соки и экстракты",
    ),
    "14": (
        "Matières à tresser et autres produits d'origine végétale, non dénommés ni compris"
        " ailleurs",
        "Растительные материалы для изготовления плетеных изделий; прочие продукты"
        " растительного происхождения, в другом месте не поименованные или не включенные",
    ),
    "15": HS_SECTIONS["III"],
    "16": (
        "Préparations de viande, de poissons, de crustacés, de mollusques ou d'autres"
        " invertébrés aquatiques, ou d'insectes",
        "Готовые продукты из мяса, рыбы, ракообразных, моллюсков, прочих водных беспозвоночных"
        " или насекомых",
    ),
    "17": ("Sucres et sucreries", "Сахар и кондитерские изделия из сахара"),
    "18": ("Cacao et ses préparations", "Какао и продукты из него"),
    "19": (
        "Préparations à base de céréales, de farines, d'amidons, de fécules ou de lait;"
        " pâtisseries",
        "Готовые продукты из зерна злаков, муки, крахмала или молока; мучные кондитерские изделия",
    ),
    "20": (
        "Préparations de légumes, de fruits ou d'autres parties de plantes",
        "Продукты переработки овощей, фруктов, орехов или прочих частей растений",
    ),
    "21": ("Préparations alimentaires diverses", "Разные пищевые продукты"),
    "22": (
        "Boissons, liquides alcooliques et vinaigres",
        "Алкогольные и безалкогольные напитки и уксус",
    ),
    "23": (
        "Résidus et déchets des industries alimentaires; aliments préparés pour animaux",
        "Остатки и отходы пищевой промышленности; готовые корма для животных",
    ),
    "24": (
        "Tabacs et succédanés de tabac fabriqués; produits, même contenant de la nicotine,"
        " destinés à être inhalés sans combustion; autres produits contenant de la nicotine"
        " destinés à l'absorption de la nicotine dans le corps humain",
        "Табак и промышленные заменители табака; продукция, содержащая или не содержащая"
        " никотин, предназначенная для вдыхания без горения; прочая никотинсодержащая"
        " продукция, предназначенная для поступления никотина в организм человека",
    ),
    "25": (
        "Sel; soufre; terres et pierres; plâtres, chaux et ciments",
        "Соль; сера; земли и камень; штукатурные материалы, известь и цемент",
    ),
    "26": ("Minerais, scories et cendres", "Руды, шлак и зола"),
    "27": (
        "Combustibles minéraux, huiles minérales et produits de leur distillation; matières"
        " bitumineuses; cires minérales",
        "Топливо минеральное, нефть и продукты их перегонки; битуминозные вещества; воски"
        " минеральные",
    ),
    "28": (
        "Produits chimiques inorganiques; composés inorganiques ou organiques de métaux"
        " précieux, d'éléments radioactifs, de métaux des terres rares ou d'isotopes",
        "Продукты неорганической химии; соединения неорганические или органические"
        " драгоценных металлов, редкоземельных металлов, радиоактивных элементов или изотопов",
    ),
    "29": ("Produits chimiques organiques", "Органические химические соединения"),
    "30": ("Produits pharmaceutiques", "Фармацевтическая продукция"),
    "31": ("Engrais", "Удобрения"),
    "32": (
        "Extraits tannants ou tinctoriaux; tanins et leurs dérivés; pigments et autres matières"
        " colorantes; peintures et vernis; mastics; encres",
        "Экстракты дубильные или красильные; таннины и их производные; красители, пигменты и"
        " прочие красящие вещества; краски и лаки; шпатлевки и прочие мастики; полиграфическая"
        " краска, чернила, тушь",
    ),
    "33": (
        "Huiles essentielles et résinoïdes; produits de parfumerie ou de toilette préparés et"
        " préparations cosmétiques",
        "Эфирные масла и резиноиды; парфюмерные, косметические или туалетные средства",
    ),
    "34": (
        "Savons, agents de surface organiques, préparations pour lessives, préparations"
        " lubrifiantes, cires artificielles, cires préparées, produits d'entretien, bougies et"
        " articles similaires, pâtes à modeler, « cires pour l'art dentaire » et compositions"
        " pour l'art dentaire à base de plâtre",
        "Мыло, поверхностно-активные органические вещества, моющие средства, смазочные"
        " материалы, искусственные и готовые воски, составы для чистки или полировки, свечи и"
        " аналогичные изделия, пасты для лепки, «зубоврачебный воск» и зубоврачебные составы на"
        " основе гипса",
    ),
    "35": (
        "Matières albuminoïdes; produits à base d'amidons ou de fécules modifiés; colles; enzymes",
        "Белковые вещества; модифицированные крахмалы; клеи; ферменты",
    ),
    "36": (
        "Poudres et explosifs; articles de pyrotechnie; allumettes; alliages pyrophoriques;"
        " matières inflammables",
        "Взрывчатые вещества; пиротехнические изделия; спички; пирофорные сплавы; некоторые"
        " горючие вещества",
    ),
    "37": ("Produits photographiques ou cinématographiques", "Фото- и кинотовары"),
    "38": ("Produits divers des industries chimiques", "Прочие химические продукты"),
    "39": ("Matières plastiques et ouvrages en ces matières", "Пластмассы и изделия из них"),
    "40": ("Caoutchouc et ouvrages en caoutchouc", "Каучук, резина и изделия из них"),
    "41": (
        "Peaux (autres que les pelleteries) et cuirs",
        "Необработанные шкуры (кроме натурального меха) и выделанная кожа",
    ),
    "42": (
        "Ouvrages en cuir; articles de bourrellerie ou de sellerie; articles de voyage, sacs à"
        " main et contenants similaires; ouvrages en boyaux",
        "Изделия из кожи; шорно-седельные изделия и упряжь; дорожные принадлежности, дамские"
        " сумки и аналогичные им товары; изделия из кишок животных (кроме волокна из фиброина"
        " шелкопряда)",
    ),
    "43": (
        "Pelleteries et fourrures; pelleteries factices",
        "Натуральный и искусственный мех; изделия из него",
    ),
    "44": (
        "Bois, charbon de bois et ouvrages en bois",
        "Древесина и изделия из нее; древесный уголь",
    ),
    "45": ("Liège et ouvrages en liège", "Пробка и изделия из нее"),
    "46": (
        "Ouvrages de sparterie ou de vannerie",
        "Изделия из соломы, альфы или прочих материалов для плетения; корзиночные изделия и"
        " другие плетеные изделия",
    ),
    "47": (
        "Pâtes de bois ou d'autres matières fibreuses cellulosiques; papier ou carton à recycler"
        " (déchets et rebuts)",
        "Масса из древесины или из других волокнистых целлюлозных материалов; регенерируемые"
        " бумага или картон (макулатура и отходы)",
    ),
    "48": (
        "Papiers et cartons; ouvrages en pâte de cellulose, en papier ou en carton",
        "Бумага и картон; изделия из бумажной массы, бумаги или картона",
    ),
    "49": (
        "Produits de l'édition, de la presse ou des autres industries graphiques; textes"
        " manuscrits ou dactylographiés et plans",
        "Печатные книги, газеты, репродукции и другие изделия полиграфической промышленности;"
        " рукописи, машинописные тексты и планы",
    ),
    "50": ("Soie", "Шелк"),
    "51": (
        "Laine, poils fins ou grossiers; fils et tissus de crin",
        "Шерсть, тонкий или грубый волос животных; пряжа и ткань из конского волоса",
    ),
    "52": ("Coton", "Хлопок"),
    "53": (
        "Autres fibres textiles végétales; fils de papier et tissus de fils de papier",
        "Прочие растительные текстильные волокна; бумажная пряжа и ткани из бумажной пряжи",
    ),
    "54": (
        "Filaments synthétiques ou artificiels; lames et formes similaires en matières textiles"
        " synthétiques ou artificielles",
        "Химические нити; плоские и аналогичные нити из химических текстильных материалов",
    ),
    "55": ("Fibres synthétiques ou artificielles discontinues", "Химические волокна"),
    "56": (
        "Ouates, feutres et nontissés; fils spéciaux; ficelles, cordes et cordages; articles de"
        " corderie",
        "Вата, войлок или фетр и нетканые материалы; специальная пряжа; бечевки, веревки,"
        " канаты и тросы и изделия из них",
    ),
    "57": (
        "Tapis et autres revêtements de sol en matières textiles",
        "Ковры и прочие текстильные напольные покрытия",
    ),
    "58": (
        "Tissus spéciaux; surfaces textiles touffetées; dentelles; tapisseries; passementeries;"
        " broderies",
        "Специальные ткани; тафтинговые текстильные материалы; кружева; гобелены; отделочные"
        " материалы; вышивки",
    ),
    "59": (
        "Tissus imprégnés, enduits, recouverts ou stratifiés; articles techniques en matières"
        " textiles",
        "Текстильные материалы, пропитанные, с покрытием или дублированные; текстильные изделия"
        " технического назначения",
    ),
    "60": ("Étoffes de bonneterie", "Трикотажные полотна машинного или ручного вязания"),
    "61": (
        "Vêtements et accessoires du vêtement, en bonneterie",
        "Предметы одежды и принадлежности к одежде, трикотажные машинного или ручного вязания",
    ),
    "62": (
        "Vêtements et accessoires du vêtement, autres qu'en bonneterie",
        "Предметы одежды и принадлежности к одежде, кроме трикотажных машинного или ручного"
        " вязания",
    ),
    "63": (
        "Autres articles textiles confectionnés; assortiments; friperie et chiffons",
        "Прочие готовые текстильные изделия; наборы; одежда и текстильные изделия, бывшие в"
        " употреблении; тряпье",
    ),
    "64": (
        "Chaussures, guêtres et articles analogues; parties de ces objets",
        "Обувь, гетры и аналогичные изделия; их детали",
    ),
    "65": ("Coiffures et parties de coiffures", "Головные уборы и их части"),
    "66": (
        "Parapluies, ombrelles, parasols, cannes, cannes-sièges, fouets, cravaches et leurs"
        " parties",
        "Зонты, солнцезащитные зонты, трости, трости-сиденья, хлысты, кнуты и их части",
    ),
    "67": (
        "Plumes et duvet apprêtés et articles en plumes ou en duvet; fleurs artificielles;"
        " ouvrages en cheveux",
        "Обработанные перья и пух и изделия из перьев или пуха; искусственные цветы; изделия"
        " из человеческого волоса",
    ),
    "68": (
        "Ouvrages en pierres, plâtre, ciment, amiante, mica ou matières analogues",
        "Изделия из камня, гипса, цемента, асбеста, слюды или аналогичных материалов",
    ),
    "69": ("Produits céramiques", "Керамические изделия"),
    "70": ("Verre et ouvrages en verre", "Стекло и изделия из него"),
    "71": HS_SECTIONS["XIV"],
    "72": ("Fonte, fer et acier", "Черные металлы"),
    "73": ("Ouvrages en fonte, fer ou acier", "Изделия из черных металлов"),
    "74": ("Cuivre et ouvrages en cuivre", "Медь и изделия из нее"),
    "75": ("Nickel et ouvrages en nickel", "Никель и изделия из него"),
    "76": ("Aluminium et ouvrages en aluminium", "Алюминий и изделия из него"),
    "77": (
        "(Réservé pour une utilisation future éventuelle)",
        "(Зарезервирована для возможного будущего использования)",
    ),
    "78": ("Plomb et ouvrages en plomb", "Свинец и изделия из него"),
    "79": ("Zinc et ouvrages en zinc", "Цинк и изделия из него"),
    "80": ("Étain et ouvrages en étain", "Олово и изделия из него"),
    "81": (
        "Autres métaux communs; cermets; ouvrages en ces matières",
        "Прочие недрагоценные металлы; металлокерамика; изделия из них",
    ),
    "82": (
        "Outils et outillage, articles de coutellerie et couverts de table, en métaux communs;"
        " parties de ces articles, en métaux communs",
        "Инструменты, приспособления, ножевые изделия, ложки и вилки из недрагоценных металлов;"
        " их части из недрагоценных металлов",
    ),
    "83": ("Ouvrages divers en métaux communs", "Прочие изделия из недрагоценных металлов"),
    "84": (
        "Réacteurs nucléaires, chaudières, machines, appareils et engins mécaniques; parties de"
        " ces machines ou appareils",
        "Реакторы ядерные, котлы, оборудование и механические устройства; их части",
    ),
    "85": (
        "Machines, appareils et matériels électriques et leurs parties; appareils"
        " d'enregistrement ou de reproduction du son, appareils d'enregistrement ou de"
        " reproduction des images et du son en télévision, et parties et accessoires de ces"
        " appareils",
        "Электрические машины и оборудование, их части; звукозаписывающая и"
        " звуковоспроизводящая аппаратура, аппаратура для записи и воспроизведения"
        " телевизионного изображения и звука, их части и принадлежности",
    ),
    "86": (
        "Véhicules et matériel pour voies ferrées ou similaires et leurs parties; appareils"
        " mécaniques (y compris électromécaniques) de signalisation pour voies de"
        " communications",
        "Железнодорожные локомотивы или моторные вагоны трамвая, подвижной состав и их части;"
        " путевое оборудование и устройства для железных дорог или трамвайных путей и их части;"
        " механическое (включая электромеханическое) сигнальное оборудование всех видов",
    ),
    "87": (
        "Voitures automobiles, tracteurs, cycles et autres véhicules terrestres, leurs parties"
        " et accessoires",
        "Средства наземного транспорта, кроме железнодорожного или трамвайного подвижного"
        " состава, и их части и принадлежности",
    ),
    "88": (
        "Navigation aérienne ou spatiale",
        "Летательные аппараты, космические аппараты и их части",
    ),
    "89": ("Navigation maritime ou fluviale", "Суда, лодки и плавучие конструкции"),
    "90": (
        "Instruments et appareils d'optique, de photographie ou de cinématographie, de mesure,"
        " de contrôle ou de précision; instruments et appareils médico-chirurgicaux; parties et"
        " accessoires de ces instruments ou appareils",
        "Инструменты и аппараты оптические, фотографические, кинематографические,"
        " измерительные, контрольные, прецизионные, медицинские или хирургические; их части и"
        " принадлежности",
    ),
    "91": ("Horlogerie", "Часы всех видов и их части"),
    "92": (
        "Instruments de musique; parties et accessoires de ces instruments",
        "Музыкальные инструменты; их части и принадлежности",
    ),
    "93": HS_SECTIONS["XIX"],
    "94": (
        "Meubles; mobilier médico-chirurgical; articles de literie et similaires; luminaires et"
        " appareils d'éclairage non dénommés ni compris ailleurs; lampes-réclames, enseignes"
        " lumineuses, plaques indicatrices lumineuses et articles similaires; constructions"
        " préfabriquées",
        "Мебель; постельные принадлежности, матрацы, основы матрацные, диванные подушки и"
        " аналогичные набивные принадлежности мебели; светильники и осветительное оборудование,"
        " в другом месте не поименованные или не включенные; световые вывески, световые"
        " таблички и аналогичные изделия; сборные строительные конструкции",
    ),
    "95": (
        "Jouets, jeux, articles pour divertissements ou pour sports; leurs parties et accessoires",
        "Игрушки, игры и спортивный инвентарь; их части и принадлежности",
    ),
    "96": ("Ouvrages divers", "Разные готовые изделия"),
    "97": HS_SECTIONS["XXI"],
}
