"""Demo training in every district business centre: programmes, a past session with attendance
and certificates (one revoked somewhere), a coming session with seats, a full one with a waiting
line and a seat offered, demo learners, consultations with outcomes. Called by `manage.py load_demo`.

A centre gets demo programmes only while it has none, so a rerun never duplicates or overwrites
what the centre's staff set up. Rows go in with `bulk_create`: the whole region takes a second or two.
"""

import random
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from texnopark.accounts.models import User
from texnopark.core import scripts
from texnopark.core.demo_data import DEMO_EMAIL_DOMAIN
from texnopark.network.models import BusinessCentre
from texnopark.training.models import (
    AgeGroup,
    Attendance,
    Certificate,
    ConsultationSlot,
    Enrolment,
    Gender,
    Lesson,
    Programme,
    Session,
)
from texnopark.training.services import new_certificate_code

CHUST_SOATO = "1714237"
LESSONS_PER_SESSION = 8

# topic -> programme fields. Some Uzbek names are Cyrillic on purpose: content is kept as entered.
PROGRAMMES = {
    Programme.Topic.START: {
        "name": "Biznesingizni boshlang", "name_ru": "Начните свой бизнес", "name_en": "Start your business",
        "description": "Gʻoyadan birinchi mijozgacha: biznes-reja, roʻyxatdan oʻtish, soliqlar va kredit.",
        "description_ru": "От идеи до первого клиента: бизнес-план, регистрация, налоги и кредит.",
        "description_en": "From an idea to the first customer: a business plan, registration, taxes and credit.",
        "modules": "Biznes gʻoyasi va bozor\nBiznes-reja\nRoʻyxatdan oʻtish va soliqlar\nMoliya va kredit\n"
                   "Sotuv va mijozlar\nYakuniy loyiha taqdimoti",
        "language": "uz", "audience": "Yoshlar, ayollar, biznes boshlamoqchi boʻlganlar",
        "requires_project": True, "certificate_valid_years": None,
    },
    Programme.Topic.MARKETING: {
        "name": "Рақамли маркетинг", "name_ru": "Цифровой маркетинг", "name_en": "Digital marketing",
        "description": "Ижтимоий тармоқлар, Telegram-канал, онлайн дўкон ва реклама бюджети.",
        "description_ru": "Соцсети, Telegram-канал, интернет-магазин и рекламный бюджет.",
        "description_en": "Social networks, a Telegram channel, an online shop and an advertising budget.",
        "modules": "Мижоз ким?\nИжтимоий тармоқлар\nTelegram ва Instagram\nОнлайн савдо\nРеклама ва таҳлил",
        "language": "uz-cyrl", "audience": "Кичик бизнес эгалари ва ҳунармандлар",
        "requires_project": False, "certificate_valid_years": 2,
    },
    Programme.Topic.EXPORT: {
        "name": "Eksport asoslari", "name_ru": "Основы экспорта", "name_en": "Export basics",
        "description": "Tashqi bozorlar, sertifikatlash, bojxona va valyuta nazorati.",
        "description_ru": "Внешние рынки, сертификация, таможня и валютный контроль.",
        "description_en": "Foreign markets, certification, customs and currency control.",
        "modules": "Tashqi bozorni tanlash\nSertifikatlash\nBojxona rasmiylashtiruvi\nShartnoma va toʻlov",
        "language": "ru", "audience": "Ishlab chiqaruvchilar va fermerlar",
        "requires_project": False, "certificate_valid_years": 1,
    },
    Programme.Topic.AGRO: {
        "name": "Агробизнес", "name_ru": "Агробизнес", "name_en": "Agro business",
        "description": "Иссиқхона, томчилатиб суғориш, ҳосилни сақлаш ва сотиш.",
        "description_ru": "Теплица, капельное орошение, хранение и сбыт урожая.",
        "description_en": "Greenhouses, drip irrigation, storing and selling the harvest.",
        "modules": "Иссиқхона иқтисоди\nТомчилатиб суғориш\nСақлаш ва қадоқлаш\nСотув каналлари",
        "language": "uz-cyrl", "audience": "Фермерлар ва томорқа эгалари",
        "requires_project": True, "certificate_valid_years": None,
    },
}

MEN = ["Akmal", "Bekzod", "Doniyor", "Eldor", "Farrux", "Jahongir", "Otabek", "Rustam", "Sherzod", "Ulugʻbek",
       "Shaxzod", "Islom", "Mirjalol", "Abdulloh", "Sanjar", "Javohir", "Asilbek", "Zafar", "Umid", "Behruz"]
WOMEN = ["Dilnoza", "Gulnoza", "Madina", "Mohira", "Nilufar", "Sevara", "Shahnoza", "Zarina", "Feruza", "Kamola",
         "Maftuna", "Dildora", "Mohinur", "Umida", "Barno", "Iroda", "Nodira", "Zulfiya", "Shoira", "Gulchehra"]
