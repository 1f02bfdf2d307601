"""Expert review at the service: the pool, manual and balanced assignment, conflicts, blind scoring,
weighted totals, audit and notifications.

Every test builds its own small world with `make_world` (a region, a park, its staff and experts, a call
under review with a three-member commission and a weighted rubric), shared with the page, API,
commission, minutes and race tests; nothing depends on the demo's calls.
"""

import zlib
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from texnopark.accounts.models import Membership, Role, User
from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry, Notification
from texnopark.intake.models import Application, Assignment, Call, CommissionMember, Criterion, Score
from texnopark.intake.services import review
from texnopark.network.models import District, Region, Sector, Technopark

pytestmark = pytest.mark.django_db
A = Assignment.Status
WEIGHTS = (50, 30, 20)


def person(email: str, name: str, **roles) -> User:
    user = User.objects.create(email=email, full_name=name, language="en")
    for role, park in roles.items():
        Membership.objects.create(user=user, role=role, park=park)
    return user


def make_world(code: str = "rva", experts: int = 4, applications: int = 3, status=Call.Status.REVIEW) -> dict:
    """A park `tp-<code>` (numbers start with CODE), its manager and staff, another park's staff, `experts`
    park experts, a three-member commission (a chair and two outsiders; the quorum is two), a call under review
    with criteria weighted 50/30/20, and `applications` submitted applications, each by its own founder."""
    region = Region.objects.create(code=f"UZ-{code.upper()}", name=f"{code} viloyati", timezone="Asia/Tashkent")
    district = District.objects.create(region=region, name=f"{code} tumani")
    park = Technopark.objects.create(region=region, district=district, slug=f"tp-{code}", name=f"{code} texnoparki",
                                     name_en=f"{code.upper()} Technopark")
    other = Technopark.objects.create(region=region, district=district, slug=f"tp-{code}-other",
                                      name=f"{code} boshqa texnoparki")
    sector, _created = Sector.objects.get_or_create(slug=f"sector-{code}", defaults={"name": f"{code} soha"})
    mail_of = lambda who: f"{who}.{code}@example.uz"  # noqa: E731
    world = {
        "region": region, "district": district, "park": park, "other_park": other, "sector": sector,
        "manager": person(mail_of("manager"), "Park Manager", park_manager=park),
        "staff": person(mail_of("staff"), "Park Staff", park_staff=park),
        "stranger": person(mail_of("stranger"), "Other Staff", park_staff=other),
        "experts": [person(mail_of(f"expert{n}"), f"Expert {n}", expert=park) for n in range(experts)],
    }
    call = Call.objects.create(park=park, name=f"{code} tanlovi", name_en=f"{code.upper()} call", status=status,
                               opens_on=timezone.localdate() - timedelta(days=30),
                               closes_at=timezone.now() - timedelta(days=1), residency_years=3,
                               benefits="Soliq imtiyozlari", obligations="Choraklik hisobot", quorum_percent=60)
    world["call"] = call
    world["criteria"] = [Criterion.objects.create(call=call, name=f"Criterion {w}", weight=w, position=n)
                         for n, w in enumerate(WEIGHTS)]
    world["commission"] = [
        CommissionMember.objects.create(call=call, user=person(mail_of(f"member{n}"), f"Member {n}"), is_chair=n == 0)
        for n in range(3)]
    world["applications"] = [submit(world, n) for n in range(applications)]
    return world


def submit(world, n: int, **fields) -> Application:
    code = world["park"].slug
    founder = person(f"founder{n}.{code}@example.uz", f"Founder {n}")
    stir = f"{zlib.crc32(code.encode()) % 10 ** 6:06d}{n:03d}"
    values = {"company_name": f"Startup {n}", "stir": stir, "oked": "62010",
              "district": world["district"], "sector": world["sector"], "founders": f"Founder {n} 100%",
              "employees": 3, "project": "A useful product", "status": Application.Status.SUBMITTED,
              "submitted_at": timezone.now() - timedelta(days=2, minutes=n)}
    return Application.objects.create(call=world["call"], applicant=founder, **{**values, **fields})


def scores_of(world, *values, comment="ok") -> dict:
    return {c.pk: (v, comment) for c, v in zip(world["criteria"], values, strict=True)}


