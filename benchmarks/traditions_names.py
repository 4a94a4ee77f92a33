"""Name tables of the second ("traditions") evaluation set, written by hand from published
standards and naming conventions, independently of `ncen.search` and of the first set.

Sources, by table:

- Parentage markers: Pakistan's NADRA CNIC and the Urdu forms on it (``s/o`` ولد, ``d/o``
  دختر / بنت, ``w/o`` زوجہ); the Afghan tazkira (Dari ولد "son of", دختر "daughter of");
  Singapore NRIC practice (``s/o``, ``d/o``) and Malaysian MyKad practice (Malay ``bin`` /
  ``binti``, abbreviated ``b.``, ``bt``, ``bte``; Indian ``a/l`` *anak lelaki* and ``a/p`` *anak
  perempuan*); the Arabic *nasab* (ابن / بن ``ibn`` / ``bin``, بنت ``bint``).
- Chinese: Hanyu Pinyin (ISO 7098); Wade–Giles as in Taiwan passports and older Western press
  (aspirate apostrophe often dropped, given-name syllables hyphenated); the Palladius system
  (Russian Cyrillic, given-name syllables written as one word: Цзинь Пин ~ Jin Ping ~ 金平);
  Hong Kong Government Cantonese romanisation (Chan Tai-man); traditional characters (Hant) in
  Taiwan and Hong Kong records.
- Uyghur: Uyghur Ereb Yéziqi (Arabic script, UEY), Uyghur Latin Yéziqi (ULY, 2001), the
  official Chinese character transcription of Uyghur names (given name · father's name, with
  the middle dot) and its Hanyu Pinyin as printed in PRC passports (MAIMAITI TUERXUN).
- Turkic: the Azerbaijani Latin alphabet (1992: ə, x, c, ç, ş, ğ, q, ı, ö, ü), the Turkmen
  Latin alphabet (1993/1999: ä, ç, ž, ň, ö, ş, ü, ý, w, y), the Uzbek Latin alphabet (1995,
  revised 2019: oʻ, gʻ, sh, ch, ng, x, q, j), the Kazakh Latin alphabet (2021: ä, ğ, ñ, ö, ū,
  ü, ş, ı/i), each against the Russian Cyrillic spelling of Soviet and CIS documents
  (Cəfərov ~ Джафаров: c ~ дж, x ~ х, ə ~ а, q/ğ ~ г) and the ICAO 9303 / English form.
- French-style transliteration of Arabic (Algerian, Moroccan and Tunisian état civil and the
  French press: ``ou`` for u/w, ``dj`` for ج, ``ch`` for ش, ``kh`` for خ, doubled ``ss``).
- Mongolian: the patronymic (father's given name) in the genitive (-ын, -ийн, -гийн, -гын)
  before the given name (Батбаярын Ганбаатар); romanised by MNS 5217:2012 (ө ö, ү ü, х kh,
  ж j, ц ts) and in passports without diacritics, the father's name in the nominative as a
  surname (BATBAYAR Ganbaatar).
- East Slavic names: Russian patronymics (-ович/-евич, -овна/-евна), Ukrainian national
  romanisation (Cabinet of Ministers resolution 55 of 2010), Azerbaijani ``oğlu``/``qızı``
  (оглы/кызы).
- Given-name equivalents across languages (Lev ~ Leo, Iosif ~ Joseph ~ Yusuf ~ Józef) and
  Russian diminutives (Misha, Kolya, Katya), as listed in Wiktionary's appendices of Russian
  given names and the cognate tables of Behind the Name.

No part here occurs in the demo generator's pools (`ncen.demo.names`) or in the first set
(`search_names`); the unit test of this set checks it.
"""

from __future__ import annotations


def rows(text: str) -> tuple[tuple[str, ...], ...]:
    """A table written one entry per line, fields separated by ``;``."""
    return tuple(
        tuple(f.strip() for f in line.split(";")) for line in text.strip().splitlines() if line
    )


