"""Demo calls, applications, expert review, the commission and the residency agreements. Called by
`manage.py load_demo` after the ventures demo, whose companies become the residents here.

Each park has a decided call (scored applications, a closed meeting with its votes and decisions, the
accepted companies now residents) and an open call closing in three weeks (drafts, submissions, one
returned for fixes; in the IT park the expert persona has reviews to do). Statuses are walked through
the models' TRANSITIONS. A second load finds the first company's residency and does nothing.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from texnopark.accounts.models import Membership, Role
from texnopark.core import scripts
from texnopark.core.models import Notification
from texnopark.core.states import move
from texnopark.intake.models import (
    SCORE_MAX,
    Application,
    Assignment,
    Attendance,
    Call,
    CommissionMember,
    Criterion,
    Decision,
    Meeting,
    Question,
    RequiredDocument,
    Residency,
    Score,
    Vote,
)
from texnopark.network.models import District, Sector, Technopark
from texnopark.network.services import search_text_for
from texnopark.ventures import demo as ventures
from texnopark.ventures.models import Company, CompanyMember, Idea, LegalForm

A, C = Application.Status, Call.Status
DECIDED_ONLY = (A.REJECTED, A.WAITLISTED, A.WITHDRAWN)
# local part, full name, language, role, park
STAFF = [
    ("it.expert2", "Dr. Nodirbek Rasulov", "uz", Role.EXPERT, "namangan-it"),
    ("it.expert3", "Kamola Yoqubova", "ru", Role.EXPERT, "namangan-it"),
    ("textile.manager", "Baxtiyor Sodiqov", "uz", Role.PARK_MANAGER, "namangan-textile"),
    ("textile.expert", "Dots. Sherzod Nurmatov", "uz", Role.EXPERT, "namangan-textile"),
    ("textile.expert2", "Marhabo Tojiboyeva", "uz", Role.EXPERT, "namangan-textile"),
    ("chortoq.expert", "Ботир Мамажонов", "uz-cyrl", Role.EXPERT, "chortoq-agro"),
    ("chortoq.expert2", "Lee Soo-jin", "ko", Role.EXPERT, "chortoq-agro"),
    ("kosonsoy.expert", "Prof. Anvar Usmonov", "ru", Role.EXPERT, "kosonsoy-medical"),
    ("kosonsoy.expert2", "Dr. Shahnoza Haydarova", "uz", Role.EXPERT, "kosonsoy-medical"),
]
# park -> commission (the first chairs), experts who review
COMMISSION = {
    "namangan-it": (["it.manager", "it.staff", "expert", "it.expert2", "it.expert3"],
                    ["expert", "it.expert2", "it.expert3"]),
    "namangan-textile": (["textile.manager", "textile.expert", "textile.expert2"],
                         ["textile.expert", "textile.expert2"]),
    "chortoq-agro": (["chortoq.manager", "chortoq.expert", "chortoq.expert2"], ["chortoq.expert", "chortoq.expert2"]),
    "kosonsoy-medical": (["kosonsoy.manager", "kosonsoy.expert", "kosonsoy.expert2"],
                         ["kosonsoy.expert", "kosonsoy.expert2"]),
}
# park -> criteria (name, what the experts look at, weight): the weights add up to 100
RUBRICS = {
    "namangan-it": [("Innovatsionlik", "Yechim bozorda yangimi, texnologiya qanchalik ilgʻor", 25),
                    ("Bozor va eksport salohiyati", "Mijozlar, bozor hajmi, xorijiy bozorlar", 25),
                    ("Jamoa", "Tajriba, rollar taqsimoti, toʻliq bandlik", 20),
                    ("Texnik tayyorlik", "Prototip, MVP yoki ishlayotgan mahsulot", 20),
                    ("Yangi ish oʻrinlari", "Uch yilda yaratiladigan ish oʻrinlari", 10)],
    "namangan-textile": [("Mahsulot yangiligi va sifati", "Dizayn, xomashyo, sertifikatlar", 25),
                         ("Eksport salohiyati", "Xaridorlar va bozorlar", 25),
                         ("Ishlab chiqarish rejasi va moliya", "Uskunalar, quvvat, moliyalashtirish", 20),
                         ("Ish oʻrinlari va ayollar bandligi", "Yangi ish oʻrinlari soni va sifati", 15),
                         ("Ekologik taʼsir", "Suv, boʻyoq va chiqindilar", 15)],
    "chortoq-agro": [("Ilmiy-texnik asos", "Navlar, texnologiya, laboratoriya natijalari", 30),
                     ("Iqtisodiy samara", "Hosildorlik, tannarx, daromad", 25),
                     ("Eksport salohiyati", "Xaridorlar va sertifikatlar", 20),
                     ("Jamoa", "Agronom va texnologlar tajribasi", 15),
                     ("Ekologik xavfsizlik", "Suv tejash, kimyoviy vositalar", 10)],
    "kosonsoy-medical": [("Klinik ahamiyati", "Qaysi kasallik, qancha bemor", 30),
                         ("Texnologik yangilik", "Mahalliy bozorda yangimi", 20),
                         ("Sertifikatlash yoʻli", "Roʻyxatdan oʻtkazish, GMP, ISO 13485 rejasi", 20),
                         ("Bozor va importni almashtirish", "Xaridorlar, narx, import hajmi", 20),
                         ("Jamoa", "Shifokor, muhandis va farmatsevtlar", 10)],
}
QUESTIONS = [("Kompaniya Namangan viloyatida roʻyxatdan oʻtganmi yoki oʻtadimi?", True),
             ("Soliq va boshqa majburiy toʻlovlar boʻyicha qarzdorlik bormi?", False)]
PARK_QUESTION = {"namangan-it": "Loyiha dasturiy taʼminot, AKT xizmatlari yoki apparat yechimlariga tegishlimi?",
                 "kosonsoy-medical": "Mahsulot tibbiy buyum yoki dori vositasi sifatida roʻyxatdan oʻtkaziladimi?"}
DOCUMENTS = [("Davlat roʻyxatidan oʻtganlik guvohnomasi", True), ("Biznes-reja va moliyaviy prognoz", True),
             ("Jamoa aʼzolarining rezyumesi", False)]
BENEFITS = ("Rezidentlik muddatida foyda soligʻi, mol-mulk soligʻi va yer soligʻidan ozod qilish; texnopark "
            "ofislari, laboratoriyalari va kovorkingidan imtiyozli narxda foydalanish; Koreya texnoparklari "
            "bilan hamkorlik dasturlarida ishtirok etish.")
OBLIGATIONS = ("Har chorak tugaganidan keyin 25 kun ichida hisobot topshirish; har yili mustaqil audit xulosasini "
               "taqdim etish; biznes-rejadagi ish oʻrinlarini yaratish; faoliyatni texnopark yoʻnalishida yuritish.")
# park -> applicants who are not (yet) residents: status, idea author (applies for it) or "", company name,
# OKED, sector, district SOATO, employees, the project. The rejected, waitlisted and withdrawn ones were in
# the decided call, the others are in the open one.
APPLICANTS = {
    "namangan-it": [
        (A.REJECTED, "", "Tez Yetkaz MChJ", "53200", "software", "1714401", 3, "Shahar ichida kuryerlik ilovasi"),
        (A.WAITLISTED, "", "CyberNam MChJ", "62020", "ict-services", "1714401", 6, "Kiberxavfsizlik auditi"),
        (A.WITHDRAWN, "", "Pixel Studio MChJ", "74100", "software", "1714212", 2, "Ilovalar uchun UX-dizayn"),
        (A.SUBMITTED, "idea.1", "Oflayn Maktab MChJ", "62010", "software", "1714229", 3, "Oflayn video darslar"),
        (A.SUBMITTED, "", "Kitob.uz MChJ", "63120", "software", "1714401", 4, "Oʻzbek tilidagi audiokitoblar"),
        (A.SUBMITTED, "", "IoT Vodiy MChJ", "26510", "hardware", "1714229", 5, "Suv hisoblagichlarini oʻqish"),
        (A.RETURNED, "", "Smart Parking MChJ", "62010", "software", "1714401", 3, "Avtoturargoh band qilish ilovasi"),
        (A.DRAFT, "idea.4", "Ovozli Yoʻl MChJ", "", "hardware", "1714237", None, "Bekatlarda ovozli mayoqlar"),
        (A.DRAFT, "", "", "", "software", "1714237", None, "Mahalla doʻkonlari uchun onlayn buyurtma"),
    ],
    "namangan-textile": [
        (A.REJECTED, "", "Pilla Servis MChJ", "01490", "textile", "1714216", 4, "Ipak qurti boqish"),
        (A.WAITLISTED, "", "Eko Sumka MChJ", "13920", "garment", "1714401", 7, "Paxta matodan sumkalar"),
        (A.SUBMITTED, "idea.6", "Paxta Izolyatsiya MChJ", "13960", "textile-chemistry", "1714224", 4,
         "Paxta chiqindisidan izolyatsiya plitalari"),
        (A.SUBMITTED, "", "Denim Lab MChJ", "13300", "textile", "1714219", 8, "Denimni suvsiz yuvish texnologiyasi"),
        (A.RETURNED, "", "Milliy Libos MChJ", "14130", "garment", "1714401", 5, "Zamonaviy milliy kiyimlar"),
        (A.DRAFT, "", "Kigiz Art", "", "textile", "1714237", None, "Kigiz buyumlar"),
    ],
    "chortoq-agro": [
        (A.REJECTED, "", "Tomchi Suv MChJ", "28300", "greenhouse", "1714236", 3, "Tomchilatib sugʻorish tizimlari"),
        (A.WAITLISTED, "", "Yongʻoq Yogʻi MChJ", "20530", "cosmetics", "1714236", 5, "Yongʻoq moyidan kosmetika"),
        (A.SUBMITTED, "idea.9", "Gidro Koʻchat MChJ", "01300", "greenhouse", "1714236", 3, "Gidroponik koʻchatlar"),
        (A.SUBMITTED, "", "Koʻk Choy Agro MChJ", "01280", "greenhouse", "1714204", 6, "Issiqxonada dorivor choylar"),
        (A.RETURNED, "", "Pomidor Plus fermer xoʻjaligi", "01130", "greenhouse", "1714242", 9, "Qishki pomidor"),
        (A.DRAFT, "", "", "", "seeds", "1714236", None, "Sabzavot urugʻlarini qadoqlash"),
    ],
    "kosonsoy-medical": [
        (A.REJECTED, "", "Fito Choy MChJ", "10830", "pharma", "1714207", 3, "Shifobaxsh choylar"),
        (A.WAITLISTED, "", "MedLaser MChJ", "32500", "medical-devices", "1714401", 6, "Fizioterapiya lazerlari"),
        (A.SUBMITTED, "", "Steril Paket MChJ", "32500", "medical-devices", "1714207", 7, "Sterilizatsiya paketlari"),
        (A.RETURNED, "", "DiaTest MChJ", "21200", "diagnostics", "1714207", 4, "Diabet uchun test-chiziqlar"),
        (A.DRAFT, "idea.13", "Puls Med MChJ", "", "medical-devices", "1714237", None, "Arzon pulsoksimetr"),
    ],
}
REJECTION = ("Ekspertlarning oʻrtacha bahosi oʻtish balidan past; loyiha texnopark yoʻnalishiga toʻliq mos "
             "kelmaydi.")
CONFLICT_NOTE = "Arizachi kompaniyaga oʻtgan yili maslahatchi sifatida xizmat koʻrsatganman."
RETURN_NOTE = "Biznes-rejada moliyaviy prognoz yoʻq va STIR guvohnomadagidan farq qiladi. Iltimos, tuzating."
COMMENTS = {0: ["Asoslanmagan, maʼlumot yetarli emas.", "Jiddiy kamchiliklar bor."],
            1: ["Oʻrtacha: ayrim tomonlari yaxshi, lekin dalillar kam.", "Yaxshi boshlangan, rivojlantirish kerak."],
            2: ["Kuchli tomoni: aniq va ishonarli.", "Juda yaxshi: dalillar va raqamlar bilan."]}
SHORT_NAMES = {"namangan-it": ("IT texnoparki", "IT-технопарк", "IT Technopark"),
               "namangan-textile": ("Toʻqimachilik texnoparki", "Текстильный технопарк", "Textile Technopark"),
               "chortoq-agro": ("Chortoq agro texnoparki", "Чартакский агротехнопарк", "Chortoq Agro Technopark"),
               "kosonsoy-medical": ("Kosonsoy tibbiyot texnoparki", "Касансайский медтехнопарк",
                                    "Kosonsoy Medical Technopark")}
SEASONS = {12: ("qishki", "зима", "Winter"), 3: ("bahorgi", "весна", "Spring"), 6: ("yozgi", "лето", "Summer"),
           9: ("kuzgi", "осень", "Autumn")}


class _Load:
    """What every step needs: the day, the dice, the people by e-mail local part, the places."""

    def __init__(self, accounts: dict):
        self.today, self.now, self.rng = timezone.localdate(), timezone.now(), random.Random(43)
        staff = ventures.people([row[:3] for row in STAFF], make_password(settings.DEMO_PASSWORD))
        self.people = {**accounts, **staff}
        self.districts = {d.soato: d for d in District.objects.exclude(soato="")}
        self.sectors = {s.slug: s for s in Sector.objects.all()}
        self.applicants: dict = {}

    def applicant(self, slug: str, number: int):
        """The demo person behind the park's `number`th row of APPLICANTS."""
        if not self.applicants:
            rows = [(f"applicant.{park}.{n}", ventures.random_name(self.rng), "uz")
                    for park, apps in APPLICANTS.items() for n in range(len(apps))]
            self.applicants = ventures.people(rows, make_password(None))
        return self.applicants[f"applicant.{slug}.{number}"]


