"""The commission over /api/v1/: scheduling, attendance and quorum, votes, decisions with the residency,
closing and the minutes PDF; members see and vote for themselves, outsiders get 404."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from texnopark.intake.models import Application, Meeting, Residency
from texnopark.intake.tests.test_review_api import api, error, send
from texnopark.intake.tests.test_review_services import make_world, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    return make_world("caa")


def scheduled(world) -> dict:
    response = send(api(world["staff"]), "post", f"/api/v1/calls/{world['call'].pk}/meetings",
                    {"held_at": "2030-03-01T10:00:00+05:00", "place": "Zal", "language": "uz-cyrl"})
    assert response.status_code == 201, response.content
    return response.json()


def test_scheduling_and_reading_a_meeting(world):
    meeting = scheduled(world)
    assert (meeting["status"], meeting["language"], meeting["number"]) == ("planned", "uz-cyrl", "")
    member = api(world["commission"][0].user)
    detail = member.get(f"/api/v1/meetings/{meeting['id']}").json()
    assert detail["members_total"] == 3 and detail["quorum"] == 2 and detail["present"] == 0
    assert not detail["quorum_met"] and {m["is_chair"] for m in detail["members"]} == {True, False}
    assert len(detail["agenda"]) == 3
    for outsider in (world["stranger"], world["experts"][0], world["applications"][0].applicant):
        error(api(outsider).get(f"/api/v1/meetings/{meeting['id']}"), 404, "not_found")
    error(send(member, "post", f"/api/v1/calls/{world['call'].pk}/meetings", {"held_at": "2030-03-01T10:00:00"}),
          404, "not_found")
    body = error(send(api(world["staff"]), "post", f"/api/v1/calls/{world['call'].pk}/meetings",
                      {"held_at": "2030-03-01T10:00:00", "language": "xx"}), 400, "invalid")
    assert "language" in body["fields"]
    naive = send(api(world["staff"]), "post", f"/api/v1/calls/{world['call'].pk}/meetings",
                 {"held_at": "2030-03-01T10:00:00", "language": "en"})
    assert Meeting.objects.get(pk=naive.json()["id"]).held_at == datetime(2030, 3, 1, 5, tzinfo=UTC)


def test_quorum_votes_and_decisions(world):
    meeting = scheduled(world)
    staff, url = api(world["staff"]), f"/api/v1/meetings/{meeting['id']}"
    first, second, third = world["commission"]
    application = world["applications"][0]
    reviewed(world, world["experts"][0], application, 8, 8, 8)
    opened = send(staff, "post", f"{url}/attendance", {"present": [first.pk]}).json()
    assert opened["status"] == "open" and not opened["quorum_met"]
    body = error(send(api(first.user), "post", f"{url}/votes", {"application_id": application.pk, "choice": "for"}),
                 409, "no_quorum")
    assert "No quorum" in body["message"]
    error(send(staff, "post", f"{url}/decisions", {"application_id": application.pk, "outcome": "accepted"}), 409,
          "no_quorum")
    assert send(staff, "post", f"{url}/attendance", {"present": [first.pk, second.pk]}).json()["quorum_met"]
    voted = send(api(first.user), "post", f"{url}/votes", {"application_id": application.pk, "choice": "for"})
    assert voted.status_code == 200
    error(send(api(first.user), "post", f"{url}/votes", {"application_id": application.pk, "choice": "for",
                                                          "member_id": second.pk}), 404, "not_found")
    error(send(staff, "post", f"{url}/votes", {"application_id": application.pk, "choice": "for",
                                                "member_id": third.pk}), 409, "not_present")
    detail = send(staff, "post", f"{url}/votes", {"application_id": application.pk, "choice": "abstain",
                                                   "member_id": second.pk}).json()
    item = next(i for i in detail["agenda"] if i["application_id"] == application.pk)
    assert (item["votes_for"], item["votes_against"], item["votes_abstain"]) == (1, 0, 1)
    assert Decimal(item["mean_score"]) == Decimal("80.00")
    error(send(api(first.user), "post", f"{url}/decisions", {"application_id": application.pk,
                                                              "outcome": "accepted"}), 404, "not_found")
    decided = send(staff, "post", f"{url}/decisions", {"application_id": application.pk, "outcome": "accepted",
                                                        "benefits": "Imtiyozlar"})
    assert decided.status_code == 201, decided.content
    body = decided.json()
    residency = Residency.objects.get(application=application)
    assert body["residency_number"] == residency.number and residency.benefits == "Imtiyozlar"
    assert (body["votes_for"], body["votes_abstain"]) == (1, 1)
    error(send(staff, "post", f"{url}/decisions", {"application_id": application.pk, "outcome": "rejected",
                                                    "reason": "x"}), 409, "already_decided")
    body = error(send(staff, "post", f"{url}/decisions", {"application_id": world["applications"][1].pk,
                                                           "outcome": "rejected"}), 400, "reason_needed")
    assert "reason" in body["fields"]
    error(send(staff, "post", f"{url}/decisions", {"application_id": application.pk, "outcome": "maybe"}), 422,
          "invalid")


def test_deciding_a_draft_answers_409(world):
    meeting = scheduled(world)
    staff, url = api(world["staff"]), f"/api/v1/meetings/{meeting['id']}"
    send(staff, "post", f"{url}/attendance", {"present": [m.pk for m in world["commission"]]})
    Application.objects.filter(pk=world["applications"][2].pk).update(status=Application.Status.DRAFT)
    error(send(staff, "post", f"{url}/decisions", {"application_id": world["applications"][2].pk,
                                                    "outcome": "accepted"}), 409, "forbidden_transition")


def test_closing_and_the_minutes(world):
    meeting = scheduled(world)
    staff, url = api(world["staff"]), f"/api/v1/meetings/{meeting['id']}"
    error(staff.get(f"{url}/minutes.pdf"), 404, "not_found")
    error(send(staff, "post", f"{url}/close"), 409, "forbidden_transition")
    send(staff, "post", f"{url}/attendance", {"present": [m.pk for m in world["commission"]]})
    send(staff, "post", f"{url}/decisions", {"application_id": world["applications"][0].pk, "outcome": "waitlisted"})
    error(send(api(world["commission"][0].user), "post", f"{url}/close"), 404, "not_found")
    closed = send(staff, "post", f"{url}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["number"]
    assert Meeting.objects.get(pk=meeting["id"]).minutes
    for viewer in (world["staff"], world["commission"][1].user):
        pdf = api(viewer).get(f"{url}/minutes.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
    error(api(world["stranger"]).get(f"{url}/minutes.pdf"), 404, "not_found")