# --- Parentage ---------------------------------------------------------------------------
# own name: script form; Latin spellings (|); gender. parent: script form; Latin spellings.
PK_OWN = rows("""
طارق محمود; Tariq Mehmood|Tariq Mahmood|Tarik Mahmud; M
جنید ندیم; Junaid Nadeem|Junaid Nadim|Juneid Nadeem; M
کاشف رضا; Kashif Raza|Kashif Reza; M
ساجد لطیف; Sajid Latif|Sajid Lateef; M
بلال اسلم; Bilal Aslam|Bilal Aslem; M
عدنان رفیق; Adnan Rafiq|Adnan Rafique|Adnan Rafik; M
عثمان غنی; Usman Ghani|Osman Ghani|Usman Ghanee; M
روبینہ کوثر; Rubina Kausar|Rubeena Kausar|Rubina Kauser; F
سعدیہ بانو; Sadia Bano|Saadia Banu; F
اسماء ناز; Asma Naz|Asmaa Naz; F
""")
PK_PARENT = rows("""
غلام نبی; Ghulam Nabi|Ghulam Nabee
محمد یعقوب; Muhammad Yaqoob|Muhammad Yaqub|Mohammad Yakub
اللہ دتہ; Allah Ditta|Allahditta|Allah Dita
عبدالغفور; Abdul Ghafoor|Abdul Ghafur|Abdulghafoor
محمد شریف; Muhammad Sharif|Mohammad Shareef
فضل دین; Fazal Din|Fazal Deen|Fazaldin
محمد رمضان; Muhammad Ramzan|Muhammad Ramazan
غلام سرور; Ghulam Sarwar|Ghulam Sarvar
عبدالقیوم; Abdul Qayyum|Abdul Qayoom|Abdul Qaiyum
""")
AF_OWN = rows("""
نجیب‌الله; Najibullah|Najeebullah|Najib Ullah; M
ذبیح‌الله; Zabihullah|Zabiullah|Zabeehullah; M
عبدالولی; Abdul Wali|Abdulwali; M
سمیع‌الله; Samiullah|Sami Ullah; M
شکریه; Shukria|Shukriya|Shokria; F
فریبا; Fariba|Fareeba; F
""")
AF_PARENT = rows("""
عبدالستار; Abdul Sattar|Abdulsattar|Abdul Satar
عبدالصمد; Abdul Samad|Abdulsamad
محمد اکرم; Mohammad Akram|Muhammad Akram
عبدالحکیم; Abdul Hakim|Abdul Hakeem
امان‌الله; Amanullah|Aman Ullah
""")
GULF_OWN = rows("""
ماجد; Majid|Majed; M
حمدان; Hamdan; M
منصور; Mansour|Mansoor|Mansur; M
ناصر; Nasser|Nasir|Naser; M
طلال; Talal; M
لطيفة; Latifa|Latefa; F
شيخة; Sheikha|Shaikha; F
نورة; Noura|Nourah; F
""")
GULF_PARENT = rows("""
خليفة; Khalifa|Khalifah
حمد; Hamad
زايد; Zayed|Zaid|Zayid
عبيد; Obaid|Ubaid|Obeid
سيف; Saif|Sayf
مبارك; Mubarak|Mobarak
جاسم; Jassim|Jasim|Jasem
""")
GULF_FAMILY = rows("""
السويدي; Al Suwaidi|Al-Suwaidi|Alsuwaidi
الكعبي; Al Kaabi|Al-Ka'bi|Alkaabi
المهيري; Al Muhairi|Al-Muhairi|Almheiri
الشامسي; Al Shamsi|Al-Shamsi|Alshamsi
الظاهري; Al Dhaheri|Al-Dhahiri|Aldhaheri
""")
# Malay: Latin only (MyKad); "Mohd" is the registered abbreviation of Muhammad.
MALAY_OWN = rows("""
Mohd Hafiz; Mohd Hafiz|Muhammad Hafiz|Mohamad Hafiz; M
Khairul Anuar; Khairul Anuar|Khairul Anwar; M
Shahrul Nizam; Shahrul Nizam|Syahrul Nizam; M
Mohd Firdaus; Mohd Firdaus|Muhammad Firdaus; M
Siti Aishah; Siti Aishah|Siti Aisyah; F
Nurul Huda; Nurul Huda|Nurul Hudaa; F
Nor Azlina; Nor Azlina|Noor Azlina; F
Siti Zubaidah; Siti Zubaidah|Siti Zubaida; F
""")
MALAY_PARENT = rows("""
Ismail; Ismail|Ismael
Yusof; Yusof|Yusoff
Kamaruddin; Kamaruddin|Kamarudin
Zakaria; Zakaria|Zakariya
Othman; Othman|Uthman
Hashim; Hashim|Hasyim
Salleh; Salleh|Saleh
Mokhtar; Mokhtar|Mukhtar
""")
TAMIL_OWN = rows("""
Suresh; Suresh; M
Murugan; Murugan; M
Ganesan; Ganesan|Ganeshan; M
Rajendran; Rajendran|Rajendren; M
Kavitha; Kavitha|Kavita; F
Selvi; Selvi; F
Letchumi; Letchumi|Letchumy; F
""")
TAMIL_PARENT = rows("""
Krishnan; Krishnan
Subramaniam; Subramaniam|Subramanian
Muniandy; Muniandy|Muniandi
Arumugam; Arumugam
Palaniappan; Palaniappan|Palaniapan
Rajoo; Rajoo|Raju
""")
# Marker spellings: relation -> script forms and Latin forms.
MARKERS = {
    "son": {"Arab": ("ولد",), "Arab-ar": ("بن",), "Latn": ("s/o", "S/O", "son of")},
    "daughter": {"Arab": ("دختر",), "Arab-ar": ("بنت",), "Latn": ("d/o", "D/O", "daughter of")},
    "wife": {"Arab": ("زوجہ",), "Arab-ar": ("زوجة",), "Latn": ("w/o", "W/O", "wife of")},
}
MALAY_MARKERS = {"son": ("bin", "b.", "Bin"), "daughter": ("binti", "bt", "bte", "Binti")}
TAMIL_MARKERS = {"son": ("s/o", "a/l", "S/O", "A/L"), "daughter": ("d/o", "a/p", "D/O", "A/P")}
ARABIC_MARKERS = {"son": ("bin", "ibn", "Bin"), "daughter": ("bint", "Bint")}