def load(*, accounts: dict) -> None:
    first = ventures.stir_of(ventures.COMPANIES["namangan-it"][0][0])
    companies = {c.stir: c for c in Company.objects.select_related("sector", "district").filter(stir__in=[
        ventures.stir_of(row[0]) for rows in ventures.COMPANIES.values() for row in rows])}
    if first not in companies or Residency.objects.filter(company=companies[first]).exists():
        return
    run = _Load(accounts)
    parks = {park.slug: park for park in Technopark.objects.filter(slug__in=COMMISSION)}
    Membership.objects.bulk_create([Membership(user=run.people[local], role=role, park=parks[slug])
                                    for local, _n, _l, role, slug in STAFF], ignore_conflicts=True)
    founders = {m.company.stir: m.user for m in CompanyMember.objects.filter(
        company__in=companies.values(), role=CompanyMember.Role.FOUNDER).select_related("company", "user")}
    starts = ventures.residency_starts(run.today)
    residencies = []
    for slug, park in parks.items():
        decided, opened = _calls(run, park)
        accepted = [companies[ventures.stir_of(key)] for key in ventures.ACCEPTED[slug]]
        taken = _decided_call(run, decided, {company: founders[company.stir] for company in accepted})
        _open_call(run, opened)
        residencies += _residencies(park, companies, starts, taken)
    Residency.objects.bulk_create(residencies)
    # As on acceptance: the founder holds the resident role in the park (it opens the residents' bookings).
    Membership.objects.bulk_create([Membership(user=founders[r.company.stir], role=Role.RESIDENT, park=r.park)
                                    for r in residencies], ignore_conflicts=True)
    if "expert" in accounts:
        Notification.objects.create(user=accounts["expert"], url=reverse("intake:reviews_mine"),
                                    message="Sizga ekspertiza uchun 3 ta ariza biriktirildi: IT texnoparkining "
                                    "ochiq tanlovi.")


