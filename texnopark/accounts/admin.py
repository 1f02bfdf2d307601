from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from texnopark.accounts import services
from texnopark.accounts.models import ApiToken, Membership, User
from texnopark.core.admin import ScopedAdmin
from texnopark.network.admin import memberships_in_regions, regions_of
from texnopark.network.models import District, Technopark

# Roles come from memberships; Django's groups would be a second, confusing way.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "phone", "language", "is_active"]
    search_fields = ["email", "full_name", "phone"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "phone", "language", "latin_alphabet"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    list_filter = ["is_active", "is_superuser", "language"]
    filter_horizontal = []


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "role", "scope", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "role", "region", "park", "district"]

    def perm(self, action):
        return "accounts.manage_memberships"

    def scoped(self, viewer):
        qs = Membership.objects.select_related("user", "region", "park", "district")
        return qs if viewer.is_superuser else memberships_in_regions(viewer, qs)

    def has_change_permission(self, request, obj=None):
        # A membership is granted or withdrawn, never edited.
        return obj is None and request.user.has_perm(self.perm("add"))

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(self.perm("delete")) and (
            obj is None or self.scoped(request.user).filter(pk=obj.pk).exists()
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        regions = regions_of(request.user)
        scoped = {
            "region": regions,
            "park": Technopark.objects.filter(region__in=regions),
            "district": District.objects.filter(region__in=regions),
        }
        if db_field.name in scoped:
            kwargs["queryset"] = scoped[db_field.name]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, actor, fields):
        return services.membership_create(actor=actor, **fields)

    def delete_model(self, request, obj):
        services.membership_delete(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_delete(actor=request.user, membership=membership)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False
