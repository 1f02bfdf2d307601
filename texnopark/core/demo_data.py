"""The Namangan demo network (../shared/reference/namangan.md).

Some Uzbek names are entered in Cyrillic and some in Latin on purpose: readers see
each in their own script.
"""

REGION = {
    "code": "UZ-NG", "soato": "1714", "name": "Namangan viloyati", "name_ru": "Наманганская область",
    "name_en": "Namangan Region", "name_ko": "나망간주", "population_thousands": "3028.3", "area_km2": 7440,
    "timezone": "Asia/Tashkent",
}

# soato, Uzbek (as entered), Russian, English, centre, population (thousands), is_city
DISTRICTS = [
    ("1714401", "Namangan shahri", "г. Наманган", "Namangan city", "", "636.5", True),
    ("1714204", "Mingbuloq tumani", "Мингбулакский район", "Mingbuloq district", "Joʻmashoʻy", "127.7", False),
    ("1714207", "Косонсой тумани", "Касансайский район", "Kosonsoy district", "Kosonsoy", "211.7", False),
    ("1714212", "Namangan tumani", "Наманганский район", "Namangan district", "Toshbuloq", "181.4", False),
    ("1714216", "Norin tumani", "Нарынский район", "Norin district", "Xaqqulobod", "165.3", False),
    ("1714219", "Pop tumani", "Папский район", "Pop district", "Pop", "221.7", False),
    ("1714224", "Тўрақўрғон тумани", "Туракурганский район", "Toʻraqoʻrgʻon district", "Toʻraqoʻrgʻon", "228.9", False),
    ("1714229", "Uychi tumani", "Уйчинский район", "Uychi district", "Uychi", "215.6", False),
    ("1714234", "Uchqoʻrgʻon tumani", "Учкурганский район", "Uchqoʻrgʻon district", "Uchqoʻrgʻon", "173.8", False),
    ("1714236", "Чортоқ тумани", "Чартакский район", "Chortoq district", "Chortoq", "201.1", False),
    ("1714237", "Chust tumani", "Чустский район", "Chust district", "Chust", "268.0", False),
    ("1714242", "Yangiqoʻrgʻon tumani", "Янгикурганский район", "Yangiqoʻrgʻon district", "Yangiqoʻrgʻon", "220.6", False),
    ("", "Davlatobod tumani", "Давлатабадский район", "Davlatobod district", "", None, False),
]

SECTORS = [
    ("software", "Dasturiy ta'minot", "Программное обеспечение", "Software", "소프트웨어"),
    ("ict-services", "AKT xizmatlari", "ИКТ-услуги", "ICT services", "ICT 서비스"),
    ("hardware", "Apparat startaplari", "Аппаратные стартапы", "Hardware startups", "하드웨어 스타트업"),
    ("textile", "Toʻqimachilik", "Текстиль", "Textile", "섬유"),
    ("garment", "Tikuvchilik va dizayn", "Швейное дело и дизайн", "Garment and design", "의류 및 디자인"),
    ("textile-chemistry", "Toʻqimachilik kimyosi", "Текстильная химия", "Textile chemistry", "섬유 화학"),
    ("seeds", "Urugʻchilik va koʻchat yetishtirish", "Семеноводство и рассада", "Seeds and seedlings", "종자 및 육묘"),
    ("greenhouse", "Issiqxona ekinlari", "Тепличные культуры", "Greenhouse crops", "시설 원예"),
    ("cosmetics", "Mahalliy oʻsimliklardan kosmetika", "Косметика из местных растений", "Cosmetics from local plants", "지역 식물 화장품"),
    ("medical-devices", "Tibbiy asboblar", "Медицинские изделия", "Medical devices", "의료기기"),
    ("pharma", "Farmatsevtika", "Фармацевтика", "Pharmaceuticals", "제약"),
    ("diagnostics", "Diagnostika", "Диагностика", "Diagnostics", "진단"),
]

