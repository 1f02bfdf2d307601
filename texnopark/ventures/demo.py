"""Demo companies (the residents of the four parks) with their teams, milestones, mentors, products and
export deals, and ideas submitted to the parks. Called by `manage.py load_demo` before the intake and
reports demos, which take the companies from here (`COMPANIES`, `residency_starts`).

Everything is dated from the day it is loaded and drawn from fixed seeds, so a load is the same every day
relative to that day. A second load finds the first company's STIR and does nothing.
"""

import hashlib
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.core.demo_data import DEMO_EMAIL_DOMAIN
from texnopark.core.models import Notification
from texnopark.network.models import District, Sector, Technopark
from texnopark.ventures.models import (
    Company,
    CompanyMember,
    ExportDeal,
    Idea,
    LegalForm,
    Mentorship,
    Milestone,
    Product,
    Stage,
)

S = Stage
# park -> (key, name, legal form, OKED, sector, district SOATO, stage, employees, in one sentence, products).
# Some Chortoq names are entered in Cyrillic on purpose: content is kept as typed.
COMPANIES = {
    "namangan-it": [
        ("namsoft", "Namangan Soft MChJ", "llc", "62010", "software", "1714401", S.EXPORTING, 42,
         "Kichik biznes uchun bulutli buxgalteriya va savdo dasturlari", ["Hisobchi Pro", "Savdo Kassa"]),
        ("davrdigital", "Davr Digital MChJ", "llc", "62010", "software", "1714401", S.SCALING, 27,
         "Banklar va davlat xizmatlari uchun mobil ilovalar", ["Davr Pay SDK"]),
        ("kodvodiy", "Kod Vodiy MChJ", "llc", "62020", "ict-services", "1714401", S.EXPORTING, 55,
         "Xorijiy mijozlar uchun autsorsing dasturlash va testlash", ["QA Cloud"]),
        ("smartagro", "SmartAgro Tech MChJ", "llc", "26510", "hardware", "1714212", S.PRODUCT, 14,
         "Issiqxonalar uchun namlik va harorat datchiklari", ["AgroSensor S1"]),
        ("ipakyoli", "Ipak Yoʻli Lab MChJ", "llc", "62090", "ict-services", "1714401", S.SCALING, 19,
         "Sunʼiy intellekt yordamida hujjatlarni raqamlashtirish", ["DocScan AI"]),
        ("ishbozori", "Ish Bozori MChJ", "llc", "63120", "software", "1714401", S.PRODUCT, 11,
         "Vodiy yoshlari uchun ish va amaliyot portali", ["IshBor.uz"]),
        ("uychiit", "Uychi IT Solutions MChJ", "llc", "62010", "software", "1714229", S.MVP, 7,
         "Maktablar uchun elektron jurnal va toʻlovlar", ["Maktab Plus"]),
        ("chustrobotics", "Chust Robotics MChJ", "llc", "26200", "hardware", "1714237", S.PRODUCT, 16,
         "Taʼlim uchun robototexnika toʻplamlari", ["RoboKit 3"]),
        ("medinfo", "MedInfo Tizimlari MChJ", "llc", "62010", "software", "1714401", S.SCALING, 23,
         "Poliklinikalar uchun elektron navbat va tibbiy karta", ["Navbat24", "eKarta"]),
        ("finvodiy", "FinVodiy MChJ", "llc", "62010", "software", "1714401", S.EXPORTING, 31,
         "Mikromoliya tashkilotlari uchun kredit skoring tizimi", ["Skoring API"]),
        ("logistika24", "Logistika 24 MChJ", "llc", "62010", "software", "1714401", S.PRODUCT, 9,
         "Yuk egalari va haydovchilarni bogʻlovchi platforma", ["Yuk24"]),
        ("datamarkaz", "Namangan Data Markazi MChJ", "llc", "63110", "ict-services", "1714401", S.SCALING, 18,
         "Mahalliy kompaniyalar uchun xosting va zaxira nusxalash", ["NamCloud"]),
        ("eduvodiy", "EduVodiy MChJ", "llc", "62010", "software", "1714401", S.MVP, 6,
         "Abituriyentlar uchun onlayn test tayyorlov platformasi", ["Abituriyent Pro"]),
        ("aqlliuy", "Aqlli Uy Tizimlari MChJ", "llc", "26300", "hardware", "1714242", S.PROTOTYPE, 5,
         "Xonadonlar uchun arzon aqlli hisoblagichlar", []),
        ("vodiygames", "Vodiy Games MChJ", "llc", "58210", "software", "1714401", S.MVP, 4,
         "Oʻzbek tilidagi mobil oʻyinlar", ["Alpomish Run"]),
        ("agrodron", "Pop AgroDron MChJ", "llc", "26510", "hardware", "1714219", S.IDEA, 3,
         "Paxta dalalari va bogʻlar uchun monitoring dronlari", []),
    ],
    "namangan-textile": [
        ("namtrikotaj", "Namangan Trikotaj MChJ", "llc", "13910", "textile", "1714401", S.EXPORTING, 140,
         "Paxta trikotaj matolari va tayyor kiyimlar", ["Interlok mato", "Futbolkalar"]),
        ("atlasipak", "Atlas Ipak MChJ", "llc", "13200", "textile", "1714237", S.EXPORTING, 85,
         "Milliy atlas va adras matolari", ["Atlas", "Adras"]),
        ("vodiytekstil", "Vodiy Tekstil MChJ", "llc", "13100", "textile", "1714224", S.SCALING, 210,
         "Paxta ipi yigiruv", ["Kalava ip Ne 30/1"]),
        ("chustdoppi", "Chust Doʻppi Ustaxonasi", "family", "14190", "garment", "1714237", S.EXPORTING, 24,
         "Chust doʻppisi va milliy bosh kiyimlar", ["Chust doʻppisi"]),
        ("popdenim", "Pop Denim MChJ", "llc", "14130", "garment", "1714219", S.SCALING, 96,
         "Jinsi shimlar va kurtkalar", ["Denim shim"]),
        ("boyoqkimyo", "Boʻyoq Kimyo MChJ", "llc", "20120", "textile-chemistry", "1714401", S.PRODUCT, 22,
         "Paxta matolari uchun ekologik reaktiv boʻyoqlar", ["EkoRang"]),
        ("modanam", "Moda Namangan MChJ", "llc", "14130", "garment", "1714401", S.PRODUCT, 48,
         "Ayollar kiyimlari dizayni va tikish", ["Bahor kolleksiyasi"]),
        ("bolajon", "Bolajon Style MChJ", "llc", "14190", "garment", "1714212", S.SCALING, 62,
         "Bolalar kiyimlari", ["Bolajon"]),
        ("uychigilam", "Uychi Gilam MChJ", "llc", "13930", "textile", "1714229", S.EXPORTING, 70,
         "Dastgohda toʻqilgan ipak va jun gilamlar", ["Ipak gilam"]),
        ("paypoq", "Namangan Paypoq MChJ", "llc", "14310", "garment", "1714242", S.EXPORTING, 55,
         "Paxta paypoqlar", ["Sport paypoq"]),
        ("ekofiber", "EkoFiber MChJ", "llc", "13960", "textile-chemistry", "1714216", S.MVP, 12,
         "Paxta chiqindilaridan texnik tolalar", []),
        ("norinsport", "Norin Sport Kiyim MChJ", "llc", "14190", "garment", "1714216", S.MVP, 9,
         "Sport jamoalari uchun forma", ["Jamoa formasi"]),
        ("aqllimato", "Aqlli Mato MChJ", "llc", "13960", "textile-chemistry", "1714401", S.PROTOTYPE, 4,
         "Antibakterial ishlov berilgan tibbiy matolar", []),
        ("uchqorgontikuv", "Uchqoʻrgʻon Tikuv Markazi MChJ", "llc", "14130", "garment", "1714234", S.MVP, 15,
         "Uyda ishlaydigan ayollar uchun tikuv sexi", []),
    ],
    "chortoq-agro": [
        ("chortoqkochat", "Чортоқ Кўчат МЧЖ", "llc", "01300", "seeds", "1714236", S.EXPORTING, 38,
         "Қулупнай ва полиз экинлари кўчатлари", ["Қулупнай кўчати", "Тарвуз кўчати"]),
        ("qulupnay", "Qulupnay Vodiysi MChJ", "llc", "01250", "greenhouse", "1714236", S.EXPORTING, 120,
         "Yil boʻyi issiqxona qulupnayi", ["Yangi uzilgan qulupnay"]),
        ("yashilissiqxona", "Yashil Issiqxona Agro MChJ", "llc", "01130", "greenhouse", "1714212", S.SCALING, 45,
         "Pomidor va bodring yetishtirish", ["Cherri pomidor"]),
        ("chortoqkosmetik", "Chortoq Kosmetik MChJ", "llc", "20420", "cosmetics", "1714236", S.EXPORTING, 26,
         "Mahalliy oʻsimliklardan krem va shampunlar", ["Nafis yuz kremi", "Rayhon shampuni"]),
        ("atirgul", "Атиргул Ёғлари МЧЖ", "llc", "20530", "cosmetics", "1714236", S.SCALING, 14,
         "Атиргул ва райҳон эфир мойлари", ["Атиргул мойи"]),
        ("namurug", "Namangan Urugʻ MChJ", "llc", "01300", "seeds", "1714204", S.PRODUCT, 17,
         "Mahalliy sharoitga mos sabzavot urugʻlari", ["Piyoz urugʻi"]),
        ("bogbon", "Bogʻbon fermer xoʻjaligi", "farm", "01130", "greenhouse", "1714242", S.PRODUCT, 11,
         "Payvand qilingan qovun va tarvuz koʻchatlari", ["Payvand tarvuz koʻchati"]),
        ("softabiat", "Sof Tabiat Kosmetika MChJ", "llc", "20420", "cosmetics", "1714401", S.SCALING, 19,
         "Bolalar uchun gipoallergen kosmetika", ["Bolajon krem"]),
        ("shifobaxsh", "Шифобахш Гиёҳлар МЧЖ", "llc", "01280", "cosmetics", "1714236", S.PRODUCT, 13,
         "Доривор ва хушбўй ўсимликлар етиштириш", ["Қуритилган ялпиз"]),
        ("mingbuloqqovun", "Mingbuloq Qovun MChJ", "llc", "01130", "seeds", "1714204", S.PROTOTYPE, 6,
         "Qurgʻoqchilikka chidamli qovun navlari urugʻchiligi", []),
        ("agrobiolab", "Agro Bio Lab MChJ", "llc", "72110", "seeds", "1714236", S.MVP, 5,
         "Toʻqima kulturasi usulida virussiz koʻchatlar", []),
        ("lavanda", "Lavanda Vodiysi MChJ", "llc", "20420", "cosmetics", "1714224", S.PROTOTYPE, 4,
         "Lavanda moyi va tabiiy sovunlar", []),
    ],
    "kosonsoy-medical": [
        ("kosonsoymed", "Kosonsoy Med Texnika MChJ", "llc", "32500", "medical-devices", "1714207", S.EXPORTING, 64,
         "Bir martalik shpritslar va infuziya tizimlari", ["Shprits 5 ml", "Infuziya tizimi"]),
        ("shifofarm", "Shifo Farm MChJ", "llc", "21200", "pharma", "1714207", S.SCALING, 58,
         "Generik tabletkalar va siroplar", ["Paratsetamol 500 mg"]),
        ("vodiydiagnostika", "Vodiy Diagnostika MChJ", "llc", "86900", "diagnostics", "1714401", S.PRODUCT, 21,
         "Laboratoriya tahlillari va ekspress testlar", ["Glyukoza test-chizigʻi"]),
        ("medsteril", "MedSteril MChJ", "llc", "32500", "medical-devices", "1714207", S.EXPORTING, 47,
         "Steril bintlar va jarrohlik kiyimlari", ["Steril bint"]),
        ("namreagent", "Namangan Reagent MChJ", "llc", "21200", "diagnostics", "1714212", S.SCALING, 16,
         "Klinik kimyo reagentlari", ["Biokimyo reagentlari toʻplami"]),
        ("ortopedservis", "Ortoped Servis MChJ", "llc", "32500", "medical-devices", "1714401", S.PRODUCT, 18,
         "Individual ortopedik poyabzal va tagliklar", ["Ortopedik taglik"]),
        ("dorivor", "Kosonsoy Dorivor Oʻsimliklar MChJ", "llc", "21100", "pharma", "1714207", S.MVP, 9,
         "Dorivor oʻsimlik ekstraktlari", ["Naʼmatak ekstrakti"]),
        ("dentalplus", "Dental Plus Namangan MChJ", "llc", "32500", "medical-devices", "1714401", S.SCALING, 22,
         "Tish protezlari va implant qismlari", ["Zirkoniy koronka"]),
        ("biotest", "BioTest Lab MChJ", "llc", "71200", "diagnostics", "1714207", S.MVP, 6,
         "Suv va oziq-ovqat xavfsizligi tahlillari", []),
        ("telemed", "TeleMed Vodiy MChJ", "llc", "86900", "diagnostics", "1714229", S.PROTOTYPE, 4,
         "Qishloq poliklinikalari uchun masofaviy EKG", []),
        ("nafasmed", "Nafas Med MChJ", "llc", "32500", "medical-devices", "1714237", S.PROTOTYPE, 5,
         "Bolalar uchun arzon nebulayzerlar", []),
    ],
}
# Accepted by the commission of each park's decided call; the others were residents before the platform.
ACCEPTED = {"namangan-it": ["eduvodiy", "aqlliuy", "vodiygames", "agrodron"],
            "namangan-textile": ["norinsport", "aqllimato", "uchqorgontikuv"],
            "chortoq-agro": ["mingbuloqqovun", "agrobiolab", "lavanda"],
            "kosonsoy-medical": ["biotest", "telemed", "nafasmed"]}
