"""A findable profile keeps a copy of its member's size class: members that are not enterprises
no longer have one (partnerships 0007), so their copies are emptied too."""

from django.db import migrations


def empty_size_of_non_enterprises(apps, schema_editor):
    FindableProfile = apps.get_model("matchmaking", "FindableProfile")
    FindableProfile.objects.exclude(member__kind="enterprise").exclude(size_class="").update(
        size_class=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0002_search_indexes"),
        ("partnerships", "0007_sme_enterprises_only"),
    ]

    operations = [migrations.RunPython(empty_size_of_non_enterprises, migrations.RunPython.noop)]
