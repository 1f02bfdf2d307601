"""The training pages in the browser's place: a citizen finds a course, enrols or waits, checks in with
the code in the room; the Chust centre's staff take attendance, issue and revoke certificates, publish
consultations and read their reach; nobody sees another district's sessions.

The demo network gives every district a business centre; each test makes its own programme,
session and lessons there (demo training data is not relied on).
"""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from texnopark.accounts.models import User
from texnopark.network.models import BusinessCentre
from texnopark.training import services
from texnopark.training.models import Attendance, Certificate, ConsultationSlot, Enrolment, Lesson, Programme, Session

pytestmark = pytest.mark.django_db
E = Enrolment.Status
CHUST, POP = "1714237", "1714219"


def centre(soato: str) -> BusinessCentre:
    return BusinessCentre.objects.select_related("district").get(district__soato=soato)


def make_session(soato=CHUST, capacity=2, starts_in=7, days=30, **programme) -> Session:
    defaults = {"name": "Biznesingizni boshlang", "name_en": "Start your business", "topic": "start"}
    prog = Programme.objects.create(centre=centre(soato), **{**defaults, **programme})
    today = timezone.localdate()
    return Session.objects.create(programme=prog, starts_on=today + timedelta(days=starts_in),
                                  ends_on=today + timedelta(days=starts_in + days), capacity=capacity,
                                  schedule="Seshanba, 18:00–20:00", room="12")


def people(n: int, prefix="learner") -> list[User]:
    return [User.objects.create(email=f"{prefix}{i}.{timezone.now().timestamp()}@example.uz",
                                full_name=f"Learner {i}", phone="+998901112233", language="en") for i in range(n)]


def enrol_form(session, client, **extra):
    data = {"full_name": "Aziza Karimova", "phone": "90 123 45 67", "district": session.programme.centre.district_id,
            "age_group": "25_34", "gender": "female", "occupation": "tikuvchi", **extra}
    return client.post(reverse("training:enrol", args=[session.pk]), data, follow=True)


def lesson_now(session, chust_staff, minutes_ago=5) -> Lesson:
    now = timezone.now()
    return services.lesson_create(actor=chust_staff, session=session, starts_at=now - timedelta(minutes=minutes_ago),
                                  ends_at=now + timedelta(minutes=90))


def seated(session, persons) -> list[Enrolment]:
    return [services.enrol(actor=p, session=session, full_name=p.full_name) for p in persons]


@pytest.fixture
def chust_staff(demo_user):
    return demo_user("chust_centre")


# --- Catalogue ----------------------------------------------------------------------------------


def test_the_catalogue_shows_coming_sessions_with_seats_and_filters_by_district(client):
    # Tomorrow's sessions come before the demo's, so they are on the first page.
    open_one = make_session(name="Sahifa marketingi", name_en="Pages marketing", topic="marketing", starts_in=0)
    full = make_session(soato=POP, capacity=1, name="Sahifa eksporti", name_en="Pages export", topic="export",
                        starts_in=0)
    seated(full, people(1))
    page = client.get(reverse("training:catalogue"), {"starts_from": timezone.localdate().isoformat()}).content
    page = page.decode()
    assert "Pages marketing" in page and "Pages export" in page
    card = page.split("Pages export")[1].split("</article>")[0]
    assert "Full — join the waiting list" in card and "Join the waiting list" in card
    assert "2 seats left" in page.split("Pages marketing")[1].split("</article>")[0]
    chust = client.get(reverse("training:catalogue"), {"district": open_one.programme.centre.district_id}).content
    assert b"Pages marketing" in chust and b"Pages export" not in chust
    by_topic = client.get(reverse("training:catalogue"), {"topic": "export"}).content
    assert b"Pages export" in by_topic and b"Pages marketing" not in by_topic