# The decided call's commission met this many days before the load; its residents start two weeks later.
MEETING_DAYS_AGO = 100
REPORT_QUARTERS = 8
CENT = Decimal("0.01")

BUYERS = {
    "namangan-it": [("KR", "Gyeongbuk Smart Solutions Co., Ltd."), ("KR", "Daegu Digital Co., Ltd."),
                    ("KZ", "TOO Almaty Retail Systems"), ("RU", "OOO Volga Soft"), ("AE", "Gulf Ledger FZ-LLC"),
                    ("DE", "Rhein Data GmbH")],
    "namangan-textile": [("RU", "OOO Trikotazh-Torg"), ("KZ", "TOO Shymkent Textile"), ("TR", "Bursa Tekstil A.Ş."),
                         ("DE", "Hamburg Fashion GmbH"), ("KR", "Daegu Textile Trading Co."),
                         ("KG", "OsOO Osh Bazar Trade")],
    "chortoq-agro": [("RU", "OOO Yagodnyi Dom"), ("KZ", "TOO Astana Fresh"), ("AE", "Dubai Fresh Produce LLC"),
                     ("KR", "Jeonju Seed Co., Ltd."), ("CN", "Urumqi Green Trade Co., Ltd.")],
    "kosonsoy-medical": [("KZ", "TOO MedSnab Almaty"), ("KG", "OsOO Bishkek Pharm"), ("TJ", "JSC Dushanbe Med"),
                         ("AF", "Mazar Health Supplies"), ("RU", "OOO MedTorg")],
}
MILESTONES = {
    "namangan-it": ["MVP foydalanuvchilar bilan sinovdan oʻtkazildi", "Birinchi 100 ta pullik mijoz",
                    "Mobil ilovaning 2.0 versiyasi", "Xorijiy bozorda birinchi shartnoma",
                    "Seed investitsiya jalb qilindi"],
    "namangan-textile": ["OEKO-TEX Standard 100 sertifikati", "Yangi tikuv liniyasi ishga tushirildi",
                         "Birinchi eksport partiyasi joʻnatildi", "Yangi kolleksiya dizayni",
                         "Ikki smenali ishlab chiqarish"],
    "chortoq-agro": ["Virussiz koʻchat liniyasi ishga tushirildi", "GlobalG.A.P. sertifikati",
                     "Issiqxona maydoni 2 gektarga kengaytirildi", "Mahsulot davlat roʻyxatidan oʻtkazildi",
                     "Birinchi eksport partiyasi"],
    "kosonsoy-medical": ["ISO 13485 sertifikati", "Mahsulot davlat roʻyxatidan oʻtkazildi",
                         "Toza xonada sinov partiyasi", "Klinik sinovlar yakunlandi",
                         "Davlat xaridlarida birinchi shartnoma"],
}
EVIDENCE = ["Sertifikat nusxasi va sinov bayonnomasi ilova qilindi.", "Shartnoma va yuk xati (CMR) nusxalari.",
            "Ishga tushirish dalolatnomasi va fotosuratlar.", "Reliz qaydlari va foydalanuvchilar statistikasi."]