def reviewed(world, expert, application, *values, submit_it=True) -> Assignment:
    """`expert` assigned, free of conflicts, and (by default) submitted with these scores."""
    assignment = Assignment.objects.filter(application=application, expert=expert).first() or review.assign(
        actor=world["staff"], application=application, expert=expert)
    review.declare(actor=expert, assignment=assignment, conflict=False)
    if values:
        review.score(actor=expert, assignment=assignment, scores=scores_of(world, *values), submit=submit_it)
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def world():
    return make_world()


# The pool and manual assignment


def test_the_pool_is_the_parks_experts_and_the_commission(world):
    pool = set(review.expert_pool(world["call"]))
    assert pool == {*world["experts"], *(m.user for m in world["commission"])}
    assert world["staff"] not in pool and world["stranger"] not in pool


def test_staff_assign_an_expert_who_is_told(world, django_capture_on_commit_callbacks):
    application, expert = world["applications"][0], world["experts"][0]
    with django_capture_on_commit_callbacks(execute=True):
        assignment = review.assign(actor=world["staff"], application=application, expert=expert)
    assert assignment.status == A.ASSIGNED and assignment.expert == expert
    assert AuditEntry.objects.filter(action="intake.assignment.created", object_id=str(assignment.pk)).exists()
    assert Notification.objects.filter(user=expert, url="/reviews/").exists()
    assert mail.outbox[-1].to == [expert.email]


def test_assignment_refuses_the_applicant_outsiders_and_doubles(world):
    application = world["applications"][0]
    Membership.objects.create(user=application.applicant, role=Role.EXPERT, park=world["park"])
    with pytest.raises(AppError) as error:
        review.assign(actor=world["staff"], application=application, expert=application.applicant)
    assert error.value.code == "own_application" and "expert" in error.value.fields
    with pytest.raises(AppError) as error:
        review.assign(actor=world["staff"], application=application, expert=world["stranger"])
    assert error.value.code == "not_an_expert"
    review.assign(actor=world["staff"], application=application, expert=world["experts"][0])
    with pytest.raises(AppError) as error:
        review.assign(actor=world["staff"], application=application, expert=world["experts"][0])
    assert error.value.code == "already_assigned" and error.value.status == 409


def test_only_the_parks_staff_assign(world):
    application = world["applications"][0]
    for outsider in (world["stranger"], world["experts"][1], application.applicant):
        with pytest.raises(NotFound):
            review.assign(actor=outsider, application=application, expert=world["experts"][0])


def test_only_submitted_applications_go_to_experts(world):
    draft = submit(world, 9, status=Application.Status.DRAFT, submitted_at=None)
    with pytest.raises(AppError) as error:
        review.assign(actor=world["staff"], application=draft, expert=world["experts"][0])
    assert error.value.code == "not_submitted" and error.value.status == 409


# Balanced assignment


def loads(call) -> Counter:
    return Counter(Assignment.objects.filter(application__call=call).exclude(status=A.CONFLICT)
                   .values_list("expert_id", flat=True))


def test_auto_assign_gives_everyone_n_reviewers_and_balances_the_load():
    world = make_world("rvb", experts=4, applications=7)
    made = review.auto_assign(actor=world["staff"], call=world["call"], per_application=3)
    assert made == 21
    for application in world["applications"]:
        assert application.assignments.count() == 3
    counted = loads(world["call"])
    pool = review.expert_pool(world["call"]).count()
    assert pool == 7 and sum(counted.values()) == 21
    every = [counted.get(p.pk, 0) for p in review.expert_pool(world["call"])]
    assert max(every) - min(every) <= 1, every


def test_auto_assign_twice_makes_nothing_new(world):
    first = review.auto_assign(actor=world["staff"], call=world["call"])
    assert first == 2 * len(world["applications"])
    assert review.auto_assign(actor=world["staff"], call=world["call"]) == 0
    assert Assignment.objects.filter(application__call=world["call"]).count() == first


def test_auto_assign_tops_up_around_manual_assignments_and_fills_after_a_conflict(world):
    application = world["applications"][0]
    manual = review.assign(actor=world["staff"], application=application, expert=world["experts"][0])
    review.declare(actor=world["experts"][0], assignment=manual, conflict=True, note="My cousin's company")
    review.auto_assign(actor=world["staff"], call=world["call"])
    held = dict(application.assignments.values_list("expert_id", "status"))
    assert held[world["experts"][0].pk] == A.CONFLICT  # stays on record and is never chosen again
    assert sum(1 for status in held.values() if status == A.ASSIGNED) == 2
    review.auto_assign(actor=world["staff"], call=world["call"], per_application=3)
    held = dict(application.assignments.values_list("expert_id", "status"))
    assert held[world["experts"][0].pk] == A.CONFLICT
    assert sum(1 for status in held.values() if status == A.ASSIGNED) == 3