# --- Chinese --------------------------------------------------------------------------------
# Syllables: pinyin; Wade–Giles; Palladius.
SYLLABLES = {
    s[0]: (s[1], s[2])
    for s in rows("""
sun; sun; сунь
hu; hu; ху
zhu; chu; чжу
gao; kao; гао
lin; lin; линь
he; ho; хэ
jiang; chiang; цзян
ye; yeh; е
su; su; су
pan; p'an; пань
du; tu; ду
dai; tai; дай
xia; hsia; ся
zhong; chung; чжун
tian; t'ien; тянь
qiu; ch'iu; цю
jin; chin; цзинь
wei; wei; вэй
cui; ts'ui; цуй
fan; fan; фань
peng; p'eng; пэн
zeng; tseng; цзэн
liao; liao; ляо
jia; chia; цзя
xin; hsin; синь
zhi; chih; чжи
ming; ming; мин
jian; chien; цзянь
ping; p'ing; пин
xiu; hsiu; сю
ying; ying; ин
guo; kuo; го
hua; hua; хуа
de; te; дэ
yong; yung; юн
kang; k'ang; кан
li; li; ли
mei; mei; мэй
ling; ling; лин
zhen; chen; чжэнь
xue; hsüeh; сюэ
wen; wen; вэнь
xiao; hsiao; сяо
guang; kuang; гуан
lun; lun; лунь
shui; shui; шуй
bian; pien; бянь
chun; ch'un; чунь
sheng; sheng; шэн
hui; hui; хуэй
min; min; минь
shu; shu; шу
qing; ch'ing; цин
feng; feng; фэн
""")
}
# Family names: simplified; traditional; pinyin syllable; Cantonese (HK Government).
HAN_FAMILY = rows("""
孙; 孫; sun; Suen
胡; 胡; hu; Wu
朱; 朱; zhu; Chu
高; 高; gao; Ko
林; 林; lin; Lam
何; 何; he; Ho
蒋; 蔣; jiang; Tseung
叶; 葉; ye; Yip
苏; 蘇; su; So
潘; 潘; pan; Poon
杜; 杜; du; To
戴; 戴; dai; Tai
夏; 夏; xia; Ha
钟; 鍾; zhong; Chung
田; 田; tian; Tin
邱; 邱; qiu; Yau
金; 金; jin; Kam
魏; 魏; wei; Ngai
崔; 崔; cui; Tsui
范; 范; fan; Fan
彭; 彭; peng; Pang
曾; 曾; zeng; Tsang
廖; 廖; liao; Liu
贾; 賈; jia; Ka
辛; 辛; xin; San
""")
# Given names: simplified; traditional; pinyin syllables (space); Cantonese syllables; gender.
HAN_GIVEN = rows("""
志明; 志明; zhi ming; Chi Ming; M
建平; 建平; jian ping; Kin Ping; M
秀英; 秀英; xiu ying; Sau Ying; F
国华; 國華; guo hua; Kwok Wah; M
德明; 德明; de ming; Tak Ming; M
永康; 永康; yong kang; Wing Hong; M
立新; 立新; li xin; Lap San; M
美玲; 美玲; mei ling; Mei Ling; F
振华; 振華; zhen hua; Chun Wah; M
学文; 學文; xue wen; Hok Man; M
晓光; 曉光; xiao guang; Hiu Kwong; M
家伦; 家倫; jia lun; Ka Lun; M
水扁; 水扁; shui bian; Shui Pin; M
春生; 春生; chun sheng; Chun Sang; M
金平; 金平; jin ping; Kam Ping; M
慧敏; 慧敏; hui min; Wai Man; F
淑贞; 淑貞; shu zhen; Suk Ching; F
庆丰; 慶豐; qing feng; Hing Fung; M
平; 平; ping; Ping; M
秋; 秋; qiu; Chau; F
""")

