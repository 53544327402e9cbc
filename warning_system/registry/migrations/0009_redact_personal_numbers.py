"""Take personal numbers out of the public text already stored (the loader does so from now on).

ID, phone and card numbers that departments wrote into free text or name fields are masked (free
text) or dropped (names) in the public columns; the record as received keeps them in its private
part. Only values with seven digits close together are read back, so this is quick where there is
nothing to do.
"""

from django.db import migrations

CANDIDATE = "[0-9０-９]([^0-9０-９]{0,3}[0-9０-９]){6}"
SUBJECT_COLUMNS = {
    "name": "name",
    "legal_representative": "name",
    "enterprise_type": "name",
    "registration_authority": "name",
    "address": "text",
    "business_scope": "text",
}


def _redact_column(cursor, table: str, key: str, column: str, how: str) -> None:
    from warning_system.registry.redaction import redact_name, redact_text

    redact = redact_name if how == "name" else redact_text
    cursor.execute(f'SELECT {key}, "{column}" FROM {table} WHERE "{column}" ~ %s', [CANDIDATE])
    changed = [(k, redact(v)) for k, v in cursor.fetchall() if redact(v) != v]
    for start in range(0, len(changed), 5000):
        chunk = changed[start : start + 5000]
        cursor.execute(
            f'UPDATE {table} t SET "{column}" = c.value FROM unnest(%s::text[], %s::text[]) AS c (key, value)'
            f" WHERE t.{key}::text = c.key",
            [[str(k) for k, _ in chunk], [v for _, v in chunk]],
        )


def redact_stored_text(apps, schema_editor):
    from warning_system.registry import contract

    with schema_editor.connection.cursor() as cursor:
        for kind in contract.KINDS.values():
            for field in kind.public_fields:
                if field.redaction:
                    _redact_column(cursor, f"registry_{kind.key}", "id", field.key, field.redaction)
            _redact_column(cursor, f"registry_{kind.key}", "id", "subject_name", "name")
        for column, how in SUBJECT_COLUMNS.items():
            _redact_column(cursor, "registry_subject", "uscc", column, how)
        _redact_column(cursor, "registry_subjectnamehistory", "id", "name", "name")


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_quarantine_deliveries")]

    operations = [migrations.RunPython(redact_stored_text, migrations.RunPython.noop)]
