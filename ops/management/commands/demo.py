from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ops.demo import DEMO_PASSWORD, DEMO_USERNAME, SLUG, build_demo


class Command(BaseCommand):
    help = (
        "Migrate the database, load the PyCon Korea 2025 demo conference once, ensure the demo "
        "account, and serve on 127.0.0.1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="port to serve on (8000)")
        parser.add_argument("--no-serve", action="store_true", help="only prepare, do not serve")

    def handle(self, *args, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        created = build_demo()
        self.stdout.write(
            _("Loaded the demo conference.")
            if created
            else _("The demo conference is already there.")
        )
        url = f"http://127.0.0.1:{port}/"
        values = {"url": url, "slug": SLUG, "username": DEMO_USERNAME, "password": DEMO_PASSWORD}
        lines = [
            f"hugi: {url}",
            _("demo conference: %(url)s%(slug)s/") % values,
            _("sign in: %(url)saccounts/login/  (admin: %(url)sadmin/)") % values,
            _(
                "login: %(username)s / %(password)s   (a local demo account; never use it on a "
                "public server)"
            )
            % values,
        ]
        self.stdout.write(self.style.SUCCESS("\n" + "".join(f"  {line}\n" for line in lines)))
        if no_serve:
            return
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        # No autoreloader: it would run this command again in a child process.
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
