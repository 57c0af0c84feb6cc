"""Associations, interventions, budgets, users and their memberships."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outcomes.limits import MAX_COUNT, MAX_SMALL
from outcomes.periods import FREQUENCIES, MONTH, QUARTER
from outcomes.shares import DEFAULT_YELLOW_RATIO
from outcomes.validators import validate_no_personal_data, validate_org_number


class EmailUserManager(UserManager):
    """Users sign in with their e-mail address; there is no separate user name."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person or a member system that signs in. ``is_staff`` means Django admin access only."""

    username = None
    email = models.EmailField(_("e-postadress"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = verbose_name_plural = _("användare")

    def __str__(self):
        return self.email


class Association(models.Model):
    """A samordningsförbund: the financing body whose data nobody else may read or write."""

    name = models.CharField(_("namn"), max_length=200, validators=[validate_no_personal_data])
    org_number = models.CharField(
        _("organisationsnummer"), max_length=11, unique=True, validators=[validate_org_number]
    )
    overdue_days = models.PositiveSmallIntegerField(
        _("dagar till försenad"),
        default=15,
        help_text=_("Så många dagar efter periodens slut räknas en ej inskickad rapport som försenad."),
    )
    small_count_threshold = models.PositiveSmallIntegerField(
        _("gräns för små tal"),
        default=4,
        help_text=_("Antal från 1 till och med gränsen maskeras i exporter för publicering."),
    )
    default_yellow_ratio = models.DecimalField(
        _("gräns för gult för nya mål"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_YELLOW_RATIO,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Nya mål blir gula när värdet når minst denna andel av målet."),
    )
    reminder_emails = models.BooleanField(
        _("påminnelser via e-post"),
        default=True,
        help_text=_("Samordnare får ett e-postmeddelande när en rapport är försenad."),
    )
    # The socio-economic estimate's parameters (DOMAIN.md "Longer spans and the socio-economic
    # estimate"); the defaults are the published model, 340 000 kr per person and year.
    support_per_month_sek = models.PositiveIntegerField(
        _("försörjningsstöd per månad (kr)"), default=10_000, validators=[MaxValueValidator(MAX_COUNT)]
    )
    annual_salary_sek = models.PositiveIntegerField(
        _("årslön (kr)"), default=300_000, validators=[MaxValueValidator(MAX_COUNT)]
    )
    income_tax_percent = models.PositiveSmallIntegerField(
        _("inkomstskatt (%)"), default=30, validators=[MaxValueValidator(100)]
    )
    employer_fee_percent = models.PositiveSmallIntegerField(
        _("arbetsgivaravgift (%)"), default=30, validators=[MaxValueValidator(100)]
    )
    health_gain_per_year_sek = models.PositiveIntegerField(
        _("hälsovinst per år (kr)"), default=40_000, validators=[MaxValueValidator(MAX_COUNT)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("samordningsförbund")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def value_per_person_year_sek(self) -> int:
        """What one person who reaches self-support is worth a year in the association's model:
        a year of support saved, income tax and employer's fee on the salary, and the health gain
        (10 000 × 12 + 30 % and 30 % of 300 000 + 40 000 = 340 000 kr with the defaults)."""
        on_salary = self.annual_salary_sek * (self.income_tax_percent + self.employer_fee_percent)
        return self.support_per_month_sek * 12 + on_salary // 100 + self.health_gain_per_year_sek


def association_link(related_name: str, *, on_delete=models.CASCADE) -> models.ForeignKey:
    """The foreign key from a row to the association it belongs to (``förbund``)."""
    return models.ForeignKey(Association, on_delete=on_delete, related_name=related_name, verbose_name=_("förbund"))


class MemberKind(models.TextChoices):
    EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")
    SOCIAL_INSURANCE = "social_insurance", _("Försäkringskassan")
    REGION = "region", _("region")
    MUNICIPALITY = "municipality", _("kommun")


class Member(models.Model):
    """A member organisation of the association (*medlem*): Arbetsförmedlingen, Försäkringskassan,
    the region or a municipality. Interventions' owners are chosen among them, and each
    municipality is a category of the *Hemkommun* dimension (``dimension_category``)."""

    association = association_link("members")
    name = models.CharField(_("namn"), max_length=200, validators=[validate_no_personal_data])
    kind = models.CharField(_("typ av medlem"), max_length=30, choices=MemberKind.choices)
    active = models.BooleanField(_("aktiv"), default=True)
    dimension_category = models.OneToOneField(
        "outcomes.DimensionCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("kategori i Hemkommun"),
    )

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        ordering = ["association", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["association", "name"], name="unique_member_name")]

    def __str__(self):
        return self.name


class InterventionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individinriktad")
    STRUCTURAL = "structural", _("strukturövergripande")


class Frequency(models.TextChoices):
    QUARTER = QUARTER, _("kvartal")
    MONTH = MONTH, _("månad")


assert set(Frequency.values) == set(FREQUENCIES)


class InterventionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def running_in(self, period):
        """The interventions whose time overlaps ``period`` (see :meth:`Intervention.runs_during`)."""
        return self.filter(start__lte=period.end).filter(Q(end__isnull=True) | Q(end__gte=period.start))

    def figures_changed(self) -> int:
        """Say that what is counted for these interventions changed (their reports, activities,
        step rules or catalogs): their figures stored for summaries
        (:mod:`reports.summaries.stored`) no longer count and are computed again when read."""
        return self.update(figures_version=models.F("figures_version") + 1)


class Intervention(models.Model):
    """An insats financed by the association and run by one member organisation (the owner).

    ``frequency`` decides the base period of its reports; ``end`` is inclusive and may be empty
    for an intervention that is still running.
    """

    association = association_link("interventions", on_delete=models.PROTECT)
    name = models.CharField(_("namn"), max_length=200, validators=[validate_no_personal_data])
    owner = models.CharField(_("insatsägare"), max_length=200, validators=[validate_no_personal_data])
    kind = models.CharField(
        _("typ av insats"), max_length=20, choices=InterventionKind.choices, default=InterventionKind.INDIVIDUAL
    )
    frequency = models.CharField(
        _("rapporteringsfrekvens"), max_length=10, choices=Frequency.choices, default=Frequency.QUARTER
    )
    start = models.DateField(_("startdatum"))
    end = models.DateField(_("slutdatum"), null=True, blank=True)
    places = models.PositiveIntegerField(
        _("antal platser"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SMALL)],
        help_text=_("Insatsens kapacitet; beläggningen är pågående deltagare vid periodens slut delat med platserna."),
    )
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Raised by :meth:`InterventionQuerySet.figures_changed` whenever what is counted changes; a
    #: stored summary row is valid only for the version it was computed at. Only that method
    #: writes it: :meth:`save` leaves it out, so a form holding an older copy cannot turn it back.
    figures_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["association", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="intervention_end_after_start",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields() | {"figures_version"}
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def runs_during(self, period) -> bool:
        """Whether ``period`` lies within the intervention's time: it ends on or after the start and
        begins on or before the (inclusive) end, if there is one. The one rule for reports, surveys,
        completeness, reminders and summaries; :meth:`InterventionQuerySet.running_in` is its query."""
        return period.end >= self.start and (self.end is None or period.start <= self.end)


def intervention_link(related_name: str, *, on_delete=models.CASCADE, optional: bool = False) -> models.ForeignKey:
    """The foreign key from a row to its intervention (``insats``). ``optional`` for a row that
    belongs to the whole association when the intervention is empty (see :func:`unique_per_scope`)."""
    return models.ForeignKey(
        Intervention,
        on_delete=on_delete,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=_("insats"),
    )


#: Where :func:`unique_per_scope` puts ``association`` or ``intervention`` among the fields.
SCOPE = "scope"


def unique_per_scope(fields: list[str], *, association_name: str, intervention_name: str) -> list:
    """The unique constraints of a row that belongs to one intervention, or to the whole
    association when its intervention is empty: ``fields`` (with :data:`SCOPE` standing for
    ``association`` or ``intervention``) are unique among the association-wide rows and among
    each intervention's rows. One constraint over both columns would not do: the database treats
    empty values as distinct, so it would let association-wide duplicates in."""

    def scoped(scope: str) -> list[str]:
        return [scope if name == SCOPE else name for name in fields]

    return [
        models.UniqueConstraint(
            fields=scoped("association"), condition=Q(intervention__isnull=True), name=association_name
        ),
        models.UniqueConstraint(
            fields=scoped("intervention"), condition=Q(intervention__isnull=False), name=intervention_name
        ),
    ]


class Budget(models.Model):
    """Beviljade medel: the yearly budget of one intervention, in whole kronor."""

    intervention = intervention_link("budgets")
    year = models.PositiveSmallIntegerField(_("år"))
    budget_sek = models.PositiveBigIntegerField(_("beviljade medel (kr)"))

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")
        ordering = ["intervention", "year"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "year"], name="one_budget_per_intervention_year")
        ]

    def __str__(self):
        return f"{self.intervention} {self.year}"


class Role(models.TextChoices):
    STAFF = "staff", _("förbundspersonal")
    VIEWER = "viewer", _("läsare")
    COORDINATOR = "coordinator", _("samordnare")


class Membership(models.Model):
    """A user's role in one association, or for a coordinator in one intervention of it.

    Staff and viewers hold an association-wide role (``intervention`` empty); a coordinator is
    granted one intervention per membership.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("användare"))
    association = association_link("memberships")
    intervention = intervention_link("memberships", optional=True)
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("behörighet")
        verbose_name_plural = _("behörigheter")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.COORDINATOR) & Q(intervention__isnull=False))
                | (~Q(role=Role.COORDINATOR) & Q(intervention__isnull=True)),
                name="coordinator_has_intervention_others_not",
                violation_error_message=_(
                    "En samordnare behörighetsges för en insats; personal och läsare för hela förbundet."
                ),
            ),
            *unique_per_scope(
                ["user", SCOPE, "role"],
                association_name="one_association_role",
                intervention_name="one_intervention_role",
            ),
        ]

    def __str__(self):
        target = self.intervention or self.association
        return f"{self.user} – {self.get_role_display()} – {target}"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A named token that acts as its user, with the user's roles.

    Only the SHA-256 of the secret is stored; the secret itself is shown once when created. A
    revoked token never authenticates again.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("användare"))
    name = models.CharField(_("namn"), max_length=100, validators=[validate_no_personal_data])
    prefix = models.CharField(_("början av nyckeln"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
