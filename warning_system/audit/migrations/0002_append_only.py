"""PostgreSQL, not the application, keeps the trail append-only: UPDATE, DELETE and TRUNCATE fail.

A test database empties its tables between browser tests with TRUNCATE; the test settings set
`audit.allow_truncate` on their connections for that (tests/conftest.py). Whoever can set it can
also drop a trigger: the daily anchors, not the trigger, are what expose a truncated trail.
"""

from django.db import migrations

TABLES = ("audit_auditentry", "audit_auditanchor")

FUNCTION = """
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE FUNCTION audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: TRUNCATE on % refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""


def triggers(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunSQL(
            FUNCTION + "".join(triggers(t) for t in TABLES),
            reverse_sql="".join(
                f"DROP TRIGGER {t}_no_change ON {t}; DROP TRIGGER {t}_no_truncate ON {t};" for t in TABLES
            )
            + "DROP FUNCTION audit_append_only(); DROP FUNCTION audit_no_truncate();",
        )
    ]