def test_programme_and_session_pages_show_modules_rule_trainer_and_room(client):
    session = make_session(modules="Gʻoya\nBiznes reja\nMoliya", min_attendance_percent=75, requires_project=True)
    session.trainer_name = "Dilshod Rahimov"
    session.save()
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "Biznes reja" in page and "at least 75% attendance" in page and "final project" in page
    assert "Dilshod Rahimov" in page and "room 12" in page
    assert client.get(reverse("training:programme", args=[session.programme_id])).status_code == 200


# --- Enrolment, the waiting line, my learning ----------------------------------------------------


def test_enrolling_gives_a_seat_then_the_waiting_list_and_a_cancellation_offers_the_seat_on(client, demo_user):
    session = make_session(capacity=1)
    first, second = people(2)
    client.force_login(first)
    form = client.get(reverse("training:enrol", args=[session.pk]))
    assert b'value="Learner 0"' in form.content  # prefilled from the profile
    page = enrol_form(session, client).content.decode()
    assert "You have a seat" in page
    mine = Enrolment.objects.get(session=session, person=first)
    assert mine.status == E.ENROLLED and mine.phone == "+998901234567" and mine.gender == "female"

    client.force_login(second)
    page = enrol_form(session, client).content.decode()
    assert "you are number 1 on the waiting list" in page
    assert Enrolment.objects.get(session=session, person=second).status == E.WAITING

    client.force_login(first)
    client.post(reverse("training:cancel", args=[mine.pk]))
    theirs = Enrolment.objects.get(session=session, person=second)
    assert theirs.status == E.OFFERED

    client.force_login(second)
    page = client.get(reverse("training:mine")).content.decode()
    assert "A seat is free for you." in page and "Confirm my seat" in page
    page = client.post(reverse("training:confirm", args=[theirs.pk]), follow=True).content.decode()
    assert "the seat is yours" in page
    theirs.refresh_from_db()
    assert theirs.status == E.ENROLLED


def test_a_bad_phone_is_explained_and_nothing_is_lost(client):
    session = make_session()
    client.force_login(people(1)[0])
    response = enrol_form(session, client, phone="12345")
    assert b"+998 and nine digits" in response.content and b"tikuvchi" in response.content
    assert not Enrolment.objects.filter(session=session).exists()


