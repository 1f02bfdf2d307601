"""The back office for calls, applications, review, the commission and residency.

A park's staff (and the region's administrators) look up the records of their parks here. Calls are
created and changed through `services.calls` (their rubric, questions, documents and commission on the
call's edit page); everything else is read-only: applications, reviews, votes and decisions move only
through the pages and their services, which check each step and keep the audit log.
"""

from django.contrib import admin

from texnopark.core.admin import ReadOnlyScopedAdmin, ScopedAdmin
from texnopark.core.errors import NotFound
from texnopark.intake.models import (
    Application,
    ApplicationDocument,
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
from texnopark.intake.services import calls as call_services
from texnopark.network.selectors import parks_editable_by, runs_parks_q


class ReadOnlyParkAdmin(ReadOnlyScopedAdmin):
    """What the viewer's parks hold, to read. `park_path` leads from the record to its park.

    Filters by park or call offer only those in the viewer's list, never another park's."""

    park_path = "call__park"
    related = ()
    view_perm = "intake.run_call"

    def scoped(self, viewer):
        qs = self.model.objects.select_related(*self.related)
        scope = runs_parks_q(viewer, self.park_path)
        return qs if scope is None else qs.filter(scope)


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("intake.run_call", obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["position", "name", "weight", "description"]
    readonly_fields = fields


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ["position", "text", "required_answer"]
    readonly_fields = fields


class RequiredDocumentInline(ReadOnlyInline):
    model = RequiredDocument
    fields = ["position", "name", "is_required"]
    readonly_fields = fields


class CommissionInline(ReadOnlyInline):
    model = CommissionMember
    fields = ["user", "is_chair"]
    readonly_fields = fields


@admin.register(Call)
class CallAdmin(ScopedAdmin):
    inlines = [CriterionInline, QuestionInline, RequiredDocumentInline, CommissionInline]
    list_display = ["name", "park", "kind", "status", "opens_on", "closes_at"]
    list_filter = ["status", "kind", ("park", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_ru", "name_en", "search_text"]
    fields = ["park", "name", "name_ru", "name_en", "name_ko", "kind", "status", "opens_on", "closes_at", "sectors",
              "description", "benefits", "obligations", "quorum_percent", "return_days", "residency_years"]
    filter_horizontal = ["sectors"]

    def scoped(self, viewer):
        qs = Call.objects.select_related("park")
        scope = runs_parks_q(viewer, "park")
        return qs if scope is None else qs.filter(scope)

    def get_readonly_fields(self, request, obj=None):
        # The status moves on the call's page (open, close); the park is chosen once.
        return ["status", "park"] if obj is not None else ["status"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("intake.run_call", obj) or self.has_change_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "park":
            kwargs["queryset"] = parks_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, actor, fields):
        fields = {name: value for name, value in fields.items() if name in call_services.FIELDS or name == "park"}
        return call_services.call_create(actor=actor, park=fields.pop("park"), **fields)

    def update(self, actor, obj, changes):
        if "park" in changes:
            raise NotFound()
        return call_services.call_update(actor=actor, call=obj, **{name: value for name, value in changes.items()
                                                                    if name in call_services.FIELDS})


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ["requirement", "file", "uploaded_at"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("intake.run_call", obj)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyParkAdmin):
    inlines = [DocumentInline]
    related = ("call", "call__park", "applicant")
    list_display = ["company_name", "stir", "call", "applicant", "status", "submitted_at"]
    list_filter = ["status", ("call__park", admin.RelatedOnlyFieldListFilter),
                   ("call", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["company_name", "stir", "applicant__email", "applicant__full_name"]
    exclude = ["answers"]

    def scoped(self, viewer):
        # A draft is its applicant's alone, as on the pages.
        return super().scoped(viewer).exclude(status=Application.Status.DRAFT)


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyParkAdmin):
    related = ("call",)
    list_display = ["name", "call", "weight", "position"]
    list_filter = [("call__park", admin.RelatedOnlyFieldListFilter)]


@admin.register(Question)
class QuestionAdmin(ReadOnlyParkAdmin):
    related = ("call",)
    list_display = ["text", "call", "required_answer"]
    list_filter = [("call__park", admin.RelatedOnlyFieldListFilter)]


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(ReadOnlyParkAdmin):
    related = ("call",)
    list_display = ["name", "call", "is_required"]
    list_filter = [("call__park", admin.RelatedOnlyFieldListFilter)]


@admin.register(CommissionMember)
class CommissionMemberAdmin(ReadOnlyParkAdmin):
    related = ("call", "user")
    list_display = ["user", "call", "is_chair"]
    list_filter = [("call__park", admin.RelatedOnlyFieldListFilter)]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyParkAdmin):
    park_path = "application__call__park"
    related = ("application", "requirement")
    list_display = ["__str__", "application", "requirement", "uploaded_at"]

    def scoped(self, viewer):
        return super().scoped(viewer).exclude(application__status=Application.Status.DRAFT)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyParkAdmin):
    park_path = "application__call__park"
    related = ("application", "application__call", "expert")
    list_display = ["application", "expert", "status", "total", "submitted_at"]
    list_filter = ["status", ("application__call__park", admin.RelatedOnlyFieldListFilter)]


@admin.register(Score)
class ScoreAdmin(ReadOnlyParkAdmin):
    park_path = "assignment__application__call__park"
    related = ("assignment", "assignment__application", "assignment__expert", "criterion")
    list_display = ["assignment", "criterion", "value"]

    def scope_of(self, obj):
        return obj.assignment


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyParkAdmin):
    related = ("call",)
    list_display = ["call", "held_at", "place", "status", "number"]
    list_filter = ["status", ("call__park", admin.RelatedOnlyFieldListFilter)]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyParkAdmin):
    park_path = "meeting__call__park"
    related = ("meeting", "meeting__call", "member", "member__user")
    list_display = ["meeting", "member", "present"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyParkAdmin):
    park_path = "meeting__call__park"
    related = ("meeting", "meeting__call", "application", "member", "member__user")
    list_display = ["meeting", "application", "member", "choice"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyParkAdmin):
    park_path = "meeting__call__park"
    related = ("meeting", "meeting__call", "application")
    list_display = ["application", "meeting", "outcome", "votes_for", "votes_against", "votes_abstain", "decided_at"]
    list_filter = ["outcome", ("meeting__call__park", admin.RelatedOnlyFieldListFilter)]


@admin.register(Residency)
class ResidencyAdmin(ReadOnlyParkAdmin):
    park_path = "park"
    related = ("company", "park")
    list_display = ["number", "company", "park", "starts_on", "ends_on", "status"]
    list_filter = ["status", ("park", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["number", "company__name", "company__stir"]
