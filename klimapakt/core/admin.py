"""Django admin for superusers (the pact office works in the back office, not here).
The audit log is read-only: nobody edits history."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Document, InitialPartner, Pact, Page, ScheduledRun, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_pact_office", "advisor_for", "is_superuser"]
    list_filter = ["is_pact_office", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "language", "privacy_consented_at"]}),
        (_("Rollen"), {"fields": ["is_active", "is_pact_office", "advisor_for", "is_staff", "is_superuser"]}),
        (_("Zeitpunkte"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class InitialPartnerInline(admin.TabularInline):
    model = InitialPartner
    extra = 0


@admin.register(Pact)
class PactAdmin(admin.ModelAdmin):
    list_display = ["name_de", "city", "target_year", "monitoring_interval_years"]
    inlines = [InitialPartnerInline]
    # Logo and signature are checked and re-encoded by core.services.pact_branding_update: upload
    # them in the back office ("Logo, Unterschrift und Farbe"), not here.
    readonly_fields = ["logo", "signature"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_de", "in_footer", "updated_at"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title_de", "dated_on", "is_public"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["action", "object_repr", "actor__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """Runs of the built-in scheduler, read-only (they are a record)."""

    list_display = ["job", "day", "started_at", "finished_at", "succeeded"]
    list_filter = ["job", "succeeded"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
