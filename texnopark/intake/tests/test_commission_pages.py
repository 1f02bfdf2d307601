"""Commission pages: scheduling, the meeting with attendance and quorum, votes, decisions (errors beside
the field, nothing typed lost), closing, and the minutes PDF for staff and members only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from texnopark.intake.models import Application, Decision, Meeting, Residency, Vote
from texnopark.intake.services import commission, review
from texnopark.intake.tests.test_review_services import make_world, reviewed

pytestmark = pytest.mark.django_db
M = Meeting.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    return make_world("cpa")


@pytest.fixture
def as_(client):
    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client
    return sign_in


def planned(world) -> Meeting:
    return commission.meeting_create(actor=world["staff"], call=world["call"], held_at=timezone.now(),
                                     place="Zal", language="en")


def opened(world, present=(0, 1, 2)) -> Meeting:
    return commission.record_attendance(actor=world["staff"], meeting=planned(world),
                                        present_member_ids=[world["commission"][n].pk for n in present])


def test_staff_schedule_a_meeting_and_bad_input_stays(world, as_):
    client = as_(world["staff"])
    url = reverse("intake:meetings", args=[world["call"].pk])
    assert client.get(url).context["can_schedule"]
    response = client.post(url, {"held_at": "tomorrow", "place": "Katta zal", "language": "ru"})
    assert response.status_code == 200 and response.context["form"].errors["held_at"]
    assert b"Katta zal" in response.content
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"held_at": when, "place": "Katta zal", "language": "ru"})
    meeting = Meeting.objects.get(call=world["call"])
    assert response.status_code == 302 and response.url == reverse("intake:meeting", args=[meeting.pk])
    assert (meeting.place, meeting.language, meeting.status) == ("Katta zal", "ru", M.PLANNED)


def test_members_see_the_meetings_but_do_not_schedule(world, as_):
    member = world["commission"][1].user
    client = as_(member)
    url = reverse("intake:meetings", args=[world["call"].pk])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["can_schedule"]
    assert client.post(url, {"held_at": "2030-01-01T10:00", "language": "en"}).status_code == 404
    assert not Meeting.objects.filter(call=world["call"]).exists()
    for outsider in (world["stranger"], world["experts"][0], world["applications"][0].applicant):
        assert as_(outsider).get(url).status_code == 404


def test_the_meeting_page_for_staff_members_and_nobody_else(world, as_):
    meeting = planned(world)
    url = reverse("intake:meeting", args=[meeting.pk])
    assert as_(world["staff"]).get(url).context["attendance_form"] is not None
    member_page = as_(world["commission"][2].user).get(url)
    assert member_page.status_code == 200 and member_page.context["attendance_form"] is None
    for outsider in (world["stranger"], world["experts"][0], world["applications"][0].applicant):
        assert as_(outsider).get(url).status_code == 404


def test_attendance_opens_the_meeting_and_the_quorum_shows(world, as_):
    meeting = planned(world)
    client = as_(world["staff"])
    first = world["commission"][0]
    response = client.post(reverse("intake:meeting_attendance", args=[meeting.pk]), {"present": [first.pk]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == M.OPEN
    page = client.get(reverse("intake:meeting", args=[meeting.pk]))
    assert (page.context["present"], page.context["needed"], page.context["quorum_met"]) == (1, 2, False)
    assert b"No quorum" in page.content
    assert as_(first.user).post(reverse("intake:meeting_attendance", args=[meeting.pk]),
                                {"present": [first.pk]}).status_code == 404


def test_votes_without_a_quorum_are_refused_with_a_message(world, as_):
    meeting = opened(world, present=(0,))
    member = world["commission"][0]
    application = world["applications"][0]
    response = as_(member.user).post(reverse("intake:meeting_vote", args=[meeting.pk]),
                                     {"application": application.pk, f"v{application.pk}-choice": "for"})
    assert response.status_code == 200
    assert b"No quorum" in response.content
    assert not Vote.objects.filter(meeting=meeting).exists()


def test_a_member_votes_for_themself_and_staff_for_a_present_member(world, as_):
    meeting = opened(world, present=(0, 1))
    application = world["applications"][0]
    first, second, absent = world["commission"]
    url = reverse("intake:meeting_vote", args=[meeting.pk])
    response = as_(first.user).post(url, {"application": application.pk, f"v{application.pk}-choice": "against",
                                          f"v{application.pk}-member": second.pk})
    assert response.status_code == 302
    assert list(Vote.objects.filter(meeting=meeting).values_list("member", "choice")) == [(first.pk, "against")]
    staff = as_(world["staff"])
    assert staff.post(url, {"application": application.pk, f"v{application.pk}-choice": "for",
                            f"v{application.pk}-member": second.pk}).status_code == 302
    response = staff.post(url, {"application": application.pk, f"v{application.pk}-choice": "for",
                                f"v{application.pk}-member": absent.pk})
    assert response.status_code == 200
    item = next(i for i in response.context["items"] if i.application.pk == application.pk)
    assert item.vote_form.errors["member"]  # only present members are offered
    assert Vote.objects.filter(meeting=meeting).count() == 2
    page = as_(first.user).get(reverse("intake:meeting", args=[meeting.pk]))
    item = next(i for i in page.context["items"] if i.application.pk == application.pk)
    assert item.votes == {"for": 1, "against": 1, "abstain": 0} and item.my_vote == "Against"
    assert as_(absent.user).get(reverse("intake:meeting", args=[meeting.pk])).status_code == 200
    assert not any(getattr(i, "vote_form", None) for i in
                   as_(absent.user).get(reverse("intake:meeting", args=[meeting.pk])).context["items"])


def test_a_rejection_without_a_reason_keeps_what_was_typed(world, as_):
    meeting = opened(world)
    application = world["applications"][1]
    client = as_(world["staff"])
    url = reverse("intake:meeting_decide", args=[meeting.pk])
    prefix = f"d{application.pk}"
    response = client.post(url, {"application": application.pk, f"{prefix}-outcome": "rejected",
                                 f"{prefix}-reason": "", f"{prefix}-benefits": "My typed benefits"})
    assert response.status_code == 200
    item = next(i for i in response.context["items"] if i.application.pk == application.pk)
    assert item.decision_form.errors["reason"] and b"My typed benefits" in response.content
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert as_(world["commission"][0].user).post(url, {"application": application.pk,
                                                       f"{prefix}-outcome": "accepted"}).status_code == 404


def test_accepting_on_the_page_makes_the_residency_and_deciding_twice_says_so(world, as_):
    meeting = opened(world)
    application = world["applications"][0]
    client = as_(world["staff"])
    url = reverse("intake:meeting_decide", args=[meeting.pk])
    prefix = f"d{application.pk}"
    data = {"application": application.pk, f"{prefix}-outcome": "accepted", f"{prefix}-benefits": "Edited benefits",
            f"{prefix}-obligations": "Edited obligations"}
    response = client.post(url, data)
    assert response.status_code == 302
    residency = Residency.objects.get(application=application)
    assert (residency.benefits, residency.obligations) == ("Edited benefits", "Edited obligations")
    page = client.get(reverse("intake:meeting", args=[meeting.pk]))
    assert residency.number.encode() in page.content
    response = client.post(url, data)
    assert response.status_code == 200 and b"already decided" in response.content
    assert Decision.objects.filter(application=application).count() == 1


def test_closing_and_the_minutes_pdf(world, as_):
    meeting = opened(world)
    reviewed(world, world["experts"][0], world["applications"][0], 9, 9, 9)
    commission.decide(actor=world["staff"], meeting=meeting, application=world["applications"][0],
                      outcome="accepted")
    pdf = reverse("intake:minutes_pdf", args=[meeting.pk])
    assert as_(world["staff"]).get(pdf).status_code == 404  # not closed yet
    assert as_(world["commission"][0].user).post(reverse("intake:meeting_close", args=[meeting.pk])).status_code == 404
    response = as_(world["staff"]).post(reverse("intake:meeting_close", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == M.CLOSED and meeting.number
    for viewer in (world["staff"], world["manager"], world["commission"][2].user):
        response = as_(viewer).get(pdf)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
    for outsider in (world["stranger"], world["experts"][0], world["applications"][0].applicant):
        assert as_(outsider).get(pdf).status_code == 404
    page = as_(world["staff"]).get(reverse("intake:meeting", args=[meeting.pk]))
    assert page.context["attendance_form"] is None and not any(i.open for i in page.context["items"])


def test_a_closed_meeting_without_a_stored_file_renders_its_minutes_on_demand(world, as_):
    meeting = opened(world)
    Meeting.objects.filter(pk=meeting.pk).update(status=M.CLOSED, number="CPA/2026/09", minutes="")
    response = as_(world["commission"][0].user).get(reverse("intake:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert 'filename="minutes-CPA-2026-09.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("language", ["uz", "uz-cyrl", "ru", "en", "ko"])
def test_every_page_renders_in_every_language(world, as_, language):
    """Each page in each of its states, for the staff, a member and an expert, in the reader's language."""
    meeting = opened(world, present=(0, 1))
    application = world["applications"][0]
    done = reviewed(world, world["experts"][0], application, 8, 7, 6)
    declared = reviewed(world, world["experts"][1], application)
    fresh = review.assign(actor=world["staff"], application=world["applications"][1], expert=world["experts"][1])
    conflict = review.assign(actor=world["staff"], application=world["applications"][2], expert=world["experts"][2])
    review.declare(actor=world["experts"][2], assignment=conflict, conflict=True, note="Qarindosh")
    commission.vote(actor=world["staff"], meeting=meeting, application=application, member=world["commission"][0],
                    choice="for")
    commission.decide(actor=world["staff"], meeting=meeting, application=application, outcome="accepted")
    commission.decide(actor=world["staff"], meeting=meeting, application=world["applications"][1],
                      outcome="rejected", reason="Erta")
    closed = commission.close(actor=world["staff"], meeting=opened(world))
    planned(world)
    pages = [
        (world["staff"], "intake:assign", world["call"].pk), (world["staff"], "intake:ranking", world["call"].pk),
        (world["staff"], "intake:meetings", world["call"].pk), (world["staff"], "intake:meeting", meeting.pk),
        (world["staff"], "intake:meeting", closed.pk), (world["commission"][0].user, "intake:meeting", meeting.pk),
        (world["commission"][2].user, "intake:meetings", world["call"].pk),
        (world["experts"][0], "intake:reviews_mine", None), (world["experts"][0], "intake:assignment", done.pk),
        (world["experts"][1], "intake:assignment", declared.pk), (world["experts"][1], "intake:assignment", fresh.pk),
        (world["experts"][2], "intake:assignment", conflict.pk), (world["experts"][1], "intake:reviews_mine", None),
    ]
    for user, name, pk in pages:
        client = as_(user)
        client.cookies["django_language"] = language
        response = client.get(reverse(name, args=[pk] if pk else []))
        assert response.status_code == 200, (name, pk)
        assert response.context["LANGUAGE_CODE"] == language