def test_auto_assign_never_picks_the_applicant_or_the_companys_people(world):
    application = world["applications"][0]
    for user in (application.applicant, world["experts"][0]):
        user.memberships.get_or_create(role=Role.EXPERT, park=world["park"])
    from texnopark.ventures.models import Company, CompanyMember

    company = Company.objects.create(name="Startup 0", stir=application.stir, oked="62010",
                                     district=world["district"])
    CompanyMember.objects.create(company=company, user=world["experts"][0])
    Application.objects.filter(pk=application.pk).update(company=company)
    review.auto_assign(actor=world["staff"], call=world["call"], per_application=6)
    chosen = set(application.assignments.values_list("expert_id", flat=True))
    assert application.applicant_id not in chosen and world["experts"][0].pk not in chosen
    assert len(chosen) == 6  # 4 experts + 3 members - the company's expert


def test_auto_assign_refuses_a_silly_number_and_an_empty_pool():
    world = make_world("rvc", experts=0, applications=1)
    CommissionMember.objects.filter(call=world["call"]).delete()
    with pytest.raises(AppError) as error:
        review.auto_assign(actor=world["staff"], call=world["call"], per_application=0)
    assert "per_application" in error.value.fields
    with pytest.raises(AppError) as error:
        review.auto_assign(actor=world["staff"], call=world["call"])
    assert error.value.code == "no_experts"


def test_unassign_only_before_the_review_is_done(world):
    application = world["applications"][0]
    open_one = review.assign(actor=world["staff"], application=application, expert=world["experts"][0])
    review.unassign(actor=world["staff"], assignment=open_one)
    assert not Assignment.objects.filter(pk=open_one.pk).exists()
    done = reviewed(world, world["experts"][1], application, 5, 5, 5)
    with pytest.raises(AppError) as error:
        review.unassign(actor=world["staff"], assignment=done)
    assert error.value.status == 409
    with pytest.raises(NotFound):
        review.unassign(actor=world["stranger"], assignment=done)


# Conflicts of interest


def test_a_conflict_takes_the_expert_off_and_the_staff_are_told(world, django_capture_on_commit_callbacks):
    assignment = review.assign(actor=world["staff"], application=world["applications"][0],
                               expert=world["experts"][0])
    with pytest.raises(AppError) as error:
        review.declare(actor=world["experts"][0], assignment=assignment, conflict=True, note="  ")
    assert error.value.fields == {"note": [error.value.message]}
    with django_capture_on_commit_callbacks(execute=True):
        review.declare(actor=world["experts"][0], assignment=assignment, conflict=True, note="My former employer")
    assignment.refresh_from_db()
    assert assignment.status == A.CONFLICT and assignment.conflict_note == "My former employer"
    told = set(Notification.objects.filter(url=f"/calls/{world['call'].pk}/assign/").values_list("user", flat=True))
    assert told == {world["manager"].pk, world["staff"].pk}
    with pytest.raises(AppError) as error:
        review.score(actor=world["experts"][0], assignment=assignment, scores=scores_of(world, 5, 5, 5), submit=True)
    assert error.value.code == "conflict" and error.value.status == 409
    assert not Score.objects.filter(assignment=assignment).exists()


def test_only_the_assigned_expert_declares_or_scores_even_the_platform(world):
    assignment = review.assign(actor=world["staff"], application=world["applications"][0],
                               expert=world["experts"][0])
    superuser = User.objects.create(email="root.rva@example.uz", is_superuser=True)
    for someone in (world["experts"][1], world["staff"], superuser):
        with pytest.raises(NotFound):
            review.declare(actor=someone, assignment=assignment, conflict=False)
        with pytest.raises(NotFound):
            review.score(actor=someone, assignment=assignment, scores={}, submit=False)


def test_scoring_waits_for_the_declaration(world):
    assignment = review.assign(actor=world["staff"], application=world["applications"][0],
                               expert=world["experts"][0])
    with pytest.raises(AppError) as error:
        review.score(actor=world["experts"][0], assignment=assignment, scores=scores_of(world, 1, 2, 3), submit=False)
    assert error.value.code == "declare_first"


# Scores and the weighted total


