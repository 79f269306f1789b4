"""The app's pages and parts (``app.py`` puts them together). A tab is a module with a
``LABEL`` per language and a ``render(view)`` function, listed in ``app.TABS``."""
