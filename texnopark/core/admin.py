"""The back office: the Django admin, scoped to what each person may manage."""

from django.contrib import admin
from django.db import transaction

from texnopark.core import audit
from texnopark.core.errors import NotFound
from texnopark.core.models import AuditEntry
from texnopark.core.services import apply_changes, create_object, snapshot


class ScopedAdmin(admin.ModelAdmin):
    """Lists only what the viewer's scope holds; writes go through the app's services.

    `scoped(viewer)` returns the queryset the viewer may manage; `update(actor, obj, changes)`
    and `create(actor, fields)` call the services. Deleting is for superusers only:
    retiring (unpublishing, deactivating) keeps history.
    """

    def perm(self, action: str) -> str:
        return f"{self.opts.app_label}.{action}_{self.opts.model_name}"

    def scoped(self, viewer):
        return self.model.objects.all() if viewer.is_superuser else self.model.objects.none()

    def get_queryset(self, request):
        return self.scoped(request.user)

    def has_module_permission(self, request):
        return self.has_add_permission(request) or self.has_change_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(self.perm("change"), obj)

    def has_add_permission(self, request):
        return request.user.has_perm(self.perm("add"))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change:
            fresh = self.model.objects.get(pk=obj.pk)
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            saved = self.update(request.user, fresh, changes)
        else:
            fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name in self._model_fields()}
            saved = self.create(request.user, fields)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields were saved by the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _model_fields(self):
        return {f.name for f in self.model._meta.get_fields() if getattr(f, "editable", False)}

    def update(self, actor, obj, changes):
        if not actor.has_perm(self.perm("change"), obj):
            raise NotFound()
        changed = apply_changes(obj, changes)
        if changed:
            audit.record(actor=actor, action=f"{self.opts.label_lower}.updated", obj=obj, changes=changed)
        return obj

    def create(self, actor, fields):
        if not actor.has_perm(self.perm("add")):
            raise NotFound()
        logged = snapshot(self.model(), fields)
        obj = create_object(self.model, dict(fields))
        audit.record(actor=actor, action=f"{self.opts.label_lower}.created", obj=obj, changes=logged)
        return obj


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Scoped and read-only: these records change only on their pages, where the services check the rules.

    `view_perm` is asked of the record's `scope_of(obj)` (the record itself unless overridden)."""

    view_perm = ""

    def scope_of(self, obj):
        return obj

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.view_perm, None if obj is None else self.scope_of(obj))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr", "changes"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor__email", "object_id"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
