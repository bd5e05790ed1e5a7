"""On PostgreSQL, the audit tables refuse UPDATE and DELETE (a trigger), so even a bug or a
hand-typed SQL statement from the application's database role cannot rewrite the trail.
Allowed: setting the user or mission columns to NULL, which ON DELETE SET NULL does when an
account or mission is deleted. Tables are still dropped by a restore (pg_restore --clean) and
emptied by TRUNCATE (test databases). SQLite: nothing (the embedded mode relies on the app,
whose admin and pages are read-only)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION bluehelmet_audit_append_only() RETURNS trigger AS $$
DECLARE
    col text;
    new_row jsonb;
    old_row jsonb;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        new_row := to_jsonb(NEW);
        old_row := to_jsonb(OLD);
        FOREACH col IN ARRAY TG_ARGV LOOP
            IF (new_row -> col) IS DISTINCT FROM (old_row -> col) AND (new_row -> col) <> 'null'::jsonb THEN
                RAISE EXCEPTION 'audit records are append-only: % of % refused', TG_OP, TG_TABLE_NAME;
            END IF;
            new_row := new_row - col;
            old_row := old_row - col;
        END LOOP;
        IF new_row = old_row THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit records are append-only: % of % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = [
    ("auditlog_logentry", ["actor_id"]),
    ("core_sensitiveaccess", ["user_id", "mission_id"]),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # RAISE uses %: no placeholders here
    for table, nullable in TRIGGERS:
        arguments = ", ".join(f"'{column}'" for column in nullable)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION bluehelmet_audit_append_only({arguments})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _nullable in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS bluehelmet_audit_append_only()")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_more_roles"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(create, drop)]
