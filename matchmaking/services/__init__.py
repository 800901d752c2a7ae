"""Every write of finding partners, by subdomain: findable profiles (``profiles``), contact
requests (``contact``), "we look for …" posts and their answers (``wanted``), and what the
suggestions make in one click (``suggestions``). Pages, the API and jobs call the same
functions, which check the app's rules and are audited."""