FACILITY_KINDS = [
    ("research-lab", "Ilmiy laboratoriya", "Научная лаборатория", "Research laboratory", "연구실험실"),
    ("rnd-centre", "ITTKI markazi", "Центр НИОКР", "R&D centre", "R&D 센터"),
    ("coworking", "Kovorking markazi", "Коворкинг-центр", "Coworking centre", "코워킹 센터"),
    ("incubator", "Inkubator", "Инкубатор", "Incubator", "인큐베이터"),
    ("greenhouse", "Issiqxona", "Теплица", "Greenhouse", "온실"),
    ("pilot-production", "Tajriba ishlab chiqarish", "Опытное производство", "Pilot production", "시험 생산"),
    ("event-hall", "Tadbirlar zali", "Зал мероприятий", "Event hall", "행사장"),
    ("testing-lab", "Sinov laboratoriyasi", "Испытательная лаборатория", "Testing laboratory", "시험실험실"),
    ("design-studio", "Dizayn studiyasi", "Дизайн-студия", "Design studio", "디자인 스튜디오"),
    ("cleanroom", "Toza xona", "Чистое помещение", "Cleanroom", "클린룸"),
]

# slug, Uzbek name (as entered), ru, en, ko, home district soato, sectors, planned jobs, area ha, description (uz)
PARKS = [
    ("namangan-it", "Namangan IT texnoparki", "Наманганский IT-технопарк", "Namangan IT Technopark",
     "나망간 IT 테크노파크", "1714401", ["software", "ict-services", "hardware"], 1200, "4.50",
     "Dasturiy ta'minot, AKT xizmatlari va apparat startaplari uchun texnopark: kovorking, ITTKI markazi, "
     "sinov laboratoriyasi va inkubator. Koreya texnoparklari uyushmasi bilan hamkorlikda g'oyalarni "
     "xorijiy bozorlarda raqobatbardosh mahsulotlarga aylantiradi."),
    ("namangan-textile", "Namangan toʻqimachilik texnoparki", "Наманганский текстильный технопарк",
     "Namangan Textile Technopark", "나망간 섬유 테크노파크", "1714401",
     ["textile", "garment", "textile-chemistry"], 900, "12.00",
     "Toʻqimachilik, tikuvchilik, dizayn va toʻqimachilik kimyosi: materiallar sinov laboratoriyasi, "
     "tajriba ishlab chiqarish liniyasi va dizayn studiyasi."),
    ("chortoq-agro", "Чортоқ агро ва косметика технопарки", "Чартакский агро- и косметический технопарк",
     "Chortoq Agro and Cosmetics Technopark", "차르토크 농업·화장품 테크노파크", "1714236",
     ["seeds", "greenhouse", "cosmetics"], 750, "54.00",
     "Уруғчилик ва кўчат етиштириш, иссиқхона экинлари ҳамда маҳаллий ўсимликлардан косметика. "
     "Кўчат лабораторияси қулупнай, қовун, тарвуз ва бошқа сабзавот кўчатларини етиштиради."),
    ("kosonsoy-medical", "Kosonsoy tibbiyot texnoparki", "Касансайский медицинский технопарк",
     "Kosonsoy Medical Technopark", "코손소이 의료 테크노파크", "1714207",
     ["medical-devices", "pharma", "diagnostics"], 600, "8.00",
     "Tibbiy asboblar, farmatsevtika va diagnostika: klinik kimyo laboratoriyasi, toza xona va ITTKI markazi."),
]

