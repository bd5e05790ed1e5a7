"""Full-text search over lessons: an FTS5 table kept in step by triggers on SQLite, a GIN
index on the English text-search vector on PostgreSQL (see performance/lessons.py, which
queries with the same expressions)."""

from django.db import migrations

# As performance.lessons.POSTGRES_DOCUMENT at the time of this migration.
POSTGRES_DOCUMENT = "to_tsvector('english'::regconfig, title || ' ' || observation || ' ' || lesson || ' ' || recommendation)"

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE performance_lesson_fts USING fts5(
        title, observation, lesson, recommendation,
        content='performance_lesson', content_rowid='id', tokenize='porter unicode61')""",
    """CREATE TRIGGER performance_lesson_fts_insert AFTER INSERT ON performance_lesson BEGIN
        INSERT INTO performance_lesson_fts(rowid, title, observation, lesson, recommendation)
        VALUES (new.id, new.title, new.observation, new.lesson, new.recommendation);
    END""",
    """CREATE TRIGGER performance_lesson_fts_delete AFTER DELETE ON performance_lesson BEGIN
        INSERT INTO performance_lesson_fts(performance_lesson_fts, rowid, title, observation, lesson, recommendation)
        VALUES ('delete', old.id, old.title, old.observation, old.lesson, old.recommendation);
    END""",
    """CREATE TRIGGER performance_lesson_fts_update AFTER UPDATE ON performance_lesson BEGIN
        INSERT INTO performance_lesson_fts(performance_lesson_fts, rowid, title, observation, lesson, recommendation)
        VALUES ('delete', old.id, old.title, old.observation, old.lesson, old.recommendation);
        INSERT INTO performance_lesson_fts(rowid, title, observation, lesson, recommendation)
        VALUES (new.id, new.title, new.observation, new.lesson, new.recommendation);
    END""",
    "INSERT INTO performance_lesson_fts(performance_lesson_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS performance_lesson_fts_insert",
    "DROP TRIGGER IF EXISTS performance_lesson_fts_delete",
    "DROP TRIGGER IF EXISTS performance_lesson_fts_update",
    "DROP TABLE IF EXISTS performance_lesson_fts",
]
POSTGRES_FORWARD = [f"CREATE INDEX performance_lesson_search ON performance_lesson USING gin ({POSTGRES_DOCUMENT})"]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS performance_lesson_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
