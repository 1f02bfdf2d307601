"""Ventures services: an idea's way (submitted → invited to an open call of its park, declined with a
reason, or withdrawn by its author), and the company's profile, team, milestones, mentors, products and
export deals. Forbidden steps are AppErrors (409 for a forbidden transition), never 500; outside the
actor's scope is NotFound; every write is audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from texnopark.core.errors import AppError, NotFound
from texnopark.core.models import AuditEntry, Notification
from texnopark.intake.models import Application, Call
from texnopark.ventures import services
from texnopark.ventures.models import CompanyMember, Idea, Milestone
from texnopark.ventures.tests.helpers import (
    call,
    company,
    district,
    fake_pdf,
    idea,
    park,
    pdf,
    person,
    product,
    sector,
)

pytestmark = pytest.mark.django_db
S = Idea.Status


@pytest.fixture
def staff(demo_user):
    return demo_user("it_staff")


@pytest.fixture
def author():
    return person("Aziza")


def submit(author, where=None, **extra):
    fields = {"park": where or park(), "title": "Aqlli issiqxona", "problem": "Suv isrof", "solution": "Sensor",
              "sector": sector(), "district": district(), **extra}
    return services.idea_submit(actor=author, **fields)


# --- Ideas ----------------------------------------------------------------------------------------------


def test_anyone_signed_in_submits_an_idea_with_files_and_it_is_audited(author):
    submitted = submit(author, team="Aziza\nBobur", attachments=[pdf("plan.pdf"), pdf("deck.pdf")])
    assert submitted.status == S.SUBMITTED and submitted.author == author
    assert [str(a) for a in submitted.attachments.all()] == ["plan.pdf", "deck.pdf"]
    entry = AuditEntry.objects.get(action="ventures.idea.submitted", object_id=str(submitted.pk))
    assert entry.region_id == park().region_id and entry.changes["attachments"][1] == ["plan.pdf", "deck.pdf"]


def test_a_file_that_is_not_what_its_name_says_is_refused_beside_the_field(author):
    with pytest.raises(AppError) as caught:
        submit(author, attachments=[fake_pdf()])
    assert "does not match its type" in str(caught.value.fields["attachments"][0])
    with pytest.raises(AppError) as caught:
        submit(author, attachments=[pdf("virus.exe")])
    assert "not accepted" in str(caught.value.fields["attachments"][0])
    assert not Idea.objects.filter(author=author).exists()  # nothing half-saved


def test_an_empty_title_is_a_field_error_not_a_500(author):
    with pytest.raises(AppError) as caught:
        submit(author, title="  ")
    assert "title" in caught.value.fields


def test_an_unpublished_park_takes_no_ideas_from_the_public(author):
    hidden = park("chortoq-agro")
    hidden.is_published = False
    hidden.save()
    with pytest.raises(NotFound):
        submit(author, where=hidden)


def test_staff_invite_the_author_to_an_open_call_of_the_park_and_the_author_is_told(author, staff,
                                                                                      django_capture_on_commit_callbacks):
    submitted = idea(author)
    cohort = call(kind=Call.Kind.INCUBATION)
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.idea_invite(actor=staff, idea=submitted, call=cohort)
    assert invited.status == S.INVITED and invited.invited_to == cohort and invited.decided_by == staff
    note = Notification.objects.get(user=author)
    assert "invited" in note.message and note.url == submitted.get_absolute_url()
    assert mail.outbox[-1].to == [author.email] and cohort.name in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="ventures.idea.invited", object_id=str(submitted.pk)).exists()


@pytest.mark.parametrize("bad", ["other park", "draft", "in review", "deadline passed", "none"])
def test_an_invitation_needs_an_open_call_of_the_ideas_park(author, staff, bad):
    submitted = idea(author)
    chosen = {
        "other park": lambda: call(where=park("kosonsoy-medical")),
        "draft": lambda: call(status=Call.Status.DRAFT),
        "in review": lambda: call(status=Call.Status.REVIEW),
        "deadline passed": lambda: call(closes_in=timedelta(hours=-1)),
        "none": lambda: None,
    }[bad]()
    with pytest.raises(AppError) as caught:
        services.idea_invite(actor=staff, idea=submitted, call=chosen)
    assert "call" in caught.value.fields and caught.value.status == 400
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_declining_needs_a_reason_which_the_author_reads(author, staff, django_capture_on_commit_callbacks):
    submitted = idea(author)
    with pytest.raises(AppError) as caught:
        services.idea_decline(actor=staff, idea=submitted, reason="   ")
    assert "reason" in caught.value.fields
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_decline(actor=staff, idea=submitted, reason="Bozor tahlili yoʻq")
    submitted.refresh_from_db()
    assert submitted.status == S.DECLINED and submitted.reason == "Bozor tahlili yoʻq"
    assert "Bozor tahlili yoʻq" in mail.outbox[-1].body
    assert Notification.objects.filter(user=author, message__contains="declined").exists()


def test_the_author_withdraws_but_staff_cannot_withdraw_for_them(author, staff):
    submitted = idea(author)
    with pytest.raises(NotFound):
        services.idea_withdraw(actor=staff, idea=submitted)
    assert services.idea_withdraw(actor=author, idea=submitted).status == S.WITHDRAWN


@pytest.mark.parametrize("first, then", [("invite", "decline"), ("decline", "invite"), ("withdraw", "decline"),
                                         ("decline", "withdraw"), ("invite", "withdraw")])
def test_an_answered_idea_cannot_be_answered_again_409_not_500(author, staff, first, then):
    submitted, cohort = idea(author), call()
    steps = {
        "invite": lambda: services.idea_invite(actor=staff, idea=submitted, call=cohort),
        "decline": lambda: services.idea_decline(actor=staff, idea=submitted, reason="Yoʻq"),
        "withdraw": lambda: services.idea_withdraw(actor=author, idea=submitted),
    }
    steps[first]()
    with pytest.raises(AppError) as caught:
        steps[then]()
    assert caught.value.code == "forbidden_transition" and caught.value.status == 409


def test_staff_of_another_park_cannot_triage_but_the_region_admin_can(author, demo_user):
    submitted = idea(author)
    with pytest.raises(NotFound):
        services.idea_decline(actor=demo_user("kosonsoy_manager"), idea=submitted, reason="Yoʻq")
    with pytest.raises(NotFound):
        services.idea_decline(actor=author, idea=submitted, reason="Oʻzim")
    services.idea_decline(actor=demo_user("region_admin"), idea=submitted, reason="Yoʻq")


def test_files_are_added_only_while_the_idea_waits(author, staff):
    submitted = idea(author)
    services.idea_attach(actor=author, idea=submitted, files=[pdf()])
    with pytest.raises(NotFound):
        services.idea_attach(actor=staff, idea=submitted, files=[pdf()])
    with pytest.raises(AppError) as caught:
        services.idea_attach(actor=author, idea=submitted, files=[pdf() for _ in range(5)])
    assert "At most 5" in str(caught.value.fields["attachments"][0])
    services.idea_decline(actor=staff, idea=submitted, reason="Yoʻq")
    with pytest.raises(AppError) as caught:
        services.idea_attach(actor=author, idea=submitted, files=[pdf()])
    assert caught.value.status == 409


# --- Companies --------------------------------------------------------------------------------------------


@pytest.fixture
def founder():
    return person("Founder")


@pytest.fixture
def firm(founder):
    return company(admin=founder)


def test_an_admin_member_edits_the_profile_a_plain_member_and_outsiders_cannot(firm, founder):
    services.company_update(actor=founder, company=firm, stage="mvp", employees=7)
    firm.refresh_from_db()
    assert (firm.stage, firm.employees) == ("mvp", 7)
    entry = AuditEntry.objects.get(action="ventures.company.updated", object_id=str(firm.pk))
    assert entry.changes["stage"] == ["idea", "mvp"] and entry.region_id == firm.district.region_id
    engineer = person("Engineer")
    CompanyMember.objects.create(company=firm, user=engineer)
    for outsider in (engineer, person("Stranger")):
        with pytest.raises(NotFound):
            services.company_update(actor=outsider, company=firm, employees=1)


def test_the_stir_is_not_changed_through_the_profile_and_a_bad_oked_is_a_field_error(firm, founder):
    with pytest.raises(AppError):
        services.company_update(actor=founder, company=firm, stir="123456789")
    with pytest.raises(AppError) as caught:
        services.company_update(actor=founder, company=firm, oked="62A")
    assert "oked" in caught.value.fields


def test_staff_of_the_park_where_it_applied_edit_it(firm, demo_user):
    staff = demo_user("it_staff")
    with pytest.raises(NotFound):
        services.company_update(actor=staff, company=firm, employees=3)
    Application.objects.create(call=call(), applicant=person("Applicant"), company=firm, status="submitted")
    services.company_update(actor=staff, company=firm, employees=3)


def test_members_are_added_by_the_email_of_an_account_once(firm, founder):
    engineer = person("Engineer")
    with pytest.raises(AppError) as caught:
        services.member_add(actor=founder, company=firm, email="nobody@example.uz")
    assert "email" in caught.value.fields
    member = services.member_add(actor=founder, company=firm, email=engineer.email.upper(), role="cto", title="CTO")
    assert member.user == engineer and not member.is_admin
    with pytest.raises(AppError) as caught:
        services.member_add(actor=founder, company=firm, email=engineer.email)
    assert "already" in str(caught.value.fields["email"][0])
    assert AuditEntry.objects.filter(action="ventures.member.added", object_id=str(firm.pk)).exists()


def test_the_last_admin_cannot_be_removed(firm, founder):
    only = firm.members.get(user=founder)
    with pytest.raises(AppError) as caught:
        services.member_remove(actor=founder, member=only)
    assert caught.value.code == "last_admin"
    other = services.member_add(actor=founder, company=firm, email=person("Second").email, is_admin=True)
    services.member_remove(actor=founder, member=only)
    assert list(firm.members.all()) == [other]


def test_a_milestone_is_done_with_a_date_and_evidence_missed_or_planned_again(firm, founder):
    milestone = services.milestone_create(actor=founder, company=firm, title="MVP",
                                          due_on=timezone.localdate() + timedelta(days=30))
    with pytest.raises(AppError) as caught:
        services.milestone_update(actor=founder, milestone=milestone, status="done")
    assert caught.value.code == "evidence_needed"
    done = services.milestone_update(actor=founder, milestone=milestone, status="done", evidence=pdf("demo.pdf"))
    assert done.status == "done" and done.done_on == timezone.localdate() and done.evidence
    with pytest.raises(AppError) as caught:  # done → missed is not a step
        services.milestone_update(actor=founder, milestone=milestone, status="missed")
    assert caught.value.code == "forbidden_transition" and caught.value.status == 409
    again = services.milestone_update(actor=founder, milestone=milestone, status="planned")
    assert again.status == "planned" and again.done_on is None
    missed = services.milestone_update(actor=founder, milestone=milestone, status="missed")
    assert missed.status == Milestone.Status.MISSED
    noted = services.milestone_update(actor=founder, milestone=milestone, status="done", evidence_note="Demo kuni")
    assert noted.status == "done"
    with pytest.raises(AppError) as caught:
        services.milestone_update(actor=founder, milestone=milestone, done_on=timezone.localdate() + timedelta(1))
    assert "done_on" in caught.value.fields
    assert AuditEntry.objects.filter(action="ventures.milestone.updated", object_id=str(firm.pk)).count() == 4


def test_evidence_of_the_wrong_type_is_refused(firm, founder):
    milestone = services.milestone_create(actor=founder, company=firm, title="MVP", due_on=timezone.localdate())
    with pytest.raises(AppError) as caught:
        services.milestone_update(actor=founder, milestone=milestone, status="done", evidence=fake_pdf())
    assert "evidence" in caught.value.fields
    milestone.refresh_from_db()
    assert milestone.status == "planned"


def test_mentors_products_and_deals(firm, founder):
    mentor = services.mentor_add(actor=founder, company=firm, email=person("Mentor").email, area="Eksport")
    assert mentor.mentor is not None and mentor.name == "Mentor Test"
    with pytest.raises(AppError):
        services.mentor_add(actor=founder, company=firm)
    made = services.product_create(actor=founder, company=firm, name="Sinov", is_public=False)
    deal = services.deal_create(actor=founder, company=firm, country="kr", buyer="Seoul Trade", product=made,
                                value_usd=Decimal("12500.50"), signed_on=timezone.localdate())
    assert deal.country == "KR" and deal.value_usd == Decimal("12500.50")
    for bad, field in [({"country": "XX"}, "country"), ({"value_usd": Decimal("-1")}, "value_usd"),
                       ({"signed_on": timezone.localdate() + timedelta(days=2)}, "signed_on"),
                       ({"product": product(company(name="Boshqa"))}, "product")]:
        fields = {"country": "KZ", "buyer": "B", "value_usd": Decimal(1), "signed_on": timezone.localdate(), **bad}
        with pytest.raises(AppError) as caught:
            services.deal_create(actor=founder, company=firm, **fields)
        assert field in caught.value.fields, bad
    actions = set(AuditEntry.objects.filter(object_id=str(firm.pk)).values_list("action", flat=True))
    assert {"ventures.mentor.added", "ventures.product.created", "ventures.deal.created"} <= actions


def test_joining_a_resident_team_gives_the_parks_resident_role_and_leaving_takes_it():
    from texnopark.accounts.models import Membership, Role
    from texnopark.ventures.tests.helpers import residency

    admin, newcomer, where = person("Admin"), person("Newcomer"), park()
    made = company(admin=admin)
    residency(made, where)

    def resident_role(who):
        return Membership.objects.filter(user=who, role=Role.RESIDENT, park=where).exists()

    member = services.member_add(actor=admin, company=made, email=newcomer.email)
    assert resident_role(newcomer)
    services.member_remove(actor=admin, member=member)
    assert not resident_role(newcomer)
    assert AuditEntry.objects.filter(action="accounts.membership.deleted", object_type="accounts.membership").exists()