# park slug, kind slug, Uzbek name, English name, area m², capacity
FACILITIES = [
    ("namangan-it", "coworking", "Kovorking markazi", "Coworking centre", 600, 120),
    ("namangan-it", "rnd-centre", "ITTKI markazi", "R&D centre", 450, 40),
    ("namangan-it", "testing-lab", "Server va sinov laboratoriyasi", "Server and testing lab", 180, 12),
    ("namangan-it", "incubator", "Startap inkubatori", "Startup incubator", 350, 60),
    ("namangan-it", "event-hall", "Konferensiya zali", "Conference hall", 400, 250),
    ("namangan-textile", "testing-lab", "Materiallar sinov laboratoriyasi", "Materials testing lab", 220, 15),
    ("namangan-textile", "pilot-production", "Tajriba tikuv liniyasi", "Pilot garment line", 1200, 45),
    ("namangan-textile", "design-studio", "Dizayn studiyasi", "Design studio", 260, 30),
    ("chortoq-agro", "research-lab", "Кўчат (тўқима культураси) лабораторияси", "Seedling (tissue-culture) laboratory", 500, 25),
    ("chortoq-agro", "greenhouse", "Қулупнай иссиқхонаси", "Strawberry greenhouse", 20000, 40),
    ("chortoq-agro", "greenhouse", "Сабзавот кўчатлари иссиқхонаси", "Vegetable seedling greenhouse", 8000, 20),
    ("chortoq-agro", "research-lab", "Косметика формуляцияси лабораторияси", "Cosmetics formulation lab", 150, 10),
    ("kosonsoy-medical", "research-lab", "Klinik kimyo laboratoriyasi", "Clinical chemistry lab", 240, 14),
    ("kosonsoy-medical", "cleanroom", "Toza xona (ISO 7)", "Cleanroom (ISO 7)", 180, 8),
    ("kosonsoy-medical", "rnd-centre", "Tibbiyot ITTKI markazi", "Medical R&D centre", 320, 30),
]

# Uzbek Latin, Uzbek Cyrillic (the Latin is stored; Cyrillic readers get it converted), English, founded, focus
UNIVERSITIES = [
    ("Namangan davlat universiteti", "Namangan State University", 1942, "classical university"),
    ("Namangan muhandislik-texnologiya instituti", "Namangan Institute of Engineering and Technology", 1968,
     "textile and light industry"),
    ("Namangan muhandislik-qurilish instituti", "Namangan Institute of Engineering and Construction", None,
     "construction"),
    ("Namangan davlat pedagogika instituti", "Namangan State Pedagogical Institute", 2022, "teacher education"),
    ("Namangan toʻqimachilik sanoati instituti", "Namangan Institute of Textile Industry", None, "textile"),
    ("Isʼhoqxon Ibrat nomidagi Namangan davlat chet tillari instituti",
     "Is'hoqxon Ibrat Namangan State Institute of Foreign Languages", 2022, "foreign languages"),
]

# name (Uzbek), ko, en, kind, country, city
PARTNERS = [
    ("Koreya texnoparklari uyushmasi", "한국테크노파크진흥회", "Korea Technopark Association (KTPA)",
     "association", "KR", "Seoul"),
    ("Кёнбук технопарки", "경북테크노파크", "Gyeongbuk Technopark", "technopark", "KR", "Gyeongsan"),
    ("Чонбук технопарки", "전북테크노파크", "Jeonbuk Technopark", "technopark", "KR", "Jeonju"),
]

# email local part, full name, role, scope ("region", park slug or district soato), language
ACCOUNTS = [
    ("platform", "Platforma ma'muri", None, None, "en"),
    ("region.admin", "Dilshod Karimov", "region_admin", "region", "uz"),
    ("it.manager", "Malika Yusupova", "park_manager", "namangan-it", "uz"),
    ("it.staff", "Jasur Tojiboyev", "park_staff", "namangan-it", "uz"),
    ("chortoq.manager", "Шоҳида Раҳимова", "park_manager", "chortoq-agro", "uz-cyrl"),
    ("kosonsoy.manager", "Anvar Qodirov", "park_manager", "kosonsoy-medical", "ru"),
    ("chust.centre", "Nodira Ergasheva", "centre_staff", "1714237", "uz"),
    ("expert", "Prof. Bahodir Xolmatov", "expert", "namangan-it", "uz"),
    ("resident", "Sardor Alimov", "resident", "namangan-it", "uz"),
    ("researcher", "Dr. Gulnora Mirzayeva", "researcher", "region", "uz"),
    ("lab", "Oybek Nazarov", "lab_staff", "chortoq-agro", "uz-cyrl"),
    ("partner", "Kim Min-jun", "partner", "region", "ko"),
    ("citizen", "Aziza Karimova", None, None, "uz-cyrl"),
]
DEMO_EMAIL_DOMAIN = "demo.texnopark.uz"
