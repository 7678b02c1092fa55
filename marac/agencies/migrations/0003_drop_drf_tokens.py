"""API tokens moved from DRF's authtoken (keys stored in clear, never expiring) to
django-rest-knox (digests, expiring). The old keys are dropped, not converted: their
holders log in again. The table is removed so no clear-text key stays on disk."""

from django.db import migrations


def drop_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name('authtoken_token')}")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0002_superuser_holds_no_membership"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(drop_drf_tokens, migrations.RunPython.noop, elidable=True),
    ]