def test_the_weighted_total_is_a_decimal_sum_of_score_over_ten_times_weight(world):
    assignment = reviewed(world, world["experts"][0], world["applications"][0], 7, 9, 4)
    # 7/10×50 + 9/10×30 + 4/10×20 = 35 + 27 + 8
    assert assignment.total == Decimal("70.00") and isinstance(assignment.total, Decimal)
    assert assignment.status == A.SUBMITTED and assignment.submitted_at is not None
    assert review.weighted_total({1: 3, 2: 3, 3: 3}, {1: 33, 2: 33, 3: 34}) == Decimal("30.00")
    assert review.weighted_total({1: 7}, {1: 33}) == Decimal("23.10")
    perfect = reviewed(world, world["experts"][1], world["applications"][0], 10, 10, 10)
    assert perfect.total == Decimal("100.00")


def test_a_draft_saves_without_every_score_and_submitting_needs_them_all(world):
    expert = world["experts"][0]
    assignment = reviewed(world, expert, world["applications"][0])
    first, second, third = world["criteria"]
    review.score(actor=expert, assignment=assignment, scores={first.pk: (6, "good"), second.pk: (None, "")},
                 submit=False)
    assert dict(assignment.scores.values_list("criterion_id", "value")) == {first.pk: 6}
    with pytest.raises(AppError) as error:
        review.score(actor=expert, assignment=assignment, scores={}, submit=True)
    assert error.value.code == "incomplete"
    assert set(error.value.fields) == {f"value_{second.pk}", f"value_{third.pk}"}
    review.score(actor=expert, assignment=assignment, scores={second.pk: (8, ""), third.pk: (0, "weak")}, submit=True)
    assignment.refresh_from_db()
    assert assignment.total == Decimal("54.00")  # 30 + 24 + 0


def test_scores_out_of_range_or_of_another_call_are_refused(world):
    expert = world["experts"][0]
    assignment = reviewed(world, expert, world["applications"][0])
    first = world["criteria"][0]
    for bad in (11, -1, "7", 7.5, True):
        with pytest.raises(AppError) as error:
            review.score(actor=expert, assignment=assignment, scores={first.pk: (bad, "")}, submit=False)
        assert f"value_{first.pk}" in error.value.fields
    stranger = Criterion.objects.create(call=make_world("rvd", applications=0)["call"], name="Other", weight=10)
    with pytest.raises(AppError) as error:
        review.score(actor=expert, assignment=assignment, scores={stranger.pk: (5, "")}, submit=False)
    assert "scores" in error.value.fields


def test_a_submitted_review_cannot_change(world):
    expert = world["experts"][0]
    assignment = reviewed(world, expert, world["applications"][0], 5, 5, 5)
    with pytest.raises(AppError) as error:
        review.score(actor=expert, assignment=assignment, scores=scores_of(world, 9, 9, 9), submit=False)
    assert error.value.code == "already_submitted" and error.value.status == 409
    assert set(assignment.scores.values_list("value", flat=True)) == {5}
    assert AuditEntry.objects.filter(action="intake.assignment.submitted", object_id=str(assignment.pk)).exists()


# Blind review


def test_an_expert_sees_no_other_score_until_submitting(world):
    application = world["applications"][0]
    first, second = world["experts"][:2]
    reviewed(world, first, application, 8, 8, 8)
    mine = reviewed(world, second, application)
    review.score(actor=second, assignment=mine, scores={world["criteria"][0].pk: (3, "")}, submit=False)
    with pytest.raises(NotFound):
        review.visible_scores(second, application)
    review.score(actor=second, assignment=mine, scores=scores_of(world, 3, 3, 3), submit=True)
    seen = review.visible_scores(second, application)
    assert [r.expert for r in seen] == [first, second]
    assert [s.value for s in seen[0].scores.all()] == [8, 8, 8]


def test_staff_see_every_submitted_review_and_outsiders_nothing(world):
    application = world["applications"][0]
    reviewed(world, world["experts"][0], application, 8, 8, 8)
    reviewed(world, world["experts"][1], application)  # declared, not scored
    assert len(review.visible_scores(world["staff"], application)) == 1
    for outsider in (world["stranger"], world["experts"][2], application.applicant):
        with pytest.raises(NotFound):
            review.visible_scores(outsider, application)


def test_staff_who_review_it_themselves_are_blind_too(world):
    application = world["applications"][0]
    reviewed(world, world["experts"][0], application, 8, 8, 8)
    member = world["commission"][1].user
    Membership.objects.create(user=member, role=Role.PARK_STAFF, park=world["park"])
    review.assign(actor=world["staff"], application=application, expert=member)
    with pytest.raises(NotFound):
        review.visible_scores(User.objects.get(pk=member.pk), application)
