"""The load test behind ``scripts/load.py`` (which documents its use), by role:

- ``config``: the defaults, the command line and the server's environment;
- ``accounts``: the code a child process runs to prepare the accounts and each user's plan;
- ``database``: the database, ``migrate`` and ``load_demo``, the accounts (``prepare``);
- ``stack``: gunicorn and the Celery worker, started and always stopped;
- ``client``: a virtual user's sessions, measured requests, login, token and its run loop;
- ``forms``: the forms of a page, as a browser would send them;
- ``scenarios``: what each role browses, reads through the API and writes;
- ``figures``: the figures per page and in total, and the printed report;
- ``run``: the run from the command line to the exit status.

``scripts/`` is not a package: ``scripts/load.py`` runs with its own directory on ``sys.path``,
so this package is imported as ``loadtest``.
"""
