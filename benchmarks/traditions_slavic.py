"""Name tables of the traditions set, second part: East Slavic names with patronymics,
Ukrainian names, Persian names, and given-name equivalents across languages.

Sources: Russian patronymic formation (-ович/-евич for sons, -овна/-евна for daughters, the
soft sign of Геннадий → Геннадьевич); Russian gendered family names (-ов/-ова, -ев/-ева,
-ин/-ина, -ский/-ская); the Ukrainian national romanisation (Cabinet of Ministers
resolution 55, 2010: г h, и y, і i, ї i/yi, є ie/ye, х kh, щ shch); Persian names in the
Arabic script with their passport and press spellings (Gholamreza ~ Ghulam Reza);
cross-language equivalents of given names (Lev ~ Leo, Iosif ~ Joseph ~ Yusuf ~ Józef,
Mikhail ~ Michael ~ Mikheil) and Russian diminutives (Миша, Коля, Катя), as in Wiktionary's
appendix of Russian given names and Behind the Name's cognate lists.
"""

from __future__ import annotations

from traditions_names import rows

# Russian own given names; a name with a counterpart of the other gender lists it.
RU_GIVEN = rows("""
Валентин; M; Валентина
Игорь; M;
Борис; M;
Геннадий; M;
Анатолий; M;
Степан; M;
Максим; M;
Роман; M;
Владислав; M; Владислава
Богдан; M; Богдана
Мирослав; M; Мирослава
Святослав; M; Святослава
Валерий; M; Валерия
Юлиан; M; Юлиана
Серафим; M; Серафима
Валентина; F; Валентин
Галина; F;
Нина; F;
Лариса; F;
Тамара; F;
Марина; F;
Владислава; F; Владислав
Богдана; F; Богдан
Мирослава; F; Мирослав
Святослава; F; Святослав
Валерия; F; Валерий
Юлиана; F; Юлиан
Серафима; F; Серафим
""")
# Fathers' names: male patronymic; female patronymic.
RU_PATRONYMIC = rows("""
Валентинович; Валентиновна
Игоревич; Игоревна
Борисович; Борисовна
Геннадьевич; Геннадьевна
Константинович; Константиновна
Анатольевич; Анатольевна
Степанович; Степановна
Максимович; Максимовна
Романович; Романовна
Васильевич; Васильевна
""")
# Family names: male; female.
RU_FAMILY = rows("""
Голубев; Голубева
Комаров; Комарова
Лебедев; Лебедева
Орлов; Орлова
Титов; Титова
Фролов; Фролова
Беляев; Беляева
Громов; Громова
Карпов; Карпова
Сорокин; Сорокина
Носков; Носкова
Гончаров; Гончарова
Жуков; Жукова
Никитин; Никитина
Полянский; Полянская
Тихомиров; Тихомирова
""")
# Azerbaijani patronymics: father's name + oğlu (son) / qızı (daughter); Russian оглы / кызы.
AZ_PATRONYMIC = {"M": ("oğlu", "оглы", "ogly"), "F": ("qızı", "кызы", "kyzy")}

# Ukrainian given names (Cyrillic; gender) and family names (not gendered).
UA_GIVEN = rows("""
Тарас; M
Остап; M
Андрій; M
Василь; M
Олексій; M
Юрко; M
Олена; F
Оксана; F
Ірина; F
Ганна; F
Христина; F
""")
UA_FAMILY = rows("""
Ковальчук
Гнатюк
Бондаренко
Ткаченко
Мельничук
Гаврилюк
Кравець
Лисенко
Шевчук
Гончаренко
Їжакевич
Євтушенко
""")

# Persian: Arabic script; Latin spellings (|); gender.
PERSIAN_GIVEN = rows("""
غلامرضا; Gholamreza|Gholam Reza|Ghulam Reza; M
بهروز; Behrouz|Behruz|Behrooz; M
کامران; Kamran|Kamraan; M
فرهاد; Farhad|Farhaad; M
داریوش; Dariush|Daryoush|Dariyoush; M
شهرام; Shahram|Shahraam; M
مهدی; Mahdi|Mehdi; M
فرشته; Fereshteh|Fereshta|Fereshte; F
مینا; Mina|Meena; F
شیرین; Shirin|Shireen; F
مهناز; Mahnaz|Mahnaaz; F
""")
PERSIAN_FAMILY = rows("""
رضایی; Rezaei|Rezaee|Rezai
قاسمی; Ghasemi|Qasemi|Ghassemi
صادقی; Sadeghi|Sadeqi
نجفی; Najafi|Nadjafi
اکبری; Akbari
بهرامی; Bahrami
زمانی; Zamani
سلطانی; Soltani|Sultani
امیری; Amiri
""")

# Given-name equivalents: concept; gender; Russian Cyrillic; forms in other languages (|),
# the first of which is how an English-language record writes it; Russian diminutive.
NICKNAMES = rows("""
lev; M; Лев; Leo|Lev|Leon; Лёва
iosif; M; Иосиф; Joseph|Yusuf|Józef|Iosif|Osip; Ося
ibragim; M; Ибрагим; Ibrahim|Abraham|Avraam; Ибрагим
musa; M; Муса; Moses|Musa|Moisei|Moshe; Муса
suleiman; M; Сулейман; Solomon|Suleiman|Sulaiman; Сулейман
david; M; Давид; David|Dawood|Davit|Dovud; Дато
mikhail; M; Михаил; Michael|Mikhail|Mikail|Mikheil|Michel; Миша
pyotr; M; Пётр; Peter|Pyotr|Piotr|Petr; Петя
pavel; M; Павел; Paul|Pavel|Paweł; Паша
nikolai; M; Николай; Nicholas|Nikolai|Mykola|Nikolaus; Коля
konstantin; M; Константин; Constantine|Konstantin|Kostas; Костя
yekaterina; F; Екатерина; Catherine|Yekaterina|Katarzyna|Ekaterina; Катя
yelizaveta; F; Елизавета; Elizabeth|Yelizaveta|Elżbieta|Elisabeth; Лиза
mariya; F; Мария; Maria|Mariya|Mary|Marie; Маша
anastasiya; F; Анастасия; Anastasia|Anastasiya|Nastasia; Настя
""")
# Family names of the persons of the nickname queries: Cyrillic; Latin.
NICK_FAMILY = rows("""
Гаспарян; Gasparyan
Капанадзе; Kapanadze
Рабинович; Rabinovich
Бараташвили; Baratashvili
Мкртчян; Mkrtchyan
Гогуа; Gogua
Бергман; Bergman
Хаддад; Haddad
Церетели; Tsereteli
Аракелян; Arakelyan
Гинзбург; Ginzburg
Кацман; Katsman
""")