SURNAMES = ["Aliyev", "Toshmatov", "Rahimov", "Yoʻldoshev", "Qodirov", "Ismoilov", "Abdullayev", "Xoliqov",
            "Nazarov", "Ergashev", "Usmonov", "Mirzayev", "Soliyev", "Hamidov", "Sobirov", "Joʻrayev", "Karimov",
            "Tursunov", "Mahmudov", "Gʻofurov"]
OCCUPATIONS = ["Talaba", "Tadbirkor", "Fermer", "Uy bekasi", "Oʻqituvchi", "Ish izlovchi", "Hunarmand",
               "Xizmatchi", "Sotuvchi", "Haydovchi"]
TRAINERS = ["Bahrom Yusupov", "Lola Saidova", "Jamshid Oripov", "Dilfuza Azimova", "Anvar Shokirov"]
AGES = [AgeGroup.UNDER_18, AgeGroup.FROM_18, AgeGroup.FROM_18, AgeGroup.FROM_25, AgeGroup.FROM_25,
        AgeGroup.FROM_35, AgeGroup.FROM_45, AgeGroup.FROM_55]
CONSULTATION_TOPICS = ["Biznes-reja boʻyicha maslahat", "Kredit va subsidiyalar", "Yakka tartibdagi tadbirkor "
                       "sifatida roʻyxatdan oʻtish", "Texnopark tanloviga ariza", "Eksport shartnomasi"]
REVOKE_REASON = "Davomat qaydlarida xato aniqlandi: oʻquvchi dasturni toʻliq tamomlamagan."


class _Plan:
    """The rows of one load, inserted together at the end; and the centre being planned."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.zone = ZoneInfo("Asia/Tashkent")
        self.trainer: User | None = None
        self.trainer_name = ""
        self.learners: list = []
        self.expired_done = False  # one programme's certificates have expired
        self.sessions: list[Session] = []
        self.lessons: list[Lesson] = []
        self.enrolments: list[Enrolment] = []
        self.attendance: list[tuple[Enrolment, Lesson, str]] = []
        self.certificates: list[tuple[Enrolment, dict]] = []
        self.slots: list[ConsultationSlot] = []
        self.queued: dict[int, datetime] = {}  # id(session) -> when its enrolments asked


def load(*, accounts: dict[str, User]) -> None:
    centres = list(BusinessCentre.objects.annotate(n=Count("programmes")).filter(n=0)
                   .select_related("district__region").order_by("pk"))
    if not centres:
        return
    rng = random.Random(5)
    password = make_password(settings.DEMO_PASSWORD)
    chust_staff = accounts.get("chust.centre")
    citizen = accounts.get("citizen")
    plan = _Plan(rng)
    revoked_done = False
    for centre in centres:
        plan.zone = ZoneInfo(centre.district.region.timezone)
        plan.learners = _learners(centre, rng, password)
        is_chust = centre.district.soato == CHUST_SOATO
        plan.trainer = chust_staff if is_chust else None
        topics = rng.sample(list(PROGRAMMES), rng.randint(2, 3))
        if is_chust and Programme.Topic.START not in topics:
            topics[0] = Programme.Topic.START
        programmes = Programme.objects.bulk_create([
            Programme(centre=centre, topic=topic, search_text=_search_text(PROGRAMMES[topic]), **PROGRAMMES[topic])
            for topic in topics])
        for index, programme in enumerate(programmes):
            plan.trainer_name = plan.trainer.full_name if plan.trainer else rng.choice(TRAINERS)
            past, revoked = _past_session(plan, programme, revoke=not revoked_done)
            revoked_done = revoked_done or revoked
            coming = _coming_session(plan, programme, starts_in=rng.randint(6, 20), full=False)
            if index == 0:
                _coming_session(plan, programme, starts_in=rng.randint(21, 35), full=True)
            if is_chust and citizen and programme.topic == Programme.Topic.START:
                _the_citizen(plan, citizen, past, coming)
        _consultations(plan, centre, adviser=chust_staff if is_chust else None)
    _insert(plan)


def _search_text(fields: dict) -> str:
    names = [fields.get(f, "") for f in ("name", "name_ru", "name_en", "name_ko")]
    return " | ".join(sorted({scripts.search_key(n) for n in names if n}))


def _learners(centre: BusinessCentre, rng: random.Random, password: str) -> list[tuple[User, str, str, str]]:
    """20–40 citizens per centre: (user, gender, age group, occupation). Found again by e-mail on a rerun."""
    key = centre.district.soato or f"c{centre.pk}"
    people = []
    for number in range(1, rng.randint(20, 40) + 1):
        gender = rng.choice([Gender.FEMALE, Gender.MALE])
        first = rng.choice(WOMEN if gender == Gender.FEMALE else MEN)
        surname = rng.choice(SURNAMES) + ("a" if gender == Gender.FEMALE else "")
        language = rng.choices(["uz", "uz-cyrl", "ru"], [6, 3, 1])[0]
        name = f"{first} {surname}"
        if language == "uz-cyrl":
            name = scripts.to_script(name, scripts.CYRILLIC)
        people.append((User(email=f"learner.{key}.{number:02d}@{DEMO_EMAIL_DOMAIN}", full_name=name,
                            phone=f"+99890{rng.randint(1000000, 9999999)}", language=language, password=password),
                       gender, rng.choice(AGES), rng.choice(OCCUPATIONS)))
    User.objects.bulk_create([p[0] for p in people], ignore_conflicts=True)
    found = {u.email: u for u in User.objects.filter(email__in=[p[0].email for p in people])}
    return [(found[user.email], gender, age, occupation) for user, gender, age, occupation in people]


def _lesson_days(first: date, count: int) -> list[date]:
    """Tuesdays, Thursdays and Saturdays from `first`."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() in (1, 3, 5):
            days.append(day)
        day += timedelta(days=1)
    return days