# --- Uyghur ---------------------------------------------------------------------------------
# ULY Latin; UEY Arabic script; Chinese transcription; its pinyin; gender.
UYGHUR = rows("""
Memet; مەمەت; 买买提; Maimaiti; M
Tursun; تۇرسۇن; 吐尔逊; Tuerxun; M
Ehmet; ئەخمەت; 艾合买提; Aihemaiti; M
Abdulla; ئابدۇللا; 阿不都拉; Abudula; M
Yüsüp; يۈسۈپ; 玉素甫; Yusufu; M
Ablimit; ئابلىمىت; 阿不力米提; Abulimiti; M
Qurban; قۇربان; 库尔班; Kuerban; M
Abduréshit; ئابدۇرېشىت; 阿不都热西提; Abudurexiti; M
Erkin; ئەركىن; 艾尔肯; Aierken; M
Nurmemet; نۇرمەمەت; 努尔买买提; Nuermaimaiti; M
Alim; ئالىم; 阿里木; Alimu; M
Adil; ئادىل; 阿迪力; Adili; M
Tohti; توختى; 托合提; Tuoheti; M
Ilham; ئىلھام; 伊力哈木; Yilihamu; M
Rozi; روزى; 肉孜; Rouzi; M
Hesen; ھەسەن; 艾山; Aishan; M
Kérim; كېرىم; 克里木; Kelimu; M
Turghun; تۇرغۇن; 吐尔洪; Tuerhong; M
Yasin; ياسىن; 亚森; Yasen; M
Niyaz; نىياز; 尼亚孜; Niyazi; M
Dilnur; دىلنۇر; 迪丽努尔; Dilinuer; F
Patigül; پاتىگۈل; 帕提古丽; Patiguli; F
Gülnar; گۈلنار; 古丽娜尔; Gulinaer; F
Rabiye; رابىيە; 热比娅; Rebiya; F
Gülbahar; گۈلباھار; 古丽巴哈尔; Gulibahaer; F
""")

