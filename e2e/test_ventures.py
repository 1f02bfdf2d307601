"""From idea to export (issue #3): a founder applies, two experts score, the manager holds the commission and
accepts, and the new resident files a quarterly report; plus the blind-scoring rule over the API.

Everything is done through the pages, by the people who would do it: it.manager opens the call (rubric,
question, document, commission of three), a newly signed-up founder applies, it.manager closes the call and
hands the application to two experts (the demo's `expert` and a second one made here), each expert declares
and scores, it.manager ranks, holds the meeting and accepts. The only shortcut is time: the residency is moved
back a quarter (as if three months had passed), so that a finished quarter is owed a report. Labels come from
the page's own catalogue (`t`), so the test follows the translations being written for these pages.
"""

import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from e2e.pages import (
    DEMO_PASSWORD,
    PHONE,
    by_label,
    demo_email,
    field_label,
    horizontal_overflow,
    open_menu,
    page_language,
    shot,
    sign_in,
    switch_language,
    t,
    unlabelled_controls,
)
from texnopark.accounts.models import Membership, Role, User
from texnopark.accounts.services import token_create
from texnopark.core.i18n import localized
from texnopark.intake.models import Application, Assignment, Call, Criterion, Meeting, Residency
from texnopark.intake.services import review
from texnopark.intake.services.calls import TASHKENT
from texnopark.network.models import District, Sector, Technopark
from texnopark.reports.models import QuarterlyReport
from texnopark.reports.quarters import last_finished, quarter_of
from texnopark.ventures.models import Company

pytestmark = pytest.mark.browser

PARK = "namangan-it"
CALL = {"name": "IT rezidentlari 2027 (e2e)", "name_en": "IT residents 2027 (e2e)"}
CRITERIA = [("Jamoa", 60), ("Bozor", 40)]
QUESTION = "Kompaniya Namangan viloyatida roʻyxatdan oʻtganmi?"
DOCUMENT = "Davlat roʻyxatidan oʻtganlik guvohnomasi"
COMMISSION = ["it.manager", "it.staff", "expert"]
SECOND_EXPERT = "reviewer.e2e"  # made here: a second expert of the park
FOUNDER = {"name": "Jasur Aliyev", "email": "jasur.e2e@example.uz", "password": "Yangi-parol-2026!"}
COMPANY = "Silk Code MChJ"
STIR = "205318427"  # demo companies' numbers start with 3
SCORES = {"expert": ((8, "Kuchli jamoa, tajribali CTO."), (7, "Bozor tor, lekin aniq.")),
          SECOND_EXPERT: ((9, "Jamoa toʻliq."), (6, "Raqobat kuchli."))}
NAMANGAN_CITY = "1714401"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def person(persona: str) -> User:
    return User.objects.get(email=demo_email(persona))


def shown(page, obj, field: str = "name") -> str:
    """A name as the page shows it (its language, its script)."""
    with translation.override(page_language(page)):
        return localized(obj, field)