def _session(plan: _Plan, programme: Programme, *, first: date, capacity: int) -> tuple[Session, list[Lesson]]:
    days = _lesson_days(first, LESSONS_PER_SESSION)
    zone = plan.zone
    session = Session(programme=programme, starts_on=days[0], ends_on=days[-1], capacity=capacity,
                      schedule="Seshanba, payshanba, shanba 18:00–20:00", room=f"{plan.rng.randint(1, 4)}-xona",
                      trainer=plan.trainer, trainer_name=plan.trainer_name)
    lessons = [Lesson(session=session, starts_at=datetime.combine(day, time(18), tzinfo=zone),
                      ends_at=datetime.combine(day, time(20), tzinfo=zone), topic=module,
                      checkin_secret=secrets.token_hex(32))
               for day, module in zip(days, (programme.module_list * 3)[:len(days)], strict=True)]
    plan.sessions.append(session)
    plan.lessons += lessons
    plan.queued[id(session)] = datetime.combine(days[0] - timedelta(days=21), time(10), tzinfo=zone)
    return session, lessons


def _enrol(plan: _Plan, session: Session, learner, status: str, **extra) -> Enrolment:
    user, gender, age, occupation = learner
    enrolment = Enrolment(session=session, person=user, status=status, full_name=user.full_name, phone=user.phone,
                          district=session.programme.centre.district, age_group=age, gender=gender,
                          occupation=occupation, **extra)
    plan.enrolments.append(enrolment)
    return enrolment


def _past_session(plan: _Plan, programme: Programme, *, revoke: bool) -> tuple[Session, bool]:
    """Lessons over, attendance for most, certificates for those who completed (the first one revoked
    if `revoke`). The first Export programme's session was over a year ago: its certificates (valid a
    year) have expired."""
    rng, zone, today = plan.rng, plan.zone, timezone.localdate()
    old = programme.certificate_valid_years == 1 and not plan.expired_done
    plan.expired_done = plan.expired_done or old
    back = rng.randint(400, 430) if old else rng.randint(45, 110)
    session, lessons = _session(plan, programme, first=today - timedelta(days=back), capacity=25)
    learners = plan.learners
    group = rng.sample(learners, min(len(learners), rng.randint(12, 20)))
    revoked = False
    for learner in group:
        if rng.random() < 0.08:
            _enrol(plan, session, learner, Enrolment.Status.CANCELLED)
            continue
        diligence = rng.choice([1.0, 0.95, 0.9, 0.9, 0.85, 0.6, 0.4])
        marks = [rng.choices(["present", "late"], [9, 1])[0] if rng.random() < diligence else "absent"
                 for _lesson in lessons]
        attended = sum(mark != "absent" for mark in marks) * 100 / len(lessons)
        project = programme.requires_project and attended >= 60 and rng.random() < 0.9
        completed = attended >= programme.min_attendance_percent and (project or not programme.requires_project)
        started = completed and rng.random() < 0.2
        enrolment = _enrol(plan, session, learner, Enrolment.Status.ENROLLED, project_accepted=project,
                           business_started=started,
                           business_started_on=session.ends_on + timedelta(days=rng.randint(10, 40)) if started
                           else None)
        plan.attendance += [(enrolment, lesson, mark) for lesson, mark in zip(lessons, marks, strict=True)]
        if completed:
            issued = session.ends_on + timedelta(days=rng.randint(1, 5))
            years = programme.certificate_valid_years
            facts = {"issued_on": issued, "valid_until": _years_after(issued, years) if years else None}
            if revoke and not revoked:
                facts.update(revoked_at=datetime.combine(issued + timedelta(days=7), time(11), tzinfo=zone),
                             revoke_reason=REVOKE_REASON)
                revoked = True
            plan.certificates.append((enrolment, facts))
    return session, revoked


