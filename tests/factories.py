"""factory_boy factories with sensible defaults. Cases are made through
case_register, as in the application, never by writing the model."""

import factory
from django.utils import timezone

from accounts.models import User
from cases import services
from cases.models import Case, Category, Department, Unit, UnitMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@burlov.example")
    email = factory.SelfAttribute("username")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    kind = User.Kind.STAFF
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Förvaltning {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")
    email = factory.Sequence(lambda n: f"enhet{n}@burlov.example")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Ämne {n}")
    name_en = factory.Sequence(lambda n: f"Subject {n}")
    default_unit = factory.SubFactory(UnitFactory)


def member(user, unit, role=UnitMembership.Role.OFFICER):
    UnitMembership.objects.create(user=user, unit=unit, role=role)
    return user


def register_case(*, category=None, contact=None, received_at=None, **kwargs) -> Case:
    kwargs.setdefault("kind", Case.Kind.QUESTION)
    kwargs.setdefault("description", "Hur söker jag plats i förskolan?")
    return services.case_register(
        category=category or CategoryFactory(),
        contact=contact,
        received_at=received_at or timezone.now(),
        **kwargs,
    )
