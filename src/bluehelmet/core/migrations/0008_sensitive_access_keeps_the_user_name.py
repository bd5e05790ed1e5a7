"""Every view of sensitive data keeps the name of who looked on its row, so deleting the
account (which empties the user link) does not lose it; existing rows are filled in."""

from django.conf import settings
from django.db import migrations, models


# On PostgreSQL the table refuses updates (migration 0005's trigger): it is lifted while the
# names are written, within this migration's transaction.
TRIGGER = "core_sensitiveaccess_append_only"


def fill_user_names(apps, schema_editor):
    SensitiveAccess = apps.get_model("core", "SensitiveAccess")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    names = dict(User.objects.filter(pk__in=SensitiveAccess.objects.filter(user__isnull=False, username="").values("user"))
                 .values_list("pk", "username"))
    if not names:
        return
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE core_sensitiveaccess DISABLE TRIGGER {TRIGGER}")
    for user_id, name in names.items():
        SensitiveAccess.objects.filter(user_id=user_id, username="").update(username=name)
    if postgresql:
        schema_editor.execute(f"ALTER TABLE core_sensitiveaccess ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_sensitiveaccess_detail_message'),
    ]

    operations = [
        migrations.AddField(
            model_name='sensitiveaccess',
            name='username',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=150, verbose_name='user name'),
        ),
        migrations.RunPython(fill_user_names, migrations.RunPython.noop),
    ]
