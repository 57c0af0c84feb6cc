import datetime as dt

import factory

from outcomes import models
from outcomes.catalog.services import catalog_load


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Association
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Samordningsförbundet {n}")
    org_number = factory.Sequence(lambda n: _org_number(n))

    @factory.post_generation
    def catalog(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            catalog_load(association=obj)


def _org_number(n: int) -> str:
    """A valid organisation number (Luhn check digit) that differs for every ``n``."""
    from outcomes.validators import luhn_valid

    base = f"2220{n % 100000:05d}"
    for check in range(10):
        if luhn_valid(base + str(check)):
            return f"{base[:6]}-{base[6:]}{check}"
    raise AssertionError("unreachable")


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Intervention

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Insats {n}")
    owner = "Lindesbergs kommun"
    kind = "individual"
    frequency = "quarter"
    start = dt.date(2020, 1, 1)


PASSWORD = "rätt-lösenord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User

    email = factory.Sequence(lambda n: f"person{n}@example.se")

    @classmethod
    def _create(cls, model_class, *args, password=PASSWORD, **kwargs):
        return model_class.objects.create_user(*args, password=password, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)
    role = "staff"
