"""Make the floor's tables and `n` users with API tokens; prints the tokens, one a line.

DJANGO_SETTINGS_MODULE=floor.settings python benchmarks/floor/setup.py N
"""

import sys

import django


def main(n: int) -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"floor-{i}", password="!")
        for i in range(n)  # no password: tokens only
    )
    for user in users:
        print(Token.objects.create(user=user).key)


if __name__ == "__main__":
    main(int(sys.argv[1]))