# --- Turkic Latin orthographies vs Russian Cyrillic -----------------------------------------
# national Latin; Russian Cyrillic; English / passport Latin; gender (M, F; "" for families).
AZ_GIVEN = rows("""
Cavid; Джавид; Javid; M
Tofiq; Тофик; Tofig; M
Vüqar; Вугар; Vugar; M
Xəyyam; Хайям; Khayyam; M
Elşən; Эльшан; Elshan; M
Natiq; Натиг; Natig; M
Ceyhun; Джейхун; Jeyhun; M
Çingiz; Чингиз; Chingiz; M
Həsən; Гасан; Hasan; M
Kamil; Камиль; Kamil; M
Kamilə; Камиля; Kamila; F
Zərif; Зариф; Zarif; M
Zərifə; Зарифа; Zarifa; F
Sevinc; Севиндж; Sevinj; F
Günay; Гюнай; Gunay; F
Ülkər; Улькер; Ulkar; F
Könül; Кёнуль; Konul; F
""")
AZ_FAMILY = rows("""
Cəfərov; Джафаров; Jafarov
Xəlilov; Халилов; Khalilov
Ağayev; Агаев; Agayev
Nəsirov; Насиров; Nasirov
Cavadov; Джавадов; Javadov
Bağırov; Багиров; Bagirov
Məhərrəmov; Магеррамов; Maharramov
Zeynalov; Зейналов; Zeynalov
Xanlarov; Ханларов; Khanlarov
Qəhrəmanov; Гахраманов; Gahramanov
Əsədov; Асадов; Asadov
Hacıyev; Гаджиев; Hajiyev
""")
TM_GIVEN = rows("""
Döwlet; Довлет; Dovlet; M
Ýazmyrat; Язмурад; Yazmurad; M
Bäşim; Башим; Bashim; M
Täçmyrat; Тачмурад; Tachmurad; M
Aşyr; Ашир; Ashir; M
Saparmyrat; Сапармурад; Saparmurad; M
Nurmuhammet; Нурмухаммед; Nurmukhammed; M
Aýna; Айна; Ayna; F
Meňli; Менли; Menli; F
Mähri; Мяхри; Makhri; F
Gülşat; Гульшат; Gulshat; F
Žanna; Жанна; Zhanna; F
""")
TM_FAMILY = rows("""
Orazow; Оразов; Orazov
Ataýew; Атаев; Atayev
Nyýazow; Ниязов; Niyazov
Çaryýew; Чарыев; Charyev
Öwezow; Овезов; Ovezov
Annaýew; Аннаев; Annayev
Durdyýew; Дурдыев; Durdyev
Rejepow; Реджепов; Rejepov
Berdiýew; Бердыев; Berdyev
""")
UZ_GIVEN = rows("""
Gʻayrat; Гайрат; Gayrat; M
Shoxrux; Шохрух; Shokhrukh; M
Xurshid; Хуршид; Khurshid; M
Sherzod; Шерзод; Sherzod; M
Gʻulom; Гулям; Gulyam; M
Ulugʻbek; Улугбек; Ulugbek; M
Doniyor; Дониёр; Doniyor; M
Nodir; Нодир; Nodir; M
Nodira; Нодира; Nodira; F
Kamol; Камол; Kamol; M
Kamola; Камола; Kamola; F
Dildora; Дилдора; Dildora; F
Shahlo; Шахло; Shakhlo; F
Mohira; Мохира; Mokhira; F
Oʻgʻiloy; Угилой; Ugiloy; F
""")
UZ_FAMILY = rows("""
Toʻxtayev; Тухтаев; Tukhtaev
Qodirov; Кадыров; Kadyrov
Xoʻjayev; Ходжаев; Khodjaev
Normatov; Норматов; Normatov
Sobirov; Сабиров; Sabirov
Xolmirzayev; Холмирзаев; Kholmirzaev
Qoʻchqorov; Кучкаров; Kuchkarov
Oʻrinboyev; Уринбаев; Urinbaev
Usmonov; Усманов; Usmanov
Tojiboyev; Таджибаев; Tadjibaev
""")
KZ_GIVEN = rows("""
Erjan; Ержан; Yerzhan; M
Däulet; Даулет; Daulet; M
Şyñğys; Шынгыс; Shyngys; M
Qanat; Канат; Kanat; M
Almas; Алмас; Almas; M
Nūrlybek; Нурлыбек; Nurlybek; M
Ğabit; Габит; Gabit; M
Azamat; Азамат; Azamat; M
Asqar; Аскар; Askar; M
Arujan; Аружан; Aruzhan; F
Äliya; Алия; Aliya; F
Säule; Сауле; Saule; F
Ainūr; Айнур; Ainur; F
""")
KZ_FAMILY = rows("""
Tölegenov; Тулегенов; Tulegenov
Nūrpeiisov; Нурпеисов; Nurpeisov
Säbitov; Сабитов; Sabitov
Jaqsylyqov; Жаксылыков; Zhaksylykov
Ysqaqov; Искаков; Iskakov
Şaimerdenov; Шаймерденов; Shaimerdenov
Mūqanov; Муканов; Mukanov
Äuezov; Ауэзов; Auezov
""")
TURKIC = {
    "AZ": (AZ_GIVEN, AZ_FAMILY),
    "TM": (TM_GIVEN, TM_FAMILY),
    "UZ": (UZ_GIVEN, UZ_FAMILY),
    "KZ": (KZ_GIVEN, KZ_FAMILY),
}

