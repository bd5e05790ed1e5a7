"""bluehelmet escalate_tasks: escalate the overdue open response tasks now (incidents.escalation;
the web processes and Celery beat also run it every few minutes)."""

from django.core.management.base import BaseCommand

from bluehelmet.incidents.escalation import escalate_overdue_tasks


class Command(BaseCommand):
    help = (
        "Mark overdue open response tasks escalated (once) and e-mail their creators and the mission's administrators."
    )

    def handle(self, *args, **options):
        escalated = escalate_overdue_tasks()
        for task in escalated:
            self.stdout.write(f"{task.mission.acronym} task {task.pk}: {task.title} (due {task.due_at:%Y-%m-%d %H:%M})")
        self.stdout.write(f"{len(escalated)} escalated.")
