import factory
from django.db.models import F

from orgs.models import Department, Unit, User


def _federation_of(user) -> Unit | None:
    """As the application sets it: a unit's owner, a department's federation, else the first
    federation loaded (the demo's, in tests that load the 2022 plan)."""
    unit, department = getattr(user, "unit", None), getattr(user, "department", None)
    if unit is not None:
        return unit.federation
    if department is not None:
        return department.federation
    return Unit.objects.filter(federation_id=F("pk")).order_by("pk").first()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = User.Role.LEADER
    federation = factory.LazyAttribute(_federation_of)
    password = factory.PostGenerationMethodCall("set_password", "Test@pass123")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def reporter_of(code: str, **kwargs) -> User:
    return UserFactory(role=User.Role.UNIT_REPORTER, unit=Unit.objects.get(code=code), **kwargs)


def staff_of(department_name: str, **kwargs) -> User:
    return UserFactory(
        role=User.Role.DEPARTMENT_STAFF,
        # The first federation's department of that name (the demo's, loaded first).
        department=Department.objects.filter(name=department_name).order_by("pk").first(),
        **kwargs,
    )


def head_of(code: str, **kwargs) -> User:
    return UserFactory(role=User.Role.UNIT_HEAD, unit=Unit.objects.get(code=code), **kwargs)