def test_someone_cannot_confirm_or_cancel_another_persons_enrolment(client):
    session = make_session()
    mine, other = people(2)
    theirs = seated(session, [other])[0]
    client.force_login(mine)
    assert client.post(reverse("training:confirm", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("training:cancel", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("training:business", args=[theirs.pk])).status_code == 404


def test_a_learner_reports_the_business_they_started(client):
    session = make_session(starts_in=-10, days=20)
    person = people(1)[0]
    enrolment = Enrolment.objects.create(session=session, person=person, full_name="L", status=E.ENROLLED)
    client.force_login(person)
    day = timezone.localdate() - timedelta(days=2)
    client.post(reverse("training:business", args=[enrolment.pk]), {"started_on": day.isoformat()})
    enrolment.refresh_from_db()
    assert enrolment.business_started and enrolment.business_started_on == day


# --- Check-in --------------------------------------------------------------------------------------


def test_self_check_in_with_the_right_code_a_wrong_one_and_outside_the_lesson(client, chust_staff):
    session = make_session(starts_in=0)
    person = people(1)[0]
    enrolment = seated(session, [person])[0]
    lesson = lesson_now(session, chust_staff)
    client.force_login(person)
    url = reverse("training:checkin", args=[lesson.pk])
    wrong = "000000" if services.checkin_code(lesson) != "000000" else "111111"
    assert b"The code is not right" in client.post(url, {"code": wrong}).content
    assert not Attendance.objects.filter(enrolment=enrolment).exists()
    page = client.get(url + f"?code={services.checkin_code(lesson)}").content.decode()
    assert services.checkin_code(lesson) in page  # from the QR, the code is filled in
    page = client.post(url, {"code": services.checkin_code(lesson)}).content.decode()
    assert "You are checked in" in page
    assert Attendance.objects.get(enrolment=enrolment, lesson=lesson).mark == Attendance.Mark.PRESENT

    later = services.lesson_create(actor=chust_staff, session=session, starts_at=timezone.now() + timedelta(days=2),
                                   ends_at=timezone.now() + timedelta(days=2, hours=2))
    response = client.post(reverse("training:checkin", args=[later.pk]), {"code": services.checkin_code(later)})
    assert b"Check-in is open from 15 minutes before" in response.content
    assert not Attendance.objects.filter(lesson=later).exists()


def test_the_code_page_shows_the_code_and_a_qr_and_refreshes_itself(personas, chust_staff):
    session = make_session(starts_in=0)
    lesson = lesson_now(session, chust_staff)
    client = personas("chust_centre")
    page = client.get(reverse("training:lesson_code", args=[lesson.pk])).content.decode()
    code = services.checkin_code(lesson)
    assert f"{code[:3]}&thinsp;{code[3:]}" in page and "<svg" in page and 'hx-trigger="every 20s"' in page
    assert 'http-equiv="refresh"' in page
    partial = client.get(reverse("training:lesson_code", args=[lesson.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="code-panel"' in partial


# --- Staff: roster, attendance, walk-ins, certificates ------------------------------------------------


def test_the_centre_marks_attendance_and_adds_walk_ins(personas, chust_staff):
    session = make_session(starts_in=0, capacity=5)
    a, b = seated(session, people(2))
    lesson = lesson_now(session, chust_staff)
    client = personas("chust_centre")
    page = client.get(reverse("training:attendance", args=[lesson.pk])).content.decode()
    assert f'name="mark-{a.pk}"' in page
    client.post(reverse("training:attendance", args=[lesson.pk]), {f"mark-{a.pk}": "present", f"mark-{b.pk}": "late"})
    marks = dict(Attendance.objects.filter(lesson=lesson).values_list("enrolment", "mark"))
    assert marks == {a.pk: "present", b.pk: "late"}

    client.post(reverse("training:walk_in", args=[session.pk]), {"full_name": "Walked In", "phone": "901234567"})
    walk = Enrolment.objects.get(session=session, full_name="Walked In")
    assert walk.walk_in and walk.status == E.ENROLLED and walk.phone == "+998901234567"
    assert not walk.person.is_active and not walk.person.has_usable_password()
    existing = people(1, "known")[0]
    client.post(reverse("training:walk_in", args=[session.pk]), {"email": existing.email})
    assert Enrolment.objects.get(session=session, person=existing).walk_in
    response = client.post(reverse("training:walk_in", args=[session.pk]), {"full_name": "No phone"})
    assert b"their name and phone" in response.content


def test_certificates_are_issued_to_those_who_completed_and_revoked_with_a_reason(personas, chust_staff):
    session = make_session(starts_in=0, capacity=5, requires_project=True)
    done_one, done_two, absent = seated(session, people(3))
    lesson = lesson_now(session, chust_staff)
    services.attendance_mark(actor=chust_staff, lesson=lesson, marks={done_one.pk: "present", done_two.pk: "late",
                                                                      absent.pk: "absent"})
    client = personas("chust_centre")
    page = client.get(reverse("training:roster", args=[session.pk])).content.decode()
    assert "Accept the project" in page and "Issue the certificate" not in page
    client.post(reverse("training:project_accept", args=[done_one.pk]), {"accepted": "1"})
    page = client.post(reverse("training:certificate_issue", args=[absent.pk]), follow=True).content.decode()
    assert "Attendance is 0%" in page and not Certificate.objects.filter(enrolment=absent).exists()
    client.post(reverse("training:certificate_issue", args=[done_one.pk]))
    certificate = Certificate.objects.get(enrolment=done_one)
    client.post(reverse("training:project_accept", args=[done_two.pk]), {"accepted": "1"})
    page = client.post(reverse("training:certificate_issue_all", args=[session.pk]), follow=True).content.decode()
    assert "1 certificate issued." in page
    assert Certificate.objects.filter(enrolment__session=session).count() == 2

    url = reverse("training:certificate_revoke", args=[certificate.pk])
    assert b"Say why" in client.post(url, {"reason": " "}).content or Certificate.objects.get(
        pk=certificate.pk).revoked_at is None
    client.post(url, {"reason": "Hujjatlar soxta"})
    certificate.refresh_from_db()
    assert certificate.revoked_at and certificate.revoke_reason == "Hujjatlar soxta"


def test_the_roster_shows_the_waiting_line_and_offers(personas):
    session = make_session(capacity=1)
    first, second, third = seated(session, people(3))
    services.enrolment_cancel(actor=first.person, enrolment=first)
    page = personas("chust_centre").get(reverse("training:roster", args=[session.pk])).content.decode()
    assert "Offers and the waiting line" in page and "Seat offered" in page and "number 1" in page
    assert second.full_name in page and third.full_name in page


def test_the_chust_centre_gets_404_on_another_districts_session(personas, demo_user):
    session = make_session(soato=POP, starts_in=0)
    enrolment = seated(session, people(1))[0]
    lesson = lesson_now(session, demo_user("region_admin"))
    client = personas("chust_centre")
    for url in [reverse("training:roster", args=[session.pk]), reverse("training:attendance", args=[lesson.pk]),
                reverse("training:lesson_code", args=[lesson.pk]), reverse("training:walk_in", args=[session.pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("training:certificate_issue", args=[enrolment.pk])).status_code == 404
    assert client.post(reverse("training:cancel", args=[enrolment.pk])).status_code == 404
    assert personas("citizen").get(reverse("training:staff")).status_code == 404


def test_a_trainer_takes_attendance_in_their_session_but_cannot_revoke(client, chust_staff):
    session = make_session(starts_in=0)
    trainer = people(1, "trainer")[0]
    session.trainer = trainer
    session.save()
    lesson = lesson_now(session, chust_staff)
    client.force_login(trainer)
    assert client.get(reverse("training:staff")).status_code == 200
    assert client.get(reverse("training:attendance", args=[lesson.pk])).status_code == 200
    assert b"Revoke" not in client.get(reverse("training:roster", args=[session.pk])).content
    assert client.get(reverse("training:consultations_staff")).status_code == 404


# --- Consultations -------------------------------------------------------------------------------


def test_a_citizen_books_a_consultation_and_a_second_person_is_told_it_is_taken(client, personas, chust_staff):
    staff = personas("chust_centre")
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    staff.post(reverse("training:consultation_new"), {
        "centre": centre(CHUST).pk, "date": start.date().isoformat(), "starts_at": "10:00", "ends_at": "10:30",
        "topic": "Kredit"})
    slot = ConsultationSlot.objects.get(centre=centre(CHUST), topic="Kredit")
    first, second = people(2)
    client.force_login(first)
    assert b"Kredit" in client.get(reverse("training:consultations")).content
    client.post(reverse("training:consultation_book", args=[slot.pk]), {"question": "Qanday kredit olsam?"})
    slot.refresh_from_db()
    assert slot.booked_by == first
    client.force_login(second)
    response = client.post(reverse("training:consultation_book", args=[slot.pk]), {"question": "Men ham"})
    assert response.status_code == 409 and b"Someone has just booked" in response.content
    slot.refresh_from_db()
    assert slot.booked_by == first and slot.question == "Qanday kredit olsam?"

    staff = personas("chust_centre")
    staff.post(reverse("training:consultation_outcome", args=[slot.pk]), {"outcome": "referred", "notes": "IT park"})
    slot.refresh_from_db()
    assert slot.outcome == "referred"

    client.force_login(first)
    client.post(reverse("training:consultation_cancel", args=[slot.pk]))
    slot.refresh_from_db()
    assert slot.booked_by is None


# --- Reach ---------------------------------------------------------------------------------------


def reach_world(chust_staff):
    session = make_session(starts_in=-20, days=40, capacity=10)
    women, men = people(2, "w"), people(1, "m")
    for person, gender in [(women[0], "female"), (women[1], "female"), (men[0], "male")]:
        Enrolment.objects.create(session=session, person=person, full_name=person.full_name, status=E.ENROLLED,
                                 gender=gender, age_group="25_34", business_started=person == men[0])
    first = Enrolment.objects.get(session=session, person=women[0])
    Certificate.objects.create(enrolment=first, code=services.new_certificate_code(), issued_on=timezone.localdate())
    return session


def reach_figures(client):
    reach = client.get(reverse("training:reach")).context["rows"][0]["reach"]
    return (reach.trained, reach.certificates, reach.businesses, reach.by_gender.get("female", 0),
            reach.by_gender.get("male", 0), reach.by_age.get("25_34", 0))


def test_the_reach_page_counts_people_by_gender_completion_and_businesses(personas, chust_staff):
    client = personas("chust_centre")
    before = reach_figures(client)  # the demo's own courses in Chust
    session = reach_world(chust_staff)
    response = client.get(reverse("training:reach"))
    rows = response.context["rows"]
    assert [row["district"] for row in rows] == [session.programme.centre.district]  # their district only
    after = reach_figures(client)
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (3, 1, 1, 2, 1, 3)
    reach = rows[0]["reach"]
    assert reach.per_10000 == (reach.trained * 10 / session.programme.centre.district.population_thousands
                               ).quantize(reach.per_10000)
    region = personas("region_admin").get(reverse("training:reach"))
    assert len(region.context["rows"]) > 1 and region.context["total"].trained >= 3
    assert personas("citizen").get(reverse("training:reach")).status_code == 404


def test_the_reach_export_opens_as_a_workbook(personas, chust_staff):
    reach_world(chust_staff)
    response = personas("chust_centre").get(reverse("training:reach_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[2]
    assert "People trained" in header
    shown = personas("chust_centre").get(reverse("training:reach")).context["rows"][0]["reach"]
    district_row = values[3]
    assert district_row[header.index("People trained")] == shown.trained >= 3
    assert district_row[header.index("Certificates")] == shown.certificates
    assert values[-1][0] == "Total"


# --- Queries do not grow with rows -----------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_rows(personas, chust_staff, client):
    session = make_session(starts_in=0, capacity=40)
    lesson = lesson_now(session, chust_staff)
    learner = people(1, "me")[0]

    def grow(n):
        for person in people(n, f"grow{Enrolment.objects.count()}-"):
            enrolment = services.enrol(actor=person, session=session, full_name=person.full_name)
            Attendance.objects.create(lesson=lesson, enrolment=enrolment, mark="present")
        other = make_session(capacity=3, name=f"Kurs {Session.objects.count()}")
        enrolment = services.enrol(actor=learner, session=other, full_name="Me")
        Certificate.objects.create(enrolment=enrolment, code=services.new_certificate_code(),
                                   issued_on=timezone.localdate())
        ConsultationSlot.objects.create(centre=centre(CHUST), starts_at=timezone.now() + timedelta(days=1),
                                        ends_at=timezone.now() + timedelta(days=1, hours=1), booked_by=learner)

    staff = personas("chust_centre")
    urls = [reverse("training:roster", args=[session.pk]), reverse("training:attendance", args=[lesson.pk])]
    grow(2)
    before = {url: count_queries(staff, url) for url in urls}
    grow(6)
    after = {url: count_queries(staff, url) for url in urls}
    assert before == after

    client.force_login(learner)
    before = [count_queries(client, reverse("training:mine")), count_queries(client, reverse("training:catalogue"))]
    grow(1)
    grow(1)
    after = [count_queries(client, reverse("training:mine")), count_queries(client, reverse("training:catalogue"))]
    assert before == after
