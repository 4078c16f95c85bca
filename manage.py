#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.settings")
    # manage.py is the developer's tool: without a DEBUG variable it runs in
    # development mode. The production server (gunicorn, kb_portal.wsgi) has
    # no such default and refuses to start without SECRET_KEY; production
    # shells set DEBUG=0 explicitly (see README).
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
