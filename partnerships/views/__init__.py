"""The app's pages, by subdomain: the public ``directory``, one partnership's pages
(``partnerships``) and member data (``members``)."""