def pdf(tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(PDF)
    return str(path)


def on_a_phone(page, name: str) -> None:
    """The same page at a phone's width: nothing wider than the screen; then back to the desk."""
    desk = page.viewport_size
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0, f"{page.url} scrolls sideways on a phone"
    shot(page, name)
    page.set_viewport_size(desk)


def status_message(page):
    return page.get_by_role("main").get_by_role("status")


def software() -> Sector:
    return Sector.objects.get(slug="software")


def a_second_expert() -> User:
    expert = User.objects.create_user(demo_email(SECOND_EXPERT), DEMO_PASSWORD, full_name="Nodira Qosimova",
                                      language="en")
    Membership.objects.create(user=expert, role=Role.EXPERT, park=Technopark.objects.get(slug=PARK))
    return expert


# --- 1. it.manager opens the call --------------------------------------------------------------------


def open_the_call(page) -> Call:
    park = Technopark.objects.get(slug=PARK)
    open_menu(page, "Manage").get_by_role("link", name=t(page, "Calls and applications"), exact=True).click()
    page.get_by_role("button", name=t(page, "New call of %(park)s") % {"park": shown(page, park)}).click()
    form = page.locator("main form.call-form")
    by_label(form, field_label(page, Call, "name")).fill(CALL["name"])
    form.locator("summary").filter(has_text=t(page, "Name in other languages")).click()
    by_label(form, field_label(page, Call, "name_en")).fill(CALL["name_en"])
    form.get_by_role("group", name=t(page, "Sectors")).get_by_label(shown(page, software()), exact=True).check()
    deadline = timezone.localtime(timezone.now() + timedelta(days=14), TASHKENT).replace(hour=18, minute=0)
    by_label(form, t(page, "Deadline (Tashkent time)")).fill(f"{deadline:%Y-%m-%dT%H:%M}")
    by_label(form, field_label(page, Call, "benefits")).fill("Soliq imtiyozlari, ofis 50 % chegirma bilan.")
    by_label(form, field_label(page, Call, "obligations")).fill("Har chorakda hisobot.")
    form.get_by_role("button", name=t(page, "Save the draft"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/calls/\d+/edit/$"))
    call = Call.objects.get(pk=int(re.search(r"/calls/(\d+)/", page.url).group(1)))

    for item, (name, weight) in zip(page.locator("#criteria li.item").all(), CRITERIA, strict=False):
        by_label(item, t(page, "Criterion")).fill(name)
        by_label(item, t(page, "Weight, %")).fill(str(weight))
    expect(page.locator("#rubric-total")).to_have_class(re.compile(r"\brubric-ok\b"))  # the live total: 100 %
    questions = page.get_by_role("group", name=t(page, "Eligibility questions"))
    by_label(questions.locator("li.item").first, t(page, "Yes-or-no question")).fill(QUESTION)
    documents = page.get_by_role("group", name=t(page, "Required documents"))
    by_label(documents.locator("li.item").first, t(page, "Document")).fill(DOCUMENT)
    members = page.get_by_role("group", name=t(page, "Commission")).locator("li.item").all()
    for item, persona in zip(members, COMMISSION, strict=True):
        by_label(item, t(page, "Member's e-mail")).fill(demo_email(persona))
    members[0].get_by_label(t(page, "Chair")).check()
    page.get_by_role("button", name=t(page, "Save"), exact=True).click()
    expect(status_message(page)).to_have_text(t(page, "The call is saved."))
    shot(page, "70-call-edit-manager")

    page.locator("section.open-box").get_by_role("button", name=t(page, "Open the call"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/calls/{call.pk}/$"))
    expect(status_message(page)).to_have_text(
        t(page, "The call is open: it is public and takes applications until its deadline."))
    call.refresh_from_db()
    assert (call.status, call.park, call.commission.count()) == (Call.Status.OPEN, park, 3)
    assert [(c.name, c.weight) for c in call.criteria.all()] == CRITERIA
    return call


# --- 2. A founder signs up and applies ---------------------------------------------------------------


def sign_up(page) -> None:
    page.goto("/accounts/signup/")
    by_label(page, t(page, "Full name")).fill(FOUNDER["name"])
    by_label(page, t(page, "E-mail")).fill(FOUNDER["email"])
    by_label(page, t(page, "Password")).fill(FOUNDER["password"])
    by_label(page, t(page, "Password again")).fill(FOUNDER["password"])
    page.get_by_role("button", name=t(page, "Create the account")).click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))


def find_the_call_and_apply(page, call: Call) -> Application:
    page.get_by_role("navigation", name=t(page, "Main")).get_by_role("link", name=t(page, "Calls"),
                                                                      exact=True).click()
    card = page.locator("section[aria-labelledby=open-h] article").filter(
        has=page.get_by_role("heading", name=shown(page, call), exact=True))
    card.get_by_role("button", name=t(page, "Read the rules and apply"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(shown(page, call))
    expect(page.get_by_role("main")).to_contain_text(QUESTION)
    expect(page.get_by_role("main")).to_contain_text(DOCUMENT)
    shot(page, "71-call-founder")
    page.get_by_role("button", name=t(page, "Apply"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    return Application.objects.get(pk=int(re.search(r"/applications/(\d+)/", page.url).group(1)))


def saved(page) -> None:
    """No autosave on its way. The live server's in-memory SQLite refuses two writers at once ("database table
    is locked"), so a click that posts the whole form waits for the autosave before it."""
    expect(page.locator("#application-form.htmx-request")).to_have_count(0)


def fill_the_application(page, application: Application, tmp_path) -> dict:
    """Everything, with an 8-digit STIR; the files are saved as they are chosen (autosave). Returns what was typed."""
    form = page.locator("form#application-form")
    district = District.objects.get(soato=NAMANGAN_CITY)
    sector = software()
    typed = {"Company name": COMPANY, "OKED activity code": "62010", "Employees": "6",
             "Founders": "Jasur Aliyev 70%\nDilshod Karimov 30%",
             "The project in brief": "Buxgalteriya uchun bulutli dastur kichik bizneslarga."}
    for label, value in typed.items():
        by_label(form, t(page, label)).fill(value)
    by_label(form, t(page, "STIR")).fill(STIR[:8])
    by_label(form, t(page, "Legal form")).select_option("llc")
    by_label(form, t(page, "District")).select_option(str(district.pk))
    by_label(form, t(page, "Sector")).select_option(str(sector.pk))
    form.get_by_role("group", name=QUESTION).get_by_role("radio", name=t(page, "Yes"), exact=True).check()
    # A file chosen while an earlier autosave is still on its way is lost (the answer swaps the file field
    # out): so, like a person watching "Saved at …", wait for the form to be saved before choosing one.
    for label, name in ((t(page, "Business plan"), "business-plan.pdf"), (DOCUMENT, "guvohnoma.pdf")):
        saved(page)
        by_label(form, label).set_input_files(pdf(tmp_path, name))
        expect(form.locator(".current-file").filter(has_text=name)).to_have_count(1)
    assert unlabelled_controls(page) == []
    return {**typed, "district": str(district.pk), "sector": str(sector.pk)}


def submit_and_see_the_stir_refused(page, typed: dict) -> None:
    """The 8-digit STIR: its message beside the field, and everything else as it was typed."""
    form = page.locator("form#application-form")
    saved(page)
    form.get_by_role("button", name=t(page, "Submit the application"), exact=True).click()
    form = page.locator("form#application-form")
    expect(form.locator("#err-stir")).to_have_text(t(page, "The STIR (taxpayer number) is exactly 9 digits."))
    expect(by_label(form, t(page, "STIR"))).to_have_value(STIR[:8])
    for label in ("Company name", "OKED activity code", "Founders", "Employees", "The project in brief"):
        expect(by_label(form, t(page, label))).to_have_value(typed[label])
    expect(by_label(form, t(page, "District"))).to_have_value(typed["district"])
    expect(by_label(form, t(page, "Sector"))).to_have_value(typed["sector"])
    expect(form.get_by_role("group", name=QUESTION).get_by_role("radio", name=t(page, "Yes"))).to_be_checked()
    expect(form.locator("#file-business_plan .current-file")).to_contain_text("business-plan.pdf")
    expect(form.locator(".current-file").filter(has_text="guvohnoma.pdf")).to_have_count(1)
    shot(page, "72-application-stir-refused-founder")
    on_a_phone(page, "73-application-phone-founder")

    by_label(form, t(page, "STIR")).fill(STIR)
    by_label(form, t(page, "STIR")).press("Tab")  # the change is autosaved ...
    saved(page)  # ... before the click sends the form again
    form.get_by_role("button", name=t(page, "Submit the application"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/$"))
    expect(page.locator(".status-line .badge")).to_have_text(t(page, "Submitted"))
    shot(page, "74-application-submitted-founder")


# --- 3. it.manager closes the call and hands the application to two experts ---------------------------


def the_call_for_its_staff(page, call: Call):
    """Manage → Calls and applications → the call: its page, with the box for the park's staff."""
    open_menu(page, "Manage").get_by_role("link", name=t(page, "Calls and applications"), exact=True).click()
    page.get_by_role("main").get_by_role("link", name=shown(page, call), exact=True).click()
    return page.locator("section.staff-box")


def close_and_assign(page, call: Call, application: Application, experts: list[User]) -> None:
    staff = the_call_for_its_staff(page, call)
    staff.get_by_label(t(page, "Yes, close the call before its deadline")).check()
    staff.get_by_role("button", name=t(page, "Close for review"), exact=True).click()
    expect(status_message(page)).to_have_text(t(page, "The call is closed: its applications are now under review."))
    page.locator("section.staff-box").get_by_role("button", name=t(page, "Applications"), exact=True).click()
    page.get_by_role("button", name=t(page, "Ranking of the scored applications"), exact=True).click()
    page.get_by_role("navigation", name=t(page, "Review of the call")).get_by_role(
        "link", name=t(page, "Experts"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/calls/{call.pk}/assign/$"))
    for expert in experts:
        by_hand = page.locator("form").filter(has=page.locator("input[name=action][value=assign]"))
        by_label(by_hand, t(page, "Application")).select_option(str(application.pk))
        by_label(by_hand, t(page, "Expert")).select_option(str(expert.pk))
        by_hand.get_by_role("button", name=t(page, "Assign"), exact=True).click()
        expect(status_message(page)).to_have_text(
            t(page, "%(expert)s reviews %(company)s.") % {"expert": expert, "company": COMPANY})
    reviewers = page.locator("section[aria-labelledby=apps-h] .rv-reviewers li")
    expect(reviewers).to_have_count(2)
    expect(reviewers.locator(".rv-badge")).to_have_text([t(page, "To review")] * 2)
    shot(page, "75-experts-assigned-manager")


# --- 4. The experts: no conflict, scores, blind until submitted ----------------------------------------


def open_my_review(page) -> Assignment:
    open_menu(page, "Mine").get_by_role("link", name=t(page, "My reviews"), exact=True).click()
    page.locator("section[aria-labelledby=todo-h]").get_by_role("link", name=COMPANY).click()
    expect(page).to_have_url(re.compile(r"/reviews/\d+/$"))
    declare = page.locator('form[action$="/declare/"]')
    declare.get_by_role("radio", name=t(page, "I have no conflict of interest with this applicant")).check()
    declare.get_by_role("button", name=t(page, "Declare"), exact=True).click()
    expect(status_message(page)).to_have_text(t(page, "Thank you. Now score the application."))
    return Assignment.objects.get(pk=int(re.search(r"/reviews/(\d+)/", page.url).group(1)))


def type_the_scores(page, persona: str) -> None:
    for (criterion, _weight), (value, comment) in zip(CRITERIA, SCORES[persona], strict=True):
        box = page.locator("fieldset.rv-criterion").filter(has_text=criterion)
        by_label(box, t(page, "Score, 0–10")).fill(str(value))
        by_label(box, t(page, "Comment")).fill(comment)


def submit_the_review(page) -> None:
    page.get_by_role("button", name=t(page, "Submit the review"), exact=True).click()
    expect(status_message(page)).to_have_text(
        t(page, "Your review is submitted. You now see the other experts' scores."))


def the_first_expert_scores(page) -> None:
    open_my_review(page)
    type_the_scores(page, "expert")
    on_a_phone(page, "76-review-form-phone-expert")
    submit_the_review(page)
    others = page.locator("section[aria-labelledby=others-h]")
    expect(others).to_contain_text(t(page, "No other expert has submitted yet."))
    shot(page, "77-review-submitted-expert")


def the_second_expert_sees_nothing_then_everything(page, application: Application) -> None:
    assignment = open_my_review(page)
    type_the_scores(page, SECOND_EXPERT)
    page.get_by_role("button", name=t(page, "Save a draft"), exact=True).click()
    expect(status_message(page)).to_have_text(t(page, "Your scores are saved. Submit them when you are done."))
    first = person("expert")
    for secret in (SCORES["expert"][0][1], SCORES["expert"][1][1], first.full_name):
        expect(page.get_by_text(secret)).to_have_count(0)
    # Her browser's session asks the API the same: no other expert's scores before she submits.
    assert page.request.get(f"/api/v1/applications/{application.pk}/scores").status == 404
    before = page.request.get(f"/api/v1/reviews/{assignment.pk}").json()
    assert before["others"] is None and [s["value"] for s in before["my_scores"]] == [9, 6]
    shot(page, "78-review-draft-blind-second-expert")

    submit_the_review(page)
    other = page.locator("section[aria-labelledby=others-h] article.rv-review")
    expect(other).to_have_count(1)
    expect(other.locator("header")).to_contain_text(first.full_name)
    for _value, comment in SCORES["expert"]:
        expect(other).to_contain_text(comment)
    shot(page, "79-review-submitted-sees-the-other-second-expert")


# --- 5. it.manager: the ranking, the commission, the decision, the minutes -----------------------------


def rank_and_hold_the_commission(page, call: Call, application: Application) -> Residency:
    the_call_for_its_staff(page, call).get_by_role("button", name=t(page, "Applications"), exact=True).click()
    page.get_by_role("button", name=t(page, "Ranking of the scored applications"), exact=True).click()
    row = page.locator("table.rv-ranking tbody tr").filter(has_text=COMPANY)
    expect(row.locator("td").first).to_have_text("1")
    expect(row.locator("td").nth(2)).to_have_text(re.compile(r"^77[.,]00$"))  # (76 + 78) / 2
    shot(page, "80-ranking-manager")

    tabs = page.get_by_role("navigation", name=t(page, "Review of the call"))
    tabs.get_by_role("link", name=t(page, "Commission"), exact=True).click()
    when = timezone.localtime(timezone.now(), TASHKENT) + timedelta(hours=1)
    schedule = page.locator("section[aria-labelledby=new-h] form")
    by_label(schedule, t(page, "When")).fill(f"{when:%Y-%m-%dT%H:%M}")
    by_label(schedule, t(page, "Where")).fill("Majlislar zali, 2-qavat")
    schedule.get_by_role("button", name=t(page, "Schedule"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(pk=int(re.search(r"/meetings/(\d+)/", page.url).group(1)))

    present = page.get_by_role("group", name=t(page, "Present"))
    for persona in COMMISSION:  # the first is the chair
        chair = f" ({t(page, 'chair')})" if persona == COMMISSION[0] else ""
        present.get_by_label(f"{person(persona)}{chair}", exact=True).check()
    page.get_by_role("button", name=t(page, "Record attendance and open the meeting"), exact=True).click()
    expect(status_message(page)).to_have_text(t(page, "Attendance recorded."))
    expect(page.locator(".rv-quorum")).to_contain_text(t(page, "The quorum is present."))

    item = page.locator(f"article#a-{application.pk}")
    for persona, choice in zip(COMMISSION, ("For", "For", "Abstain"), strict=True):
        vote = item.locator('form[action$="/vote/"]')
        by_label(vote, t(page, "Member")).select_option(label=str(person(persona)))
        vote.get_by_role("radio", name=t(page, choice), exact=True).check()
        vote.get_by_role("button", name=t(page, "Vote"), exact=True).click()
        expect(status_message(page)).to_have_text(
            t(page, "The vote of %(member)s is recorded.") % {"member": person(persona)})
    expect(item.locator(".rv-tally")).to_have_text(
        t(page, "For %(f)s · against %(a)s · abstained %(x)s") % {"f": 2, "a": 0, "x": 1})
    on_a_phone(page, "81-meeting-votes-phone-manager")

    decide = item.locator('form[action$="/decide/"]')
    decide.get_by_role("radio", name=t(page, "Accepted"), exact=True).check()
    decide.get_by_role("button", name=t(page, "Record the decision"), exact=True).click()
    residency = Residency.objects.get(application=application)
    expect(status_message(page)).to_have_text(t(page, "Accepted. Residency agreement %(number)s is made; the "
                                                      "applicant is told.") % {"number": residency.number})
    expect(page.locator(f"article#a-{application.pk} .rv-decision")).to_contain_text(residency.number)
    shot(page, "82-accepted-manager")

    page.get_by_role("button", name=t(page, "Close the meeting and make the minutes"), exact=True).click()
    meeting.refresh_from_db()
    expect(status_message(page)).to_have_text(
        t(page, "The meeting is closed; minutes %(number)s are ready.") % {"number": meeting.number})
    minutes = page.get_by_role("button", name=t(page, "Minutes %(number)s (PDF)") % {"number": meeting.number})
    answer = page.request.get(minutes.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf", answer.headers
    assert answer.body().startswith(b"%PDF")
    shot(page, "83-meeting-closed-manager")
    return residency


# --- 6. The founder: the decision, the company, the first quarterly report ------------------------------


def see_the_decision_and_the_company(page, call: Call, residency: Residency) -> None:
    founder = User.objects.get(email=FOUNDER["email"])
    unread = founder.notifications.filter(read_at__isnull=True).count()
    page.goto("/")
    bell = page.get_by_role("navigation", name=t(page, "Main")).locator('a[href="/notifications/"]')
    with translation.override(page_language(page)):
        expect(bell).to_have_attribute("aria-label", translation.ngettext(
            "Notifications: %(counter)s new", "Notifications: %(counter)s new", unread) % {"counter": unread})
    bell.click()
    with translation.override(founder.language):
        accepted = translation.gettext("Accepted: %(call)s") % {"call": localized(call, "name")}
    note = page.locator("ul.notifications li.unread").filter(has_text=accepted)
    expect(note).to_have_count(1)
    shot(page, "84-notifications-founder")
    note.get_by_role("link").click()  # to the application, now accepted
    expect(page.locator(".status-line .badge")).to_have_text(t(page, "Accepted"))
    shot(page, "85-application-accepted-founder")

    open_menu(page, "Mine").get_by_role("link", name=t(page, "My companies"), exact=True).click()
    page.get_by_role("main").get_by_role("link", name=COMPANY, exact=True).click()
    agreement = page.locator("section#residency")
    expect(agreement).to_contain_text(residency.number)
    expect(agreement).to_contain_text(t(page, "Active resident"))
    shot(page, "86-company-founder")


def a_quarter_later(residency: Residency) -> tuple[int, int]:
    """Three months on: the agreement dates from the start of the last finished quarter. Returns that quarter."""
    quarter = last_finished(timezone.localdate())
    start = date(quarter.year, 3 * quarter.quarter - 2, 1)
    Residency.objects.filter(pk=residency.pk).update(starts_on=start, status_since=start,
                                                     ends_on=start.replace(year=start.year + 3))
    assert quarter_of(start) == quarter
    return quarter.year, quarter.quarter


def file_the_report_in_cyrillic(page, residency: Residency, year: int, quarter: int) -> None:
    switch_language(page, "Ўзбекча")
    open_menu(page, "Mine").get_by_role("link", name=t(page, "My reports"), exact=True).click()
    card = page.locator(f"article#residency-{residency.pk}")
    card.locator(f'a[href$="/residencies/{residency.pk}/{year}/{quarter}/"]').click()
    expect(page).to_have_url(re.compile(rf"/reports/residencies/{residency.pk}/{year}/{quarter}/$"))
    form = page.locator("form.report-form")
    figures = {"revenue_uzs": "-1500000", "exports_usd": "12000", "employees": "7", "new_jobs": "1",
               "investment_uzs": "0", "rnd_uzs": "25000000", "patents": "0", "other_ip": "1",
               "products_launched": "1"}
    for name, value in figures.items():
        by_label(form, field_label(page, QuarterlyReport, name)).fill(value)
    form.get_by_role("button", name=t(page, "Submit to the park"), exact=True).click()
    form = page.locator("form.report-form")
    revenue = by_label(form, field_label(page, QuarterlyReport, "revenue_uzs"))
    beside = form.locator(".figure-field").filter(has=by_label(page, field_label(page, QuarterlyReport, "revenue_uzs")))
    expect(beside.locator(".errorlist")).to_have_text(
        t(page, "Cannot be negative. Type 0 if there was none."))
    for name, value in figures.items():
        expect(by_label(form, field_label(page, QuarterlyReport, name))).to_have_value(value)
    shot(page, "87-report-negative-revenue-founder-uz-cyrl")
    on_a_phone(page, "88-report-phone-founder-uz-cyrl")

    revenue.fill("185000000")
    form.get_by_role("button", name=t(page, "Submit to the park"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    expect(status_message(page)).to_have_text(t(page, "The report is submitted to the park."))
    expect(page.locator("html")).to_have_attribute("lang", "uz-Cyrl")
    shot(page, "89-report-submitted-founder-uz-cyrl")
    report = QuarterlyReport.objects.get(residency=residency, year=year, quarter=quarter)
    assert (report.status, report.revenue_uzs, report.employees) == (QuarterlyReport.Status.SUBMITTED,
                                                                     185_000_000, 7)


def test_a_founder_applies_two_experts_score_the_commission_accepts_and_the_resident_reports(
        open_page, tmp_path, settings, mailoutbox):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert not Company.objects.filter(stir=STIR).exists()
    experts = [person("expert"), a_second_expert()]

    manager = open_page()
    sign_in(manager, "it.manager")
    call = open_the_call(manager)

    founder = open_page()
    sign_up(founder)
    application = find_the_call_and_apply(founder, call)
    typed = fill_the_application(founder, application, tmp_path)
    submit_and_see_the_stir_refused(founder, typed)
    application.refresh_from_db()
    assert (application.status, application.stir, application.documents.count()) == (
        Application.Status.SUBMITTED, STIR, 1)

    close_and_assign(manager, call, application, experts)
    first = open_page()
    sign_in(first, "expert")
    the_first_expert_scores(first)
    second = open_page()
    sign_in(second, SECOND_EXPERT)
    the_second_expert_sees_nothing_then_everything(second, application)
    assert sorted(a.total for a in application.assignments.all()) == [76, 78]

    residency = rank_and_hold_the_commission(manager, call, application)
    assert residency.company.stir == STIR and residency.park.slug == PARK
    call.refresh_from_db()
    assert call.status == Call.Status.DECIDED
    assert FOUNDER["email"] in [address for message in mailoutbox for address in message.to]

    see_the_decision_and_the_company(founder, call, residency)
    year, quarter = a_quarter_later(residency)
    file_the_report_in_cyrillic(founder, residency, year, quarter)


# --- The blind-scoring rule over the API ---------------------------------------------------------------


def an_application_under_review() -> Application:
    """A call of the park under review, with the rubric above, and one submitted application."""
    call = Call.objects.create(park=Technopark.objects.get(slug=PARK), name="API tanlovi (e2e)",
                               status=Call.Status.REVIEW, opens_on=timezone.localdate() - timedelta(days=30),
                               closes_at=timezone.now() - timedelta(days=1))
    for position, (name, weight) in enumerate(CRITERIA):
        Criterion.objects.create(call=call, name=name, weight=weight, position=position)
    founder = User.objects.create_user("api.founder@example.uz", FOUNDER["password"], full_name="Bekzod Tursunov")
    return Application.objects.create(
        call=call, applicant=founder, company_name="Bulut API MChJ", stir=STIR, oked="62010",
        district=District.objects.get(soato=NAMANGAN_CITY), sector=software(), founders="Bekzod Tursunov 100%",
        employees=3, project="API", status=Application.Status.SUBMITTED, submitted_at=timezone.now())


def scored(application: Application, persona: str) -> list[dict]:
    return [{"criterion_id": criterion.pk, "value": value, "comment": comment}
            for criterion, (value, comment) in zip(application.call.criteria.all(), SCORES[persona], strict=True)]


def test_over_the_api_an_expert_sees_no_other_score_before_submitting_and_every_score_after(
        open_page, playwright, live_server):
    application = an_application_under_review()
    manager, first = person("it.manager"), person("expert")
    first_review = review.assign(actor=manager, application=application, expert=first)
    review.declare(actor=first, assignment=first_review, conflict=False)
    review.score(actor=first, assignment=first_review, submit=True, scores={
        item["criterion_id"]: (item["value"], item["comment"]) for item in scored(application, "expert")})
    mine = review.assign(actor=manager, application=application, expert=a_second_expert())
    scores_url, review_url = f"/api/v1/applications/{application.pk}/scores", f"/api/v1/reviews/{mine.pk}"

    # The second expert, in her browser: the session cookie, and for writes the CSRF header the page sends.
    page = open_page()
    sign_in(page, SECOND_EXPERT)
    csrf = json.loads(page.locator("body").get_attribute("hx-headers"))
    api = page.request
    hidden = api.get(scores_url)
    assert hidden.status == 404 and hidden.json()["code"] == "not_found", hidden.text()
    before = api.get(review_url)
    assert before.status == 200 and before.json()["others"] is None, before.text()
    assert SCORES["expert"][0][1] not in before.text()
    assert api.post(f"{review_url}/declare", data={"conflict": False}).status == 403  # no CSRF header, no write
    assert api.post(f"{review_url}/declare", data={"conflict": False}, headers=csrf).status == 200
    draft = api.put(f"{review_url}/scores", data={"scores": scored(application, SECOND_EXPERT)}, headers=csrf)
    assert draft.status == 200 and draft.json()["others"] is None, draft.text()
    assert api.get(scores_url).status == 404

    done = api.put(f"{review_url}/scores", headers=csrf,
                   data={"scores": scored(application, SECOND_EXPERT), "submit": True})
    assert done.status == 200, done.text()
    others = done.json()["others"]
    assert [(o["expert_id"], [s["value"] for s in o["scores"]]) for o in others] == [(first.pk, [8, 7])]
    assert sorted(r["total"] for r in api.get(scores_url).json()) == ["76.00", "78.00"]

    # The first expert, with a personal token: her review now shows the second one as well.
    _token, plain = token_create(actor=first, name="e2e")
    token = playwright.request.new_context(base_url=live_server.url,
                                           extra_http_headers={"Authorization": f"Bearer {plain}"})
    try:
        theirs = token.get(f"/api/v1/reviews/{first_review.pk}").json()["others"]
        assert [(o["expert_id"], o["total"]) for o in theirs] == [(mine.expert_id, "78.00")]
        assert len(token.get(scores_url).json()) == 2
    finally:
        token.dispose()
