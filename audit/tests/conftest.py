from orgs.tests.personas import audit_admin, security_admin, system_admin  # noqa: F401