def _years_after(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _coming_session(plan: _Plan, programme: Programme, *, starts_in: int, full: bool) -> Session:
    """Seats free; or full with a waiting line, where a cancellation freed a seat now offered to the first."""
    rng, learners = plan.rng, plan.learners
    capacity = 12 if full else rng.randint(18, 25)
    session, _lessons = _session(plan, programme, first=timezone.localdate() + timedelta(days=starts_in),
                                 capacity=capacity)
    if not full:
        for learner in rng.sample(learners, min(len(learners), rng.randint(4, 11))):
            _enrol(plan, session, learner, Enrolment.Status.ENROLLED)
        return session
    group = rng.sample(learners, min(len(learners), capacity + 1 + rng.randint(3, 5)))
    seated, cancelled, line = group[:capacity - 1], group[capacity - 1], group[capacity:]
    for learner in seated:
        _enrol(plan, session, learner, Enrolment.Status.ENROLLED)
    _enrol(plan, session, cancelled, Enrolment.Status.CANCELLED)
    _enrol(plan, session, line[0], Enrolment.Status.OFFERED,
           offer_expires_at=timezone.now() + timedelta(hours=session.offer_hours - 3))
    for learner in line[1:]:
        _enrol(plan, session, learner, Enrolment.Status.WAITING)
    return session


def _the_citizen(plan: _Plan, citizen: User, past: Session, coming: Session) -> None:
    """The demo citizen completed a past session (certificate) and holds a seat in a coming one."""
    learner = (citizen, Gender.FEMALE, AgeGroup.FROM_25, "Tadbirkor")
    done = _enrol(plan, past, learner, Enrolment.Status.ENROLLED, project_accepted=True, business_started=True,
                  business_started_on=past.ends_on + timedelta(days=20))
    plan.attendance += [(done, lesson, "present") for lesson in plan.lessons if lesson.session is past]
    issued = past.ends_on + timedelta(days=2)
    plan.certificates.append((done, {"issued_on": issued, "valid_until": None}))
    _enrol(plan, coming, learner, Enrolment.Status.ENROLLED)


def _consultations(plan: _Plan, centre: BusinessCentre, *, adviser: User | None) -> None:
    """Past slots booked with outcomes, coming ones open (one of them booked)."""
    rng, zone, learners, today = plan.rng, plan.zone, plan.learners, timezone.localdate()
    outcomes = [ConsultationSlot.Outcome.ADVICE, ConsultationSlot.Outcome.ADVICE, ConsultationSlot.Outcome.REFERRED,
                ConsultationSlot.Outcome.REGISTERED, ConsultationSlot.Outcome.NO_SHOW]
    for back, outcome in zip(rng.sample(range(3, 40), 4), rng.sample(outcomes, 4), strict=True):
        start = datetime.combine(today - timedelta(days=back), time(rng.choice([10, 11, 14, 15])), tzinfo=zone)
        topic = rng.choice(CONSULTATION_TOPICS)
        plan.slots.append(ConsultationSlot(
            centre=centre, adviser=adviser, starts_at=start, ends_at=start + timedelta(minutes=45), topic=topic,
            booked_by=rng.choice(learners)[0], question=topic, outcome=outcome))
    for ahead in range(2, 7):
        start = datetime.combine(today + timedelta(days=ahead), time(rng.choice([10, 11, 14, 15])), tzinfo=zone)
        booked = ahead == 2
        plan.slots.append(ConsultationSlot(
            centre=centre, adviser=adviser, starts_at=start, ends_at=start + timedelta(minutes=45),
            topic=rng.choice(CONSULTATION_TOPICS), booked_by=rng.choice(learners)[0] if booked else None,
            question="Kredit olish uchun qanday hujjatlar kerak?" if booked else ""))


def _insert(plan: _Plan) -> None:
    Session.objects.bulk_create(plan.sessions)
    Lesson.objects.bulk_create(plan.lessons)  # bulk_create takes each session's new id
    Enrolment.objects.bulk_create(plan.enrolments)
    # queued_at is set on insert; the line's order is the insert order, the moment a few weeks before.
    for session in plan.sessions:
        Enrolment.objects.filter(session=session).update(queued_at=plan.queued[id(session)])
    Attendance.objects.bulk_create([Attendance(lesson=lesson, enrolment=enrolment, mark=mark)
                                    for enrolment, lesson, mark in plan.attendance])
    Certificate.objects.bulk_create([Certificate(enrolment=enrolment, code=new_certificate_code(), **facts)
                                     for enrolment, facts in plan.certificates])
    ConsultationSlot.objects.bulk_create(plan.slots)