# persona (or None), name, helps with
MENTORS = {
    "namangan-it": [("expert", "Prof. Bahodir Xolmatov", "Mahsulot strategiyasi"),
                    (None, "Park Ji-hoon (Gyeongbuk texnoparki)", "Koreya bozoriga chiqish"),
                    ("partner", "Kim Min-jun", "Xalqaro hamkorlik")],
    "namangan-textile": [(None, "Dots. Ulugʻbek Xoliqov (NamMTI)", "Toʻqimachilik texnologiyasi"),
                         ("partner", "Kim Min-jun", "Koreya xaridorlari")],
    "chortoq-agro": [(None, "Lee Soo-jin (Jeonbuk texnoparki)", "Urugʻchilik va seleksiya"),
                     ("researcher", "Dr. Gulnora Mirzayeva", "Ilmiy tadqiqot va patentlash")],
    "kosonsoy-medical": [("researcher", "Dr. Gulnora Mirzayeva", "Ilmiy tadqiqot va patentlash"),
                         (None, "Prof. Anvar Usmonov (Andijon tibbiyot instituti)", "Klinik sinovlar")],
}
MEN = ["Akmal", "Bekzod", "Doniyor", "Eldor", "Farrux", "Jahongir", "Otabek", "Rustam", "Sherzod", "Ulugʻbek",
       "Islom", "Sanjar", "Javohir", "Zafar", "Umid", "Nodir", "Sarvar", "Azizbek", "Komil", "Ravshan"]
