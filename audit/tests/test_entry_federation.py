"""Each entry is written with the federation whose audit administrator reads it: the actor's,
else the account, unit or department it is about, else the one the caller names, else none."""

from audit.models import AuditEntry
from audit.services import audit_record, audit_record_many
from orgs.models import Department, Unit
from orgs.tests.factories import UserFactory, reporter_of


def test_an_entry_belongs_to_its_actors_federation_whatever_it_is_about(plan_2022, leader):
    other = Unit.objects.exclude(pk=plan_2022.issuer_id).first()
    entry = audit_record(actor=leader, event="test.event", target=other)
    assert entry.federation_id == plan_2022.issuer_id


def test_a_failed_login_naming_an_account_belongs_to_that_accounts_federation(plan_2022):
    reporter = reporter_of("ruzhou", username="rz-login")
    entry = audit_record(
        actor=None, username="rz-login", event="auth.login.failed", target=reporter
    )
    assert entry.federation_id == reporter.unit.federation_id == plan_2022.issuer_id


def test_a_login_naming_no_account_and_a_command_without_target_belong_to_no_federation(db):
    assert (
        audit_record(actor=None, username="nobody", event="auth.login.failed").federation_id is None
    )
    assert audit_record(actor=None, username="manage.py", event="test.event").federation_id is None


def test_a_command_names_the_federation_its_change_belongs_to(plan_2022):
    entry = audit_record(
        actor=None,
        username="manage.py",
        event="test.event",
        target=plan_2022,
        federation=plan_2022.issuer,
    )
    assert entry.federation_id == plan_2022.issuer_id


def test_the_federation_is_copied_so_moving_the_account_later_changes_no_entry(plan_2022):
    user = UserFactory(username="mover")
    entry = audit_record(actor=user, event="test.event")
    user.federation = None
    user.save(update_fields=["federation"])
    entry.refresh_from_db()
    assert entry.federation_id == plan_2022.issuer_id


def test_a_batch_of_entries_belongs_to_the_actors_federation_or_each_targets(plan_2022, leader):
    departments = list(Department.objects.filter(federation=plan_2022.issuer)[:2])
    audit_record_many(
        actor=leader, event="test.batch", changes=[(d, None, {"n": 1}) for d in departments]
    )
    reporter = reporter_of("ruzhou", username="rz-batch")
    audit_record_many(actor=None, event="test.command", changes=[(reporter, None, None)])
    batch = AuditEntry.objects.filter(event__in=["test.batch", "test.command"])
    assert {e.federation_id for e in batch} == {plan_2022.issuer_id}
    assert batch.count() == 3


def test_a_command_changing_something_of_a_plan_belongs_to_the_plans_issuer(plan_2022):
    from plans.models import Indicator
    from records.models import FormDefinition

    indicator = Indicator.objects.filter(plan=plan_2022).first()
    form = FormDefinition.objects.filter(plan=plan_2022).first()
    for target in (plan_2022, indicator, form):
        entry = audit_record(actor=None, username="演示数据", event="test.event", target=target)
        assert entry.federation_id == plan_2022.issuer_id, target