def _prefix(park) -> str:
    """IT for namangan-it: the last word of the slug, as the intake services number agreements and minutes."""
    return park.slug.rsplit("-", 1)[-1].upper()


def _years_after(day, years: int):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _walk(obj, path, transitions) -> None:
    for target in path:
        move(obj, target, transitions)


def _names(closes, slug: str) -> dict:
    """The park and the season of the deadline: IT texnoparki: 2026-yil kuzgi rezidentlik tanlovi."""
    uz, ru, en = SEASONS[(closes.month // 3 * 3) or 12]
    park_uz, park_ru, park_en = SHORT_NAMES[slug]
    names = {"name": f"{park_uz}: {closes.year}-yil {uz} rezidentlik tanlovi",
             "name_ru": f"{park_ru}: конкурс резидентов, {ru} {closes.year}",
             "name_en": f"{park_en}: {en} {closes.year} residency call"}
    if slug == "chortoq-agro":  # this park writes in Cyrillic
        names["name"] = scripts.to_script(names["name"], scripts.CYRILLIC)
    return names


def _calls(run: _Load, park) -> tuple[Call, Call]:
    """The decided call and the open one, with the same rubric, questions, documents and commission."""
    today, manager = run.today, run.people.get(COMMISSION[park.slug][0][0])
    decided = Call(park=park, opens_on=today - timedelta(days=175), closes_at=ventures.at(today - timedelta(
        days=ventures.MEETING_DAYS_AGO + 30), 18))
    _walk(decided, [C.OPEN, C.REVIEW, C.DECIDED], Call.TRANSITIONS)
    opened = Call(park=park, opens_on=today - timedelta(days=20), closes_at=ventures.at(today + timedelta(days=21), 18))
    _walk(opened, [C.OPEN], Call.TRANSITIONS)
    for call in (decided, opened):
        for field, value in _names(timezone.localdate(call.closes_at), park.slug).items():
            setattr(call, field, value)
        call.description = (f"{park.name}: rezidentlik uchun tanlov. Ariza onlayn topshiriladi; ekspertlar "
                            "arizalarni mezonlar boʻyicha baholaydi, yakuniy qarorni komissiya qabul qiladi.")
        call.created_by, call.benefits, call.obligations = manager, BENEFITS, OBLIGATIONS
        call.search_text = search_text_for(call)
    Call.objects.bulk_create([decided, opened])
    questions = QUESTIONS + ([(PARK_QUESTION[park.slug], True)] if park.slug in PARK_QUESTION else [])
    documents = DOCUMENTS if park.slug != "chortoq-agro" else DOCUMENTS[:2]
    for call in (decided, opened):
        call.sectors.set(park.sectors.all())
        Criterion.objects.bulk_create([Criterion(call=call, name=name, description=text, weight=weight, position=n)
                                       for n, (name, text, weight) in enumerate(RUBRICS[park.slug])])
        call.eligible = {str(q.pk): q.required_answer for q in Question.objects.bulk_create([
            Question(call=call, text=text, required_answer=answer, position=n)
            for n, (text, answer) in enumerate(questions)])}
        RequiredDocument.objects.bulk_create([RequiredDocument(call=call, name=name, is_required=required, position=n)
                                              for n, (name, required) in enumerate(documents)])
        CommissionMember.objects.bulk_create([CommissionMember(call=call, user=run.people[local], is_chair=n == 0)
                                              for n, local in enumerate(COMMISSION[park.slug][0])])
    return decided, opened


def _application(run: _Load, call, applicant, row) -> Application:
    """An application as its row in APPLICANTS describes it; a draft is half filled."""
    status, _idea, name, oked, sector, soato, employees, project = row
    when = ventures.at(call.opens_on + timedelta(days=run.rng.randint(1, 12)), run.rng.randint(9, 19))
    application = Application(
        call=call, applicant=applicant, company_name=name, stir=ventures.stir_of(f"app:{name}") if oked else "",
        oked=oked, district=run.districts[soato], sector=run.sectors[sector], employees=employees,
        legal_form=LegalForm.FARM if "fermer" in name else LegalForm.LLC, created_at=when,
        founders=f"{applicant.full_name} — 100%" if oked else "", project=project,
        answers=call.eligible if oked else dict(list(call.eligible.items())[:1]))
    if status != A.DRAFT:
        application.submitted_at = when + timedelta(days=2)
        _walk(application, [A.SUBMITTED] + ([status] if status != A.SUBMITTED else []), Application.TRANSITIONS)
    return application


def _decided_call(run: _Load, call, accepted: dict) -> dict:
    """Scored, voted and decided; returns {company id: its accepted application}."""
    applications = []
    for company, founder in accepted.items():
        row = (A.ACCEPTED, "", company.name, company.oked, company.sector.slug, company.district.soato,
               company.employees, company.summary)
        application = _application(run, call, founder, row)
        application.stir, application.company, application.legal_form = company.stir, company, company.legal_form
        applications.append(application)
    applications += [_application(run, call, run.applicant(call.park.slug, n), row)
                     for n, row in enumerate(APPLICANTS[call.park.slug]) if row[0] in DECIDED_ONLY]
    Application.objects.bulk_create(applications)
    Application.objects.bulk_update(applications, ["created_at"])
    reviewed = [a for a in applications if a.status != A.WITHDRAWN]
    quality = {A.ACCEPTED: 8.0, A.WAITLISTED: 6.3, A.REJECTED: 4.2}
    _review(run, call, {a: quality[a.status] for a in reviewed}, when=call.closes_at + timedelta(days=2))
    _meeting(run, call, reviewed)
    return {a.company_id: a for a in applications if a.status == A.ACCEPTED}


def _review(run: _Load, call, applications: dict, *, when, states=None) -> None:
    """Two experts an application ({application: how good it is, 0–10}). `states` ({application: [state of
    each review]}) leaves some unfinished: "new" (nothing declared yet), "declared" (two scores saved) or
    "scored"; without it all are scored, and a third expert declared a conflict on the first one."""
    rng, criteria = run.rng, list(call.criteria.all())
    experts = [run.people[local] for local in COMMISSION[call.park.slug][1]]
    assignments, scores = [], []
    for number, (application, quality) in enumerate(applications.items()):
        if states:  # the first expert (the persona in the IT park) reviews every one
            pair = [experts[0], experts[1 + number % (len(experts) - 1)]]
        else:
            pair = [experts[number % len(experts)], experts[(number + 1) % len(experts)]]
        for expert, state in zip(pair, (states or {}).get(application, ["scored", "scored"]), strict=True):
            assignment = Assignment(application=application, expert=expert, assigned_at=when)
            assignments.append(assignment)
            if state == "new":
                continue
            assignment.no_conflict_at = min(when + timedelta(hours=rng.randint(2, 30)), run.now)
            values = [max(0, min(SCORE_MAX, round(rng.gauss(quality, 1.2)))) for _c in criteria]
            kept = criteria if state == "scored" else criteria[:2]
            scores += [Score(assignment=assignment, criterion=c, value=v, comment=rng.choice(COMMENTS[min(2, v // 4)]))
                       for c, v in zip(kept, values, strict=False)]
            if state == "scored":
                move(assignment, Assignment.Status.SUBMITTED, Assignment.TRANSITIONS)
                assignment.submitted_at = min(assignment.no_conflict_at + timedelta(days=rng.randint(1, 6)), run.now)
                assignment.total = sum((Decimal(v) / SCORE_MAX * c.weight for c, v in zip(criteria, values,
                                                                                         strict=True)), Decimal(0))
                assignment.total = assignment.total.quantize(ventures.CENT)
    if states is None and len(experts) > 2:
        conflict = Assignment(application=next(iter(applications)), expert=experts[2], assigned_at=when,
                              no_conflict_at=None, conflict_note=CONFLICT_NOTE)
        move(conflict, Assignment.Status.CONFLICT, Assignment.TRANSITIONS)
        assignments.append(conflict)
    Assignment.objects.bulk_create(assignments)
    Assignment.objects.bulk_update(assignments, ["assigned_at"])
    Score.objects.bulk_create(scores)


def _meeting(run: _Load, call, applications) -> None:
    """Closed, with a quorum present (one member of a larger commission was away), votes and decisions."""
    members = list(call.commission.all())
    held = call.closes_at + timedelta(days=30)
    meeting = Meeting(call=call, held_at=held, place="Texnopark majlislar zali", closed_at=held + timedelta(hours=2),
                      number=f"{_prefix(call.park)}/{held.year}/01")
    _walk(meeting, [Meeting.Status.OPEN, Meeting.Status.CLOSED], Meeting.TRANSITIONS)
    meeting.save()
    # A three-member commission sits in full; a larger one with one member away (still a quorum).
    present = members if len(members) <= 3 else members[:max(call.quorum(len(members)), len(members) - 1)]
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m, present=m in present) for m in members])
    votes, decisions = [], []
    for application in applications:
        choices = {A.ACCEPTED: ["for"] * (len(present) - 1) + [run.rng.choice(["for", "abstain"])],
                   A.WAITLISTED: ["for", "abstain", "against", "for", "for"][:len(present)],
                   A.REJECTED: ["against", "against", "for", "against", "abstain"][:len(present)]}[application.status]
        votes += [Vote(meeting=meeting, application=application, member=member, choice=choice)
                  for member, choice in zip(present, choices, strict=True)]
        decisions.append(Decision(
            meeting=meeting, application=application, outcome=application.status, decided_at=held + timedelta(hours=1),
            reason=REJECTION if application.status == A.REJECTED else "", votes_for=choices.count("for"),
            votes_against=choices.count("against"), votes_abstain=choices.count("abstain")))
    Vote.objects.bulk_create(votes)
    Decision.objects.bulk_update(Decision.objects.bulk_create(decisions), ["decided_at"])


def _open_call(run: _Load, call) -> None:
    """Drafts, submissions and one returned; the ideas invited to the call come back as applications."""
    slug = call.park.slug
    rows = [(n, row) for n, row in enumerate(APPLICANTS[slug]) if row[0] not in DECIDED_ONLY]
    ideas = {i.author.email.split("@")[0]: i for i in Idea.objects.filter(
        park=call.park, status=Idea.Status.SUBMITTED,
        author__email__in=[ventures.email(row[1]) for _n, row in rows if row[1]]).select_related("author")}
    for idea in ideas.values():
        move(idea, Idea.Status.INVITED, Idea.TRANSITIONS)
        idea.invited_to, idea.decided_by = call, run.people.get(COMMISSION[slug][0][0])
        idea.decided_at = ventures.at(call.opens_on, 11)
    Idea.objects.bulk_update(ideas.values(), ["status", "invited_to", "decided_by", "decided_at"])
    applications = []
    for n, row in rows:
        idea = ideas.get(row[1])
        application = _application(run, call, idea.author if idea else run.applicant(slug, n), row)
        application.idea = idea
        if row[0] == A.RETURNED:
            application.returned_at = ventures.at(run.today - timedelta(days=3), 15)
            application.fix_by = application.returned_at + timedelta(days=call.return_days)
            application.return_note = RETURN_NOTE
        applications.append(application)
    Application.objects.bulk_create(applications)
    Application.objects.bulk_update(applications, ["created_at"])
    if slug == "namangan-it":  # the expert persona's work: one reviewed, one half-scored, one to declare
        submitted = [a for a in applications if a.status == A.SUBMITTED]
        states = dict(zip(submitted, [["scored", "scored"], ["declared", "new"], ["new", "new"]], strict=True))
        quality = dict(zip(submitted, [7.5, 6.0, 5.5], strict=True))
        _review(run, call, quality, when=ventures.at(run.today - timedelta(days=3), 9), states=states)


def _residencies(park, companies, starts, taken) -> list[Residency]:
    """One agreement per company of the park, numbered per year in the order they started."""
    rows = sorted(((starts[row[0]], companies[ventures.stir_of(row[0])]) for row in ventures.COMPANIES[park.slug]),
                  key=lambda pair: pair[0])
    residencies, counts = [], {}
    for start, company in rows:
        counts[start.year] = counts.get(start.year, 0) + 1
        residencies.append(Residency(
            company=company, park=park, application=taken.get(company.pk), starts_on=start, status_since=start,
            number=f"{_prefix(park)}-{start.year}-{counts[start.year]:03d}",
            ends_on=_years_after(start, 3), benefits=BENEFITS, obligations=OBLIGATIONS))
    return residencies