WOMEN = ["Dilnoza", "Gulnoza", "Madina", "Mohira", "Nilufar", "Sevara", "Shahnoza", "Zarina", "Feruza", "Kamola",
         "Maftuna", "Dildora", "Umida", "Iroda", "Lola", "Munisa"]
SURNAMES = ["Aliyev", "Toshmatov", "Rahimov", "Yoʻldoshev", "Qodirov", "Ismoilov", "Abdullayev", "Xoliqov",
            "Nazarov", "Ergashev", "Usmonov", "Mirzayev", "Soliyev", "Hamidov", "Sobirov", "Joʻrayev", "Tursunov",
            "Mahmudov", "Gʻofurov", "Valiyev", "Saidov", "Yusupov"]
TEAM_ROLES = [(CompanyMember.Role.FOUNDER, "Direktor", True), (CompanyMember.Role.CTO, "Texnik direktor", False),
              (CompanyMember.Role.ACCOUNTANT, "Bosh hisobchi", True), (CompanyMember.Role.OTHER, "Savdo menejeri",
                                                                        False)]


def stir_of(key: str) -> str:
    """A stable 9-digit STIR for a demo key (legal entities' numbers start with 3)."""
    return "3" + str(int(hashlib.sha256(key.encode()).hexdigest(), 16) % 10**8).zfill(8)


