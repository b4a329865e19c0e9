"""What every admin page of the app shares: audited saves, and read-only pages."""

from django.contrib import admin

from efficiency.services.roster import save_audited


class AuditedAdmin(admin.ModelAdmin):
    """Records every save in the history, and never deletes: deactivate or end-date instead."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The fields recorded are those of services.roster.AUDITED_FIELDS for this model.
        save_audited(actor=request.user, obj=obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
