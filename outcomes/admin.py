from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from outcomes import models


class RowInline(admin.TabularInline):
    """An inline of a parent's rows (budgets, categories, counts), without empty extra rows."""

    extra = 0


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through the services, which check the rules (and keep history)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Namn"), {"fields": ("first_name", "last_name")}),
        (_("Behörighet"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Tider"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(RowInline):
    model = models.Membership
    autocomplete_fields = ["user", "intervention"]


@admin.register(models.Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "overdue_days", "small_count_threshold"]
    search_fields = ["name", "org_number"]
    inlines = [MembershipInline]


class BudgetInline(RowInline):
    model = models.Budget


@admin.register(models.Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["name", "association", "owner", "kind", "frequency", "start", "end", "active"]
    list_filter = ["association", "kind", "frequency", "active"]
    search_fields = ["name", "owner"]
    inlines = [BudgetInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "association", "intervention", "role"]
    list_filter = ["association", "role"]
    autocomplete_fields = ["user", "intervention"]


@admin.register(models.Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["intervention", "year", "budget_sek"]
    list_filter = ["year"]


@admin.register(models.ExitReason)
class ExitReasonAdmin(admin.ModelAdmin):
    list_display = ["label_sv", "code", "outcome_class", "association", "active", "position"]
    list_filter = ["association", "outcome_class", "active"]
    search_fields = ["code", "label_sv"]


class DimensionCategoryInline(RowInline):
    model = models.DimensionCategory


@admin.register(models.Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["label_sv", "code", "multi_valued", "association", "active"]
    list_filter = ["association", "multi_valued", "active"]
    inlines = [DimensionCategoryInline]


@admin.register(models.DimensionCategory)
class DimensionCategoryAdmin(admin.ModelAdmin):
    list_display = ["label_sv", "code", "dimension", "active"]
    list_filter = ["dimension__association", "active"]


@admin.register(models.SurveyIndicator)
class SurveyIndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "label_sv", "association"]


@admin.register(models.SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "group", "number", "indicator", "scale", "association", "active"]
    list_filter = ["association", "group", "scale", "active"]


class ExitCountInline(RowInline):
    model = models.ExitCount


class BreakdownCountInline(RowInline):
    model = models.BreakdownCount


@admin.register(models.PeriodReport)
class PeriodReportAdmin(ReadOnlyAdmin):
    """Read-only, and never deleted: the history refers to it."""

    list_display = ["intervention", "period", "status", "version", "updated_at"]
    list_filter = ["status", "intervention__association"]
    inlines = [ExitCountInline, BreakdownCountInline]

    def has_delete_permission(self, request, obj=None):
        return False


# --- surveys -----------------------------------------------------------------------------------


class SurveyAnswerInline(RowInline):
    model = models.SurveyAnswer


@admin.register(models.Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "association", "intervention", "period", "group", "invited", "version", "updated_at"]
    list_filter = ["association", "group"]
    inlines = [SurveyAnswerInline]


@admin.register(models.NationalAverage)
class NationalAverageAdmin(admin.ModelAdmin):
    list_display = ["question", "year", "percent", "association"]
    list_filter = ["association", "year"]