def email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def quarter_first_day(index: int) -> date:
    """Quarter `index` counts quarters since year 0 (year * 4 + quarter - 1)."""
    return date(index // 4, index % 4 * 3 + 1, 1)


def quarter_index(day: date) -> int:
    return day.year * 4 + (day.month - 1) // 3


def window_start(today: date) -> date:
    """The first day of the oldest of the last REPORT_QUARTERS finished quarters."""
    return quarter_first_day(quarter_index(today) - REPORT_QUARTERS)


def residency_starts(today: date) -> dict[str, date]:
    """When each company's residency starts. No residency is older than the report window, so no quarter
    before it is owed; about half start in its first quarter and report all eight."""
    rng = random.Random(17)
    first, latest = window_start(today), today - timedelta(days=330)
    starts = {}
    for slug, rows in COMPANIES.items():
        old = [row[0] for row in rows if row[0] not in ACCEPTED[slug]]
        for number, key in enumerate(old):
            early = number % 2 == 0
            offset = rng.randint(0, 75) if early else rng.randint(100, (latest - first).days)
            starts[key] = first + timedelta(days=offset)
        for key in ACCEPTED[slug]:
            starts[key] = today - timedelta(days=MEETING_DAYS_AGO - 14)
    return starts


def people(rows: list[tuple[str, str, str]], password: str) -> dict[str, User]:
    """Demo users by e-mail local part from (local part, full name, language); existing ones are kept."""
    User.objects.bulk_create([User(email=email(local), full_name=name, language=language, password=password)
                              for local, name, language in rows], ignore_conflicts=True)
    found = User.objects.filter(email__in=[email(local) for local, _n, _l in rows])
    return {user.email.split("@")[0]: user for user in found}


def random_name(rng: random.Random) -> str:
    woman = rng.random() < 0.35
    return f"{rng.choice(WOMEN if woman else MEN)} {rng.choice(SURNAMES)}{'a' if woman else ''}"


def load(*, accounts: dict[str, User]) -> None:
    if Company.objects.filter(stir=stir_of(COMPANIES["namangan-it"][0][0])).exists():
        return
    parks = {park.slug: park for park in Technopark.objects.filter(slug__in=COMPANIES)}
    if len(parks) < len(COMPANIES):
        return  # not the demo network
    today, rng = timezone.localdate(), random.Random(31)
    districts = {d.soato: d for d in District.objects.exclude(soato="")}
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    starts = residency_starts(today)
    companies, teams = _companies(rng, districts, sectors, starts)
    Company.objects.bulk_create(companies.values())
    Company.objects.bulk_update(companies.values(), ["created_at"])
    _teams(companies, teams, accounts)
    _progress(rng, today, companies, starts, accounts)
    ideas = _ideas(rng, today, accounts, lambda row: {
        "park": parks[row[1]], "sector": sectors[row[2]], "district": districts[row[3]]})
    _tell_citizen([idea for idea in ideas if idea.author == accounts.get("citizen")])


def _companies(rng, districts, sectors, starts):
    companies, teams = {}, {}
    accepted = {key for keys in ACCEPTED.values() for key in keys}
    for rows in COMPANIES.values():
        for key, name, form, oked, sector, soato, stage, employees, summary, _products in rows:
            start = starts[key]
            team = [random_name(rng) for _ in range(rng.randint(1, 4))]
            if key == "namsoft":  # founded by the resident persona
                team = ["Sardor Alimov", *team[1:3], random_name(rng)][:3]
            shares = [60, 40] if len(team) > 1 and rng.random() < 0.5 else [100]
            companies[key] = Company(
                name=name, stir=stir_of(key), oked=oked, legal_form=LegalForm(form), district=districts[soato],
                sector=sectors[sector], stage=stage, summary=summary, employees=employees,
                website=f"https://{key}.uz" if employees > 20 else "",
                founded_on=start - timedelta(days=rng.randint(150, 900)),
                # An accepted applicant's company is made by the commission's decision.
                created_at=at(start - timedelta(days=14), 17) if key in accepted else at(
                    start - timedelta(days=rng.randint(20, 60))),
                founders="\n".join(f"{person} — {share}%" for person, share in zip(team, shares, strict=False)))
            teams[key] = team
    namsoft = companies["namsoft"]
    namsoft.description = ("Hisobchi Pro bulutli buxgalteriya dasturidan Oʻzbekiston, Qozogʻiston va Koreyadagi "
                           "1 200 dan ortiq kichik korxona foydalanadi.")
    namsoft.founders = f"Sardor Alimov — 70%\n{teams['namsoft'][1]} — 30%"
    return companies, teams


def _teams(companies, teams, accounts) -> None:
    """Team members as demo users without a password; the resident persona founded Namangan Soft."""
    resident = accounts.get("resident")
    rows = [(f"team.{key}.{n}", person, "uz") for key, team in teams.items() for n, person in enumerate(team, 1)
            if not (resident and key == "namsoft" and n == 1)]
    users = people(rows, make_password(None))
    if resident:
        users["team.namsoft.1"] = resident
    CompanyMember.objects.bulk_create([
        CompanyMember(company=companies[key], user=users[f"team.{key}.{n}"], role=role, title=title, is_admin=admin)
        for key, team in teams.items() for n, (role, title, admin) in enumerate(TEAM_ROLES[:len(team)], 1)])


def _progress(rng, today, companies, starts, accounts) -> None:
    """Milestones, mentors, products and (for exporters) export deals."""
    milestones, mentors, products, deals = [], [], [], []
    for slug, rows in COMPANIES.items():
        for key, *_middle, stage, _employees, _summary, names in rows:
            company, start = companies[key], starts[key]
            launched = stage in (S.PRODUCT, S.SCALING, S.EXPORTING)
            made = [Product(company=company, name=name, launched_on=start + timedelta(days=rng.randint(30, 200))
                            if launched else None) for name in names]
            products += made
            if key == "namsoft":
                continue
            for title in rng.sample(MILESTONES[slug], rng.randint(2, 3)):
                due = start + timedelta(days=rng.randint(60, 900))
                status = (Milestone.Status.PLANNED if due > today else
                          rng.choices([Milestone.Status.DONE, Milestone.Status.MISSED], [5, 1])[0])
                done = status == Milestone.Status.DONE
                milestones.append(Milestone(company=company, title=title, due_on=due, status=status,
                                            done_on=min(today, due + timedelta(days=rng.randint(-20, 10)))
                                            if done else None, evidence_note=rng.choice(EVIDENCE) if done else ""))
            for persona, name, area in rng.sample(MENTORS[slug], rng.randint(0, 2)):
                mentors.append(Mentorship(company=company, mentor=accounts.get(persona) if persona else None,
                                          name=name, area=area, since=start + timedelta(days=rng.randint(10, 90))))
            if stage == S.EXPORTING:
                for country, buyer in rng.sample(BUYERS[slug], rng.randint(2, 3)):
                    deals.append(ExportDeal(company=company, product=made[0], country=country, buyer=buyer,
                                            value_usd=Decimal(rng.randint(150, 4000) * 100).quantize(CENT),
                                            signed_on=start + timedelta(days=rng.randint(120, (today - start).days))))
    namsoft = companies["namsoft"]
    made = [p for p in products if p.company is namsoft]
    made[0].description = "Kichik korxonalar uchun bulutli buxgalteriya: soliq hisobotlari, ish haqi, ombor."
    made[1].description = "Doʻkonlar uchun onlayn kassa va savdo tahlili."
    Product.objects.bulk_create(products)
    milestones += _namsoft_milestones(today, namsoft)
    mentors += [Mentorship(company=namsoft, mentor=accounts.get("expert"), name="Prof. Bahodir Xolmatov",
                           area="Mahsulot strategiyasi va eksport", since=starts["namsoft"] + timedelta(days=30)),
                Mentorship(company=namsoft, name="Park Ji-hoon (Gyeongbuk texnoparki)", area="Koreya bozoriga chiqish",
                           since=today - timedelta(days=300))]
    deals += [ExportDeal(company=namsoft, product=made[0], country=country, buyer=buyer, value_usd=Decimal(value),
                         signed_on=today - timedelta(days=back))
              for country, buyer, value, back in [("KR", "Gyeongbuk Smart Solutions Co., Ltd.", "48000.00", 240),
                                                  ("KZ", "TOO Almaty Retail Systems", "36500.00", 410),
                                                  ("AE", "Gulf Ledger FZ-LLC", "22750.50", 95)]]
    Milestone.objects.bulk_create(milestones)
    Mentorship.objects.bulk_create(mentors)
    ExportDeal.objects.bulk_create(deals)


def _namsoft_milestones(today, company) -> list[Milestone]:
    """The resident persona's company: two done with evidence, one missed, one coming."""
    return [
        Milestone(company=company, title="Hisobchi Pro 2.0 chiqarildi", due_on=today - timedelta(days=400),
                  status=Milestone.Status.DONE, done_on=today - timedelta(days=410),
                  evidence_note="Reliz qaydlari, App Store va Google Play havolalari; 120 ta mijozga xabarnoma."),
        Milestone(company=company, title="Koreyada birinchi pilot mijoz", due_on=today - timedelta(days=200),
                  status=Milestone.Status.DONE, done_on=today - timedelta(days=240),
                  evidence_note="Gyeongbuk Smart Solutions bilan imzolangan pilot shartnoma."),
        Milestone(company=company, title="ISO/IEC 27001 sertifikati", due_on=today - timedelta(days=45),
                  status=Milestone.Status.MISSED),
        Milestone(company=company, title="Qozogʻistonda vakolatxona ochish", due_on=today + timedelta(days=120)),
    ]


# author ("citizen" or an idea.N user), park, sector, district, title, problem, solution, outcome, reason.
# "invite" ideas stay submitted here: the intake demo invites them to their park's open call.
IDEAS = [
    ("citizen", "chortoq-agro", "cosmetics", "1714237", "Ёнғоқ пўстлоғидан табиий соч бўёғи",
     "Дўконлардаги соч бўёқлари кимёвий ва қиммат.", "Маҳаллий ёнғоқ пўстлоғи ва хинадан табиий бўёқ.",
     "submitted", ""),
    ("citizen", "chortoq-agro", "cosmetics", "1714237", "Анор пўстлоғидан юз ниқоби",
     "Анор пўстлоғи ташлаб юборилади.", "Пўстлоқни қуритиб, косметик ниқоб сифатида сотиш.", "declined",
     "Gʻoya yaxshi, lekin xomashyo va sinov rejasi yoʻq. Laboratoriya sinovlari rejasini qoʻshib, qayta yuboring."),
    ("idea.1", "namangan-it", "software", "1714229", "Qishloq maktablari uchun oflayn taʼlim ilovasi",
     "Qishloqlarda internet sekin, darsliklar yetishmaydi.", "Internet kerak boʻlmagan video darslar ilovasi.",
     "invite", ""),
    ("idea.2", "namangan-it", "software", "1714401", "Bozor narxlarini kuzatuvchi Telegram-bot",
     "Fermerlar ulgurji narxlarni bilmay arzon sotadi.", "Chorsu va Namangan bozorlari narxlari har kuni botda.",
     "submitted", ""),
    ("idea.3", "namangan-it", "software", "1714401", "Taksi haydovchilari uchun yoqilgʻi tejash tahlili",
     "Haydovchilar yoqilgʻiga koʻp sarflaydi.", "Telefon datchiklari orqali haydash uslubini baholash.",
     "declined", "Bozorda shunga oʻxshash yechimlar koʻp; loyihaning yangiligini asoslab, qayta yuboring."),
    ("idea.4", "namangan-it", "hardware", "1714237", "Koʻzi ojizlar uchun ovozli navigatsiya",
     "Koʻzi ojizlar shahar transportidan foydalana olmaydi.", "Bekatlarda ovozli mayoqlar va mobil ilova.",
     "invite", ""),
    ("idea.5", "namangan-it", "software", "1714212", "Fermerlar uchun kredit kalkulyatori",
     "Fermerlar kredit shartlarini solishtira olmaydi.", "Banklar takliflarini bir joyda solishtirish.",
     "submitted", ""),
    ("idea.6", "namangan-textile", "textile-chemistry", "1714224", "Paxta chiqindisidan issiqlik izolyatsiyasi",
     "Paxta chiqindisi yoqib yuboriladi.", "Chiqindidan uylar uchun izolyatsiya plitalari.", "invite", ""),
    ("idea.7", "namangan-textile", "garment", "1714401", "Atlas naqshlarini raqamli bosish",
     "Qoʻlda atlas toʻqish sekin va qimmat.", "Atlas naqshlarini paxta matoga raqamli bosma.", "submitted", ""),
    ("idea.8", "namangan-textile", "garment", "1714219", "Tikuvchilar uchun buyurtmalar birjasi",
     "Uyda tikuvchilar buyurtma topa olmaydi.", "Fabrikalar va tikuvchilarni bogʻlovchi sayt.", "withdrawn", ""),
    ("idea.9", "chortoq-agro", "greenhouse", "1714236", "Qulupnay koʻchatlari uchun gidroponika",
     "Tuproqda koʻchat kasallanadi.", "Gidroponik kassetalarda virussiz koʻchat.", "invite", ""),
    ("idea.10", "chortoq-agro", "greenhouse", "1714242", "Quyosh energiyasidagi mevaquritgich",
     "Meva quritishda elektr qimmat.", "Quyosh kollektorli quritgich.", "submitted", ""),
    ("idea.11", "kosonsoy-medical", "diagnostics", "1714207", "Qandli diabet bemorlari uchun mobil kundalik",
     "Bemorlar qand miqdorini yozib bormaydi.", "Glyukometrdan maʼlumotni oluvchi ilova.", "submitted", ""),
    ("idea.12", "kosonsoy-medical", "medical-devices", "1714207", "Tibbiy niqoblarni qayta ishlash",
     "Ishlatilgan niqoblar chiqindiga tashlanadi.", "Sterilizatsiya qilib polimer xomashyoga aylantirish.",
     "withdrawn", ""),
    ("idea.13", "kosonsoy-medical", "medical-devices", "1714237", "Arzon pulsoksimetr",
     "Import pulsoksimetrlar qimmat.", "Mahalliy yigʻiladigan pulsoksimetr.", "invite", ""),
    ("idea.14", "kosonsoy-medical", "pharma", "1714229", "Naʼmatakdan vitaminli sirop",
     "Bolalar siroplari import qilinadi.", "Mahalliy naʼmatakdan S vitaminli sirop.", "declined",
     "Dori vositasi sifatida roʻyxatdan oʻtkazish rejasi va GMP talablari koʻrsatilmagan."),
]
DECIDERS = {"namangan-it": "it.manager", "namangan-textile": "region.admin", "chortoq-agro": "chortoq.manager",
            "kosonsoy-medical": "kosonsoy.manager"}


def _ideas(rng, today, accounts, places) -> list[Idea]:
    """The ideas of IDEAS; `places(row)` gives a row's park, sector and district."""
    authors = people([(f"idea.{n}", random_name(rng), "uz") for n in range(1, 15)], make_password(None))
    authors.update({"citizen": accounts["citizen"]} if "citizen" in accounts else {})
    ideas = []
    for row in IDEAS:
        author, slug, _sector, _soato, title, problem, solution, outcome, reason = row
        if author not in authors:
            continue
        created = at(today - timedelta(days=rng.randint(25, 120)), rng.randint(9, 20))
        decided = outcome == "declined"
        ideas.append(Idea(
            author=authors[author], title=title, problem=problem, solution=solution, team=authors[author].full_name,
            status=Idea.Status.SUBMITTED if outcome == "invite" else Idea.Status(outcome), reason=reason,
            decided_by=accounts.get(DECIDERS[slug]) if decided else None,
            decided_at=created + timedelta(days=rng.randint(3, 12)) if decided else None, created_at=created,
            **places(row)))
    Idea.objects.bulk_create(ideas)
    Idea.objects.bulk_update(ideas, ["created_at"])
    return ideas


def _tell_citizen(ideas: list[Idea]) -> None:
    """What the site told the citizen about her ideas (in her language, Uzbek Cyrillic)."""
    notes = []
    for idea in ideas:
        url = idea.get_absolute_url()
        notes.append(Notification(user=idea.author, message=f"Ғоянгиз қабул қилинди: «{idea.title}».", url=url,
                                  created_at=idea.created_at))
        if idea.status == Idea.Status.DECLINED:
            notes.append(Notification(user=idea.author, message=f"Ғоянгиз рад этилди: «{idea.title}». "
                                      "Сабабини ғоя саҳифасида ўқинг.", url=url, created_at=idea.decided_at))
    Notification.objects.bulk_update(Notification.objects.bulk_create(notes), ["created_at"])
