import factory

from orgs.models import Department, Unit, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = User.Role.LEADER
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
        department=Department.objects.get(name=department_name),
        **kwargs,
    )


def head_of(code: str, **kwargs) -> User:
    return UserFactory(role=User.Role.UNIT_HEAD, unit=Unit.objects.get(code=code), **kwargs)
