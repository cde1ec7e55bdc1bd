"""For migrations that move models between apps without touching their tables."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def content_types_moved(old_app: str, new_app: str, models: tuple[str, ...]) -> Any:
    """A migration operation that gives the models' content types their new app, so admin
    history and permissions follow them (and gives them back when unapplied)."""

    def move(src: str, dst: str) -> Any:
        def run(apps: Any, schema_editor: Any) -> None:
            content_type = apps.get_model("contenttypes", "ContentType")
            for model in models:
                if not content_type.objects.filter(app_label=dst, model=model).exists():
                    content_type.objects.filter(app_label=src, model=model).update(app_label=dst)

        return run

    return migrations.RunPython(move(old_app, new_app), move(new_app, old_app))