# --- French-style transliteration of Arabic (Maghreb) ---------------------------------------
# Arabic script; French spelling(s); English / scholarly spelling(s); gender.
MAGHREB_GIVEN = rows("""
جمال; Djamel|Djamal; Jamal|Gamal; M
شريف; Cherif|Chérif; Sharif|Shareef; M
عبد القادر; Abdelkader|Abdelkadir; Abd al-Qadir|Abdulqadir; M
نور الدين; Noureddine|Nour Eddine; Nur al-Din|Nuruddin; M
مصطفى; Moustafa|Mustapha; Mustafa; M
جلول; Djelloul|Djeloul; Jallul|Jelloul; M
شوقي; Chawki|Chaouki; Shawqi|Shawki; M
خالد; Khaled; Khalid; M
فؤاد; Fouad; Fuad; M
مولود; Mouloud; Mawlud|Mulud; M
عبد الرحمن; Abderrahmane|Abderrahman; Abd al-Rahman|Abdurrahman; M
خديجة; Khadidja|Khedidja; Khadija|Khadijah; F
زينب; Zineb|Zeineb; Zaynab|Zainab; F
سعاد; Souad; Suad|Soad; F
وردة; Ouarda; Warda|Wardah; F
""")
MAGHREB_FAMILY = rows("""
بوشارب; Bouchareb; Busharib|Bushareb
قدور; Kaddour; Qaddur|Kaddur
شرقي; Cherki; Sharqi|Sharki
بوزيد; Bouzid; Buzayd|Bouzaid
عمراني; Amrani; Amrani|Omrani
دحماني; Dahmani; Dahmani
مسعودي; Messaoudi; Masudi|Masoudi
وهبي; Ouahbi; Wahbi
جبار; Djebbar; Jabbar
شعبان; Chaabane; Shaban|Shaaban
""")

# --- Mongolian ------------------------------------------------------------------------------
# Father's name: nominative Cyrillic; genitive Cyrillic; MNS 5217 Latin; genitive Latin;
# passport Latin (no diacritics).
MONGOL_FATHER = rows("""
Батбаяр; Батбаярын; Batbayar; Batbayaryn; Batbayar
Төмөр; Төмөрийн; Tömör; Tömöriin; Tumur
Цэрэн; Цэрэнгийн; Tseren; Tserengiin; Tseren
Дорж; Доржийн; Dorj; Dorjiin; Dorj
Баттулга; Баттулгын; Battulga; Battulgyn; Battulga
Ганболд; Ганболдын; Ganbold; Ganboldyn; Ganbold
Очир; Очирын; Ochir; Ochiryn; Ochir
Энхтайван; Энхтайвангийн; Enkhtaivan; Enkhtaivangiin; Enkhtaivan
Жаргал; Жаргалын; Jargal; Jargalyn; Jargal
Пүрэв; Пүрэвийн; Pürev; Püreviin; Purev
Нямдорж; Нямдоржийн; Nyamdorj; Nyamdorjiin; Nyamdorj
Гомбо; Гомбын; Gombo; Gombyn; Gombo
Лхагва; Лхагвын; Lkhagva; Lkhagvyn; Lkhagva
Содном; Содномын; Sodnom; Sodnomyn; Sodnom
""")
# Given names: Cyrillic; MNS 5217 Latin; passport Latin; gender.
MONGOL_GIVEN = rows("""
Ганбаатар; Ganbaatar; Ganbaatar; M
Болормаа; Bolormaa; Bolormaa; F
Мөнхбат; Mönkhbat; Munkhbat; M
Оюунчимэг; Oyuunchimeg; Oyuunchimeg; F
Эрдэнэбат; Erdenebat; Erdenebat; M
Батцэцэг; Battsetseg; Battsetseg; F
Наранбаатар; Naranbaatar; Naranbaatar; M
Сарангэрэл; Sarangerel; Sarangerel; F
Түвшинжаргал; Tüvshinjargal; Tuvshinjargal; M
Энхжин; Enkhjin; Enkhjin; F
Төгөлдөр; Tögöldör; Tuguldur; M
Ууганбаяр; Uuganbayar; Uuganbayar; M
Нарантуяа; Narantuyaa; Narantuya; F
Хулан; Khulan; Khulan; F
Тэмүүлэн; Temüülen; Temuulen; M
""")
